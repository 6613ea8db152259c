"""Numbers and codes that identify a person: CCCD, CMND, passport, phone, tax code, bank
account, social-insurance number, e-mail, licence plate.

A number is typed by the label nearest before it ("CCCD:", "SĐT", "STK", a column header),
and, without a label, by its shape (a 12-digit number with a valid province code and century
digit is a CCCD; 0[3,5,7,8,9] and 10 digits is a mobile phone). Scanned documents confuse O with
0 and l with 1: such numbers are read through that confusion. Amounts, document numbers
(105/KH-UBND), procedure codes (1.000178) and agency hotlines are not personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from mauson.privacy.models import TYPE_LABELS, Entity, EntityType
from mauson.privacy.recognizers import names
from mauson.privacy.recognizers.context import Doc
from mauson.privacy.recognizers.names import place_names
from mauson.vntext.normalize import fold_aligned
from mauson.vntext.phrases import whole_words

# Province codes that open a CCCD number (the 63 pre-2025 provinces; 020 = Lạng Sơn), from
# ../shared/data/personal-id/vn-provinces-63-cccd-codes.json (MIT, github.com/hongquan/vietnam-personal-id).
CCCD_PROVINCES = frozenset(
    int(code)
    for code in "1 2 4 6 8 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 51 "
    "52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96".split()
)
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")

# Labels, folded (no diacritics, lower case), most specific first within each type.
LABELS: dict[EntityType, tuple[str, ...]] = {
    EntityType.CCCD: ("cccd", "can cuoc", "the cc", "so dinh danh", "ma dinh danh", "id card"),
    EntityType.CMND: ("cmnd", "chung minh nhan dan", "chung minh thu", "cmt", "so cm"),
    EntityType.PASSPORT: ("ho chieu", "passport", "so hc", "hc so", "hc:"),
    EntityType.PHONE: (
        "sdt",
        "so dien thoai",
        "dien thoai",
        "dt:",
        "dt ",
        "dtdd",
        "di dong",
        "zalo",
        "phone",
        "tel",
        "mobile",
        "goi so",
        "goi cho",
        "lien he",
        "lh",
        "so may ca nhan",
        "nhan tin",
    ),
    EntityType.TAX_CODE: ("mst", "ma so thue", "tax code", "ma thue"),
    EntityType.SOCIAL_INSURANCE: (
        "bhxh",
        "bao hiem xa hoi",
        "so so",
        "ma so bh",
        "bhyt",
        "the bh",
        "ma the",
        "bao hiem y te",
    ),
    EntityType.BANK_ACCOUNT: (
        "stk",
        "so tai khoan",
        "tai khoan",
        "tk nhan",
        "tk so",
        "tk:",
        "so tk",
        "account",
        "vietcombank",
        "vietinbank",
        "agribank",
        "bidv",
        "techcombank",
        "mbbank",
        "mb bank",
        "vpbank",
        "sacombank",
        "tpbank",
        "acb",
        "lienvietpostbank",
        "lpbank",
        "ngan hang",
        "nh nn",
        "shb",
        "hdbank",
        "seabank",
        "ocb",
        "msb",
    ),
}
# Words that name an agency's or a business's line: the number they stand right before is that
# line ("Đường dây nóng của Sở Y tế: 0989…", "Trực ban: 069…", "Lễ tân 0912…"), not a person's.
# Written with their accents: in a line with accents they count only as written (or typed bare),
# so "mấy bạn" is no desk phone (máy bàn) and "Lê Tấn" no reception desk (lễ tân).
HOTLINE_CUES = (
    "đường dây nóng",
    "hotline",
    "tổng đài",
    "số máy",
    "máy bàn",
    "fax",
    "tiếp nhận phản ánh",
    "trực ban",
    "cứu hỏa",
    "cứu hoả",
    "cấp cứu",
    "cskh",
    "chăm sóc khách hàng",
    "văn phòng",
    "lễ tân",
)
_CUES_WRITTEN = whole_words(HOTLINE_CUES)
_CUES_FOLDED = whole_words({fold_aligned(cue) for cue in HOTLINE_CUES})
# At most this many words between such a cue and the number, in one clause; more where the number
# follows a colon, the cue heading an agency's long name ("Đường dây nóng của Trung tâm Y tế …: 0912…").
HOTLINE_CUE_WORDS_AT_MOST = 6
HOTLINE_CUE_WORDS_BEFORE_COLON_AT_MOST = 12
AMOUNT_AFTER = re.compile(r"^\s*(d\b|dong|vnd|trieu|nghin|ngan|ty|usd|%|nguoi|ho\b|ha\b|m2|km|kg|tan|lit|ca\b|lan)")

_DIGITISH = "0-9OolI"
NUMBER = re.compile(
    rf"(?<![\w./+-])(?:\+84[ .]?)?"
    rf"(?:[{_DIGITISH}](?:[{_DIGITISH}]|[ .](?=[{_DIGITISH}])|-(?=[0-9]{{3}}\b)){{5,22}}[{_DIGITISH}])"
    rf"(?![\w/]|\.\d)"
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PLATE = re.compile(r"(?<![\w-])\d{2}[- ]?[A-Z]{1,2}\d?[- ]?\d{3}\.?\d{2}(?![\w])")
BHYT_CARD = re.compile(r"(?<![\w])[A-Z]{2}\d[ ]?\d{2}\d{4}[ ]?\d{3}[ ]?\d{3}(?![\w])")
PASSPORT_SHAPE = re.compile(r"(?<![\w])[A-Z]{1,2}\d{7,8}(?![\w])")
GENERIC_MAILBOXES = (
    "vanthu",
    "motcua",
    "vieclam",
    "info",
    "contact",
    "hotro",
    "lienhe",
    "admin",
    "support",
    "tiepdan",
    "pctt",
    "bbt",
    "toasoan",
    "ubnd",
    "phong",
    "so",
    "ban",
    "trungtam",
    "cskh",
    "noreply",
    "no-reply",
    "tuyendung",
    "hanhchinh",
    "tonghop",
    "webmaster",
    "bandan",
    "hopthu",
)


def digits_of(raw: str) -> str:
    """The digits of a number as printed, reading O/o as 0 and l/I as 1; separators dropped."""
    table = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
    digits = re.sub(r"[ .-]", "", raw.translate(table))
    return "0" + digits[3:] if digits.startswith("+84") else digits


def _nearest_label(context: str) -> EntityType | None:
    """The type whose label ends closest to the value (the last one in `context`)."""
    best: tuple[int, EntityType] | None = None
    for entity_type, words in LABELS.items():
        for word in words:
            position = context.rfind(word)
            if position >= 0 and (best is None or position + len(word) > best[0]):
                best = (position + len(word), entity_type)
    return best[1] if best else None


def is_cccd_shape(digits: str) -> bool:
    return len(digits) == 12 and int(digits[:3]) in CCCD_PROVINCES and digits[3] in "0123"


def _by_shape(digits: str) -> tuple[EntityType, float] | None:
    if is_cccd_shape(digits):
        return EntityType.CCCD, 0.85
    if len(digits) == 10 and digits.startswith(MOBILE_PREFIXES):
        return EntityType.PHONE, 0.85
    if len(digits) == 9 and digits.startswith("0") and int(digits[:2]) <= 38:
        return EntityType.CMND, 0.6  # 9-digit CMND numbers open with a province code 01–38
    return None


def _fits(entity_type: EntityType, digits: str, raw: str) -> bool:
    """Does a labelled number have a plausible length and form for its label?"""
    length = len(digits)
    match entity_type:
        case EntityType.CCCD:
            return length == 12
        case EntityType.CMND:
            return length in (9, 12)
        case EntityType.PHONE:
            return digits.startswith("0") and length in (10, 11)
        case EntityType.TAX_CODE:
            return length in (10, 13) and (length == 10 or "-" in raw)
        case EntityType.SOCIAL_INSURANCE:
            return length == 10
        case EntityType.BANK_ACCOUNT:
            return 8 <= length <= 19
        case _:
            return False


def _labelled_type(doc: Doc, start: int, digits: str) -> tuple[EntityType | None, float]:
    """The type named by the nearest label on the same line, else on the line above."""
    label, score = _nearest_label(doc.context(start, 48)), 0.95
    if label is None:  # "SỔ BẢO HIỂM XÃ HỘI / Số: ..."
        label, score = _nearest_label(doc.before(start, 90, same_line=False)), 0.85
    if label is EntityType.CMND and len(digits) == 12 and is_cccd_shape(digits):
        label = EntityType.CCCD  # "CMND/CCCD: 020183005126"
    return label, score


def _not_personal(
    doc: Doc, entity_type: EntityType, start: int, end: int, digits: str, people: Callable[[], list[Entity]]
) -> bool:
    if entity_type is EntityType.PHONE:
        return _is_hotline(doc, start, digits, people)
    if entity_type is EntityType.TAX_CODE:
        return _belongs_to_an_organisation(doc, start, end)
    return False


def _classify(
    doc: Doc, start: int, end: int, people: Callable[[], list[Entity]]
) -> tuple[EntityType, float, str] | None:
    raw = doc.text[start:end]
    digits = digits_of(raw)
    if not digits.isdigit() or sum(ch.isdigit() for ch in raw) < len(digits) * 0.6:
        return None
    if AMOUNT_AFTER.match(doc.after(end, 12)):
        return None
    label, score = _labelled_type(doc, start, digits)
    if label and _fits(label, digits, raw):
        if _not_personal(doc, label, start, end, digits, people):
            return None
        return label, score, f"nhãn '{TYPE_LABELS[label]}' đứng trước"
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        return None  # 1.250.000: an amount written with thousands separators
    shaped = _by_shape(digits)
    if shaped is None or _not_personal(doc, shaped[0], start, end, digits, people):
        return None
    return shaped[0], shaped[1], "dạng số (không có nhãn)"


ORGANISATION_WORDS = ("cong ty", "cty", "to chuc", "doanh nghiep", "htx", "hop tac xa", "chi nhanh", "ngan hang")


def _belongs_to_an_organisation(doc: Doc, start: int, end: int) -> bool:
    """An organisation's tax code ("Công ty ... (MST ...)"), which is not personal data."""
    around = doc.before(start, 60) + " " + doc.after(end, 20)
    return any(word in around for word in ORGANISATION_WORDS)


AGENCY_WORDS = (
    "phong ",
    "doi ",
    "so ",
    "ban ",
    "ubnd",
    "trung tam",
    "chi cuc",
    "cuc ",
    "cong ty",
    "benh vien",
    "truong ",
    "khach san",
    "nha nghi",
    "van phong",
    "bo phan",
    "tram ",
)


def _is_hotline(doc: Doc, start: int, digits: str, people: Callable[[], list[Entity]]) -> bool:
    """An agency's or business's line: a hotline cue that names this line, or an agency landline.
    A number someone is named or addressed with is that person's ("gọi tôi 0987…", "bà Lô Thị
    Hạnh (0913…)", "đã gọi cho bà Nga theo số 0912…"), whatever office or service is spoken of
    before: an agency, a service (cấp cứu) or another sentence does not make it a hotline."""
    if _names_a_hotline(doc, start, people):
        return True
    landline = digits.startswith("02")
    if landline:
        line_start, _ = doc.line_span(start)
        line = doc.folded[line_start:start]
        personal = ("ho kinh doanh", "cua hang", "quay", "ki-ot", "kiot", "nha rieng", "gia dinh", "ca nhan")
        if any(cue in line for cue in personal):
            return False
        return _nearest_label(doc.before(start, 30)) is None or any(word in line for word in AGENCY_WORDS)
    return False


# Where a clause ends: a sentence's end, or a comma or semicolon that does not follow a number
# (an agency's list of lines, "0205.3870.156, 0912…", stays one clause).
_CLAUSE_END = re.compile(r"[.!?](?:\s|$)|(?<![0-9])[,;]|\n\s*\n")
_LETTER_WORD = re.compile(r"[a-z]+(?:/[a-z]+)?")


def _names_a_hotline(doc: Doc, start: int, people: Callable[[], list[Entity]]) -> bool:
    """Does a hotline cue, in the number's clause and a few words before it, name the line, with no
    person between them?"""
    window_start = max(0, start - 60)
    window = doc.folded[window_start:start]
    ends = list(_CLAUSE_END.finditer(window))
    clause_start = window_start + (ends[-1].end() if ends else 0)
    cues = _cues(doc, clause_start, start)
    if not cues:
        return False
    cue_start, cue_end = max(cues, key=lambda span: span[1])
    between = doc.folded[cue_end:start]
    after_colon = between.rstrip().endswith(":")
    most = HOTLINE_CUE_WORDS_BEFORE_COLON_AT_MOST if after_colon else HOTLINE_CUE_WORDS_AT_MOST
    if len(_LETTER_WORD.findall(between)) > most:
        return False
    return not _names_a_person(doc, cue_start, cue_end, start, people)


def _cues(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """The hotline cues between `start` and `end`, as whole words: as written in a line with accents,
    folded in a line without, or where the cue is typed bare in a line with accents."""
    found = [m.span() for m in _CUES_WRITTEN.finditer(doc.lowered, start, end)]
    for match in _CUES_FOLDED.finditer(doc.folded, start, end):
        cue_start, cue_end = match.span()
        if doc.accentless(cue_start) or doc.lowered[cue_start:cue_end] == doc.folded[cue_start:cue_end]:
            found.append((cue_start, cue_end))
    return found


# Words that put a person between a cue and a number: a form of address, "I", a private line.
_PERSON_WORDS_ACCENTED = re.compile(
    r"(?<!\w)(?:ông|bà|anh|chị|em|bác|chú|cô|dì|cậu|mợ|cháu|cụ|thím|đ/c|đồng chí|tôi|mình|tớ|"
    r"gia đình|cá nhân|nhà riêng|người dân|công dân|hộ dân|chủ hộ)(?!\w)"
)
_PERSON_WORDS_FOLDED = re.compile(  # without accents "phan anh" is phản ánh and "chi cuc" an agency
    r"(?<!\w)(?:ong|(?<!phan )anh|chi(?! (?:cuc|nhanh|bo|doan|hoi))|em|chau|d/c|dong chi|toi|gia dinh|ca nhan"
    r"|nha rieng|nguoi dan|cong dan|ho dan|chu ho)(?!\w)"
)


def _names_a_person(doc: Doc, cue_start: int, start: int, end: int, people: Callable[[], list[Entity]]) -> bool:
    """Is a person named or addressed between `start` and `end` (the cue's end and the number)? A name
    that takes in the cue counts too ("anh Lê Tấn Phát 0912…" holds no "lễ tân"); a known place
    ("Trung tâm Y tế Cao Lộc") is no one."""
    if doc.accentless(end):
        words = _PERSON_WORDS_FOLDED.search(doc.folded, start, end)
    else:
        words = _PERSON_WORDS_ACCENTED.search(doc.lowered, start, end)
    if words is not None:
        return True
    return any(
        person.end > cue_start and person.end <= end and doc.folded[person.start : person.end] not in place_names()
        for person in people()
    )


def find_numbers(doc: Doc) -> Iterator[Entity]:
    @cache
    def people() -> list[Entity]:
        """The names in the document, read once and only when a hotline cue needs them."""
        return list(names.find(doc))

    for match in NUMBER.finditer(doc.text):
        start, end = match.span()
        typed = _classify(doc, start, end, people)
        if typed:
            entity_type, score, reason = typed
            yield Entity(start, end, entity_type, match.group(0), score, reason)


def find_bhyt_cards(doc: Doc) -> Iterator[Entity]:
    for match in BHYT_CARD.finditer(doc.text):
        yield Entity(*match.span(), EntityType.SOCIAL_INSURANCE, match.group(0), 0.9, "dạng mã thẻ BHYT")


def find_passports(doc: Doc) -> Iterator[Entity]:
    for match in PASSPORT_SHAPE.finditer(doc.text):
        context = doc.context(match.start(), 40)
        labelled = _nearest_label(context) is EntityType.PASSPORT
        if labelled or "<" in doc.after(match.end(), 3):
            yield Entity(*match.span(), EntityType.PASSPORT, match.group(0), 0.9, "nhãn 'hộ chiếu' hoặc dòng MRZ")


def find_emails(doc: Doc) -> Iterator[Entity]:
    for match in EMAIL.finditer(doc.text):
        if _generic_local_part(match.group(0).split("@")[0].lower()):
            continue
        yield Entity(*match.span(), EntityType.EMAIL, match.group(0), 0.95, "địa chỉ thư cá nhân")


def _generic_local_part(local: str) -> bool:
    """Agency mailboxes name an office, not a person: 'vanthu.ubndxa', 'motcua.tanthanh'."""
    head = re.split(r"[._-]", local)[0]
    return head in GENERIC_MAILBOXES or any(len(word) >= 4 and head.startswith(word) for word in GENERIC_MAILBOXES)


def find_plates(doc: Doc) -> Iterator[Entity]:
    for match in PLATE.finditer(doc.text):
        if int(match.group(0)[:2]) in range(11, 100):
            yield Entity(*match.span(), EntityType.LICENSE_PLATE, match.group(0), 0.9, "dạng biển số xe")


def find(doc: Doc) -> Iterator[Entity]:
    """Every identifier in the document."""
    yield from find_numbers(doc)
    yield from find_bhyt_cards(doc)
    yield from find_passports(doc)
    yield from find_emails(doc)
    yield from find_plates(doc)
