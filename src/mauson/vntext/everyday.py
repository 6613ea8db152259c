"""Everyday words for administrative things, and the official wording the catalogue uses.

Citizens say "sổ đỏ", "hộ khẩu", "bằng lái"; the national procedure catalogue says "giấy chứng
nhận quyền sử dụng đất", "đăng ký thường trú", "giấy phép lái xe". Neither BM25 nor a small
sentence encoder bridges such pairs reliably, so a question is searched with the official wording
added after its own (`with_official_terms`). The pairs are in `data/everyday_terms.tsv`, written
by the project from common usage.

A term is matched with its accents when the text has them ("sổ đỏ" is not "sơ đồ"), folded when
the text has none.

A person of a foreign country ("người Trung Quốc", "quốc tịch Hàn Quốc", "chồng Đài Loan": the
countries of `data/foreign_countries.tsv`) adds "nước ngoài", which the catalogue's procedures with a
foreign element say ("… có yếu tố nước ngoài", "… ly hôn … ở nước ngoài"): «đăng ký kết hôn với
người Trung Quốc» is the marriage with a foreign element, not the domestic one. The whole phrase
"có yếu tố nước ngoài" had pulled a Korean divorce to the foreign marriage.
"""

from __future__ import annotations

import re
from functools import cache

from mauson.vntext.countries import foreign_countries
from mauson.vntext.normalize import fold, normalize
from mauson.vntext.phrases import comparable, read_table, whole_words

FOREIGN_ELEMENT = "nước ngoài"
FOREIGN_PERSON_WORDS = ("người", "quốc tịch", "chồng", "vợ")  # before a country: "lấy chồng Đài Loan"


@cache
def _pairs() -> list[tuple[re.Pattern[str], re.Pattern[str] | None, str]]:
    """(pattern with accents, folded pattern or None where only accents tell, official wording) for
    each line of the table, then one for the people of the foreign countries."""
    pairs: list[tuple[re.Pattern[str], re.Pattern[str] | None, str]] = []
    for row in read_table("everyday_terms.tsv"):
        everyday, official = (normalize(part).lower() for part in row)
        pairs.append((whole_words([everyday]), whole_words([fold(everyday)]), official))
    people: list[str] = []
    accented_only: list[str] = []
    for country in foreign_countries():
        named = [f"{word} {country.name.lower()}" for word in FOREIGN_PERSON_WORDS]
        (accented_only if country.accents_only else people).extend(named)
    pairs.append((whole_words(people + accented_only), whole_words(map(fold, people)), FOREIGN_ELEMENT))
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
        if (pattern := accented if accents else folded) is not None
        for match in pattern.finditer(haystack)
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
