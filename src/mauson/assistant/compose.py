"""Answers written from the official record: every fact is copied from the procedure, never
invented. The section the citizen asked about comes first; the essentials follow (time, fee,
where to submit, whether online), then the documents, conditions, result and legal basis.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from mauson.assistant import documents
from mauson.assistant.catalogue import NOTE_GROUP, plain_name
from mauson.assistant.intents import Intent
from mauson.assistant.passages import cut, related_sentences
from mauson.vntext.amounts import find_money
from mauson.vntext.normalize import fold

ARTICLE_CHARS = 3_000  # an article quoted in a chat answer; the law's page has it whole

HOTLINE = "1022"
MAX_DOCUMENTS = 15  # papers and notes shown in an answer; the procedure page shows them all
CASE_CHARS = 90  # of a case's heading, where the answer only names it
DOCUMENT_CHARS = 300  # of a paper's name in an answer (2,968 of the 14,496 are longer)


NOTE_CHARS = 90  # of a channel's description, shown when two rows name the same channel


def _channels(procedure: Any) -> list[dict[str, Any]]:
    return list(procedure.channels or [])


def _channel_labels(procedure: Any) -> list[tuple[str, dict[str, Any]]]:
    """Each channel row with the name to show: a name two rows share ("Trực tuyến" for the usual
    case and the complex one) carries the start of the row's own description, to tell them apart."""
    rows = _channels(procedure)
    names = Counter(row["channel"] for row in rows)
    labelled = []
    for row in rows:
        label = row["channel"]
        note = cut(row.get("description") or "", NOTE_CHARS)
        if names[label] > 1 and note:
            label = f"{label} ({note})"
        labelled.append((label, row))
    return labelled


def shown_time(row: dict[str, Any]) -> str:
    """A channel's processing time as the record writes it, with "ngày" after a bare number ("1"):
    the national catalogue often leaves the unit out of the cell."""
    text = (row.get("time_text") or "").strip()
    return f"{text} ngày" if text.replace(",", "").replace(".", "").isdigit() else text


# Where a procedure of a level is filed when its record names no agency: that level's one-stop office.
# Since the 2025 reorganisation (Nghị định 118/2025/NĐ-CP, which the catalogue cites; 61/2018/NĐ-CP is
# replaced) these are the public administration service centres of the province and of each commune
# or ward, as the records say ("nộp hồ sơ tại Trung tâm Phục vụ hành chính công", 1.001193).
LEVEL_OFFICES = {
    "Cấp xã": "nộp tại Trung tâm Phục vụ hành chính công xã, phường",
    "Cấp tỉnh": "nộp tại Trung tâm Phục vụ hành chính công tỉnh",
}
ONE_STOP = "Bộ phận Một cửa theo Nghị định 118/2025/NĐ-CP"


def time_lines(procedure: Any) -> list[str]:
    lines = [f"- {label}: {shown_time(row)}" for label, row in _channel_labels(procedure) if row.get("time_text")]
    return lines or ["- Không có thông tin."]


def fee_lines(procedure: Any) -> list[str]:
    """Each channel's fee; where the channel's note speaks of money, the note whole after it: the
    portal keeps a fee's terms there ("2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang,
    tối đa 200.000 đồng/bản", 51 rows of 17 records), which the label's first words had cut off.
    A note the fee already holds is not repeated, and channels with the same fee and terms share
    one line (a record repeats a 450-character fee on each of its channels; the death registration
    one, 420 characters, three times for want of money in the channels' notes)."""
    lines: dict[str, tuple[list[str], str]] = {}  # the fee as compared → (channels, the fee as shown)
    for label, row in _channel_labels(procedure):
        fee = row.get("fee_text") or "Không có thông tin"
        note = " ".join((row.get("description") or "").split())
        money = find_money(note)
        shown = fee if not money or _squeezed(note) in _squeezed(fee) else f"{fee}. {note}"
        # a channel named by its money note says that note in its fee: its plain name will do
        name = row["channel"] if money else label
        channels, _ = lines.setdefault(_squeezed(shown), ([], shown))
        if name not in channels:
            channels.append(name)
    return [f"- {', '.join(channels)}: {shown}" for channels, shown in lines.values()]


def _squeezed(text: str) -> str:
    """Letters and digits only, lower case: a fee written with other spaces and signs is the same fee."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def channel_lines(procedure: Any) -> list[str]:
    names = list(dict.fromkeys(c["channel"] for c in _channels(procedure)))
    online = any("trực tuyến" in n.lower() for n in names)
    lines = [f"- Cách nộp: {', '.join(names)}." if names else "- Cách nộp: không có thông tin."]
    lines.append("- Có thể nộp trực tuyến trên Cổng Dịch vụ công." if online else "- Chưa nộp trực tuyến được.")
    where = procedure.receiving_place or procedure.agency
    if where:
        lines.append(f"- Nơi tiếp nhận: {where}.")
    if procedure.agency and procedure.agency != where:
        lines.append(f"- Cơ quan thực hiện: {procedure.agency}.")
    if procedure.levels:
        lines += level_lines(procedure.levels, named=bool(where))
    return lines


def level_lines(levels: str, *, named: bool) -> list[str]:
    """The levels the record gives, beside the agencies it names: «Tổ chức hành nghề công chứng, Cơ quan
    đại diện» alone hid that copies are certified at the commune too (2.000815, «Cấp xã, Cơ quan
    khác»). Where the record names no agency (222 of 2,642), each level says which office files it."""
    shown, offices = [], False
    for level in (part.strip() for part in levels.split(",") if part.strip()):
        office = None if named else LEVEL_OFFICES.get(level)
        shown.append(f"{level} ({office})" if office else level)
        offices = offices or office is not None
    lines = [f"- Cấp thực hiện: {', '.join(shown)}."]
    return [*lines, f"- Trung tâm Phục vụ hành chính công là {ONE_STOP}."] if offices else lines


def _document_line(document: dict[str, Any], bullet: str, heading: str | None = None) -> str:
    """One paper as a list item, its name cut after DOCUMENT_CHARS: a fifth of the catalogue's
    "names" run to whole paragraphs (600 characters in "Đăng ký thường trú"), which the procedure
    page shows whole and the record's own sentences on the question are quoted from."""
    extra = [part for part in (document.get("template"), documents.shown_quantity(document)) if part]
    name = cut(documents.shown_name(document, heading), DOCUMENT_CHARS)
    return f"{bullet}{name}" + (f" ({'; '.join(extra)})" if extra else "")


def document_lines(procedure: Any, question: str = "") -> list[str]:
    """The papers to prepare, at most MAX_DOCUMENTS, by case under each case's heading when the
    record's tables name cases (`documents.cases`: the one the question describes first). What does
    not fit is still named: each case left out by its heading, the papers and notes left by number."""
    found = documents.cases(procedure, question)
    grouped = documents.by_case(found)
    bullet = "  + " if grouped else "- "
    lines: list[str] = []
    room, left_out = MAX_DOCUMENTS, []
    for case in (case for case in found if not case.is_notes):
        if room <= 0:
            left_out.append(case)
            continue
        if grouped:
            lines.append(f"- {case.heading or documents.UNNAMED}:")
        lines += [_document_line(d, bullet) for d in case.documents[:room]]
        if len(case.documents) > room:
            lines.append(f"{bullet}… và {len(case.documents) - room} giấy tờ khác ({_see(procedure)}).")
        room -= len(case.documents)
    if left_out:
        named = "; ".join(f"«{cut(case.heading or documents.UNNAMED, CASE_CHARS)}»" for case in left_out)
        lines.append(f"- Các trường hợp khác ({_see(procedure)}): {named}.")
    for case in (case for case in found if case.is_notes):
        if room >= len(case.documents):
            lines.append(f"- {NOTE_GROUP}:")
            lines += [_document_line(d, "  + ", NOTE_GROUP) for d in case.documents]
        else:  # «Hồ sơ còn 19 lưu ý» read as 19 more papers
            lines.append(
                f"- {NOTE_GROUP}: còn {len(case.documents)} ghi chú về hồ sơ (điều cần biết khi chuẩn bị, "
                f"không phải giấy tờ phải nộp thêm); {_see(procedure)}."
            )
    return lines or ["- Không có thông tin về thành phần hồ sơ."]


def _see(procedure: Any) -> str:
    """Where the rest of the record is read: the procedure's page, linked on the chat page."""
    code = getattr(procedure, "code", None)
    return f"xem trang thủ tục /procedures/{code}" if code else "xem trang thủ tục"


def legal_basis_text(basis: dict[str, Any]) -> str:
    """'Luật Hộ tịch 60/2014/QH13', without repeating an identifier the title already holds."""
    title, identifier = (basis.get("title") or "").strip(), (basis.get("identifier") or "").strip()
    return title if identifier and identifier in title else f"{title} {identifier}".strip()


def legal_lines(procedure: Any) -> list[str]:
    return [f"- {legal_basis_text(basis)}" for basis in procedure.legal_bases or []] or ["- Không có thông tin."]


def _text_as_items(text: str | None, empty: str) -> list[str]:
    """A free-text section of the record as list items, one per line, without the record's own
    bullets ("- Trường hợp…" is not shown as "- - Trường hợp…")."""
    lines = [line.strip().lstrip("-+•* ").strip() for line in (text or "").splitlines()]
    return [f"- {line}" for line in lines if line] or [f"- {empty}"]


# Two records in three say "Không có thông tin" for conditions, social housing's among them: the
# record is silent, which is not "no conditions", and a citizen told there are none may go unprepared.
NO_CONDITIONS_GIVEN = (
    "Hồ sơ thủ tục trên Cổng Dịch vụ công không ghi yêu cầu, điều kiện; hãy xem trang chính thức của thủ tục "
    "hoặc hỏi nơi tiếp nhận hồ sơ trước khi nộp."
)


# Each asked section: its title and its lines, from the record and the question (only the
# documents read the question: the case it describes is listed first).
SECTIONS: dict[Intent, tuple[str, Callable[[Any, str], list[str]]]] = {
    Intent.DOCUMENTS: ("Hồ sơ cần chuẩn bị", document_lines),
    Intent.FEE: ("Phí, lệ phí", lambda p, _: fee_lines(p)),
    Intent.TIME: ("Thời gian giải quyết", lambda p, _: time_lines(p)),
    Intent.CHANNEL: ("Nộp ở đâu, nộp thế nào", lambda p, _: channel_lines(p)),
    Intent.CONDITIONS: ("Điều kiện", lambda p, _: _text_as_items(p.conditions, NO_CONDITIONS_GIVEN)),
    Intent.RESULT: ("Kết quả nhận được", lambda p, _: _text_as_items(p.result, "Không có thông tin.")),
    Intent.LEGAL_BASIS: ("Căn cứ pháp lý", lambda p, _: legal_lines(p)),
}
ORDER = [
    Intent.DOCUMENTS,
    Intent.TIME,
    Intent.FEE,
    Intent.CHANNEL,
    Intent.CONDITIONS,
    Intent.RESULT,
    Intent.LEGAL_BASIS,
]


# Introduces the sections the citizen did not ask about: the chat page folds them under it.
MORE = "Thông tin khác về thủ tục này:"
ALSO = "Nếu bạn cần thủ tục"  # opens the answer about the second of two procedures offered


def _section(procedure: Any, intent: Intent, question: str) -> str:
    title, lines = SECTIONS[intent]
    return f"\n{title}:\n" + "\n".join(lines(procedure, question))


def answer(procedure: Any, intents: Sequence[Intent], question: str = "", *, brief: bool = False) -> str:
    """The answer about one procedure: the record's sentences about the question itself, then
    the asked sections, then the rest of the record. A `brief` answer (to a follow-up such as "còn
    lệ phí thì sao?", the record having just been shown whole) keeps to the asked sections."""
    asked = [i for i in intents if i in SECTIONS]
    rest = [] if brief and asked else [i for i in ORDER if i not in asked]
    parts = [f"Thủ tục «{plain_name(procedure.name)}» (mã {procedure.code}, {procedure.levels or 'không rõ cấp'}):"]
    related = related_sentences(question, procedure) if question else []
    if related:
        parts.append("\nTrích từ hồ sơ thủ tục, liên quan đến câu hỏi:\n" + "\n".join(f"- {s}" for s in related))
    for intent in asked:
        parts.append(_section(procedure, intent, question))
    if asked and rest:
        parts.append(f"\n{MORE}")
    for intent in rest:
        parts.append(_section(procedure, intent, question))
    if procedure.url:
        parts.append(f"\nXem đầy đủ trên Cổng Dịch vụ công quốc gia: {procedure.url}")
    return "\n".join(parts)


def which_level(procedures: Sequence[Any]) -> str:
    """Ask which of several procedures of the same name the citizen means."""
    options = "\n".join(f"- {p.name} — {p.levels} (mã {p.code})" for p in procedures)
    return f"Có {len(procedures)} thủ tục phù hợp, khác nhau ở cấp thực hiện. Bạn cần thủ tục nào?\n{options}"


def which_of_family(procedures: Sequence[Any]) -> str:
    """Ask which of two procedures of one family (most of their names shared) the citizen means."""
    return f"Có {len(procedures)} thủ tục gần giống nhau. Bạn cần thủ tục nào?\n{_options(procedures)}"


def only_offered(procedures: Sequence[Any]) -> str:
    """A reply that picked past the procedures offered ("cái thứ ba" of two): name them again."""
    return (
        f"Tôi chỉ đưa ra {len(procedures)} thủ tục. Bạn cần thủ tục nào? "
        f"Hãy trả lời «cái thứ nhất» hoặc «cái thứ hai».\n{_options(procedures)}"
    )


def _options(procedures: Sequence[Any]) -> str:
    return "\n".join(f"- {p.name} (mã {p.code})" for p in procedures)


def also(procedure: Any, intents: Sequence[Intent], question: str, *, brief: bool = False) -> str:
    """The answer about the second of two procedures the citizen may mean, introduced with its level
    (two levels of one service share their name); `brief` keeps to the asked sections."""
    level = f" ({procedure.levels})" if procedure.levels else ""
    return f"\n\n{ALSO} «{plain_name(procedure.name)}»{level}:\n\n" + answer(procedure, intents, question, brief=brief)


def pointer(procedure: Any) -> str:
    """Where to read about a close second procedure, for a question that asked nothing in particular
    (its whole answer would double a long one): its code, to ask about or to open."""
    level = f" ({procedure.levels})" if procedure.levels else ""
    return (
        f"\n\n{ALSO} «{plain_name(procedure.name)}»{level}:\n\n"
        f"- Hỏi «thủ tục {procedure.code} cần gì» hoặc xem tại /procedures/{procedure.code}."
    )


def unsure() -> str:
    """What an answer of low confidence starts with: the doubt, and how to get a better answer."""
    return (
        "Tôi chưa chắc thủ tục dưới đây đúng là điều bạn hỏi. Nếu không phải, hãy hỏi cụ thể hơn "
        f"(việc cần làm, giấy tờ cần xin) hoặc gọi tổng đài {HOTLINE}."
    )


def no_such_article(law: Any, number: str) -> str:
    """A question citing an article the law does not have: say so, and where to read the law."""
    return (
        f"{law.title} không có Điều {number}. Hãy kiểm tra lại số điều, hoặc xem mục lục của luật tại /laws/{law.slug}."
    )


def other_version(law: Any, year: str) -> str:
    """A question citing a law of a year other than the one imported ("Luật Đất đai 2024" when the
    2013 law is held): its articles may say something else, so none is quoted."""
    return (
        f"Kho văn bản chỉ có {law.title} số {law.number}, chưa có {law.title} năm {year}, nên tôi không trích "
        f"điều luật để tránh trả lời theo văn bản khác. Xem văn bản đang có tại /laws/{law.slug}."
    )


def law_not_held(title: str) -> str:
    """A question citing an article of a law the platform has not imported ("Luật Căn cước điều 19")."""
    return (
        f"Kho văn bản chưa có «{title}», nên tôi không trích được điều luật này. Các luật đang có: /laws. "
        f"Nếu bạn cần làm thủ tục, hãy hỏi về việc cần làm (ví dụ: làm thẻ căn cước cần gì?) hoặc gọi {HOTLINE}."
    )


def not_public_service() -> str:
    """The answer to a question about a business's service (a bank account, a ticket, insurance) or
    a foreign state's (a visa abroad)."""
    return (
        "Câu hỏi này về dịch vụ của doanh nghiệp (ngân hàng, nhà mạng, bảo hiểm, vận tải…) hoặc của nước ngoài "
        "(thị thực đi nước ngoài, học bổng du học), không phải thủ tục hành chính của Việt Nam, nên tôi không có "
        "thông tin chính thức để trả lời. Hãy hỏi trực tiếp nơi cung cấp dịch vụ; nếu cần thủ tục của cơ quan nhà "
        f"nước, hãy hỏi lại hoặc gọi tổng đài {HOTLINE}."
    )


_THANKS = re.compile(r"\b(?:cam on|thank|thanks|tks)\b")
_GOODBYE = re.compile(r"\b(?:tam biet|bye|goodbye)\b")


def small_talk(message: str = "") -> str:
    """The answer to a greeting, thanks or a goodbye (`message`, as the citizen wrote it): a greeting
    gets what the assistant can do and how to ask it; thanks and goodbyes a reply that fits them
    («cảm ơn» had been answered «Xin chào!»)."""
    said = fold(message).lower()
    thanks, goodbye = _THANKS.search(said), _GOODBYE.search(said)
    if thanks or goodbye:
        opening = "Không có gì ạ! Rất vui được giúp bạn." if thanks else "Tạm biệt bạn!"
        return (
            f"{opening} Khi cần hỏi về thủ tục hành chính (giấy tờ, lệ phí, thời gian, nơi nộp), bạn cứ hỏi tiếp "
            f"ở đây hoặc gọi tổng đài {HOTLINE}."
        )
    return (
        "Xin chào! Tôi là trợ lý hỏi đáp thủ tục hành chính của tỉnh Lạng Sơn. Hãy hỏi về một thủ tục: "
        "cần giấy tờ gì, lệ phí bao nhiêu, mất bao lâu, nộp ở đâu. Ví dụ: «làm giấy khai sinh cho con cần gì?»."
    )


def which_procedure() -> str:
    """The answer to a question that names no procedure, with none discussed before ("lệ phí bao nhiêu?")."""
    return (
        "Bạn muốn hỏi về thủ tục nào? Hãy nêu tên thủ tục hoặc việc cần làm, ví dụ: "
        "«lệ phí đăng ký kết hôn bao nhiêu?», «làm giấy khai sinh cần gì?»."
    )


def not_found(closest: Sequence[Any]) -> str:
    """Say so instead of guessing, and show where to go next."""
    text = (
        "Xin lỗi, tôi chưa tìm thấy thủ tục hành chính khớp với câu hỏi này. "
        f"Bạn có thể gọi tổng đài {HOTLINE} của tỉnh hoặc hỏi bộ phận một cửa nơi gần nhất."
    )
    if closest:
        text += "\nCác thủ tục gần nhất:\n" + "\n".join(f"- {p.name} (mã {p.code})" for p in closest)
    return text


def _article_heading(article: Any) -> str:
    return f"{article.citation}. {article.heading}" if article.heading else article.citation


_YEAR = re.compile(r"/((?:19|20)\d\d)/")


def article_answer(article: Any, url: str, number: str | None = None) -> str:
    """Quote the article a question cites, whole when short, or the clause it cites ("Khoản 2 Điều
    21 Luật Cư trú", `laws.clause_quote`) with its article offered, and link the law's page.

    The law's `number` (45/2013/QH13) says which text and year is quoted: the corpus was collected
    in 2021 and holds laws since replaced (Luật Đất đai 45/2013/QH13 by 31/2024/QH15), which read as
    current law when quoted bare. Only what the number says is told, and that a later law may have
    amended or replaced it; no replacement is named that the platform does not hold."""
    clause = article.citation.startswith("Khoản ")
    if clause:
        heading = f"{article.citation}" + (f" (Điều {article.number}. {article.heading})" if article.heading else "")
    else:
        heading = _article_heading(article)
    text = article.text if len(article.text) <= ARTICLE_CHARS else article.text[:ARTICLE_CHARS].rsplit(" ", 1)[0] + " …"
    more = f"Xem cả Điều {article.number}: {url}" if clause else f"Xem toàn văn: {url}"
    return f"{heading}\n{_quoted_text(article, number)}\n{text}\n\n{more}"


def _quoted_text(article: Any, number: str | None) -> str:
    """Which text is quoted, of which year, and that a later law may have changed it."""
    law = article.citation.split(f"Điều {article.number} ", 1)[-1].split(" (không có", 1)[0]
    year = _YEAR.search(number or "")
    which = f"{law} số {number}" + (f", ban hành năm {year.group(1)}" if year else "") if number else law
    return (
        f"(Trích {which}, theo bản có trong kho văn bản; luật ban hành sau có thể đã sửa đổi hoặc thay thế "
        "quy định này: hãy đối chiếu văn bản đang có hiệu lực.)"
    )


def related_article(article: Any, url: str) -> str:
    """Point to the article of a law the question named, after the procedure's own answer."""
    return f"Điều luật liên quan: {_article_heading(article)}. Xem: {url}"


def status_answer() -> str:
    return (
        "Để tra cứu tình trạng hồ sơ của bạn, hãy nhập mã hồ sơ (in trên giấy tiếp nhận) tại Cổng Dịch vụ công "
        f"của tỉnh, hoặc gọi tổng đài {HOTLINE}. Trợ lý không xem được hồ sơ cá nhân."
    )
