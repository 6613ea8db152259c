"""Second-stage ranking of the procedures the search found: prefer the title the question explains.

Procedures come in families that share most of their name: "Cấp giấy phép xây dựng mới…",
"Gia hạn giấy phép xây dựng…", "Cấp lại giấy phép xây dựng…". The search scores them almost
alike, because the shared words dominate both of its channels. What tells them apart are the
few words only some of them carry, and a citizen who wants the plain procedure does not say
them ("xin phép xây nhà" is not "cấp lại"). So each candidate earns a bonus for the share of
its title that the question covers, each syllable weighted by its rarity among the candidates
themselves (a local IDF): a word every candidate shares weighs nothing, a word one candidate
alone carries weighs most. A smaller bonus goes the other way, for the share of the question's
distinguishing words the title holds. A title that acts on a paper already issued ("lại", "gia
hạn", "điều chỉnh") when the question says no such thing loses a fixed penalty, and so does a
title for an age range the age the question states is outside ("căn cước cho con 10 tuổi" is not
"…cho người từ đủ 14 tuổi trở lên"), a title that leaves out what the question asks about, one
an agency applies for ("… theo yêu cầu của cơ quan …") when the question names none, and a
ministry's or an embassy's listing of a service also listed at the province or the commune, where
the province's citizens apply.

Syllables are compared with their accents when the question has them ("lái" is not "lại"),
folded when it has none. The label "Thủ tục" that starts some names is not part of the name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from mauson.assistant.ages import misses_age
from mauson.assistant.catalogue import plain_name
from mauson.search.models import Hit
from mauson.vntext.diacritics import restore
from mauson.vntext.normalize import fold, has_diacritics
from mauson.vntext.segment import syllables

TITLE_WEIGHT = 0.2  # bonus for a title wholly explained by the question
QUESTION_WEIGHT = 0.1  # bonus for a title holding all of the question's distinguishing words
# The words that name a family's plain member ("Cấp giấy phép xây dựng mới", "Đăng ký lần đầu"):
# a citizen who wants it does not say them, as they do not say "gia hạn" or "cấp lại" when they
# want neither, so a title's count as said by every question. Read with their accents in the
# title ("mới", not "mỗi"), whether or not the question has any.
PLAIN_MEMBER = ("mới", "lần đầu")
# The words that make a family's member act on a paper already issued: again, extended, amended
# ("Đăng ký lại khai sinh", "Gia hạn giấy phép xây dựng", "Điều chỉnh giấy phép…"). A citizen who
# wants one says so; one who does not wants the plain member. The coverage bonus alone did not
# outweigh a search score that a shorter record earns ("xin phép xây nhà ở riêng lẻ" got "Gia hạn…"
# first, "đăng ký nhận nuôi con nuôi" "Đăng ký lại…"), so a title holding one the question does
# not say loses VARIANT_PENALTY. Each phrase of the title (read with its accents: "lại", not
# "lái") maps to the words that say it in a question, with accents or typed without any ("làm
# lại", "cap lai" say "cấp lại"); a title's "trả lại", "trở lại", "ngược lại" are no re-issue, nor is
# a question's "lại" after `NOT_AGAIN`. A permit to repair or renovate a building ("Cấp giấy phép xây
# dựng sửa chữa, cải tạo…") acts on one already built: "xin giấy phép xây nhà" had been asked to
# choose between it and the new building's. A deregistration or a revocation ("Xóa đăng ký tàu cá",
# "Thu hồi giấy phép lái xe") ends one: "đăng ký tàu cá" had been answered with its removal. Wider
# lists (cấp đổi, bổ sung, thay đổi, sửa đổi) cost our probe nothing but accentless questions on
# dev (MRR@10 0.952 → 0.907): those words also name what a citizen asks about.
VARIANT_WORDS: dict[str, tuple[str, ...]] = {
    "cấp lại": ("lại",),
    "đăng ký lại": ("lại",),
    "gia hạn": ("gia hạn",),
    "điều chỉnh": ("điều chỉnh",),
    "xây dựng sửa chữa": ("sửa", "cải tạo"),
    "xóa đăng ký": ("xóa", "xoá", "hủy", "huỷ"),
    "thu hồi": ("thu hồi", "hủy", "huỷ", "xóa", "xoá"),
}
# These end one only as the title's act, its first words: elsewhere they tell a case ("Giải thể doanh
# nghiệp, giải thể trong trường hợp bị thu hồi Giấy chứng nhận…" is a dissolution).
OPENING_ONLY = frozenset({"xóa đăng ký", "thu hồi"})
# "lại" after these says no re-issue: "xe máy cũ mua lại" is bought second-hand, "đất ông bà để lại"
# inherited, "trả lại" given back; "mua lại" had let "Đăng ký lại phương tiện…" (a boat's) pass unpenalised.
NOT_AGAIN = frozenset({"mua", "bán", "để", "trả", "còn", "quay", "trở", "ngược", "ở"})
VARIANT_PENALTY = 0.1
# A title that lists a first issue before its variants ("Cấp, cấp lại Giấy phép khai thác thủy sản",
# "Đăng ký, đăng ký lại, điều chỉnh đóng BHXH tự nguyện") is the plain member too: no penalty
# ("Sửa đổi, cấp lại Bằng bảo hộ…" still acts on a paper issued). Those acts are the title's first
# words, before a comma, "và" or "hoặc".
FIRST_ISSUE = ("cấp", "cấp mới", "đăng ký", "đăng ký mới", "công nhận", "phê duyệt", "thẩm định")
_LISTS_FIRST_ISSUE = re.compile(rf"^\s*(?:{'|'.join(FIRST_ISSUE)})\s*(?:,|\bvà\b|\bhoặc\b)")
# A title for an age range that holds none of the ages the question speaks of (`ages`) loses
# as much as an unsaid variant ...
AGE_PENALTY = VARIANT_PENALTY
# ... and so does a title that leaves out what the question asks about (the words after "trừ",
# "không bao gồm"): "… công trình hết thời hạn sử dụng (trừ trường hợp nhà ở riêng lẻ)" was first
# for a question about building a house, its excluded words counted as the question's.
EXCLUDED = re.compile(r"(?:\(|,)\s*(?:ngoại\s+)?(?:trừ|không bao gồm)\s+(?:(?:các\s+)?trường hợp\s+)?([^()]+)")
EXCLUSION_PENALTY = VARIANT_PENALTY
# ... and so does a title an agency applies for ("Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan
# tiến hành tố tụng"), unless the question names one: a citizen asking for their own record
# ("làm lý lịch tư pháp số 2") had been given the courts' and the state bodies' listings.
AGENCY_REQUEST = re.compile(r"\btheo yêu cầu của cơ quan\b", re.IGNORECASE)
NAMES_AN_AGENCY = ("co quan", "toa an", "vien kiem sat", "cong an", "dieu tra", "to tung", "to chuc")
AGENCY_PENALTY = VARIANT_PENALTY
# The same service is often listed at each level that does it: "Cấp thẻ căn cước cho người từ đủ 14
# tuổi trở lên (thực hiện tại cấp trung ương)", "… (thực hiện tại cấp tỉnh)", and the commune's
# without the label. A citizen of the province applies at the commune or the province, so a listing
# done only by a ministry loses as much as an unsaid variant where a listing of the same service at a
# local level is among the candidates, unless the question names the central level ("làm căn cước
# nộp ở đâu" had been answered with the ministry's office in Hà Nội).
CENTRAL_PENALTY = VARIANT_PENALTY
CENTRAL_LEVEL = "Cấp bộ"
LEVEL_LABEL = re.compile(r"\s*\((?:thực hiện )?(?:tại )?cấp [^()]*\)\s*$", re.IGNORECASE)
# Services named with where they are applied for are one service too: "Nhập quốc tịch Việt Nam ở
# trong nước" (the province) and "… ở nước ngoài" (an embassy, for who lives abroad), "Cấp thẻ tạm
# trú … tại Cục Quản lý xuất nhập cảnh, Bộ Công an" and "… tại Công an cấp tỉnh". "xin quốc tịch Việt
# Nam cho vợ người Trung Quốc" had been sent abroad, the foreign person's "nước ngoài" matching it.
# A question that says "ở nước ngoài" or "đại sứ quán" asks for the central listing (`ASKS_CENTRAL`).
WHERE_APPLIED = re.compile(r"\s+(?:ở (?:trong nước|nước ngoài)\s*$|tại\s.*$)", re.IGNORECASE)
ASKS_CENTRAL = ("trung uong", "cap bo", "o nuoc ngoai", "dai su quan")


def lowered(text: str) -> list[str]:
    """The syllables of `text` in lower case with their accents, the label "Thủ tục" left out."""
    return [s.lower() for s in syllables(plain_name(text))]


def _compared(words: list[str], accents: bool) -> set[str]:
    """Syllables as the question's are compared: with their accents when it has any, else folded."""
    return set(words) if accents else {fold(word) for word in words}


def _syllables(text: str, accents: bool) -> set[str]:
    return _compared(lowered(text), accents)


def _plain_words(title: str, accents: bool) -> set[str]:
    """The syllables of the `PLAIN_MEMBER` phrases the title says (read with its accents)."""
    said = f" {' '.join(lowered(title))} "
    return _compared([word for phrase in PLAIN_MEMBER if f" {phrase} " in said for word in phrase.split()], accents)


def _says(asked: Sequence[str], phrase: str) -> bool:
    """Whether the question's syllables (`asked`, lower case, in order) hold `phrase`: each syllable
    as spelled, or typed without accents ("cap lai giay khai sinh" says "lại", "lái" does not)."""
    words = phrase.split()
    return any(
        all(
            said == word or (not has_diacritics(said) and said == fold(word))
            for said, word in zip(window, words, strict=True)
        )
        for window in (asked[start : start + len(words)] for start in range(len(asked) - len(words) + 1))
    )


def unsaid_variants(question: str, title: str) -> int:
    """How many `VARIANT_WORDS` the title says and the question does not."""
    return _unsaid(_read(question), title)


@lru_cache(maxsize=256)
def _read(question: str) -> tuple[str, ...]:
    """The question's syllables as variants are read in them, its accents restored: typed without
    them, "lai xe" would say "lại" (a re-issue) where it is "lái xe" (driving). Kept for the few
    questions just asked: the ranking and the «which?» decision read each one several times."""
    words = lowered(restore(question))
    return tuple(
        "" if word == "lại" and position and words[position - 1] in NOT_AGAIN else word
        for position, word in enumerate(words)
    )


def _unsaid(asked: Sequence[str], title: str) -> int:
    if _LISTS_FIRST_ISSUE.match(plain_name(title).lower()):
        return 0
    named = f" {' '.join(lowered(title))} "
    meant = {  # a set: "Cấp đổi, cấp lại…" says "lại" once
        said
        for phrase, said in VARIANT_WORDS.items()
        if (named.startswith(f" {phrase} ") if phrase in OPENING_ONLY else f" {phrase} " in named)
    }
    unsaid = sum(1 for words in meant if not any(_says(asked, said) for said in words))
    return 0 if unsaid < len(meant) else unsaid  # "Cấp lại, đổi, điều chỉnh …" serves who says one


def _service(hit: Hit) -> str:
    """The service a listing is of, whatever level it is listed at: its name without a level label
    or where it is applied for."""
    return fold(WHERE_APPLIED.sub("", LEVEL_LABEL.sub("", plain_name(hit.title)))).lower()


def _central_only(hit: Hit) -> bool:
    return {level.strip() for level in hit.fields.get("level", "").split(",")} == {CENTRAL_LEVEL}


def says_excluded(asked: set[str], title: str, accents: bool) -> bool:
    """Whether the question's syllables (`asked`, compared as `_compared` gives them) hold every
    syllable of something the title leaves out."""
    return any(
        len(words := _compared(lowered(match.group(1)), accents)) >= 2 and words <= asked
        for match in EXCLUDED.finditer(title)
    )


def rerank(question: str, hits: Sequence[Hit]) -> list[Hit]:
    """`hits` reordered by their search score plus the two coverage bonuses, less the variant
    penalty (stable on ties)."""
    if len(hits) < 2:
        return list(hits)
    accents = has_diacritics(question)
    asked = _syllables(question, accents)
    in_order = _read(question)
    titles = [_syllables(hit.title, accents) for hit in hits]
    plain = [_plain_words(hit.title, accents) for hit in hits]
    frequency = Counter(s for title in titles for s in title)
    weight = {s: math.log((len(hits) + 1) / (n + 0.5)) for s, n in frequency.items()}
    distinguishing = {s for s in asked.union(*plain) if s in weight}
    asked_weight = sum(weight[s] for s in distinguishing)
    folded = f" {' '.join(fold(word).lower() for word in syllables(question))} "
    local = (
        set()
        if any(f" {said} " in folded for said in ASKS_CENTRAL)
        else {_service(hit) for hit in hits if not _central_only(hit)}
    )
    for_an_agency = any(f" {said} " in folded for said in NAMES_AN_AGENCY)

    def score(position: int) -> float:
        title, says = titles[position], asked | plain[position]
        title_weight = sum(weight[s] for s in title)
        covered = sum(weight[s] for s in title if s in says)
        bonus = TITLE_WEIGHT * covered / title_weight if title_weight > 0 else 0.0
        if asked_weight > 0:
            held = sum(weight[s] for s in distinguishing if s in title and s in says)
            bonus += QUESTION_WEIGHT * held / asked_weight
        title_said = hits[position].title
        penalty = VARIANT_PENALTY * _unsaid(in_order, title_said) + AGE_PENALTY * misses_age(question, title_said)
        penalty += EXCLUSION_PENALTY * says_excluded(asked, title_said, accents)
        penalty += CENTRAL_PENALTY * (_central_only(hits[position]) and _service(hits[position]) in local)
        penalty += AGENCY_PENALTY * (not for_an_agency and AGENCY_REQUEST.search(title_said) is not None)
        return hits[position].score + bonus - penalty

    order = sorted(range(len(hits)), key=lambda position: -score(position))
    return [hits[position] for position in order]


def names_it(question: str, title: str) -> bool:
    """Whether the question says the title, word for word (its label aside, accents or not)."""
    said = " ".join(fold(s) for s in syllables(question))
    name = " ".join(fold(s) for s in syllables(plain_name(title)))
    return bool(name) and f" {name} " in f" {said} "
