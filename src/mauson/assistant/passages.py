"""The sentences of a procedure's record that answer the question itself.

The structured sections (time, fee, documents…) answer the usual questions, but many precise
facts live only in the free text: the steps ("trước khi nhập khẩu lô hàng ít nhất 60 ngày"),
the channel descriptions ("qua số điện thoại hoặc hộp thư điện tử"), notes in the document list.
This picks, from those texts, the few sentences that share the most distinctive words and
two-syllable phrases with the question, so the answer can quote them word for word.

Distinctive means rare among the record's own sentences (an IDF over them): words every
sentence repeats ("hồ sơ", "cơ quan") carry no weight. Matching is on folded syllables, so a
question typed without accents finds the same sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from mauson.assistant.intents import topic
from mauson.vntext.normalize import fold
from mauson.vntext.segment import sentences, syllables

# The catalogue runs bulleted notes together on one line: "Lưu ý: - Trường hợp … - Người …".
_BULLET = re.compile(r"(?:^|\s)[-+•]\s+(?=[A-ZĐÀ-Ỹ])")
MAX_SENTENCES = 2
MAX_CHARS = 400  # a quoted sentence longer than this is cut at a word boundary
MIN_PHRASES = 1  # a sentence must share at least one two-syllable phrase with the question
MIN_SCORE = 3.0  # and enough distinctive weight (about two rare words) to be worth quoting


def _texts(procedure: Any) -> Iterable[str]:
    """The free texts of the record that the structured sections do not already show whole."""
    if procedure.steps:
        yield procedure.steps
    for channel in procedure.channels or []:
        if channel.get("description"):
            yield channel["description"]
    for document in procedure.documents or []:
        if len(document.get("name", "")) > 120:  # long "names" are notes on the file, not titles
            yield document["name"]


def _tokens(text: str) -> list[str]:
    return [fold(s) for s in syllables(text)]


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split()).strip(" -+*;")
    if len(sentence) <= MAX_CHARS:
        return sentence
    return sentence[:MAX_CHARS].rsplit(" ", 1)[0] + " …"


def related_sentences(question: str, procedure: Any) -> list[str]:
    """Up to `MAX_SENTENCES` sentences of the record most about the question, best first."""
    items = (item for text in _texts(procedure) for line in text.splitlines() for item in _BULLET.split(line))
    candidates = list(dict.fromkeys(s for item in items for s in sentences(item)))
    if not candidates:
        return []
    tokenised = [_tokens(s) for s in candidates]
    frequency = Counter(t for tokens in tokenised for t in set(tokens))
    weight = {t: math.log((len(candidates) + 1) / (n + 0.5)) for t, n in frequency.items()}
    asked = _tokens(topic(question))  # not "cần giấy tờ gì": every record's notes mention giấy tờ
    asked_words, asked_phrases = set(asked), set(pairwise(asked))
    scored = []
    for position, tokens in enumerate(tokenised):
        phrases = asked_phrases & set(pairwise(tokens))
        score = sum(weight[t] for t in asked_words & set(tokens)) + sum(weight[a] + weight[b] for a, b in phrases)
        if len(phrases) >= MIN_PHRASES and score >= MIN_SCORE:
            scored.append((score, position))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [_shorten(candidates[position]) for _, position in scored[:MAX_SENTENCES]]
