"""Reading the national catalogue of administrative procedures (thủ tục hành chính) into structure.

The catalogue comes as crawled from the national public-service portal: one JSON object a line,
text in mixed composed and decomposed Unicode, and the portal's three tables flattened with their
cells run together ("Trực tiếp7 NgàyLệ phí : 8.000 ĐồngNộp tại..."). Nothing marks where a cell
ends, so each table is read by what its cells look like: a channel name, a processing time, a
fee; a document name, a form's file name, a quantity; a title, a number/year/issuer identifier.

Parsing is pure (no database) and total: a table that cannot be read gives an empty list, never
an exception; only a line that is not a procedure at all is reported, with its number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from mauson.assistant.models import Channel, DaysKind, LegalBasis, ProcedureData, RequiredDocument
from mauson.errors import Invalid
from mauson.vntext.amounts import DurationUnit, find_durations, find_money
from mauson.vntext.normalize import fold, nfc, normalize

NO_INFO = "Không có thông tin"
PROBE_LINES = 5  # a file whose first lines hold no procedure at all is refused before anything is written
# Column limits of the `procedures` table; a longer value is a broken line, not a procedure.
MAX_LENGTHS = {"code": 32, "levels": 200, "field": 300, "url": 500, "decision": 100}


# Some names start with the label "Thủ tục", most do not ("Thủ tục đăng ký khai tử" beside "Đăng ký
# lại khai tử"): a label no citizen says, which would count against the name that carries it.
_NAME_LABEL = re.compile(r"^\s*th[uủ] t[uụ]c\s+", re.IGNORECASE)


def plain_name(name: str) -> str:
    """The procedure's name without the label "Thủ tục" that 657 of the 2,642 names start with,
    capitalised like the others ("Thủ tục đăng ký khai tử" → "Đăng ký khai tử").

    Searching and ranking compare names, and a label on a quarter of them made those names longer
    and less alike to the question than their unlabelled siblings ("Đăng ký lại khai tử" outranked
    "Thủ tục đăng ký khai tử" for "làm khai tử"). Answers say «Thủ tục …» around the plain name.
    """
    plain = _NAME_LABEL.sub("", name)
    return plain[:1].upper() + plain[1:]


@dataclass(frozen=True)
class CatalogueError:
    """A line that could not be read as a procedure, and why (in Vietnamese, for the report)."""

    line: int
    reason: str


def clean(value: Any) -> str | None:
    """The platform's form of a text field; None for empty, dashes and the portal's "no information"."""
    if not isinstance(value, str):
        return None
    text = normalize(value)
    if not text or text == NO_INFO or not text.strip("-"):
        return None
    return text


# --- channels: "Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả" ------------------------------

# A row starts with a channel name glued to its time cell; "Trực tiếp tại..." in a description does not.
_CHANNEL = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=[^\s:,.;()])")
_TIME_UNITS = {
    "Ngày làm việc": DurationUnit.WORKING_DAYS,
    "Ngày": DurationUnit.DAYS,
    "Giờ làm việc": DurationUnit.HOURS,
    "Giờ": DurationUnit.HOURS,
    "Tuần": DurationUnit.WEEKS,
    "Tháng": DurationUnit.MONTHS,
    "Năm": DurationUnit.YEARS,
}
_TIME = re.compile(r"(?P<number>\d+(?:[.,]\d+)?) ?(?P<unit>" + "|".join(_TIME_UNITS) + ")")
_BARE_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_AMOUNT = re.compile(r"(\d[\d.,]*) ?(Việt Nam Đồng|VNĐ|USD|Đồng)")
_LABEL = r"(?:Lệ phí|Phí) ?: ?"
# A fee cell: free, no information, or amounts, possibly labelled ("Lệ phí : 8.000 Đồng Phí : 5.000 Đồng").
_FEE = re.compile(rf"Miễn phí|{NO_INFO}|(?:{_LABEL})?{_AMOUNT.pattern}(?: ?{_LABEL}{_AMOUNT.pattern})*")
_LEADING_DIGITS = re.compile(r"[\d.,]+")
_WELL_FORMED_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+|[1-9]\d*")
# Days per unit; an office day has 8 working hours.
_DAYS: dict[DurationUnit, tuple[float, DaysKind]] = {
    DurationUnit.WORKING_DAYS: (1, "working"),
    DurationUnit.DAYS: (1, "calendar"),
    DurationUnit.HOURS: (1 / 8, "working"),
    DurationUnit.WEEKS: (7, "calendar"),
    DurationUnit.MONTHS: (30, "calendar"),
    DurationUnit.YEARS: (365, "calendar"),
}
_ENUMERATOR = re.compile(r"\((?:\d{1,2}|[a-zđ]|[ivx]{1,4})\)")  # "(1) Trường hợp...": a description's list
MAX_FREE_TIME = 300  # a time written as words ("Không quy định") is shorter than this


@dataclass(frozen=True)
class _RowHead:
    start: int
    channel: str
    time_text: str | None
    fee: re.Match[str]


def _glued_time_length(digits: str) -> int:
    """How many leading digits are a unit-less time glued to an amount: '1100' → 1 (time 1, 100 VNĐ).

    The portal writes a time without unit as a bare number, so "Trực tuyến1100 VNĐ" is time 1 and
    fee 100; the split is the shortest one that leaves a well-formed amount, or none at all.
    """
    for cut in range(1, len(digits)):
        if digits[:cut].isdigit() and _WELL_FORMED_AMOUNT.fullmatch(digits[cut:]):
            return cut
    return 0


def _time_cell(text: str, position: int) -> tuple[str | None, int] | None:
    """The time cell at `position` and where the fee cell starts; None when no fee follows."""
    if text.startswith("Miễn phí", position):
        return None, position
    timed = _TIME.match(text, position)
    if timed and _FEE.match(text, timed.end()):
        return timed.group(0), timed.end()
    after_no_info = position + len(NO_INFO)
    if text.startswith(NO_INFO, position) and _FEE.match(text, after_no_info):
        return None, after_no_info
    bare = _BARE_NUMBER.match(text, position)
    if bare and (fee := _FEE.match(text, bare.end())) and not fee.group(0)[0].isdigit():
        return bare.group(0), bare.end()
    fee = _FEE.match(text, position)
    if fee and (digits := _LEADING_DIGITS.match(fee.group(0))):
        cut = _glued_time_length(digits.group(0))
        return (text[position : position + cut], position + cut) if cut else (None, position)
    if fee:
        return None, position
    fee = _FEE.search(text, position + 1, position + MAX_FREE_TIME)
    if fee is None or not text[position].isalnum():
        return None
    return text[position : fee.start()], fee.start()


def _row_head(text: str, match: re.Match[str]) -> _RowHead | None:
    cell = _time_cell(text, match.end())
    if cell is None:
        return None
    fee = _FEE.match(text, cell[1])
    if fee is None:
        return None
    return _RowHead(match.start(), match.group(1), cell[0], fee)


def _row_heads(text: str) -> list[_RowHead]:
    heads: list[_RowHead] = []
    for match in _CHANNEL.finditer(text):
        if heads and match.start() < heads[-1].fee.end():
            continue
        head = _row_head(text, match)
        if head is not None:
            heads.append(head)
    return heads


def split_note(segment: str) -> tuple[str | None, str]:
    """A fee's note in parentheses (nesting allowed) and the description that follows it."""
    if not segment.startswith("(") or _ENUMERATOR.match(segment):
        return None, segment
    depth = 0
    for index, char in enumerate(segment):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return segment[1:index], segment[index + 1 :]
    return segment[1:], ""


def processing_days(time_text: str | None) -> tuple[float | None, DaysKind | None]:
    """'15 Ngày làm việc' → (15, working); '7 Ngày' → (7, calendar); a bare '5' → (5, None)."""
    if not time_text:
        return None, None
    cell = _TIME.fullmatch(time_text)
    if cell:
        factor, kind = _DAYS[_TIME_UNITS[cell["unit"]]]
        return round(float(cell["number"].replace(",", ".")) * factor, 3), kind
    if _BARE_NUMBER.fullmatch(time_text):
        return float(time_text.replace(",", ".")), None
    durations = find_durations(time_text)
    if not durations:
        return None, None
    factor, kind = _DAYS[durations[0].unit]
    return round(float(durations[0].amount) * factor, 3), kind


def fee_in_dong(head: str, note: str | None) -> int | None:
    """The fee in đồng: the stated amounts (summed: "Lệ phí" plus "Phí"), else the first amount in
    its note, 0 when free, else None (a fee "set by the provincial council" is not known here).

    Amounts under 1,000 "VNĐ" are the portal's thousands (its note says "20.000 đồng" for "20 VNĐ"),
    so they count only when the note confirms them; amounts in USD are not đồng.
    """
    stated = _stated(head)
    if any(value >= 1000 for value in stated):
        return sum(value for value in stated if value >= 1000)
    noted = [money.dong for money in find_money(note or "") if money.dong >= 1000]
    if noted:
        return noted[0]
    if head == "Miễn phí" and (not note or fold(note).lstrip("(- ").startswith(("khong", "mien"))):
        return 0
    return None


def _stated(head: str) -> list[int]:
    """The amounts in đồng a fee cell states ("200,000 Việt Nam Đồng"), USD left out."""
    return [int(re.sub(r"[.,]", "", digits)) for digits, currency in _AMOUNT.findall(head) if currency != "USD"]


def fee_text(head: str | None, note: str | None, dong: int | None) -> str | None:
    """The fee as the answer shows it: the cell, then its note in brackets (one pair, even when the
    note brings its own). A cell that says "Miễn phí" while its note sets a fee ("Mức lệ phí cụ thể
    do Hội đồng nhân dân tỉnh quyết định…", "Lệ phí: 135.000 đồng/lần") leads with the note: "free"
    first would mislead. So does a cell in the portal's thousands whose note gives the fee in đồng
    ("40 Việt Nam Đồng" for "4.000 đ/giấy thông hành"): "40 đồng" first would be wrong."""
    if note and note.startswith("(") and note.endswith(")"):
        note = note[1:-1].strip()
    if head == "Miễn phí" and note and dong != 0:
        return f"{note} (ô lệ phí ghi «Miễn phí»)"
    stated = _stated(head or "")
    if note and dong and stated and all(0 < value < 1000 for value in stated):
        return note
    return " ".join(part for part in (head, f"({note})" if note else None) if part) or None


def _channel(head: _RowHead, segment: str) -> Channel:
    note, description = split_note(segment)
    note = clean(note)
    fee_head = clean(head.fee.group(0))
    dong = fee_in_dong(head.fee.group(0), note)
    time_text = clean(head.time_text)
    days, kind = processing_days(time_text)
    return Channel(
        channel=head.channel,
        time_text=time_text,
        working_days=days,
        days_kind=kind,
        fee_text=fee_text(fee_head, note, dong),
        fee_dong=dong,
        description=clean(description),
    )


def parse_channels(text: str | None) -> list[Channel]:
    """The submission channels of a `cach_thuc_thuc_hien` cell, each with its time and fee."""
    if not text:
        return []
    heads = _row_heads(text)
    ends = [head.start for head in heads[1:]] + [len(text)]
    return [_channel(head, text[head.fee.end() : end]) for head, end in zip(heads, ends, strict=False)]


# --- documents: "Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng" -----------------------------------

DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
NOTE_GROUP = "Lưu ý"  # the group of notes on the file, shown after the documents to bring
# A quantity cell is glued to the cell before it ("...docx1 bản chính"); "(01 bản chính hoặc..." in
# a name is not. A digit glued to a number ("Mẫu số 181 bản chính") is quantity 1 after "Mẫu số 18".
_COPY = r"bản (?:chính|sao|chụp)"
_QUANTITY = re.compile(rf"(?:(?<=\d\d)\d|(?<![ (\d])\d{{1,2}}) {_COPY}(?: ?, ?\d{{1,2}} {_COPY})*")
_EXTENSION = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls|rar|zip)", re.IGNORECASE)
MAX_FILE_NAME = 120
_CLOSERS = frozenset(')];:,.\u201d"')
_FORM_NAME = re.compile(r"M[aẫ]u|MẪU|MAU|Mu?s\d|Ph[ụu] ?l[ụu]c|PHỤ LỤC|Phlc|PL ?[\dIVX]|TK", re.IGNORECASE)
_BULLETS = "-+*\u2022 \t\n"


def _strong_boundary(cell: str, index: int) -> bool:
    """Whether a file name plausibly starts at `index`: glued right after the end of the name."""
    before, char = cell[index - 1], cell[index]
    if not char.isalnum() or (before in ".," and char.isdigit() and index > 1 and cell[index - 2].isdigit()):
        return False  # "1.4", "1,2": one number
    if before in _CLOSERS:
        return True
    return (before.islower() and (char.isupper() or char.isdigit())) or (before.isdigit() and char.isupper())


def _weak_boundary(cell: str, index: int) -> bool:
    """An upper-case word glued after an all-caps one: '...TT-BNNPTNTPhlc1.docx'."""
    return index + 1 < len(cell) and cell[index - 1].isupper() and cell[index].isupper() and cell[index + 1].islower()


def _template_start(cell: str, first_end: int) -> int:
    """Where the first form file name starts: the first glued boundary that opens a usual form
    name ("Mẫu", "Phụ lục", "TK"...), else the first strong boundary, else the first weak one."""
    window = range(max(1, first_end - MAX_FILE_NAME), first_end - 4)
    strong = [index for index in window if _strong_boundary(cell, index)]
    weak = [index for index in window if _weak_boundary(cell, index)]
    usual = [index for index in sorted(strong + weak) if _FORM_NAME.match(cell, index)]
    return (usual or strong or weak or [0])[0]


def split_template(cell: str) -> tuple[str, str | None]:
    """Split 'name' + 'form file name(s)' run together: ('Tờ khai (mẫu 01)', 'Mau 01.docx')."""
    cell = cell.rstrip()
    ends = [match.end() for match in _EXTENSION.finditer(cell)]
    if not ends or ends[-1] != len(cell):
        return cell, None
    first = len(ends) - 1
    while first > 0 and ends[first] - ends[first - 1] <= MAX_FILE_NAME:
        first -= 1
    start = _template_start(cell, ends[first])
    starts = [start, *ends[first:-1]]
    files = [normalize(cell[a:b]) for a, b in zip(starts, ends[first:], strict=True)]
    return cell[:start], "; ".join(file for file in files if file)


def _document(cell: str, quantity: str | None, group: str | None) -> RequiredDocument | None:
    name_text, template = split_template(cell)
    name = clean(name_text.strip(_BULLETS).rstrip(" ;,:"))
    if not name and not template:
        return None
    text = normalize(re.sub(r" ?, ?", ", ", quantity)) if quantity else None
    return RequiredDocument(name=name or template or "", quantity_text=text, template=template, group=group)


def _group_title(text: str) -> str | None:
    title = clean(text.strip(_BULLETS))
    return title.rstrip(":") if title else None


def _table(part: str, group: str | None, last: bool) -> tuple[list[RequiredDocument], str]:
    """The documents of one table and the text after its last quantity (the next table's title)."""
    documents: list[RequiredDocument] = []
    position = 0
    for match in _QUANTITY.finditer(part):
        if match.start() == 0:  # no cell before it: a name that opens with its copies, "01 bản sao có chứng thực…"
            continue
        document = _document(part[position : match.start()], match.group(0), group)
        if document is not None:
            documents.append(document)
        position = match.end()
    rest = part[position:]
    if last and (document := _document(rest, None, group)) is not None:
        documents.append(document)
    return documents, rest


def parse_documents(text: str | None) -> list[RequiredDocument]:
    """The documents of a `thanh_phan_ho_so` cell, each with its case when the file varies by case.

    A cell not in the portal's table form (45 of the 2,642 records, the social-insurance ones among
    them, are prose) is kept whole as one note: its facts ("chậm nhất 45 ngày kể từ…") then reach
    the answers and the procedure page instead of being lost.
    """
    if not text or DOCUMENT_HEADER not in text:
        note = (clean(text) or "").lstrip(" );,.")  # the portal cuts some cells mid-sentence: "); nộp cho…"
        return [RequiredDocument(name=note, group=NOTE_GROUP)] if any(c.isalpha() for c in note) else []
    parts = text.split(DOCUMENT_HEADER)
    group = _group_title(parts[0])
    documents: list[RequiredDocument] = []
    for index, part in enumerate(parts[1:], start=2):
        rows, rest = _table(part, group, last=index == len(parts))
        documents += rows
        group = _group_title(rest)
    return documents


# --- legal bases: "Tên văn bản pháp lý | Mã văn bản" --------------------------------------------

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# number / [year /] issuer code: 47/2014/QH13, 123/2015/NĐ-CP, 2361/QĐ-BGTVT, 1672/NQ-UBTVQH15, and the
# Government's numbered series of resolutions, 66.7/2025/NQ-CP ("Nghị quyết 66.7"): a dotted number is
# at most three digits, a dot and two, not after a digit or a dot ("ngày 15/5/2026.55/2026/TT-BTC" is a
# date that ends a title, then 55/2026/TT-BTC).
_IDENTIFIER_NUMBER = re.compile(r"(?P<digits>(?<![\d.])\d{1,3}\.\d{1,2}|\d+)[a-z]?/(?:\d{4}/)?(?=[A-ZĐÐ])")
# An identifier the portal glued to the words after it inside a title ("Thông tư số 53/2025/TT-BCAngày
# 01/7/2025 của Bộ Công an sửa đổi…"): a date opens no title, so the title goes on. ("của Bộ trưởng…"
# does open one: the portal cut some titles short, "Luật 79/2015/QH13của Bộ trưởng…".)
_TITLE_GOES_ON = re.compile(r"ngày ?\d")
_GLUED_YEAR = re.compile(r"(?:19|20)\d\d(?=\d)")
_CODE_RUN = re.compile(r"[A-ZĐÐ]+")
# The issuers that end identifiers, so that a glued next title gives its capitals back:
# "TT-BTCNghị định" ends at BTC, "NĐ-CPVề" at CP, while "TT-BCAngày" keeps BCA.
ISSUERS = frozenset(
    "CP TTg BTC BCA BTP NHNN BNN BNNMT BNNPTNT BGTVT BXD BTNMT BLĐTBXH BKHĐT BKH BHXH BKHCN BNG BNV BYT BCT "
    "BVHTTDL BQP BGDĐT BTTTT BTM BTS BCN UBND HĐND VPCP VPQH UBDT TANDTC VKSNDTC KTNN HĐTP TCHQ".split()
)
# Words that open the next title when it is glued to an unknown issuer ("...-XYZLUẬT...").
_TITLE_WORDS = frozenset(
    {"luat", "nghi", "thong", "quyet", "quy", "sua", "van", "ve", "bo", "huong", "ban", "phap", "chi", "cong"}
)
_DOCUMENT_TYPE = r"(?:Bộ luật|Luật|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Pháp lệnh)"
_CELL_PREFIX = re.compile(rf"(?<=\S){_DOCUMENT_TYPE}(?: số)? ?$")
_BARE_TYPE = re.compile(rf"{_DOCUMENT_TYPE}(?: số)?")


def _issuer_end(text: str, run: re.Match[str]) -> int:
    """Where the last segment of an issuer code ends, giving back the capitals of a glued word."""
    code, end = run.group(0).replace("Ð", "Đ"), run.end()
    if code.endswith("QH"):  # legislature number: QH13, UBTVQH15
        digits = re.match(r"\d{1,2}", text[end:])
        return end + (len(digits.group(0)) if digits else 0)
    if code.endswith("TT") and text.startswith("g", end):
        return end + 1
    known = [issuer for issuer in ISSUERS if code.startswith(issuer)]
    if known:
        return run.start() + max(map(len, known))
    following = re.match(r"[^\W\d_]*", text[end:])
    word = following.group(0) if following else ""
    for keep in range(1, min(5, len(code))):
        if fold(code[-keep:] + word) in _TITLE_WORDS:
            return end - keep
    return end - 1 if word[:1].islower() and len(code) > 2 else end


def _code_end(text: str, position: int) -> int:
    """Where the issuer code starting at `position` ends (segments joined by '-', as in TTLT-BTC-BTP)."""
    while run := _CODE_RUN.match(text, position):
        following = _CODE_RUN.match(text, run.end() + 1) if text.startswith("-", run.end()) else None
        if following and not (len(following.group(0)) == 1 and text[following.end() : following.end() + 1].islower()):
            position = following.start()
            continue
        return _issuer_end(text, run)
    return position


def find_identifiers(text: str) -> list[tuple[int, int]]:
    """The spans of every legal-document identifier in `text`, left to right, never overlapping.

    A year glued in front of the number ("năm 201102/2011/QH13") is left to the text before it.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    while number := _IDENTIFIER_NUMBER.search(text, position):
        start = number.start()
        if len(number["digits"]) > 4 and (year := _GLUED_YEAR.match(number["digits"])):
            start += year.end()
        end = _code_end(text, number.end())
        spans.append((start, end))
        position = end
    return spans


def _basis(title_text: str, identifier: str | None) -> LegalBasis | None:
    if identifier:  # "...Việt NamLuật 47/2014/QH13": "Luật" opens the identifier cell, not the title
        title_text = _CELL_PREFIX.sub("", title_text) or title_text
    title = clean(title_text)
    if identifier and (not title or _BARE_TYPE.fullmatch(title)):
        title = f"{title} {identifier}" if title else identifier
    return LegalBasis(title=title, identifier=identifier) if title else None


def _spaced(body: str) -> str:
    """`body` with a space put back after each identifier glued to the words of its own title
    ("…số 53/2025/TT-BCAngày 01/7/2025 của…" → "…TT-BCA ngày…"): else the date and what follows
    were read as a title of their own."""
    ends = [end for _, end in find_identifiers(body) if _TITLE_GOES_ON.match(body, end)]
    for end in reversed(ends):
        body = f"{body[:end]} {body[end:]}"
    return body


def parse_legal_bases(text: str | None) -> list[LegalBasis]:
    """The legal texts of a `can_cu_phap_ly` cell: each row's title and identifier.

    An identifier ends a row when the next title is glued to it, or when it is glued to its own
    title ("… của Bộ Tư pháp18/2026/NĐ-CP Nghị định …": a title names a text after a space, "số
    101/2020/TT-BTC"); otherwise one followed by a space or by punctuation is part of a title
    ("Thông tư số 101/2020/TT-BTC ngày...").
    """
    if not text or LEGAL_HEADER not in text:  # without its header the cell holds another field's text
        return []
    body = _spaced(text.split(LEGAL_HEADER, 1)[1])
    spans = find_identifiers(body)
    bases: list[LegalBasis] = []
    row_start = 0
    for index, (start, end) in enumerate(spans):
        glued_to_next = index + 1 < len(spans) and spans[index + 1][0] == end
        glued_to_title = start > 0 and body[start - 1].isalpha()
        if glued_to_next or (end < len(body) and not body[end].isalnum() and not glued_to_title):
            continue
        identifier = body[start:end].replace("Ð", "Đ")
        if (basis := _basis(body[row_start:start], identifier)) is not None:
            bases.append(basis)
        row_start = end
    if (basis := _basis(body[row_start:], None)) is not None:
        bases.append(basis)
    return bases


# --- result, record, lines ----------------------------------------------------------------------

# The portal's result code: "KQ.01…", "Chưa xác định", or a few lower-case letters typed at random
# ("Mã: dsfas"), run into the next word ("dsfasTừ khóa"); left in, it had the result read "được
# chứng thữcMa: dsfas". A code is one only when no lower-case letter follows it ("Mã: hồ sơ" is
# words); the field's label is cut off all the same, since glued to the word before it ("nhậnMã")
# it reshapes that word once accents are normalised.
_RESULT_CODE = re.compile(r"Mã: ?(?:Chưa xác định|[A-Z0-9]+(?:\.[A-Z0-9]*\d)*|[a-z0-9]+)")
_CODE_LABEL = len("Mã:")


def _without_result_codes(text: str) -> list[str]:
    """`text` cut at each result code, the codes (or, before words, the label alone) left out."""
    parts, start = [], 0
    for code in _RESULT_CODE.finditer(text):
        parts.append(text[start : code.start()])
        start = code.start() + _CODE_LABEL if text[code.end() : code.end() + 1].islower() else code.end()
    return [*parts, text[start:]]


def parse_result(text: str | None) -> str | None:
    """The result(s) of the procedure without the portal's codes, keywords and agency picker."""
    if not text:
        return None
    body = text.split("Chọn cơ quan thực hiện", 1)[0]
    body, _, described = body.partition("Từ khóa")
    results = [result for part in _without_result_codes(body) if (result := clean(part))]
    description = clean(described.partition("Mô tả")[2])
    if description:
        results.append(description)
    return "\n".join(results) or None


def _limited(raw: Mapping[str, Any], key: str, column: str) -> str | None:
    value = clean(raw.get(key))
    if value is not None and len(value) > MAX_LENGTHS[column]:
        raise Invalid(f"trường {key} dài quá {MAX_LENGTHS[column]} ký tự.", code="procedure.too_long")
    return value


_TABLE_KEYS = ("cach_thuc_thuc_hien", "thanh_phan_ho_so", "can_cu_phap_ly", "ket_qua_xu_ly")


def agency_name(text: str | None) -> str | None:
    """An agency cell as a name: "Công an tỉnh." loses its full stop (it listed apart from
    "Công an tỉnh"), and a cell holding a paragraph of steps instead (one record has the
    certification steps there) is no agency."""
    name = clean(text)
    return name.rstrip(" .;") or None if name and "\n" not in name else None


def parse_record(raw: Mapping[str, Any]) -> ProcedureData:
    """One catalogue record in structure; `Invalid` when it lacks a code or a name."""
    code = _limited(raw, "ma_thu_tuc", "code")
    name = clean(raw.get("ten_thu_tuc"))
    if code is None or name is None:
        raise Invalid("thiếu mã thủ tục (ma_thu_tuc) hoặc tên thủ tục (ten_thu_tuc).", code="procedure.incomplete")
    table = {key: nfc(value) if isinstance((value := raw.get(key)), str) else None for key in _TABLE_KEYS}
    return ProcedureData(
        code=code,
        name=name,
        levels=_limited(raw, "cap_thuc_hien", "levels"),
        field=_limited(raw, "linh_vuc", "field"),
        agency=agency_name(raw.get("co_quan_thuc_hien")) or agency_name(raw.get("co_quan_co_tham_quyen")),
        receiving_place=clean(raw.get("dia_chi_tiep_nhan")),
        subjects=clean(raw.get("doi_tuong_thuc_hien")),
        conditions=clean(raw.get("yeu_cau_dieu_kien")),
        result=parse_result(table["ket_qua_xu_ly"]),
        steps=clean(raw.get("trinh_tu_thuc_hien")),
        url=_limited(raw, "detail_url", "url"),
        decision=_limited(raw, "so_quyet_dinh", "decision"),
        channels=parse_channels(table["cach_thuc_thuc_hien"]),
        documents=parse_documents(table["thanh_phan_ho_so"]),
        legal_bases=parse_legal_bases(table["can_cu_phap_ly"]),
    )


def _parse_line(number: int, line: str) -> ProcedureData | CatalogueError:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        return CatalogueError(number, f"không đọc được JSON (lỗi ở cột {error.colno}).")
    if not isinstance(raw, dict):
        return CatalogueError(number, "dòng không phải một đối tượng JSON {...}.")
    try:
        return parse_record(raw)
    except Invalid as error:
        return CatalogueError(number, error.message)


def iter_catalogue(lines: Iterable[str]) -> Iterator[tuple[int, ProcedureData | CatalogueError]]:
    """Each non-blank line's number and procedure, or the reason it was refused.

    The first lines are read before anything is yielded: when none of them is a procedure the
    file is not a catalogue at all, and `Invalid` is raised before the caller writes anything.
    """
    numbered = ((number, line) for number, line in enumerate(lines, start=1) if line.strip())
    probe = [(number, _parse_line(number, line)) for number, line in islice(numbered, PROBE_LINES)]
    if not probe:
        raise Invalid("Tệp trống: không có thủ tục nào để nhập.", code="procedure.empty_file")
    if all(isinstance(item, CatalogueError) for _, item in probe):
        first = probe[0][1]
        assert isinstance(first, CatalogueError)
        raise Invalid(
            f"Tệp không phải danh mục thủ tục hành chính dạng JSON Lines (mỗi dòng một đối tượng có "
            f"ma_thu_tuc, ten_thu_tuc): {len(probe)} dòng đầu không dòng nào đọc được; "
            f"dòng {first.line}: {first.reason}",
            code="procedure.not_a_catalogue",
        )
    yield from probe
    for number, line in numbered:
        yield number, _parse_line(number, line)
