"""Everyday words for administrative things, and the official wording the catalogue uses.

Citizens say "sổ đỏ", "hộ khẩu", "bằng lái"; the national procedure catalogue says "giấy chứng
nhận quyền sử dụng đất", "đăng ký thường trú", "giấy phép lái xe". Neither BM25 nor a small
sentence encoder bridges such pairs reliably, so a question is searched with the official wording
added after its own (`with_official_terms`). The pairs are in `data/everyday_terms.tsv`, written
by the project from common usage.

A term is matched with its accents when the text has them ("sổ đỏ" is not "sơ đồ"), folded when
the text has none.
"""

from __future__ import annotations

import re
from functools import cache

from mauson.vntext.normalize import fold, normalize
from mauson.vntext.phrases import comparable, read_table, whole_words


@cache
def _pairs() -> list[tuple[re.Pattern[str], re.Pattern[str], str]]:
    """(pattern with accents, folded pattern, official wording) for each line of the table."""
    pairs = []
    for row in read_table("everyday_terms.tsv"):
        everyday, official = (normalize(part).lower() for part in row)
        pairs.append((whole_words([everyday]), whole_words([fold(everyday)]), official))
    return pairs


def official_terms(text: str) -> list[str]:
    """The official wording of each everyday term in `text`, once each, in table order.

    Where one term is part of a longer one found at the same place, the longer one alone counts:
    "bản sao giấy khai sinh" is a copy of a birth record, not "đăng ký khai sinh" as well, and
    "sang tên xe" is a vehicle's change of owner, not the land's that "sang tên" alone means.
    """
    haystack, accents = comparable(text)
    spans = [
        (match.start(), match.end(), position)
        for position, (accented, folded, _) in enumerate(_pairs())
        for match in (accented if accents else folded).finditer(haystack)
    ]
    found: list[str] = []
    for start, end, position in sorted(spans, key=lambda span: span[2]):
        inside_longer = any(s <= start and end <= e and e - s > end - start for s, e, _ in spans)
        official = _pairs()[position][2]
        if not inside_longer and official not in found:
            found.append(official)
    return found


def with_official_terms(text: str) -> str:
    """`text` followed by the official wording of the everyday terms it uses (itself when none)."""
    added = [term for term in official_terms(text) if fold(term) not in fold(text)]
    return f"{text} ({'; '.join(added)})" if added else text
