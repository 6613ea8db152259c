"""Places in free text: find the communes a petition talks about, and read postal addresses.

Citizens write "xã Tân Liên cũ", "thị trấn Đồng Đăng", "Ky Lua", "P. Tam Thanh, TP Lạng Sơn";
officers need the commune as it is today. `find_units()` finds every mention of a Lạng Sơn unit
(new and pre-2025 names, with or without the type word and diacritics), resolves it through the
gazetteer and says how sure it is; `find_commune()` picks the one commune a text is about;
`parse_address()` splits an address into house number, street, hamlet, commune, district, province.

Where the work is done: `mauson.vntext.place_matcher` finds the names in the folded text (one token
trie per province, so a 1,000-character petition takes well under a millisecond);
`mauson.vntext.place_context` reads the words around each name, so that everyday words, streets,
people and parts of longer proper names are not taken for communes; this module resolves what
is left and scores it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from mauson.errors import Invalid, MausonError
from mauson.vntext.gazetteer import (
    LANG_SON,
    TYPE_WORD_SPELLING,
    Gazetteer,
    OldUnit,
    Province,
    Resolution,
    Unit,
    gazetteer,
    name_key,
    split_kind,
)
from mauson.vntext.normalize import fold, normalize
from mauson.vntext.place_context import COMMON_PHRASES, Reading, ScannedText, read_match
from mauson.vntext.place_matcher import marked, matcher_for
from mauson.vntext.segment import WORD

# Gap allowed between a commune and the district that qualifies it: "xã X (huyện Y)", "xã X cũ thuộc Y".
_QUALIFIER_GAP = re.compile(r"[\s,;(\[\-–—:]*(?:(?:cu|thuoc|cua|o|tai|ve|dia ban)\s+)*[\s(]*")
_DISTRICT_KINDS = frozenset({"huyen", "quan", "thi_xa", "thanh_pho"})

# Confidence of a mention, by the evidence around it (see `_confidence`).
NOW_TYPED, NOW_BARE = 0.97, 0.9
TYPED_MARKED, TYPED, TYPED_OLD = 0.95, 0.9, 0.85
BARE_OLD, LANDMARK, BARE, BARE_DISTRICT_NAME, BARE_NO_CASE = 0.85, 0.65, 0.6, 0.35, 0.4
DISTRICT_TYPED, DISTRICT_BARE = 0.5, 0.3


@dataclass(frozen=True)
class Mention:
    """One place in a text: where it is, what it names, what it means today, and how sure we are."""

    start: int  # character offsets in the text given, type word included ("xã Tân Liên")
    end: int
    text: str
    level: str  # "commune" or "district" (a pre-2025 district)
    name: str  # the official name matched: "Xã Tân Liên", "Phường Kỳ Lừa", "Huyện Cao Lộc"
    old: bool  # the text uses a pre-2025 name
    units: tuple[Unit, ...]  # the current units it may mean, best first
    confidence: float
    split: bool = False  # the old unit was divided: `units` are all the parts
    old_units: tuple[OldUnit, ...] = field(default=(), repr=False)

    @property
    def unit(self) -> Unit | None:
        """The single current unit meant, or None when several remain possible."""
        return self.units[0] if len(self.units) == 1 else None


@dataclass(frozen=True)
class CommuneGuess:
    """The commune a text is about, with the mentions that point to it."""

    unit: Unit
    confidence: float
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class Address:
    """An address taken apart. `commune` is today's unit, even when the address uses an old name."""

    text: str
    house_number: str | None = None
    street: str | None = None
    hamlet: str | None = None  # "thôn Nà Pàn", "khối 7", "tổ 3"
    commune: Unit | None = None
    commune_candidates: tuple[Unit, ...] = ()  # when the commune cannot be settled (split or ambiguous)
    commune_as_written: str | None = None
    old_commune: OldUnit | None = None  # the pre-2025 unit the address names, if it uses an old name
    district: str | None = None  # the pre-2025 district ("Huyện Cao Lộc"), as the address gives it
    province: Province | None = None


# --- from readings to mentions ---------------------------------------------------------------------


def find_units(text: str, *, province: str = LANG_SON) -> list[Mention]:
    """Every mention of a commune, ward or former district of `province` (Lạng Sơn by default) in `text`.

    Mentions come in text order, each with its span, the current unit(s) it means and a confidence:
    0.9+ with a type word or "nay là", about 0.6 for a capitalised bare name, lower for names that
    are also district names or everyday phrases. Places of another province are left out.
    """
    gaz = gazetteer()
    matcher = matcher_for(gaz, gaz.province(province).code)
    if unicodedata.is_normalized("NFC", text) and not matcher.may_match(WORD.findall(text.lower())):
        return []  # most texts name no place: this pass costs a fraction of the full one
    scanned = ScannedText.of(text)
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(scanned.folded)]
    readings = [
        reading
        for first, last, entry in matcher.scan(scanned.folded, tokens)
        if (reading := read_match(scanned, tokens[first][0], tokens[last - 1][1], entry)) is not None
    ]
    _attach_qualifiers(scanned, readings, matcher.province)
    mentions = [m for r in readings if not r.skip and (m := _mention(gaz, scanned, r, matcher.province))]
    return _settle_with_document(mentions)


def _attach_qualifiers(text: ScannedText, readings: list[Reading], province: str) -> None:
    """'xã Tân Liên, huyện Cao Lộc': the district (or another province) right after a commune qualifies it."""
    for reading, following in itertools.pairwise(readings):
        gap = _QUALIFIER_GAP.match(text.folded, reading.after, following.start)
        if gap is None or gap.end() != following.start:
            continue
        entry = following.entry
        # A bare "Lạng Sơn" is the province; "TP Lạng Sơn" and a bare "Cao Lộc" are former districts.
        district_like = following.kind in _DISTRICT_KINDS or (following.kind is None and not entry.provinces)
        if entry.districts and district_like:
            reading.district = entry.districts[0].short_name
            following.as_district = True
        elif entry.provinces and following.kind in (None, "tinh", "thanh_pho"):
            reading.skip = reading.skip or all(p.code != province for p in entry.provinces)
            following.skip = True


def _mention(gaz: Gazetteer, text: ScannedText, reading: Reading, province: str) -> Mention | None:
    start, end = text.span(reading.start, reading.end)
    written = text.given[start:end]
    if _is_district(reading):
        district = reading.entry.districts[0]
        units = tuple(gaz.unit(c) for c in district.units)
        confidence = DISTRICT_TYPED if reading.kind else DISTRICT_BARE
        return Mention(start, end, written, "district", district.name, True, units, confidence)
    if reading.kind == "tinh" or reading.kind in _DISTRICT_KINDS or not (reading.entry.units or reading.entry.olds):
        return None
    resolution = _resolve(gaz, text, reading, province)
    if resolution is None:
        return None
    name = resolution.old_units[0].name if resolution.old_units else resolution.units[0].name
    return Mention(
        start,
        end,
        written,
        "commune",
        name,
        not resolution.current,
        resolution.units,
        _confidence(reading, resolution),
        resolution.split,
        resolution.old_units,
    )


def _is_district(reading: Reading) -> bool:
    """A former district: typed as one, qualifying a commune, or a bare name that can be nothing else."""
    entry = reading.entry
    if not entry.districts:
        return False
    if reading.kind in _DISTRICT_KINDS or reading.as_district:
        return True
    return reading.kind is None and not (entry.units or entry.olds or entry.provinces)


def _resolve(gaz: Gazetteer, text: ScannedText, reading: Reading, province: str) -> Resolution | None:
    marker = "new" if reading.now else reading.marker
    written = text.original[reading.name_start : reading.end]
    kind = reading.kind
    if kind is None and reading.urban:
        kinds = {u.kind for u in reading.entry.units} | {o.kind for o in reading.entry.olds}
        kind = "phuong" if "phuong" in kinds else "thi_tran" if "thi_tran" in kinds else None
    key = (written, kind, marker, reading.district, province)
    cache: dict[tuple[str | None, ...], Resolution | None] = gaz.memo.setdefault("address.resolutions", {})
    if key not in cache:
        if len(cache) > 50_000:  # names repeat; a runaway stream of odd spellings must not grow memory
            cache.clear()
        try:
            cache[key] = gaz.resolve_parts(
                written, kind=kind, marker=marker, district=reading.district, province=province
            )
        except MausonError:
            cache[key] = None
    return cache[key]


def _confidence(reading: Reading, resolution: Resolution) -> float:
    """Evidence first (type word, 'nay là', 'cũ', a landmark, capitals), then doubt (several candidates)."""
    typed = reading.kind is not None
    if reading.now:
        score = NOW_TYPED if typed else NOW_BARE
    elif typed:
        marked = reading.marker or reading.district
        score = TYPED_MARKED if marked else TYPED if resolution.current else TYPED_OLD
    elif reading.marker == "old":
        score = BARE_OLD
    elif reading.entry.districts or reading.entry.provinces or reading.entry.key in COMMON_PHRASES:
        score = max(BARE_DISTRICT_NAME, LANDMARK if reading.landmark else 0.0)
    elif not reading.cased:  # no capitals to tell a name from words: "cho ky lua", "o tan lien"
        score = LANDMARK * 0.85 if reading.landmark else BARE_NO_CASE
    else:
        score = LANDMARK if reading.landmark else BARE
        if not reading.landmark and reading.district is None and not resolution.current:
            score -= 0.05
    if not reading.exact:
        score *= 0.7
    if len(resolution.units) > 1:
        score *= 0.6
    elif resolution.alternatives and not (reading.marker or reading.district or reading.now):
        score *= 0.9
    return round(score, 3)


def _settle_with_document(mentions: list[Mention]) -> list[Mention]:
    """An ambiguous old name is settled by the rest of the text: a unit or district named elsewhere."""
    named = {m.units[0].code for m in mentions if m.level == "commune" and len(m.units) == 1 and m.confidence >= 0.8}
    districts = {m.name for m in mentions if m.level == "district"}
    districts |= {o.district for m in mentions if len(m.units) == 1 for o in m.old_units if o.district}
    return [
        _narrow(m, named, districts) if m.level == "commune" and len(m.units) > 1 and not m.split else m
        for m in mentions
    ]


def _narrow(mention: Mention, named: set[str], districts: set[str]) -> Mention:
    olds = tuple(o for o in mention.old_units if o.district in districts)
    codes = {t.code for o in olds for t in o.targets} or {u.code for u in mention.units if u.code in named}
    units = tuple(u for u in mention.units if u.code in codes)
    if len(units) != 1:
        return mention
    confidence = round(min(0.8, mention.confidence / 0.6), 3)
    return Mention(
        mention.start, mention.end, mention.text, mention.level, mention.name, mention.old,
        units, confidence, False, olds or mention.old_units,
    )  # fmt: skip


def find_commune(text: str, *, province: str = LANG_SON, min_confidence: float = 0.5) -> CommuneGuess | None:
    """The one commune the text is about, or None when it names none with enough confidence.

    Mentions of the same unit add up (1 - Π(1 - c)); mentions with several candidates and former
    districts alone ("huyện Cao Lộc" covers 8 units) do not choose a commune.
    """
    scores: dict[str, float] = {}
    evidence: dict[str, list[Mention]] = {}
    for mention in find_units(text, province=province):
        if mention.level != "commune" or mention.unit is None:
            continue
        code = mention.unit.code
        scores[code] = 1 - (1 - scores.get(code, 0.0)) * (1 - mention.confidence)
        evidence.setdefault(code, []).append(mention)
    if not scores:
        return None
    best = max(scores, key=lambda code: (scores[code], -evidence[code][0].start))
    if scores[best] < min_confidence:
        return None
    return CommuneGuess(evidence[best][0].unit or gazetteer().unit(best), round(scores[best], 3), tuple(evidence[best]))


def without_place_names(text: str, *, province: str = LANG_SON) -> str:
    """`text` (normalised) with each place `find_units` reads cut down to its type word, if it has one:
    "xưởng gỗ ở xã Đồng Đăng" → "xưởng gỗ ở xã".

    For a model that learns what kind of thing happened: a commune's name says nothing about that
    which carries to the other 64, and folded it may read as an everyday word ("Đồng Đăng" as
    "đang", in progress, a cue of emergencies). Where it happened is `find_commune`'s to say.
    """
    text = normalize(text)
    for mention in reversed(find_units(text, province=province)):
        written = text[mention.start : mention.end]
        kind, name = split_kind(written)
        kept = written.removesuffix(name).rstrip() if kind and written.endswith(name) else ""
        text = f"{text[: mention.start]}{kept}{text[mention.end :]}"
    return text if _mostly_capitalised(text) else _NAMED_PART.sub(_type_word_only, text)


# A village's, a block's or a street's name after its type word, written as names are, each word
# capitalised and the rest in lower case ("thôn Khuổi Đăng", "đường Trần Đăng Ninh", "thon Khuoi
# Dang"): no gazetteer lists them, and folded they read as words too ("Đăng" as "đang", in
# progress). At most a name's length goes, and nothing in a text mostly capitalised, where capitals
# tell nothing ("THÔN KHUỔI ĐĂNG SẠT LỞ", "Xóm Nà Pàn Vỡ Đập"): what happened must stay.
# "khu vực chợ" and "đường trơn" keep their words. Folded type words only where they are no other
# word ("ban", "to").
_NAMED_PART = re.compile(
    r"(?<!\w)(?P<kind>(?i:thôn|thon|bản|khối|khoi|khu|xóm|xom|làng|tổ|đường|duong|phố|pho|ngõ|ngo|ngách|hẻm|đại lộ))"
    r"(?P<words>(?:\s+[^\W\d_]+){1,3})"
)
# The longest name of each: a village's two syllables ("Nà Pàn", "Khuổi Đăng"), a street's three
# ("Trần Đăng Ninh"); a capitalised word after them is no longer the name ("thôn Khuổi Đăng Sạt lở").
VILLAGE_NAME_WORDS, STREET_NAME_WORDS = 2, 3
_STREET_WORDS = frozenset({"đường", "duong", "phố", "pho", "ngõ", "ngo", "ngách", "hẻm", "đại lộ"})


def _is_name_word(word: str) -> bool:
    return word[0].isupper() and (len(word) == 1 or not word[1:].isupper())


def _mostly_capitalised(text: str) -> bool:
    words: list[str] = re.findall(r"[^\W\d_]+", text)
    return sum(word[0].isupper() for word in words) * 2 > len(words)


def _type_word_only(match: re.Match[str]) -> str:
    """The type word, and what follows the name's words ("đường Lê Lợi ngập" → "đường ngập")."""
    words = match.group("words").split()
    longest = STREET_NAME_WORDS if match.group("kind").lower() in _STREET_WORDS else VILLAGE_NAME_WORDS
    named = next((i for i, word in enumerate(words) if not _is_name_word(word)), len(words))
    named = min(named, longest)
    return " ".join([match.group("kind"), *words[named:]]) if named else match.group(0)


# --- addresses ---------------------------------------------------------------------------------------

_HOUSE = re.compile(r"^(?:(?:so nha|so|sn|nha so)\.?\s*)?(\d+[\w/-]*)(?:\s+|$)")
_STREET = re.compile(r"^(?:(duong|pho|dai lo)|quoc lo|ql|tinh lo|ngo|ngach|hem|kiet)\.?(?:\s+|(?=\d))")
_HAMLET = re.compile(r"^(thon|ban|khu pho|khu|to dan pho|to|khoi|xom|lang|ap)\s+")
_SPELLED_PART = {
    "duong": "đường", "pho": "phố", "dai lo": "đại lộ", "thon": "thôn", "ban": "bản", "khu pho": "khu phố",
    "to dan pho": "tổ dân phố", "to": "tổ", "khoi": "khối", "xom": "xóm", "lang": "làng", "ap": "ấp",
}  # fmt: skip
# Where a part without commas still changes level: "thôn Nà Pàn xã Tân Liên huyện Cao Lộc".
_LEVEL_WORD = re.compile(
    r"(?<=\s)(xa|phuong|thi tran|huyen|thanh pho|thi xa|quan|tinh|tp|tx|tt|[pxh]\.)(?=\.?\s*[^\W\d_])"
)


def parse_address(text: str, *, province: str | None = LANG_SON) -> Address:
    """Split an address into its parts and resolve its commune to today's unit.

    Handles "Số 12 đường Trần Đăng Ninh, phường Tam Thanh, TP Lạng Sơn", "thôn Nà Pàn, xã Tân Liên,
    huyện Cao Lộc, tỉnh Lạng Sơn", text without diacritics and abbreviations (TP, TX, TT, H., X., P.).
    Names are looked up in `province` unless the address names its own province.
    """
    clean = normalize(text)
    if not name_key(clean):
        raise Invalid("Địa chỉ trống: hãy nhập số nhà, đường, thôn, xã, tỉnh.", code="address.empty")
    found: dict[str, str] = {}
    bare: list[str] = []
    for part in _address_parts(clean):
        _classify(part, found, bare)
    gaz = gazetteer()
    _place_bare_parts(gaz, found, bare)
    return _assemble_address(gaz, clean, found, province)


def _address_parts(text: str) -> list[str]:
    parts = []
    for chunk in re.split(r"[,;()]|\s[-–]\s", text):
        folded = fold(chunk)
        cuts = [0]
        for match in _LEVEL_WORD.finditer(folded):
            word = match.group(1)
            head = chunk[cuts[-1] : match.start()].strip()
            if split_kind(head + " x")[1] == "x" or not _spelled(chunk[match.start() : match.end()], word):
                continue  # right after another type word ("thành phố"), or "Quan Sơn" rather than "quận"
            cuts.append(match.start())
        cuts.append(len(chunk))
        parts += [chunk[a:b].strip() for a, b in itertools.pairwise(cuts) if chunk[a:b].strip()]
    return parts


def _spelled(written: str, folded_word: str) -> bool:
    accented = TYPE_WORD_SPELLING.get(folded_word) or _SPELLED_PART.get(folded_word)
    return accented is None or not marked(written) or written.lower() == accented


def _classify(part: str, found: dict[str, str], bare: list[str]) -> None:
    """File one comma-separated part under house number, street, hamlet, commune, district or province."""
    folded = fold(part)
    kind, short = split_kind(part)
    if kind in ("xa", "phuong", "thi_tran", "dac_khu"):
        found.setdefault("commune", part)
    elif kind in ("huyen", "quan", "thi_xa", "thanh_pho"):
        found.setdefault("district", part)
    elif kind == "tinh":
        found["province"] = short
    elif house := _HOUSE.match(folded):
        found["house_number"] = part[house.start(1) : house.end(1)]
        rest = part[house.end() :].strip()
        if rest and not (_STREET.match(fold(rest)) or _HAMLET.match(fold(rest))):
            found.setdefault("street", rest)  # "12 Trần Hưng Đạo": a number then a name is a street
        elif rest:
            _classify(rest, found, bare)
    elif (street := _STREET.match(folded)) and _spelled(part[: street.end()].strip(" ."), street.group(0).strip(" .")):
        # "đường Lê Lợi" → "Lê Lợi"; an alley keeps its word: "ngõ 21 đường Lê Lợi".
        found.setdefault("street", part[street.end() :].strip() if street.group(1) else part)
    elif (hamlet := _HAMLET.match(folded)) and _spelled(part[: hamlet.end()].strip(), hamlet.group(1)):
        found.setdefault("hamlet", part)
    else:
        bare.append(part)


def _place_bare_parts(gaz: Gazetteer, found: dict[str, str], bare: list[str]) -> None:
    """Parts without a type word, right to left: a province, a former district, then the commune."""
    for part in reversed(bare):
        short = split_kind(part)[1]
        region = gaz.read_region(None, short)
        if region == "province" and "province" not in found:
            found["province"] = short
        elif region == "district" and "district" not in found and "commune" in found:
            found["district"] = part
        elif "commune" not in found:
            found["commune"] = part


def _assemble_address(gaz: Gazetteer, text: str, found: dict[str, str], province: str | None) -> Address:
    explicit = found.get("province")
    district = found.get("district")
    if district and gaz.read_region(*split_kind(district)) == "province":
        explicit, district = explicit or split_kind(district)[1], None  # "TP Hà Nội" is a province
    known = gaz.province_or_none(explicit) if explicit else None
    resolution = _address_commune(gaz, found.get("commune"), district, known, province)
    commune = resolution.unit if resolution else None
    candidates = resolution.units if resolution else ()
    if known is None and candidates and len({u.province_code for u in candidates}) == 1:
        known = gaz.province(candidates[0].province_code)
    return Address(
        text=text,
        house_number=found.get("house_number"),
        street=found.get("street"),
        hamlet=found.get("hamlet"),
        commune=commune,
        commune_candidates=candidates if commune is None else (),
        commune_as_written=found.get("commune") if resolution else None,
        old_commune=resolution.old_units[0] if resolution and len(resolution.old_units) == 1 else None,
        district=_district_name(gaz, district, known),
        province=known,
    )


def _address_commune(
    gaz: Gazetteer, written: str | None, district: str | None, known: Province | None, province: str | None
) -> Resolution | None:
    if not written:
        return None
    context = ", ".join(x for x in (district, f"tỉnh {known.short_name}" if known else None) if x)
    try:
        return gaz.resolve(written, context=context or None, province=province)
    except MausonError:
        return None


def _district_name(gaz: Gazetteer, written: str | None, province: Province | None) -> str | None:
    """The official name of the former district when the table knows it, else as written."""
    if not written:
        return None
    kind, short = split_kind(written)
    if province is not None:
        for district in gaz.districts_by_name(short, province.code):
            if kind in (None, district.kind):
                return district.name
    return written
