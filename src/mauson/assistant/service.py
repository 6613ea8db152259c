"""The citizen assistant: find the procedure a question is about and answer from its record.

`ask()` decides the intent, searches the question's topic (with the catalogue's own wording for
everyday words) through the `search` module, reranks the candidates (`rerank.py`), and either
answers from the record (facts copied, never invented), asks which procedure is meant when the
best two are the same service at two levels or one family (and answers both), or says it does
not know and offers the closest ones. A question that names an article of an imported law gets
the article. Each question is logged with its personal data masked, so officers can review what
went unanswered.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from mauson.assistant import choice, compose, laws, rephrase
from mauson.assistant.ages import misses_age
from mauson.assistant.catalogue import plain_name
from mauson.assistant.documents import LITTLE_WORDS
from mauson.assistant.intents import (
    Intent,
    commercial_phrase,
    detect,
    is_small_talk,
    looks_like_follow_up,
    names_nothing,
    opens_like_follow_up,
    topic,
)
from mauson.assistant.models import AssistantQuestion, Law, LawArticle, Procedure
from mauson.assistant.procedures import (
    PROCEDURE_CODE,
    agency_spellings,
    get_procedure_or_raise,
    iter_all,
    list_procedures,
    named_procedure,
)
from mauson.assistant.rerank import lowered, names_it, rerank, unsaid_variants
from mauson.db import utcnow
from mauson.errors import Invalid
from mauson.identity.actions import ensure
from mauson.identity.models import Actor
from mauson.privacy.anonymize import TAGS
from mauson.privacy.models import Entity, EntityType
from mauson.privacy.service import scan, tagged, without_personal_data
from mauson.search.models import SearchDocument
from mauson.search.service import MAX_LIMIT as SEARCH_LIMIT
from mauson.search.service import Progress, SearchIndex
from mauson.search.text import syllables
from mauson.settings import Settings
from mauson.vntext.amounts import written
from mauson.vntext.everyday import with_official_terms
from mauson.vntext.normalize import fold, normalize

MAX_QUESTION = 2_000  # longer is refused by `_check` (ask.too_long); `models.MAX_PASTED` is what reaches it
# Below this top score the assistant says it does not know. Calibrated on the search module's own
# probe questions (answerable ones scored >= 0.40, out-of-scope ones <= 0.40; docs/search.md), not
# on the evaluation set; bench/assistant.py also reports it on bench/data/assistant_probe.jsonl.
ABSTAIN_BELOW = 0.40
# Below this top score the assistant answers but says it is not sure and how to get a better answer:
# on our probe no answerable question scored under it while a third of the out-of-scope ones did
# (docs/assistant.md, the threshold table), so a citizen is warned where mistakes gather.
DOUBT_BELOW = 0.55
FAMILY_OVERLAP = 0.5  # share of name syllables two procedures of one family have in common
CANDIDATES = 20  # the search's best, reordered by `rerank` (procedure families are rarely larger)


@dataclass(frozen=True)
class Citation:
    code: str
    name: str
    url: str | None
    legal_bases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    answer: str
    procedures: list[str]
    citations: list[Citation]
    confidence: float
    abstained: bool
    intents: list[Intent]
    conversation_id: str
    offered: tuple[str, ...] = ()  # the codes of the procedures the citizen is asked to choose between


BODY_DOCUMENTS = 12


def search_document(procedure: Procedure) -> SearchDocument:
    """What the search index holds of a procedure: its name (also embedded), and a body of the
    words citizens use to ask about it (field, agency, documents, result)."""
    documents = " ; ".join(d["name"] for d in (procedure.documents or [])[:BODY_DOCUMENTS])
    body = " \n".join(
        part for part in (procedure.field, procedure.agency, procedure.result, procedure.conditions, documents) if part
    )
    fields = {"field": procedure.field or "", "level": procedure.levels or "", "agency": procedure.agency or ""}
    return SearchDocument(
        kind="procedure",
        key=procedure.code,
        title=plain_name(procedure.name),
        body=body[:20_000],
        fields=fields,
        url=procedure.url,
    )


def reindex_procedures(*, session: Session, index: SearchIndex, progress: Progress | None = None) -> int:
    """Make the search index hold exactly the catalogue (unchanged names keep their vectors)."""
    return index.rebuild("procedure", (search_document(p) for p in iter_all(session=session)), progress=progress)


@dataclass(frozen=True)
class _Turn:
    """One question of a conversation, as every way of answering it needs it."""

    question: str
    intents: list[Intent]
    conversation: str
    settings: Settings | None
    brief: bool = False  # a follow-up: only the asked sections, the record was just shown whole

    @property
    def meaning(self) -> str:
        """The question with the catalogue's wording of its everyday terms added, as the search read
        it: "làm sổ đỏ lần đầu" says "hộ gia đình, cá nhân", not "tổ chức"."""
        return with_official_terms(self.question)


def _check(question: str) -> str:
    text = normalize(question)
    if not text:
        raise Invalid("Hãy nhập câu hỏi về thủ tục hành chính (ví dụ: làm giấy khai sinh cần gì?).", code="ask.empty")
    if not any(character.isalnum() for character in text):
        raise Invalid("Hãy viết câu hỏi bằng chữ (ví dụ: làm giấy khai sinh cần gì?).", code="ask.no_words")
    if len(text) > MAX_QUESTION:
        raise Invalid(f"Câu hỏi dài quá {written(MAX_QUESTION)} ký tự; hãy hỏi ngắn gọn hơn.", code="ask.too_long")
    return text


# The asker's own details are not what a question is about ("Tôi là Nguyễn Văn An, CCCD 0201…"
# searched for identity cards); a health condition may be ("trợ cấp cho người mắc bệnh hiểm nghèo").
SEARCHED_AROUND = frozenset(EntityType) - {EntityType.HEALTH}
INTRODUCING_WORDS = 3  # "Tôi là …", "số CCCD …": a clause of personal data and as many words goes with it
# Names and addresses are read from capitals and context, so a question typed in capitals reads as
# one ("DANG KY KHAI TU", "Cấp Lại Giấy Khai Sinh", "Lam Ho Chieu": Đặng, Lâm, Hồ are surnames) and
# nothing was left to search. Where that happens, only the numbers and addresses that identify a
# person are left out.
IDENTIFIERS = SEARCHED_AROUND - {EntityType.PERSON, EntityType.ADDRESS}


def search_subject(question: str) -> str:
    """What the search looks for: the question without who asks (`SEARCHED_AROUND`, with the words
    that introduce them); where that leaves less than two words, without who asks alone; where that
    too does, without its `IDENTIFIERS`."""
    subject = without_personal_data(question, SEARCHED_AROUND, clause_words=INTRODUCING_WORDS)
    if len(syllables(subject)) < 2:  # "Nguyễn Văn An làm hộ chiếu": the name goes, the words around it stay
        subject = without_personal_data(question, SEARCHED_AROUND)
    if len(syllables(subject)) < 2:
        subject = without_personal_data(question, IDENTIFIERS)
    return with_official_terms(topic(subject))


def confidence(scores: list[float]) -> float:
    """How sure the retrieval is: the top score, which the search module keeps absolute on 0–1."""
    return round(scores[0], 3) if scores else 0.0


def _same_service(first: Procedure, second: Procedure) -> bool:
    """One service listed twice, at two levels ("Gia hạn nộp thuế" and "Thủ tục gia hạn nộp thuế")."""
    return fold(plain_name(first.name)) == fold(plain_name(second.name)) and first.levels != second.levels


def _same_family(first: Procedure, second: Procedure) -> bool:
    """Two procedures whose names share at least half their syllables ("Đăng ký khai tử" and
    "Đăng ký lại khai tử"): a question that fits one usually fits the other."""
    one, other = set(syllables(first.name)), set(syllables(second.name))
    return len(one & other) >= FAMILY_OVERLAP * len(one | other)


def _told_apart(question: str, first: Procedure, second: Procedure) -> bool:
    """Whether the question already says which of two procedures of a family it means, so that
    asking «Bạn cần thủ tục nào?» would only make the citizen repeat it: it says the first's name
    and not the second's; or words only the first name holds and none only the second holds
    ("…muốn sửa lại" between "Đăng ký lại khai sinh" and "Đăng ký khai sinh"); or the second is the
    first with words added that the question does not say ("Đăng ký khai sinh" and "… có yếu tố nước
    ngoài", "Đăng ký kết hôn" and "… lưu động": who says nothing more means the plain one, and the
    other still follows the answer when it scores close); or the second acts on a paper already
    issued ("Gia hạn…", "…lại…") and the question says no such thing; or the question states an age
    only the first's range holds ("cho con 10 tuổi": "…dưới 14 tuổi")."""
    if names_it(question, first.name) and not names_it(question, second.name):
        return True
    if misses_age(question, second.name) and not misses_age(question, first.name):
        return True
    asked = {fold(word.lower()) for word in syllables(question)}
    one, other = ({fold(word.lower()) for word in syllables(plain_name(p.name))} for p in (first, second))
    if asked & (one - other) and not asked & (other - one):
        return True
    # With accents, or "đổi" is "đối" and "đang" "đăng": a name is another's with words added only
    # if each of its syllables is the other's as written.
    plain, longer = (set(lowered(p.name)) for p in (first, second))
    added = {fold(word) for word in longer - plain} - LITTLE_WORDS  # "có", "tại" say nothing of "có yếu tố…"
    if plain < longer and not asked & added:
        return True
    return unsaid_variants(question, second.name) > unsaid_variants(question, first.name)


def _issued(session: Session, conversation_id: str) -> bool:
    """Whether this server gave out the conversation id (a question was logged under it). An id a
    client makes up starts a new conversation: two clients picking "abc" would share follow-ups,
    and the chat page would list the other's questions."""
    stmt = select(AssistantQuestion.id).where(AssistantQuestion.conversation_id == conversation_id).limit(1)
    return session.scalar(stmt) is not None


def _previous_turn(session: Session, conversation_id: str) -> AssistantQuestion | None:
    """The conversation's last answered question, as logged."""
    return session.scalar(
        select(AssistantQuestion)
        .where(AssistantQuestion.conversation_id == conversation_id, AssistantQuestion.abstained.is_(False))
        .order_by(AssistantQuestion.id.desc())
        .limit(1)
    )


OFFER_STANDS_FOR = 5  # answered turns an offer of two procedures is looked for back


def _standing_offer(session: Session, conversation_id: str) -> AssistantQuestion | None:
    """The conversation's last answer that offered two procedures ("Bạn cần thủ tục nào?"), if the
    choice still stands: every answer since was about one of the two ("còn lệ phí thì sao?" in
    between leaves it open; a question about something else closes it)."""
    turns = session.scalars(
        select(AssistantQuestion)
        .where(AssistantQuestion.conversation_id == conversation_id, AssistantQuestion.abstained.is_(False))
        .order_by(AssistantQuestion.id.desc())
        .limit(OFFER_STANDS_FOR)
    )
    since: list[AssistantQuestion] = []
    for turn in turns:
        if turn.offered:
            return turn if all(t.procedures[:1] and t.procedures[0] in turn.offered for t in since) else None
        since.append(turn)
    return None


def _offered(session: Session, before: AssistantQuestion | None, reply: str) -> list[Procedure] | None:
    """The two procedures a short reply may pick from. Only from an offer that was made and still
    stands: "cái thứ hai" after an answer that offered nothing had switched to the runner-up of the
    search."""
    if before is None or not choice.is_short_reply(reply):
        return None
    offer = before if before.offered else _standing_offer(session, before.conversation_id)
    if offer is None or not offer.offered:
        return None
    found = {p.code: p for p in session.scalars(select(Procedure).where(Procedure.code.in_(offer.offered)))}
    options = [found[code] for code in offer.offered if code in found]
    return options if len(options) >= 2 else None  # else the catalogue has changed since


def _citation(procedure: Procedure) -> Citation:
    bases = [compose.legal_basis_text(basis) for basis in procedure.legal_bases or []]
    return Citation(procedure.code, procedure.name, procedure.url, bases)


def ask(
    *,
    session: Session,
    actor: Actor,
    index: SearchIndex,
    question: str,
    conversation_id: str | None = None,
    settings: Settings | None = None,
    about: str | None = None,
) -> Reply:
    """Answer a citizen's question about an administrative procedure. `about` is the code of the
    procedure the citizen came from (its page's "ask about this procedure"): a question that names
    nothing, at the start of a conversation, is about it."""
    text = _check(question)
    known = conversation_id if conversation_id is not None and _issued(session, conversation_id) else None
    turn = _Turn(text, detect(text), known or uuid.uuid4().hex, settings)
    before = _previous_turn(session, known) if known else None
    # "còn với người nước ngoài thì sao?" names something new, but may still be about the procedure discussed
    staying_on = _discussed(before, about) if opens_like_follow_up(text) else None
    reply = _without_search(session, turn, before, about) or _searched(session, index, actor, turn, staying_on)
    return _log(session, actor, text, reply)


def _discussed(before: AssistantQuestion | None, about: str | None) -> tuple[str, float] | None:
    """The procedure a follow-up refers to, with how sure it was: the last one answered in the
    conversation, else the one the citizen came from."""
    if before is not None and before.procedures:
        return before.procedures[0], before.confidence
    return (about, 1.0) if about else None


def _cited(session: Session, turn: _Turn) -> Reply | None:
    """The answer to a question that cites an article of a law by number: the article, quoted, or
    why it is not ("Điều 999 Luật Cư trú", "Luật Đất đai 2024" when 2013's is held, "Luật Căn cước
    điều 19" when that law is not imported). Never a procedure searched for its words."""
    text, intents, conversation = turn.question, turn.intents, turn.conversation
    cited = laws.cited_article(session=session, text=text)
    if cited is None:
        not_held = laws.uncited_law(session=session, text=text)
        if not_held is None:
            return None
        return Reply(compose.law_not_held(not_held), [], [], 0.0, True, intents, conversation)
    if cited.other_year is not None:
        return Reply(compose.other_version(cited.law, cited.other_year), [], [], 0.0, True, intents, conversation)
    if cited.article is None:
        return Reply(compose.no_such_article(cited.law, cited.number), [], [], 0.0, True, intents, conversation)
    return _quoted(session, cited.article, 1.0, intents=intents, conversation=conversation)


def _without_search(
    session: Session, turn: _Turn, before: AssistantQuestion | None, about: str | None = None
) -> Reply | None:
    """The answers that need no search: a dossier's status, an article cited by number, a reply
    picking one of two procedures offered, a follow-up on the procedure just discussed, and a
    question that names nothing to search for."""
    text, intents, conversation = turn.question, turn.intents, turn.conversation
    if intents == [Intent.STATUS]:
        return Reply(compose.status_answer(), [], [], 1.0, False, intents, conversation)
    if is_small_talk(text):
        return Reply(compose.small_talk(text), [], [], 0.0, True, intents, conversation)
    named = named_procedure(session=session, text=text)
    if named is not None:  # "thủ tục 1.001193 cần gì": the code the answers print, copied back
        return _grounded(named, turn, [named.code], 1.0)
    cited = _cited(session, turn)
    if cited is not None:
        return cited
    options = _offered(session, before, text)
    if options is not None and choice.beyond(text, options):  # "cái thứ ba" of two: the offer again, still open
        codes = [p.code for p in options]
        citations = [_citation(p) for p in options]
        return Reply(compose.only_offered(options), codes, citations, 1.0, False, intents, conversation, tuple(codes))
    if options is None and choice.is_bare_pick(text):  # "cái sau" with no offer standing: nothing to pick from
        return Reply(compose.which_procedure(), [], [], 0.0, True, intents, conversation)
    position = None if options is None else choice.chosen(text, options)
    if options is not None and position is not None and before is not None:  # "cấp tỉnh": what was asked, for it
        asked_before = [Intent(i) for i in before.intents]
        picked_turn = replace(turn, intents=asked_before if intents == [Intent.GENERAL] else intents)
        return _grounded(options[position], picked_turn, [options[position].code], 1.0)
    discussed = _discussed(before, about)
    if discussed is not None and (looks_like_follow_up(text) or choice.names_only_a_level(text)):
        code, sure = discussed  # as sure as the procedure was when it was found
        procedure = get_procedure_or_raise(session=session, code=code)
        return _grounded(procedure, replace(turn, brief=True), [procedure.code], sure)
    if discussed is None and names_nothing(text):  # nothing to search for or to refer to
        return Reply(compose.which_procedure(), [], [], 0.0, True, intents, conversation)
    return None


def _searched(
    session: Session, index: SearchIndex, actor: Actor, turn: _Turn, staying_on: tuple[str, float] | None = None
) -> Reply:
    """The answer from the catalogue's best procedures for the question's subject, or the decline.

    `staying_on` is the procedure discussed when the question opens like a follow-up but names
    something new: unless the search finds a procedure it is sure of ("còn làm hộ chiếu thì sao?"),
    the question is about the one discussed ("còn với người nước ngoài thì sao?" had found visas)."""
    text, intents, conversation = turn.question, turn.intents, turn.conversation
    subject = search_subject(text)
    result = index.search(subject, actor=actor, kinds=["procedure"], limit=CANDIDATES)
    codes = [hit.key for hit in rerank(subject, result.hits)][:10]
    sure = confidence([hit.score for hit in result.hits])
    if staying_on is not None and sure < DOUBT_BELOW:
        code, was_sure = staying_on
        procedure = get_procedure_or_raise(session=session, code=code)
        return _grounded(procedure, replace(turn, brief=True), [procedure.code], was_sure)
    procedures = [get_procedure_or_raise(session=session, code=code) for code in codes[:3]]
    law_article = _named_laws_article(session, index, actor, text)
    if (not procedures or sure < ABSTAIN_BELOW) and law_article is not None:
        return _quoted(session, *law_article, intents=intents, conversation=conversation)
    if not procedures or sure < ABSTAIN_BELOW:
        return Reply(compose.not_found(procedures), codes, [], sure, True, intents, conversation)
    if commercial_phrase(text, procedures[0].name):  # a bank's, a shop's, a carrier's service
        return Reply(compose.not_public_service(), codes, [], sure, True, intents, conversation)
    scores = {hit.key: hit.score for hit in result.hits}
    reply = _answer(procedures, turn, codes, sure)
    if law_article is not None:
        reply = _with_article(session, reply, law_article[0])
    if len(procedures) > 1 and not reply.offered and scores[procedures[1].code] >= DOUBT_BELOW:
        reply = _with_runner_up(reply, procedures[0], procedures[1], turn)  # last: the chat page folds it
    if sure < DOUBT_BELOW:
        reply = replace(reply, answer=compose.unsure() + "\n\n" + reply.answer)
    return reply


def _named_laws_article(
    session: Session, index: SearchIndex, actor: Actor, question: str
) -> tuple[LawArticle, float] | None:
    """The article on the question's subject of the imported law it names without citing an article
    ("điều kiện đăng ký thường trú theo luật cư trú" → Điều 20 Luật Cư trú), when it matches well;
    none from a law of another year than the question gives ("Luật Cư trú năm 2006")."""
    law = None if laws.names_an_article(question) else laws.named_law(session=session, text=question)
    if law is not None and laws.other_year(question, law) is not None:
        return None
    found = laws.best_article(session=session, index=index, actor=actor, law=law, query=question) if law else None
    return found if found is not None and found[1] >= DOUBT_BELOW else None


def _article_citation(session: Session, article: LawArticle) -> Citation:
    law = session.get_one(Law, article.law_id)
    anchor = f"{law.slug}#{laws.article_anchor(article)}"
    return Citation(anchor, article.citation, f"/laws/{anchor}")


def _with_article(session: Session, reply: Reply, article: LawArticle) -> Reply:
    """A procedure's answer to a question that also names a law, with the law's article on it named and linked."""
    citation = _article_citation(session, article)
    pointer = compose.related_article(article, citation.url or "")
    return replace(reply, answer=f"{reply.answer}\n\n{pointer}", citations=[*reply.citations, citation])


def _answer(procedures: list[Procedure], turn: _Turn, codes: list[str], sure: float) -> Reply:
    """The answer about the best procedure; when the second best is the same service at another
    level, or of the same family, the citizen is asked which, and both are answered (the fee and
    the time often differ between them)."""
    first, second = procedures[0], procedures[1] if len(procedures) > 1 else None
    question, intents = turn.question, turn.intents
    if second is not None and _same_service(first, second) and not choice.names_a_level(question):
        text = (
            compose.which_level([first, second])
            + "\n\n"
            + compose.answer(first, intents, question)
            + compose.also(second, intents, question)
        )
    elif second is not None and _same_family(first, second) and not _told_apart(turn.meaning, first, second):
        text = (
            compose.which_of_family([first, second])
            + "\n\n"
            + compose.answer(first, intents, question)
            + compose.also(second, intents, question)
        )
    else:
        return _grounded(first, turn, codes, sure)
    citations = [_citation(first), _citation(second)]
    return Reply(text, codes, citations, sure, False, intents, turn.conversation, (first.code, second.code))


def _with_runner_up(reply: Reply, first: Procedure, second: Procedure, turn: _Turn) -> Reply:
    """The answer with the asked sections of the second best procedure after it, when that one
    matches the question as well as an answer given without doubt (`DOUBT_BELOW`) and the citizen
    did not name the first: close seconds are common ("Thành lập" and "Đăng ký hoạt động" of one
    office), and the fee or time of the one meant is then one tap away instead of a new question.
    A question asking nothing in particular gets where to read about it ("làm khai sinh cho con"
    answers the plain registration and points to the one with a foreign parent); the chat page
    shows either folded."""
    if names_it(turn.question, first.name):
        return reply
    if any(intent in compose.SECTIONS for intent in turn.intents):
        text = reply.answer + compose.also(second, turn.intents, turn.question, brief=True)
    else:
        text = reply.answer + compose.pointer(second)
    return replace(reply, answer=text, citations=[*reply.citations, _citation(second)])


def _grounded(procedure: Procedure, turn: _Turn, codes: list[str], sure: float) -> Reply:
    text = compose.answer(procedure, turn.intents, turn.question, brief=turn.brief)
    if turn.settings is not None and turn.settings.llm_base_url:
        text = rephrase.rephrase(turn.settings, grounded=text)
    return Reply(text, codes, [_citation(procedure)], sure, False, turn.intents, turn.conversation)


def _quoted(session: Session, article: LawArticle, sure: float, *, intents: list[Intent], conversation: str) -> Reply:
    """The answer to a question that names an article ("Điều 20 Luật Cư trú quy định gì?"), or a law
    and what it asks of it ("điều kiện đăng ký thường trú theo luật cư trú")."""
    citation = _article_citation(session, article)
    answer = compose.article_answer(article, citation.url or "", session.get_one(Law, article.law_id).number)
    return Reply(answer, [], [citation], sure, False, intents, conversation)


ANSWER_KEPT = 1_000  # characters of an answer logged: enough to see what the citizen was told


def _log(session: Session, actor: Actor, question: str, reply: Reply) -> Reply:
    """Keep the question and the start of its answer for officers' review, personal data masked."""
    asked = scan(question)
    masked = tagged(question, asked)
    session.add(
        AssistantQuestion(
            conversation_id=reply.conversation_id,
            asked_at=utcnow(),
            question=masked,
            intents=[i.value for i in reply.intents],
            procedures=reply.procedures[:5],
            abstained=reply.abstained,
            confidence=reply.confidence,
            via=actor.via,
            offered=list(reply.offered) or None,
            answer=_as_logged(reply.answer[:ANSWER_KEPT], asked),
        )
    )
    session.flush()
    return reply


def _as_logged(answer: str, asked: Sequence[Entity]) -> str:
    """The answer as the log keeps it: the personal data the question held tagged wherever the answer
    repeats it (a rephrased answer may). The rest is the official record's text, which the tagger had
    misread as names and addresses ("người nước ngoài cư trú ở [ĐỊA CHỈ] làm con nuôi")."""
    for entity in sorted(asked, key=lambda e: -len(e.text)):
        # as whole words, and a name of one word only where it is the question's: "chị Hà" is not
        # the "Hà" of "Sở Tư pháp Hà Nội", nor "Họ tên: Sơn" the "Sơn" of "Lạng Sơn"
        if len(entity.text.split()) > 1 or (entity.type != EntityType.PERSON and entity.text.strip()):
            answer = re.sub(rf"(?<!\w){re.escape(entity.text)}(?!\w)", TAGS[entity.type], answer)
    return answer


def history(*, session: Session, conversation_id: str, limit: int = 10) -> list[tuple[str, Procedure | None]]:
    """The conversation's latest turns, oldest first, as logged (personal data masked): each question
    with the procedure answered, or None where the assistant did not know."""
    turns = session.scalars(
        select(AssistantQuestion)
        .where(AssistantQuestion.conversation_id == conversation_id)
        .order_by(AssistantQuestion.id.desc())
        .limit(limit)
    ).all()
    codes = {turn.procedures[0] for turn in turns if turn.procedures and not turn.abstained}
    named = {p.code: p for p in session.scalars(select(Procedure).where(Procedure.code.in_(codes)))}
    return [
        (turn.question, None if turn.abstained or not turn.procedures else named.get(turn.procedures[0]))
        for turn in reversed(turns)
    ]


def unanswered(*, session: Session, actor: Actor, limit: int = 100) -> list[AssistantQuestion]:
    """The latest questions the assistant could not answer, or answered saying it was not sure
    (below DOUBT_BELOW, where its mistakes gather), for officers to review."""
    ensure(actor, "assistant-review")
    doubtful = AssistantQuestion.abstained.is_(True) | (AssistantQuestion.confidence < DOUBT_BELOW)
    stmt = select(AssistantQuestion).where(doubtful)
    return list(session.scalars(stmt.order_by(AssistantQuestion.id.desc()).limit(limit)))


def find_procedures(
    *,
    session: Session,
    actor: Actor,
    index: SearchIndex,
    query: str | None,
    field: str | None = None,
    level: str | None = None,
    agency: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Procedure]:
    """Procedures for the browser and the API: with a query, its matches best first from `offset`
    (within the search's best `search.service.MAX_LIMIT`); without one, the catalogue by code.

    A query's matches stop where the assistant would stop answering (ABSTAIN_BELOW): below it the
    dense channel alone fills the list with whatever is least far ("ly hôn" listed driving licences).
    """
    if not query or not query.strip():
        return list_procedures(session=session, field=field, level=level, agency=agency, limit=limit, offset=offset)
    if PROCEDURE_CODE.fullmatch(query.strip()):  # a code is looked up, not searched ("1.001193" matched 17 others)
        return list_procedures(
            session=session, query=query, field=field, level=level, agency=agency, limit=limit, offset=offset
        )
    filters: dict[str, str | list[str]] = {"field": field} if field else {}
    if agency:  # every way the catalogue writes it, as the list without a query matches it ("Công an cấp xã")
        filters["agency"] = agency_spellings(session=session, agency=agency) or [agency]
    # with the catalogue's wording beside everyday words, as the assistant searches ("so do" → sổ đỏ's official name)
    wording = with_official_terms(query)
    result = index.search(wording, actor=actor, kinds=["procedure"], filters=filters or None, limit=SEARCH_LIMIT)
    # the best ones in the assistant's order ("giấy phép lái xe" lists the plain licence before "Cấp lại…")
    hits = [*rerank(wording, result.hits[:CANDIDATES]), *result.hits[CANDIDATES:]]
    matches = (get_procedure_or_raise(session=session, code=hit.key) for hit in hits if hit.score >= ABSTAIN_BELOW)
    at_level = (p for p in matches if not level or level in (p.levels or ""))
    return list(islice(at_level, offset, offset + limit))  # read from the database only as far as the page
