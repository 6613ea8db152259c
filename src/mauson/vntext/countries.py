"""Foreign countries by their Vietnamese names (`data/foreign_countries.tsv`, written by the project).

Two readers need them: a question about "người Trung Quốc" asks for the catalogue's procedure with
a foreign element (`everyday`), and "Hàn Quốc" after "quốc tịch" is a country, not a person
surnamed Hàn (`privacy`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from mauson.vntext.normalize import normalize
from mauson.vntext.phrases import read_table

ACCENTS_ONLY = "có dấu"  # the table's mark for a name that, typed without accents, is a common word


@dataclass(frozen=True)
class Country:
    name: str  # "Trung Quốc"
    accents_only: bool  # "Lào": typed without accents, "nguoi lao" is "người lao động"


@cache
def foreign_countries() -> tuple[Country, ...]:
    return tuple(
        Country(normalize(name), ACCENTS_ONLY in marks) for name, *marks in read_table("foreign_countries.tsv")
    )
