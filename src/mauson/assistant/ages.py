"""The ages a question speaks of, and the age ranges some procedures are for.

Eight names of the catalogue are for an age range: identity cards "cho người dưới 14 tuổi" and
"… từ đủ 14 tuổi trở lên", newborns' papers "cho trẻ em dưới 6 tuổi". A citizen says an age ("cho
con 10 tuổi", "bé 8 tháng tuổi") or a range in the same words ("con chưa đủ 14 tuổi"), and the
procedure whose range holds none of what they said is not the one they mean. The asker's own age
("tôi 35 tuổi, làm căn cước cho con") is not the age of the person the procedure is for, and is
left out: it follows closely a "tôi", "em", "mình" or "tui" that opens a clause.
"""

from __future__ import annotations

import math
import re

from mauson.vntext.normalize import fold

Span = tuple[float, float]  # [from, to) in whole years

_RANGE = re.compile(r"\b(duoi|chua du|tu du|tu|du|tren) (\d{1,3}) tuoi\b(?: (tro len))?")
_AGE = re.compile(r"\b(\d{1,3}) ?(thang )?tuoi\b")
# "tôi 35 tuổi", "…, tôi năm nay 35 tuổi": the pronoun opens a clause ("bố tôi 80 tuổi" is the father's)
_ASKER = re.compile(r"(?:^|[,.;!?] )(?:toi|em|minh|tui)(?: \w+){0,2} $")


def ranges(text: str) -> list[Span]:
    """The age ranges `text` names ("dưới 14 tuổi" → [0, 14); "từ đủ 14 tuổi trở lên" → [14, ∞))."""
    found = []
    for bound, limit, _ in _RANGE.findall(_folded(text)):
        years = int(limit)
        if bound in ("duoi", "chua du"):
            found.append((0.0, float(years)))
        else:
            found.append((float(years + 1 if bound == "tren" else years), math.inf))
    return found


def spoken_of(question: str) -> list[Span]:
    """The ages and ranges a question speaks of, each a span of whole years ("18 tháng tuổi" is
    [1, 2)); the asker's own age is not one."""
    folded = _folded(question)
    said = ranges(question)
    in_ranges = [match.span() for match in _RANGE.finditer(folded)]
    for match in _AGE.finditer(folded):
        inside = any(start <= match.start() < end for start, end in in_ranges)
        if inside or _ASKER.search(folded[: match.start()]):
            continue
        years = int(match.group(1)) // 12 if match.group(2) else int(match.group(1))
        said.append((float(years), float(years + 1)))
    return said


def misses_age(question: str, title: str) -> bool:
    """Whether the title is for an age range that holds none of the ages the question speaks of."""
    meant, asked = ranges(title), spoken_of(question)
    if not meant or not asked:
        return False
    return not any(a < d and c < b for a, b in asked for c, d in meant)


def _folded(text: str) -> str:
    return " ".join(fold(text.lower()).split())
