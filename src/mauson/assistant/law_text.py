"""Read a Vietnamese law as plain text into its structure: Chương / Mục / Điều / Khoản.

The national corpus (and most copies of a law a province keeps) is the official text pasted as
plain lines: a header with the law's number ("Luật số: 68/2020/QH14"), the title in capitals,
then "Chương I", its name, "Mục 1", "Điều 1. Phạm vi điều chỉnh" and numbered clauses
("1. ..."). An article is the unit a citizen or officer cites ("Điều 5 Luật Cư trú"), so it is
the chunk the platform stores and indexes; its clauses stay inside it so a hit can name
"khoản 2 Điều 5".

Articles quoted inside an amending law start with a quotation mark and are not taken for the
law's own articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mauson.vntext.normalize import normalize

HEADER_LINES = 40  # the number and title are within the first lines of the text

_NUMBER = re.compile(r"\b(?:Luật |Bộ luật |Pháp lệnh )?số:?\s*(\d+/\d{4}/[A-ZĐ0-9-]+)", re.IGNORECASE)
_ENACTED = re.compile(r"(?:ban hành|thông qua)\s+((?:Bộ luật|Luật|Hiến pháp)\b[^.;:]{0,120})", re.IGNORECASE)
_KIND = re.compile(r"^(BỘ LUẬT|LUẬT|HIẾN PHÁP)\s*(.*)$")
_ABOUT = re.compile(r"\bVỀ\s+(.+)$")
_CHAPTER = re.compile(r"^Chương\s+([IVXLC]+|\d+)\b\s*[.:]?\s*(.*)$")
_SECTION = re.compile(r"^Mục\s+(\d+|[IVXLC]+)\b\s*[.:]?\s*(.*)$")
_ARTICLE = re.compile(r"^Điều\s+(\d+[a-zđ]?)\s*(?:[.:]\s*(.*))?$")  # old laws: a bare "Điều 1" line
# "Luật ... số 48-LCT/HĐNN8 ngày 21/12/1990 của Quốc hội về ...": the number and date are not the title
_REFERENCE = re.compile(
    r"\s*\b(?:của quốc hội\s+)?(?:nước cộng hoà xã hội chủ nghĩa việt nam\s+)?số\s+(?=\S*\d)[\w./-]+"
    r"(?:\s+ngày\s+[\d/-]+(?:\s+tháng\s+\d+\s+năm\s+\d+)?)?(?:\s+của quốc hội)?(?:\s+về)?",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"^(\d+)\.\s+(.*)$")


@dataclass
class Clause:
    number: str
    text: str


@dataclass
class Article:
    """One Điều, with where it sits in the law and its numbered clauses (khoản)."""

    number: str
    heading: str
    chapter: str | None = None
    section: str | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def clauses(self) -> list[Clause]:
        return clauses_of(self.text)


def clauses_of(text: str) -> list[Clause]:
    """The numbered clauses (khoản) of an article's text, each with the points (a, b, c…) and lines
    under it; text before the first clause belongs to none."""
    clauses: list[Clause] = []
    for line in text.splitlines():
        match = _CLAUSE.match(line)
        if match:
            clauses.append(Clause(match.group(1), match.group(2)))
        elif clauses:
            clauses[-1].text += "\n" + line
    return clauses


@dataclass
class LawText:
    """A law as read: its title ("Luật Cư trú"), number when stated, and its articles in order."""

    title: str
    number: str | None
    articles: list[Article]

    def citation(self, article: Article, clause: str | None = None) -> str:
        """How the article is cited: "Điều 5 Luật Cư trú", or "Khoản 2 Điều 5 Luật Cư trú"."""
        cited = f"Điều {article.number} {self.title}"
        return f"Khoản {clause} {cited}" if clause else cited


def parse_law(text: str, fallback_title: str) -> LawText:
    """Split `text` into articles; `fallback_title` names a law whose header cannot be read."""
    lines = [line.strip() for line in normalize(text).splitlines()]
    lines = [line for line in lines if line]
    header = lines[:HEADER_LINES]
    articles = _articles(lines)
    return LawText(title=_title(header) or fallback_title, number=_number(header), articles=articles)


def _number(header: list[str]) -> str | None:
    for line in header:
        match = _NUMBER.search(line)
        if match:
            return match.group(1).upper()
    return None


def _title(header: list[str]) -> str | None:
    """The enacting sentence gives the title in its usual case ("Quốc hội ban hành Luật Cư trú.");
    otherwise the capitalised title lines after LUẬT / BỘ LUẬT."""
    for line in header:
        match = _ENACTED.search(line)
        if match and len(match.group(1).split()) > 1:
            return _cased(match.group(1).strip())
    for position, line in enumerate(header):
        match = _KIND.match(line)
        if not match or line != line.upper():
            continue
        kind, rest = match.group(1), match.group(2).strip()
        name = rest or (header[position + 1] if position + 1 < len(header) else "")
        about = _ABOUT.search(name)
        if name.startswith("CỦA ") and about:
            name = about.group(1)
        if kind == "HIẾN PHÁP":
            return "Hiến pháp"
        if name and name == name.upper():
            return _cased(f"{kind} {name}")
    return None


def _cased(title: str) -> str:
    """ "LUẬT CƯ TRÚ" → "Luật Cư trú"; a title already in mixed case keeps it, but with its first
    word after the kind capitalised ("Luật công chứng" → "Luật Công chứng")."""
    if title == title.upper():
        title = title.lower()
    words = _REFERENCE.sub(" ", title).strip(" ,;.").split()
    if len(words) > 2 and words[0].lower() == "luật" and words[1].lower() in ("luật", "về"):
        del words[1]
    kind_words = 2 if words[0].lower() == "bộ" else 1
    head = [w.capitalize() if i == 0 else w.lower() for i, w in enumerate(words[:kind_words])]
    rest = words[kind_words:]
    if rest:
        rest[0] = rest[0][:1].upper() + rest[0][1:]
    return " ".join(head + rest)


def _articles(lines: list[str]) -> list[Article]:
    articles: list[Article] = []
    chapter: str | None = None
    section: str | None = None
    pending: str | None = None  # "chapter" or "section" whose name is on the next line
    for line in lines:
        if match := _CHAPTER.match(line):
            chapter, section = f"Chương {match.group(1)}", None
            pending = None if match.group(2) else "chapter"
            if match.group(2):
                chapter += f". {match.group(2)}"
            continue
        if match := _SECTION.match(line):
            section = f"Mục {match.group(1)}"
            pending = None if match.group(2) else "section"
            if match.group(2):
                section += f". {match.group(2)}"
            continue
        if pending and not _ARTICLE.match(line):
            if pending == "chapter":
                chapter = f"{chapter}. {_sentence(line)}"
            else:
                section = f"{section}. {_sentence(line)}"
            pending = None
            continue
        pending = None
        if match := _ARTICLE.match(line):
            heading = match.group(2) or ""
            articles.append(Article(number=match.group(1), heading=heading, chapter=chapter, section=section))
        elif articles:
            articles[-1].lines.append(line)
    return articles


def _sentence(name: str) -> str:
    """Chapter names are printed in capitals: "NHỮNG QUY ĐỊNH CHUNG" → "Những quy định chung"."""
    return name.capitalize() if name == name.upper() else name
