"""A procedure's documents as a citizen reads them: by the case they are for, the case the
question describes first.

`catalogue.parse_documents` keeps with each document the heading of the table it came from. In
602 of the 2,642 records the file differs by case, one table per case ("Đăng ký thường trú" has
one per kind of home; "a) Đối với trường hợp … bị mất"); in others the tables split what to hand
in from what to show ("Giấy tờ phải nộp", "Giấy tờ phải xuất trình"); "Lưu ý" holds notes on the
file, not papers. Each table stays one case, in the record's order, even where two share a
heading: the portal heads the vehicle-dwellers' table of 1.004222 like the home owners', and
merging them had listed a vehicle registration among a home owner's papers. A table under no
heading comes first, under UNNAMED («Giấy tờ chung»): in the civil-status records it holds the
declaration form everyone files, its heading lost among the notes of the table before; one that
asks for no copy of anything ("0 bản chính" throughout) is notes. A line that only introduces the
papers ("Người có yêu cầu đăng ký khai sinh thực hiện việc nộp/xuất trình … các giấy tờ sau", 34
civil-status records) is no paper and is not listed.

The case a question describes ("đăng ký thường trú ở nhà thuê" → "… do thuê, mượn, ở nhờ") is
the one whose heading shares the most weight of its words and two-word phrases, a word weighing
more the fewer headings say it (an IDF over the record's own cases). Little words ("cần", "cho",
"giấy tờ", "nộp") count only in a phrase with a word that is not one, or after a negation:
"không có giấy tờ" tells the case without papers from the one with them, while "cần" alone had
matched "cần thiết" in a note.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby, pairwise
from typing import Any

from mauson.assistant.catalogue import NOTE_GROUP
from mauson.vntext.normalize import fold, has_diacritics
from mauson.vntext.segment import syllables

# The heading of a table the record names no case for, beside tables that do name one: the papers
# everyone files (the declaration form of a civil-status record). "Giấy tờ không ghi trường hợp" had
# read to citizens as "papers for no case".
UNNAMED = "Giấy tờ chung"
# Syllables too common to tell cases apart on their own (folded): they count inside phrases only.
LITTLE_WORDS = frozenset(
    "can gi co khong cho cua va la thi duoc cac nhung voi tai theo ve nay do hoac da se de khi neu ma mot "
    "bao nhieu sao the nao o dau toi minh em anh chi ong ba ho so giay to lam xin nop phai mang tien ngay "
    "het mat xong doi truong hop nguoi vao ra den len".split()
)

NEGATIONS = frozenset({"khong", "chua"})  # "không có", "chưa có": a phrase even of little words

Document = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """The papers of one table of the record, under its heading (None: the record names none)."""

    heading: str | None
    documents: list[Document]

    @property
    def is_notes(self) -> bool:
        return self.heading == NOTE_GROUP


def is_note(document: Document) -> bool:
    """A note on the file ("Lưu ý: …"), in its own table or run on after the last one."""
    said: str = document.get("group") or document["name"]
    return said.lower().startswith("lưu ý")


def shown_quantity(document: Document) -> str:
    """How many copies to bring, without the zeros the catalogue writes for kinds not asked for:
    '0 bản chính, 1 bản sao' → '1 bản sao'; a note ('0 bản chính') gets none."""
    parts = [part.strip() for part in (document.get("quantity_text") or "").split(",")]
    return ", ".join(part for part in parts if part and not part.startswith(("0 ", "00 ")))


# Who files, then "the following papers", and nothing of a case: "Người có yêu cầu đăng ký kết hôn thực
# hiện việc nộp/xuất trình (theo hình thức trực tiếp) hoặc tải lên (…) các giấy tờ sau". A line that
# introduces the papers of a case ("Trường hợp …, hồ sơ gồm", "… gồm một trong các giấy tờ sau đây")
# says something and stays.
_INTRODUCTION = re.compile(
    r"^(?:người (?:có )?yêu cầu|người đề nghị|người nộp hồ sơ|tổ chức, cá nhân|cá nhân, tổ chức)\b.*"
    r"\b(?:các|những) (?:giấy tờ|tài liệu|hồ sơ)(?:, (?:giấy tờ|tài liệu))? sau(?: đây)?\s*[:.]?$",
    re.IGNORECASE | re.DOTALL,
)
_CASE_WORDS = ("trường hợp", "đối với", "một trong", "ngoài ", "nếu ")


def only_introduces(document: Document) -> bool:
    """Whether a "paper" is a sentence that only introduces the list (two of them the portal gives
    "1 bản chính", as it gives the papers after them)."""
    name = document["name"].strip()
    if document.get("template") or not _INTRODUCTION.match(name):
        return False
    return not any(word in name.lower() for word in _CASE_WORDS)


def cases(procedure: Any, question: str = "") -> list[Case]:
    """The record's documents by case: those the question describes first, then the unnamed one,
    then the record's order; notes last. A record with one table, or whose tables name no case, is
    one list (under its table's heading, if it has one) that mixes papers for some case in. A line
    that only introduces the list is left out."""
    documents = [d for d in procedure.documents or [] if not only_introduces(d)]
    runs = [(heading, list(run)) for heading, run in groupby(documents, key=_table)]
    notes = [d for heading, run in runs if heading == NOTE_GROUP for d in run]
    papers = [Case(heading, _numbered(run)) for heading, run in runs if heading != NOTE_GROUP]
    last = [Case(NOTE_GROUP, notes)] if notes else []
    if len(papers) == 1 or not by_case(papers):  # one list, whether or not its table has a heading
        heading = papers[0].heading if len(papers) == 1 else None
        listed = [d for case in papers for d in case.documents]
        return ([Case(heading, _in_order(listed))] if listed else []) + last
    unnamed = [case for case in papers if case.heading is None]
    kept = [case for case in unnamed if any(map(shown_quantity, case.documents))]  # else notes: no copy asked
    notes += [d for case in unnamed if case not in kept for d in case.documents]
    named = [case for case in papers if case.heading is not None]
    described = _described(question, named, procedure.name) if question else []
    first = [case for position, case in enumerate(named) if position in described]
    rest = [case for case in named if case not in first]
    return first + kept + rest + ([Case(NOTE_GROUP, notes)] if notes else [])


def by_case(found: list[Case]) -> bool:
    """Whether the papers are listed under headings: some table of them has one."""
    return any(case.heading is not None and not case.is_notes for case in found)


def shown_name(document: Document, heading: str | None) -> str:
    """A document's name as listed under `heading`: under the notes' one a note does not say "Lưu ý:" again."""
    name: str = document["name"]
    return _NOTE_WORD.sub("", name, count=1) if heading == NOTE_GROUP else name


def _table(document: Document) -> str | None:
    """The table a document came from, as `cases` reads them: its heading, or the notes'."""
    return NOTE_GROUP if is_note(document) else document.get("group")


_NOTE_WORD = re.compile(r"^lưu ý\s*:[\s\-+•]*", re.IGNORECASE)


def _described(question: str, named: list[Case], name: str) -> list[int]:
    """The positions of the cases whose headings the question describes best, if it tells any
    apart: their score is the most, and more than one word two of the headings say would earn.
    Headings only: papers repeat the procedure's own words ("Giấy khai sinh" is one of the papers
    of a case of "Đăng ký khai sinh"). Naming the procedure describes no case: the words of its
    name count in phrases only ("kiểm định xe ô tô" is not "…xe có chứng nhận đăng ký xe tạm thời"),
    and its own phrases not at all ("cấp lại căn cước" is not the case of "…cấp, cấp đổi, cấp lại
    thẻ căn cước là người đại diện…"), but for those of the cases a name lists after "(", "/", "và"
    or "đối với" ("…(Công trình không theo tuyến/…) và nhà ở riêng lẻ", "… lần đầu đối với hộ gia
    đình, cá nhân, …, người gốc Việt Nam định cư ở nước ngoài")."""
    accents = has_diacritics(question)  # "định kỳ xe" is not "đăng ký xe"; typed bare, it may be
    asked = _words(question, accents)
    own = set(pairwise(_words(_LISTED.split(name, maxsplit=1)[0], accents)))  # before any case the name lists
    asked_words = set(asked) - LITTLE_WORDS - set(_words(name, accents))
    asked_phrases = {
        (a, b) for a, b in pairwise(asked) if (a in NEGATIONS or not {a, b} <= LITTLE_WORDS) and (a, b) not in own
    }
    said = []
    for case in named:
        words = _words(case.heading or "", accents)
        said.append((set(words) & asked_words) | (set(pairwise(words)) & asked_phrases))
    counts = Counter(term for terms in said for term in terms)  # a term every heading says tells none apart
    weight = {term: math.log((len(named) + 1) / (n + 0.5)) if n < len(named) else 0.0 for term, n in counts.items()}
    scores = [sum(weight[term] for term in terms) for terms in said]
    best = max(scores, default=0.0)
    if len(named) < 2 or best <= math.log((len(named) + 1) / 2.5):  # no more than one word two headings say
        return []
    return [position for position, score in enumerate(scores) if score == best]


_LISTED = re.compile(r"[(/]| và | đối với ")  # where a procedure's name starts listing whom or what it covers


def _words(text: str, accents: bool) -> list[str]:
    """Lower-case syllables, with their accents or folded; little words and negations match either way."""
    said = [s.lower() for s in syllables(text)]
    return [word if accents and fold(word) not in LITTLE_WORDS | NEGATIONS else fold(word) for word in said]


_KIND_LAST = ("trường hợp", "đối với")  # a paper needed only in some case, within a case's list
_NUMBER = re.compile(r"\s*\(?(\d{1,2}|[ivx]{1,4})[).]\s")  # "(2) Bản gốc…", "1. Đơn…", "(iv) Giấy…"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _number(document: Document) -> int | None:
    found = _NUMBER.match(document["name"])
    if found is None:
        return None
    mark = found.group(1)
    return int(mark) if mark.isdigit() else _ROMAN.get(mark)


def _numbered(documents: list[Document]) -> list[Document]:
    """Where two or more papers carry a number, those in its order (the portal lists "(2)" before
    "(1)", "(iv)" before "(i)") and the others after them; else the record's order. A case's
    table keeps its order otherwise: a line there may introduce the ones after it ("Trường hợp
    quy định tại điểm d… hồ sơ gồm")."""
    numbers = [_number(d) for d in documents]
    if sum(n is not None for n in numbers) < 2:
        return documents
    keyed = [(0, n) if n is not None else (1, 0) for n in numbers]
    return [d for _, d in sorted(zip(keyed, documents, strict=True), key=lambda pair: pair[0])]


def _in_order(documents: list[Document]) -> list[Document]:
    """The papers of a record without cases, which mixes them in one list: the papers to bring
    first and those needed only in some case ("Trường hợp…", "Đối với…") after; numbered ones in
    their order (`_numbered`)."""
    return _numbered(sorted(documents, key=lambda d: d["name"].lower().startswith(_KIND_LAST)))
