"""Legal texts: import a folder of laws, read a law and its articles, find an article by its citation.

A law is stored as its articles (`law_text.parse_law`); each article is one search document of
kind "law", so the assistant and the search page find "Điều 20 Luật Cư trú" by its words, with
or without diacritics. Laws are public: reads are not audited, imports are (one entry each run).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mauson.assistant.law_text import clauses_of, parse_law
from mauson.assistant.models import Law, LawArticle
from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.errors import Invalid, NotFound
from mauson.identity.models import Actor
from mauson.search.models import Hit, SearchDocument
from mauson.search.service import Progress, SearchIndex
from mauson.vntext.encoding import decode
from mauson.vntext.normalize import fold, fold_aligned, nfc

MAX_LAW_BYTES = 20_000_000  # the longest code (Bộ luật Dân sự) is under 1 MB
BODY_CHARS = 20_000
_ARTICLE_REFERENCE = re.compile(r"\bdieu\s+(\d+[a-z]?)\b")
_CLAUSE_REFERENCE = re.compile(r"\bkhoan\s+(\d+)\b")  # "khoản 2 điều 21", "điều 21 khoản 2"


@dataclass
class LawImportReport:
    """What an import did, per file: created, updated, unchanged, or rejected with the reason."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    articles: int = 0


def demo_directory() -> Path:
    """The bundled demo law (Luật Cư trú 2020, from the undertheseanlp legal corpus; statute text
    is not protected by copyright), cited by the demo procedures of residence registration."""
    return Path(str(resources.files("mauson.assistant") / "data" / "laws"))


def law_files(directory: Path) -> list[Path]:
    """The plain-text laws in `directory` (`*.txt`), in name order; a clear error when there are none."""
    if not directory.is_dir():
        raise Invalid(f"Không có thư mục '{directory}'.", code="laws.not_a_directory")
    files = sorted(directory.glob("*.txt"))
    if not files:
        raise Invalid(f"Thư mục '{directory}' không có tệp văn bản luật nào (*.txt).", code="laws.empty")
    return files


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_LAW_BYTES:
        raise Invalid(f"tệp lớn hơn {MAX_LAW_BYTES // 1_000_000} MB.")
    return decode(path.read_bytes())  # UTF-8, UTF-16 or Windows-1258, as provinces keep them


def import_laws(
    *, session: Session, actor: Actor, files: Sequence[Path], progress: Callable[[int], None] | None = None
) -> LawImportReport:
    """Store each file's law and articles; a file whose text is unchanged is left as it is.

    A file that cannot be read, or in which no article (Điều) is found, is reported and skipped;
    the others are imported. `progress` receives the number of files done.
    """
    report = LawImportReport()
    known = {
        slug: (law_id, digest) for slug, law_id, digest in session.execute(select(Law.slug, Law.id, Law.source_hash))
    }
    for done, path in enumerate(files, start=1):
        try:
            _import_one(session, path, known.get(path.stem), report)
        except Invalid as error:
            report.rejected.append((path.name, error.message))
        if progress is not None:
            progress(done)
    details = {
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "rejected": len(report.rejected),
        "articles": report.articles,
    }
    audit.record(session=session, actor=actor, event=AuditEvent("law.import", "law", details=details))
    return report


def _import_one(session: Session, path: Path, known: tuple[int, str] | None, report: LawImportReport) -> None:
    text = _read(path)
    digest = hashlib.sha256(text.encode()).hexdigest()
    if known and known[1] == digest:
        report.unchanged.append(path.stem)
        return
    parsed = parse_law(text, fallback_title=path.stem)
    if not parsed.articles:
        raise Invalid("không tìm thấy điều luật nào (dòng bắt đầu bằng 'Điều 1').")
    if known:
        law = session.get_one(Law, known[0])
        session.execute(delete(LawArticle).where(LawArticle.law_id == law.id))
        report.updated.append(path.stem)
    else:
        law = Law(slug=path.stem)
        session.add(law)
        report.created.append(path.stem)
    law.title, law.number, law.source_hash = parsed.title, parsed.number, digest
    law.articles_count = len(parsed.articles)
    session.flush()
    session.add_all(
        LawArticle(
            law_id=law.id,
            position=position,
            number=article.number,
            heading=article.heading,
            chapter=article.chapter,
            section=article.section,
            citation=parsed.citation(article),
            text=article.text,
        )
        for position, article in enumerate(parsed.articles)
    )
    session.flush()
    report.articles += len(parsed.articles)


def list_laws(*, session: Session) -> list[Law]:
    return list(session.scalars(select(Law).order_by(Law.title)))


def get_law_or_raise(*, session: Session, slug: str) -> Law:
    law = session.scalar(select(Law).where(Law.slug == slug))
    if law is None:
        raise NotFound(f"Không có văn bản luật '{slug}'. Xem danh sách tại /laws.", code="law.not_found")
    return law


def articles_of(*, session: Session, law: Law) -> list[LawArticle]:
    return list(session.scalars(select(LawArticle).where(LawArticle.law_id == law.id).order_by(LawArticle.position)))


def article_anchor(article: LawArticle) -> str:
    """The fragment of the article on its law's page: /laws/luat-cu-tru#dieu-20."""
    return f"dieu-{article.number}"


def named_law(*, session: Session, text: str) -> Law | None:
    """The imported law whose title `text` names ("theo luật cư trú", any accents, "và" and commas
    aside: "luat hon nhan gia dinh" names "Luật Hôn nhân và gia đình"), the longest title first
    ("Luật Cư trú" inside "Luật sửa đổi … Luật Cư trú" is the amending law's)."""
    said = f" {_title_words(text)} "
    for law in sorted(session.scalars(select(Law)), key=lambda law: -len(law.title)):
        if f" {_title_words(law.title)} " in said:
            return law
    return None


def _title_words(text: str) -> str:
    """A law's title as questions write it: folded, its words only, without "và"."""
    return " ".join(word for word in re.findall(r"\w+", fold(text).lower()) if word != "va")


def names_an_article(text: str) -> bool:
    """Whether `text` cites an article by number ("điều 20", "Điều 5a")."""
    return _ARTICLE_REFERENCE.search(fold(text)) is not None


@dataclass(frozen=True)
class Cited:
    """An article a question cites ("điều 20 luật cư trú"): the law, the number asked, and the
    article itself, None when the law has no article of that number (which is said, not guessed).
    `other_year` is the year the question gives the law when the imported one is of another
    ("Luật Đất đai 2024" when the 2013 law is the one imported): its articles are not quoted.
    `clause` is the clause asked ("khoản 2 điều 21"): `article` then holds that clause only
    (`clause_quote`)."""

    law: Law
    number: str
    article: LawArticle | None
    other_year: str | None = None
    clause: str | None = None


# A year after a law's title ("luật đất đai 2024", "luat dat dai nam 2024"), or a number of that year.
_YEAR_AFTER = re.compile(r"^\W*(?:nam\s+|so\s+\d+/)?((?:19|20)\d\d)\b")
# "luật" and the words of a title after it, up to a number, a punctuation mark or the next "điều".
_LAW_TITLE = re.compile(r"\bluat(?:\s+(?!dieu\b|khoan\b|quy\b|noi\b|ve\b)[a-z]+){1,6}")


def cited_article(*, session: Session, text: str) -> Cited | None:
    """The article `text` cites by number and law title (any accents, the law named before or after
    the article), or None when it names no article of an imported law."""
    folded = fold(text).lower()
    match = _ARTICLE_REFERENCE.search(folded)
    if match is None:
        return None
    law = named_law(session=session, text=folded[match.end() :]) or named_law(session=session, text=folded)
    if law is None:
        return None
    article = session.scalar(
        select(LawArticle)
        .where(LawArticle.law_id == law.id, LawArticle.number == match.group(1))
        .order_by(LawArticle.position)
        .limit(1)
    )
    clause = _CLAUSE_REFERENCE.search(folded)
    if article is not None and clause is not None:
        article = clause_quote(article, clause.group(1))
    return Cited(law, match.group(1), article, other_year(folded, law), clause.group(1) if clause else None)


def clause_quote(article: LawArticle, clause: str) -> LawArticle:
    """What is quoted for a question citing clause `clause` of `article` ("khoản 2 điều 21 luật cư
    trú" had the whole article): a copy of the article holding that clause only, cited "Khoản 2
    Điều 21 Luật Cư trú" and linked to its article. The copy is never added to a session. An
    article without that clause is quoted whole, its citation saying so."""
    found = next((c for c in clauses_of(article.text) if c.number == clause), None)
    citation = f"Khoản {clause} {article.citation}" if found else f"{article.citation} (không có khoản {clause})"
    return LawArticle(
        law_id=article.law_id,
        position=article.position,
        number=article.number,
        heading=article.heading,
        chapter=article.chapter,
        section=article.section,
        citation=citation,
        text=f"{clause}. {found.text}" if found else article.text,
    )


def other_year(text: str, law: Law) -> str | None:
    """The year `text` gives the law ("Luật Cư trú năm 2006"), when the imported law is of another."""
    title = _title_words(law.title)
    words = " ".join(re.findall(r"[\w/]+", fold(text).lower()))
    at = words.find(title)
    asked = _YEAR_AFTER.match(words[at + len(title) :]) if at >= 0 else None
    if asked is None or not law.number or f"/{asked.group(1)}/" in law.number:
        return None
    return asked.group(1)


def uncited_law(*, session: Session, text: str) -> str | None:
    """The title of a law `text` cites an article of ("Luật Căn cước điều 19") when no imported law
    has that title: the question is about a text the platform does not hold, not a procedure."""
    written = nfc(text)
    folded = fold_aligned(written).lower()
    if _ARTICLE_REFERENCE.search(folded) is None or named_law(session=session, text=folded) is not None:
        return None
    title = _LAW_TITLE.search(folded)
    return None if title is None else written[title.start() : title.end()]


def best_article(
    *, session: Session, index: SearchIndex, actor: Actor, law: Law, query: str
) -> tuple[LawArticle, float] | None:
    """The article of `law` that best matches `query` ("điều kiện đăng ký thường trú"), with its score."""
    hits = index.search(query, actor=actor, kinds=["law"], filters={"law": law.title}, limit=1).hits
    if not hits:
        return None
    position = int(hits[0].key.rpartition("#")[2])
    article = session.scalar(select(LawArticle).where(LawArticle.law_id == law.id, LawArticle.position == position))
    return None if article is None else (article, hits[0].score)


def laws_by_number(*, session: Session, numbers: Sequence[str]) -> dict[str, Law]:
    """The imported laws among `numbers` (68/2020/QH14, ...): a procedure's legal bases link to them."""
    wanted = {number.upper() for number in numbers if number}
    if not wanted:
        return {}
    return {law.number: law for law in session.scalars(select(Law).where(Law.number.in_(wanted))) if law.number}


def search_document(law: Law, article: LawArticle) -> SearchDocument:
    """An article as the index holds it: its citation and heading (also embedded) and its text."""
    title = f"{article.citation}. {article.heading}".strip(". ") if article.heading else article.citation
    return SearchDocument(
        kind="law",
        key=f"{law.slug}#{article.position}",
        title=title[:2_000],
        body=article.text[:BODY_CHARS],
        fields={"law": law.title, "number": law.number or ""},
        url=f"/laws/{law.slug}#{article_anchor(article)}",
    )


def _documents(session: Session) -> Iterator[SearchDocument]:
    laws = {law.id: law for law in session.scalars(select(Law))}
    for article in session.scalars(select(LawArticle).order_by(LawArticle.law_id, LawArticle.position)):
        yield search_document(laws[article.law_id], article)


def search_articles(*, index: SearchIndex, actor: Actor, query: str, limit: int = 20) -> list[Hit]:
    """The articles that best match `query`, with the matched words highlighted."""
    return index.search(query, actor=actor, kinds=["law"], limit=limit).hits


def reindex_laws(*, session: Session, index: SearchIndex, progress: Progress | None = None) -> int:
    """Make the search index hold exactly the imported articles (unchanged ones keep their vectors)."""
    return index.rebuild("law", _documents(session), progress=progress)
