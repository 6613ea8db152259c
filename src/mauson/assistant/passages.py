"""The sentences of a procedure's record that answer the question itself.

The structured sections (time, fee, documents…) answer the usual questions, but many precise
facts live only in the free text: the steps ("trước khi nhập khẩu lô hàng ít nhất 60 ngày"),
the channel descriptions ("qua số điện thoại hoặc hộp thư điện tử"), notes in the document list.
This picks, from those texts, the few sentences that share the most distinctive words and
two-syllable phrases with the question, so the answer can quote them word for word.

A sentence that introduces a list ("… thì khai báo tạm vắng qua:") is quoted with its items, since
the items are the answer; they are scored together, as one passage.

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

from mauson.assistant.documents import is_note
from mauson.assistant.intents import topic
from mauson.vntext.everyday import official_terms
from mauson.vntext.normalize import fold
from mauson.vntext.segment import sentences, syllables

# The catalogue runs bulleted notes together on one line: "Lưu ý: - Trường hợp … - Người …".
_BULLET = re.compile(r"(?:^|\s)[-+•]\s+(?=[A-ZĐÀ-Ỹ])")
MAX_SENTENCES = 2
MAX_CHARS = 400  # a quoted sentence longer than this is cut at a word boundary
MAX_ITEMS = 6  # items of a list quoted after the sentence that introduces it
ITEM_CHARS = 160  # each item is cut at a word boundary after this
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
        # notes, which an answer only counts when they do not fit, and long "names", which are notes too
        if is_note(document) or len(document.get("name", "")) > 120:
            yield document["name"]


def _tokens(text: str) -> list[str]:
    return [fold(s) for s in syllables(text)]


def cut(text: str, limit: int) -> str:
    """`text` on one line, its bullets stripped, cut at a word boundary after `limit` characters (" …")."""
    text = " ".join(text.split()).strip(" -+*;")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _items(text: str) -> list[tuple[bool, list[str]]]:
    """The text's items in order, each (whether a bullet starts it, its sentences)."""
    found = []
    for line in text.splitlines():
        for number, item in enumerate(_BULLET.split(line)):  # a line that starts with a bullet splits before it
            said = list(sentences(item))
            if said:
                found.append((number > 0, said))
    return found


def _passages(text: str) -> Iterable[str]:
    """The sentences of one free text, a list joined to the sentence that introduces it, its items
    on their own lines ("  + …"), whether they run on in its line or follow on the next lines."""
    items = _items(text)
    for position, (_, said) in enumerate(items):
        yield from (cut(sentence, MAX_CHARS) for sentence in said[:-1])
        last = cut(said[-1], MAX_CHARS)
        listed = []
        if last.endswith(":"):
            for bulleted, item in items[position + 1 : position + 1 + MAX_ITEMS]:
                if not bulleted:
                    break
                listed.append(f"  + {cut(item[0], ITEM_CHARS)}")
        yield "\n".join([last, *listed])


def related_sentences(question: str, procedure: Any) -> list[str]:
    """Up to `MAX_SENTENCES` passages of the record most about the question, best first."""
    candidates = list(dict.fromkeys(passage for text in _texts(procedure) for passage in _passages(text)))
    if not candidates:
        return []
    tokenised = [_tokens(s) for s in candidates]
    frequency = Counter(t for said in tokenised for t in set(said))
    weight = {t: math.log((len(candidates) + 1) / (n + 0.5)) for t, n in frequency.items()}
    # the topic, not "cần giấy tờ gì" (every record's notes mention giấy tờ), with the record's own
    # words for the everyday ones of the whole question: "nộp online được không" asks about
    # "trực tuyến", a word the topic leaves out as a mere kind of question
    asked = _tokens(" ".join([topic(question), *official_terms(question)]))
    asked_words, asked_phrases = set(asked), set(pairwise(asked))
    scored = []
    for position, said in enumerate(tokenised):
        phrases = asked_phrases & set(pairwise(said))
        score = sum(weight[t] for t in asked_words & set(said)) + sum(weight[a] + weight[b] for a, b in phrases)
        if len(phrases) >= MIN_PHRASES and score >= MIN_SCORE:
            scored.append((score, position))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[str] = []
    for _, position in scored:
        passage = candidates[position]
        if not any(passage in earlier or earlier in passage for earlier in chosen):  # an item of a quoted list
            chosen.append(passage)
        if len(chosen) == MAX_SENTENCES:
            break
    return chosen
