"""Vietnam's administrative units after 1 July 2025, and the pre-2025 units each was formed from.

Citizens, officers and old records keep using the names of units that no longer exist (communes
merged, districts abolished, 63 provinces became 34), so everything that reads an address needs one
table that says where each old unit went. The table ships as `data/admin_units.json`, built by
`mauson.vntext.gazetteer_build` from the dvhcvn code lists and mappings (MIT; the attribution
travels in the file's `meta`). It is read lazily, once per process, by `gazetteer()`.

This module answers questions about names: `unit()` by code, `lookup()` for current units by name,
`resolve()` turns any name, old or new, into the current unit(s). Finding names inside free text
and parsing addresses live in `mauson.vntext.address`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from mauson.errors import Invalid, NotFound
from mauson.vntext.normalize import fold, has_diacritics, normalize
from mauson.vntext.segment import WORD

LANG_SON = "20"
DATA_FILE = Path(__file__).parent / "data" / "admin_units.json"
FORMAT = 1

# Type words that open an official name, longest first; the value is the kind we store.
KINDS: tuple[tuple[str, str], ...] = (
    ("thị trấn", "thi_tran"),
    ("thành phố", "thanh_pho"),
    ("thị xã", "thi_xa"),
    ("đặc khu", "dac_khu"),
    ("phường", "phuong"),
    ("huyện", "huyen"),
    ("quận", "quan"),
    ("tỉnh", "tinh"),
    ("xã", "xa"),
)
COMMUNE_KINDS = frozenset({"xa", "phuong", "thi_tran", "dac_khu"})


# --- the records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    """A province or centrally run city after 1 July 2025, with the old provinces it absorbed."""

    code: str
    name: str
    short_name: str
    formed_from: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """Where (part of) an old unit went: `whole` is False when only part of its area moved there."""

    code: str
    whole: bool


@dataclass(frozen=True)
class OldUnit:
    """A commune, ward or town before 1 July 2025. `district` is known for Lạng Sơn only."""

    code: str
    name: str
    short_name: str
    kind: str
    province_code: str
    district: str | None
    targets: tuple[Target, ...]

    @property
    def split(self) -> bool:
        """True when the old unit was divided between several new units."""
        return len(self.targets) > 1


@dataclass(frozen=True)
class Unit:
    """A commune (xã), ward (phường) or special zone (đặc khu) after 1 July 2025."""

    code: str
    name: str
    short_name: str
    kind: str
    province_code: str
    formed_from: tuple[OldUnit, ...] = field(repr=False)

    @property
    def former_districts(self) -> tuple[str, ...]:
        """The pre-2025 districts its area came from (Lạng Sơn only)."""
        return tuple(dict.fromkeys(o.district for o in self.formed_from if o.district))


@dataclass(frozen=True)
class OldDistrict:
    """A district-level unit abolished on 1 July 2025, and the new units its area now belongs to."""

    name: str
    short_name: str
    kind: str
    province_code: str
    code: str | None
    units: tuple[str, ...]


@dataclass(frozen=True)
class Resolution:
    """What a name means today: the candidate new units, best first, and why there may be several."""

    query: str
    level: str  # "commune" or "district"
    units: tuple[Unit, ...]
    old_units: tuple[OldUnit, ...]  # the pre-2025 units the name matched (empty for a current name)
    current: bool  # the name is a current unit's name and was read that way
    split: bool  # the old unit was divided between several new units
    ambiguous: bool  # several different units share the name and nothing in the input settled it
    alternatives: tuple[Unit, ...] = ()  # what the name would mean if read the other way (old vs new)

    @property
    def unit(self) -> Unit | None:
        """The single answer, or None when there are several candidates."""
        return self.units[0] if len(self.units) == 1 else None


# --- names -----------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key: 'Văn Miếu - Quốc Tử Giám' → 'van mieu quoc tu giam'."""
    return " ".join(WORD.findall(fold(text)))


@lru_cache(maxsize=1 << 16)
def accent_key(text: str) -> str:
    """Case-insensitive key that keeps diacritics, so 'Tân Thanh' and 'Tân Thành' stay apart."""
    return " ".join(WORD.findall(normalize(text).lower()))


# A type word in any of the ways people write it: "xã", "xa", "X.", "thị trấn", "TT", "TP.", ...
_TYPE_WORD = re.compile(
    r"^(?:(thi tran|thanh pho|thi xa|dac khu|phuong|huyen|quan|tinh|xa)\s+|(tp|tt|tx)(?:\.\s*|\s+)|([pxhqt])\.\s*)"
)
TYPE_WORD_KINDS = {
    "thi tran": "thi_tran", "tt": "thi_tran", "thanh pho": "thanh_pho", "tp": "thanh_pho",
    "thi xa": "thi_xa", "tx": "thi_xa", "dac khu": "dac_khu", "phuong": "phuong", "p": "phuong",
    "huyen": "huyen", "h": "huyen", "quan": "quan", "q": "quan", "tinh": "tinh", "t": "tinh",
    "xa": "xa", "x": "xa",
}  # fmt: skip
# How each type word is spelled with its diacritics, keyed by its folded form.
TYPE_WORD_SPELLING = {
    "thi tran": "thị trấn", "thanh pho": "thành phố", "thi xa": "thị xã", "dac khu": "đặc khu",
    "phuong": "phường", "huyen": "huyện", "quan": "quận", "tinh": "tỉnh", "xa": "xã",
}  # fmt: skip


def split_kind(name: str) -> tuple[str | None, str]:
    """('xa', 'Tân Liên') from 'Xã Tân Liên', 'xa Tan Lien' or 'X. Tân Liên'; (None, name) without a type word.

    A type word written with diacritics must be the right word: 'Quan Sơn' is a name, not 'quận Sơn'.
    """
    return _split_normalized(normalize(name))


def _split_normalized(name: str) -> tuple[str | None, str]:
    match = _TYPE_WORD.match(fold(name))
    if match is None:
        return None, name
    word = match.group(1) or match.group(2) or match.group(3)
    written = name[: len(word)]
    spelled = TYPE_WORD_SPELLING.get(word)
    if spelled and has_diacritics(name) and written.lower() != spelled:
        return None, name
    return TYPE_WORD_KINDS[word], name[match.end() :].strip()


def prefer_accents(query: str, items: list[Any], name_of: Callable[[Any], str]) -> list[Any]:
    """Keep the items whose name carries the query's diacritics, when the query has any and some do."""
    if not has_diacritics(query):
        return items
    wanted = accent_key(query)
    exact = [item for item in items if accent_key(name_of(item)) == wanted]
    return exact or items


# --- the loaded table --------------------------------------------------------------------------


class Gazetteer:
    """The units, indexed by code and by name. Build one with `gazetteer()` or `Gazetteer.from_file()`."""

    def __init__(self, payload: dict[str, Any]) -> None:
        wrong = Invalid("Tệp danh mục đơn vị hành chính không đúng định dạng; hãy tạo lại tệp.", code="gazetteer.data")
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise wrong
        self.memo: dict[str, Any] = {}  # per-instance caches of `place_matcher` and `address`
        try:
            self.meta: dict[str, Any] = payload["meta"]
            self._load_provinces(payload)
            self._load_units(payload)
            self._load_districts(payload)
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise wrong from error

    @classmethod
    def from_file(cls, path: Path) -> Gazetteer:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise Invalid(f"Không đọc được tệp danh mục đơn vị hành chính {path}: {error}") from error
        return cls(payload)

    def _load_provinces(self, payload: dict[str, Any]) -> None:
        self.old_province_names: dict[str, str] = {code: name for code, name in payload["old_provinces"]}
        self.provinces: list[Province] = [
            Province(code, name, _split_normalized(name)[1], tuple(self.old_province_names[o] for o in olds))
            for code, name, olds in payload["provinces"]
        ]
        self._province_by_code = {p.code: p for p in self.provinces}
        self.old_province_to_new: dict[str, str] = {
            old: p.code for p, (_, _, olds) in zip(self.provinces, payload["provinces"], strict=True) for old in olds
        }
        self._province_by_key: dict[str, Province] = {}
        for province in self.provinces:
            self._province_by_key[name_key(province.short_name)] = province
        for old_code, old_name in self.old_province_names.items():
            new = self._province_by_code[self.old_province_to_new[old_code]]
            self._province_by_key.setdefault(name_key(_split_normalized(old_name)[1]), new)

    def _load_units(self, payload: dict[str, Any]) -> None:
        districts = [row[0] for row in payload["old_districts"]]
        self.old_units: list[OldUnit] = []
        formed: dict[str, list[OldUnit]] = defaultdict(list)
        for code, name, province, district, targets in payload["old_communes"]:
            kind, short = _split_normalized(name)
            old = OldUnit(
                code,
                name,
                short,
                kind or "xa",
                province,
                districts[district] if district >= 0 else None,
                tuple(Target(c, bool(whole)) for c, whole in targets),
            )
            self.old_units.append(old)
            for target in old.targets:
                formed[target.code].append(old)
        self.units: list[Unit] = []
        for code, name, province in payload["communes"]:
            kind, short = _split_normalized(name)
            self.units.append(Unit(code, name, short, kind or "xa", province, tuple(formed[code])))
        self._unit_by_code = {u.code: u for u in self.units}
        self._units_by_key: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units:
            self._units_by_key[name_key(unit.short_name)].append(unit)
        self._old_by_key: dict[str, list[OldUnit]] = defaultdict(list)
        for old in self.old_units:
            self._old_by_key[name_key(old.short_name)].append(old)
            if old.short_name.startswith("NT "):  # "Thị trấn NT Thái Bình": NT = nông trường (state farm)
                self._old_by_key[name_key("Nông trường " + old.short_name[3:])].append(old)

    def _load_districts(self, payload: dict[str, Any]) -> None:
        self.old_districts: list[OldDistrict] = []
        for name, province, code, units in payload["old_districts"]:
            kind, short = _split_normalized(name)
            self.old_districts.append(OldDistrict(name, short, kind or "huyen", province, code or None, tuple(units)))
        self._districts_by_key: dict[str, list[OldDistrict]] = defaultdict(list)
        for district in self.old_districts:
            self._districts_by_key[name_key(district.short_name)].append(district)

    # -- by code --------------------------------------------------------------------------------

    def unit(self, code: str) -> Unit:
        """The current unit with this 5-digit code (codes of 1027/CTK-CSCL)."""
        found = self._unit_by_code.get(code.strip().zfill(5))
        if found is None:
            raise NotFound(f"Không có xã, phường nào mang mã {code}.", code="gazetteer.unit_not_found")
        return found

    def province(self, code_or_name: str) -> Province:
        """A current province by code ('20'), current name or pre-2025 name ('Bắc Giang' → Bắc Ninh)."""
        text = code_or_name.strip()
        if text.isdigit():
            found = self._province_by_code.get(text.zfill(2))
            if found is None and text.zfill(2) in self.old_province_to_new:
                found = self._province_by_code[self.old_province_to_new[text.zfill(2)]]
        else:
            found = self._province_by_key.get(name_key(split_kind(text)[1]))
        if found is None:
            raise NotFound(f"Không tìm thấy tỉnh, thành phố “{code_or_name}”.", code="gazetteer.province_not_found")
        return found

    def province_or_none(self, name: str) -> Province | None:
        """Like `province()`, but None instead of an error (for guessing what a bare word is)."""
        return self._province_by_key.get(name_key(split_kind(name)[1]))

    # -- by name --------------------------------------------------------------------------------

    def units_in(self, province: str) -> list[Unit]:
        """The current communes and wards of one province, in the official list's order."""
        code = self.province(province).code
        return [u for u in self.units if u.province_code == code]

    def old_units_in(self, province: str) -> list[OldUnit]:
        """The pre-2025 units whose area is now (at least partly) in this province."""
        code = self.province(province).code
        return [o for o in self.old_units if any(self.unit(t.code).province_code == code for t in o.targets)]

    def districts_in(self, province: str) -> list[OldDistrict]:
        code = self.province(province).code
        return [d for d in self.old_districts if d.province_code == code]

    def lookup(self, name: str, *, province: str | None = None) -> list[Unit]:
        """Current units with this name ('Kỳ Lừa', 'phường Kỳ Lừa', 'KY LUA'), optionally in one province."""
        kind, short = split_kind(name)
        found = [u for u in self._units_by_key.get(name_key(short), []) if kind in (None, u.kind)]
        if province is not None:
            code = self.province(province).code
            found = [u for u in found if u.province_code == code]
        return prefer_accents(short, found, lambda u: u.short_name)

    def districts_by_name(self, short_name: str, province_code: str) -> list[OldDistrict]:
        return [d for d in self._districts_by_key.get(name_key(short_name), []) if d.province_code == province_code]

    def read_region(self, kind: str | None, short_name: str) -> str | None:
        """Whether a name after a type word (or none) is a 'province', an old 'district', or neither.

        "Thành phố Lạng Sơn" is the old city, a bare "Lạng Sơn" the province, "Cao Lộc" a district.
        """
        key = name_key(short_name)
        is_district = bool(self._districts_by_key.get(key))
        is_province = key in self._province_by_key
        if kind in ("huyen", "quan", "thi_xa"):
            return "district" if is_district else None
        if kind == "tinh":
            return "province" if is_province else None
        if kind == "thanh_pho":
            return "district" if is_district else "province" if is_province else None
        if kind is None:
            return "province" if is_province else "district" if is_district else None
        return None

    def in_province(self, old: OldUnit, province_code: str) -> bool:
        return any(self._unit_by_code[t.code].province_code == province_code for t in old.targets)

    def resolve(self, name: str, *, context: str | None = None, province: str | None = LANG_SON) -> Resolution:
        """Turn a name, old or new, into the current unit(s).

        `name` may carry its own context ("xã Tân Liên, huyện Cao Lộc"), and `context` adds more
        (a district or province the caller knows). Names are looked for in `province` (Lạng Sơn by
        default; None means the whole country) unless the input names a province itself.
        """
        parsed = _Query.parse(self, name, context)
        scope = parsed.province or (self.province(province).code if province else None)
        try:
            if parsed.level == "district":
                return self._resolve_district(name, parsed, scope)
            return _resolve_commune(self, name, parsed, scope)
        except NotFound:
            if parsed.kind is None:
                raise
            # "quan son" may be the xã Quan Sơn rather than a quận "Sơn": try the words as a name.
            first = _strip_marker(normalize(re.split(r"[,;()]", name)[0]))[0]
            whole = _Query(first, None, "commune", parsed.marker, parsed.district, parsed.province)
            return _resolve_commune(self, name, whole, scope)

    def resolve_parts(
        self,
        name: str,
        *,
        kind: str | None = None,
        marker: str | None = None,
        district: str | None = None,
        province: str | None = LANG_SON,
    ) -> Resolution:
        """`resolve()` for callers that already took the name apart: its type word (`kind`, as in
        `KINDS`), "cũ"/"mới" (`marker` "old"/"new") and the former district that qualifies it."""
        parsed = _Query(normalize(name), kind, "commune", marker, district, None)
        return _resolve_commune(self, name, parsed, self.province(province).code if province else None)

    def _resolve_district(self, query: str, parsed: _Query, scope: str | None) -> Resolution:
        found = [d for d in self._districts_by_key.get(name_key(parsed.name), []) if scope in (None, d.province_code)]
        if not found:
            raise NotFound(f"Không tìm thấy huyện, thị xã, thành phố cũ “{query}”.", code="gazetteer.unit_not_found")
        codes = dict.fromkeys(code for d in found for code in d.units)
        units = tuple(self._unit_by_code[c] for c in codes)
        return Resolution(query, "district", units, (), False, False, len(found) > 1)


# --- resolving a name ------------------------------------------------------------------------------


@dataclass
class _Query:
    """A name split into what it names and the hints around it (old/new marker, district, province)."""

    name: str
    kind: str | None
    level: str
    marker: str | None = None  # "old" ("... cũ") or "new" ("... mới")
    district: str | None = None
    province: str | None = None

    @classmethod
    def parse(cls, gaz: Gazetteer, name: str, context: str | None) -> _Query:
        parts = [p.strip() for p in re.split(r"[,;()]", f"{name},{context or ''}") if p.strip()]
        if not parts or not name_key(parts[0]):
            raise Invalid("Tên đơn vị hành chính trống hoặc không đọc được.", code="gazetteer.empty_name")
        kind, short = split_kind(parts[0])
        short, marker = _strip_marker(short)
        query = cls(short, kind, "district" if kind in ("huyen", "quan", "thi_xa") else "commune", marker)
        for part in parts[1:]:
            query._add_hint(gaz, part)
        if kind == "thanh_pho":
            query._read_city(gaz)
        return query

    def _add_hint(self, gaz: Gazetteer, part: str) -> None:
        kind, short = split_kind(part)
        short, marker = _strip_marker(short)
        if not name_key(short):
            self.marker = self.marker or marker
            return
        reading = gaz.read_region(kind, short)
        if reading == "province":
            self.province = gaz.province(short).code
        elif reading == "district" and self.district is None:
            self.district = short
        elif kind == "tinh":
            raise NotFound(f"Không tìm thấy tỉnh, thành phố “{part.strip()}”.", code="gazetteer.province_not_found")

    def _read_city(self, gaz: Gazetteer) -> None:
        """'Thành phố X' is an old city (a district) unless X is a province-level city."""
        if gaz.read_region("thanh_pho", self.name) == "province":
            raise Invalid(
                f"“{self.name}” là tỉnh, thành phố trực thuộc trung ương, không phải xã, phường.",
                code="gazetteer.province_given",
            )
        self.level = "district"


def _strip_marker(short: str) -> tuple[str, str | None]:
    """'Tân Liên cũ' → ('Tân Liên', 'old'); 'Hoàng Văn Thụ mới' → (..., 'new')."""
    words = short.split()
    if len(words) > 1 and accent_key(words[-1]) in ("cũ", "cu"):
        return " ".join(words[:-1]), "old"
    if len(words) > 1 and accent_key(words[-1]) in ("mới", "moi"):
        return " ".join(words[:-1]), "new"
    return short, None


def _resolve_commune(gaz: Gazetteer, query: str, parsed: _Query, scope: str | None) -> Resolution:
    key = name_key(parsed.name)
    news = [u for u in gaz._units_by_key.get(key, []) if scope in (None, u.province_code)]
    olds = [o for o in gaz._old_by_key.get(key, []) if scope is None or gaz.in_province(o, scope)]
    news, olds = _of_kind(news, olds, parsed.kind)
    news, olds = _with_accents(parsed.name, news, olds)
    if parsed.district:
        olds, news = _in_district(olds, news, parsed.district)
    from_olds = tuple(gaz.unit(c) for c in dict.fromkeys(t.code for o in olds for t in _whole_first(o)))
    if _reads_as_old(parsed, olds, news):
        split = any(o.split for o in olds)
        ambiguous = len({tuple(t.code for t in o.targets) for o in olds}) > 1
        others = tuple(u for u in news if u not in from_olds)
        return Resolution(query, "commune", from_olds, tuple(olds), False, split, ambiguous, others)
    if news:
        others = tuple(u for u in from_olds if u not in news)
        return Resolution(query, "commune", tuple(news), (), True, False, len(news) > 1, others)
    where = f" ở {gaz.province(scope).name}" if scope else ""
    raise NotFound(f"Không tìm thấy xã, phường “{query}”{where}.", code="gazetteer.unit_not_found")


def _whole_first(old: OldUnit) -> list[Target]:
    return sorted(old.targets, key=lambda t: not t.whole)


def _of_kind(news: list[Unit], olds: list[OldUnit], kind: str | None) -> tuple[list[Unit], list[OldUnit]]:
    """Keep the units of the kind the type word named ("thị trấn Cao Lộc" is the old town, not the new
    xã Cao Lộc); when none is of that kind, people mixed kinds up, so keep them all."""
    if kind not in COMMUNE_KINDS:
        return news, olds
    same_news = [u for u in news if u.kind == kind]
    same_olds = [o for o in olds if o.kind == kind]
    if same_news or same_olds:
        return same_news, same_olds
    return news, olds


def _with_accents(written: str, news: list[Unit], olds: list[OldUnit]) -> tuple[list[Unit], list[OldUnit]]:
    """With diacritics, 'Tân Thanh' means Tân Thanh, not Tân Thành; without them it may mean either."""
    if not has_diacritics(written):
        return news, olds
    wanted = accent_key(written)
    exact_news = [u for u in news if accent_key(u.short_name) == wanted]
    exact_olds = [o for o in olds if accent_key(o.short_name) == wanted]
    if exact_news or exact_olds:
        return exact_news, exact_olds
    return news, olds


def _in_district(olds: list[OldUnit], news: list[Unit], district: str) -> tuple[list[OldUnit], list[Unit]]:
    """Narrow the matches to a former district, when the data knows districts and some match."""
    wanted = name_key(split_kind(district)[1])
    in_olds = [o for o in olds if o.district and name_key(split_kind(o.district)[1]) == wanted]
    in_news = [u for u in news if any(name_key(split_kind(d)[1]) == wanted for d in u.former_districts)]
    if in_olds or in_news:
        return in_olds, in_news
    return olds, news


def _reads_as_old(parsed: _Query, olds: list[OldUnit], news: list[Unit]) -> bool:
    """An old name wins when marked 'cũ', when a former district points to it, or when no new unit has the name."""
    if not olds:
        return False
    if parsed.marker == "old" or not news:
        return True
    if parsed.marker == "new":
        return False
    # A district hint that matched an old unit: "xã Hồng Phong, huyện Cao Lộc" is the old Hồng Phong.
    new_codes = {u.code for u in news}
    return parsed.district is not None and not any(t.code in new_codes for o in olds for t in o.targets)


# --- the default table, loaded once ---------------------------------------------------------------


@cache
def gazetteer() -> Gazetteer:
    """The shipped table, read on first use (about 0.1 s) and kept for the life of the process."""
    return Gazetteer.from_file(DATA_FILE)


def unit(code: str) -> Unit:
    """The current unit with this code: `unit("06187")` → Phường Kỳ Lừa."""
    return gazetteer().unit(code)


def lookup(name: str, *, province: str | None = None) -> list[Unit]:
    """Current units with this name, with or without diacritics and type word."""
    return gazetteer().lookup(name, province=province)


def resolve(name: str, *, context: str | None = None, province: str | None = LANG_SON) -> Resolution:
    """`resolve("xã Tân Liên, huyện Cao Lộc").unit` → Phường Kỳ Lừa. See `Gazetteer.resolve`."""
    return gazetteer().resolve(name, context=context, province=province)


def province(code_or_name: str) -> Province:
    """A current province by code, current name or pre-2025 name."""
    return gazetteer().province(code_or_name)
