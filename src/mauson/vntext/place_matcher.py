"""Finding place names in text: a token trie over one province's names, walked over folded text.

`matcher_for()` builds (once per gazetteer and province) a `PlaceMatcher` over the folded names
of the province's current and pre-2025 units, its former districts and every province name;
`PlaceMatcher.scan()` returns the longest matches. The text is folded (diacritics and case
removed) by `normalize.fold_aligned`, which keeps character offsets, so a 1,000-character petition
takes well under a millisecond. Deciding what a match means is the business of
`mauson.vntext.place_context` and `mauson.vntext.address`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mauson.vntext.gazetteer import Gazetteer, OldDistrict, OldUnit, Province, Unit, accent_key, name_key, split_kind
from mauson.vntext.normalize import fold_aligned

# --- folding with offsets ----------------------------------------------------------------------

_FOLDED_WORDS: dict[str, str] = {}  # word → folded word; a language has few syllables, so this stays small


def _fold_word(word: str) -> str:
    folded = _FOLDED_WORDS.get(word)
    if folded is None:
        folded = fold_aligned(word)
        if len(_FOLDED_WORDS) > 200_000:
            _FOLDED_WORDS.clear()
        _FOLDED_WORDS[word] = folded
    return folded


def marked(text: str) -> bool:
    """Whether the text carries any diacritic (a faster `has_diacritics` for short NFC spans)."""
    return fold_aligned(text) != text.lower()


# --- the matcher -------------------------------------------------------------------------------


@dataclass
class PlaceEntry:
    """Everything one folded name can mean in the province."""

    key: str
    names: set[str] = field(default_factory=set)  # accent keys of the spellings
    units: list[Unit] = field(default_factory=list)
    olds: list[OldUnit] = field(default_factory=list)
    districts: list[OldDistrict] = field(default_factory=list)
    provinces: list[Province] = field(default_factory=list)


class _Node:
    """One word of the trie: the words that may follow, and the name that ends here (if any)."""

    __slots__ = ("children", "entry")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entry: PlaceEntry | None = None


class PlaceMatcher:
    """A token trie over the folded names of one province's units (new and old), its former
    districts, and every province name (to notice places outside the province)."""

    def __init__(self, gaz: Gazetteer, province: str) -> None:
        self.province = province
        self.root = _Node()
        for unit in gaz.units_in(province):
            self._entry(unit.short_name).units.append(unit)
        for old in gaz.old_units_in(province):
            self._entry(old.short_name).olds.append(old)
            if old.short_name.startswith("NT "):
                self._entry("Nông trường " + old.short_name[3:]).olds.append(old)
        for district in gaz.districts_in(province):
            self._entry(district.short_name).districts.append(district)
        for each in gaz.provinces:
            self._entry(each.short_name).provinces.append(each)
            for old_name in each.formed_from:
                self._entry(split_kind(old_name)[1]).provinces.append(each)

    def _entry(self, name: str) -> PlaceEntry:
        node = self.root
        for token in name_key(name).split():
            node = node.children.setdefault(token, _Node())
        if node.entry is None:
            node.entry = PlaceEntry(name_key(name))
        node.entry.names.add(accent_key(name))
        return node.entry

    def may_match(self, words: list[str]) -> bool:
        """Whether any name can start at one of these (lower-case) words: the quick first pass."""
        root = self.root.children
        following = None
        for word in words:
            folded = _fold_word(word)
            if following is not None and folded in following:
                return True
            node = root.get(folded)
            if node is not None and node.entry is not None:
                return True
            following = node.children if node is not None else None
        return False

    def scan(self, folded: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, PlaceEntry]]:
        """Longest matches, left to right, as (first token, last token + 1, entry). The words of one
        name are separated by spaces (or a dash), never by other punctuation or a line break."""
        found = []
        i, n = 0, len(tokens)
        while i < n:
            node = self.root.children.get(tokens[i][2])
            j, best = i + 1, None
            while node is not None:
                if node.entry is not None:
                    best = (i, j, node.entry)
                if j >= n or not _joined(folded[tokens[j - 1][1] : tokens[j][0]]):
                    break
                node = node.children.get(tokens[j][2])
                j += 1
            if best:
                found.append(best)
                i = best[1]
            else:
                i += 1
        return found


def _joined(gap: str) -> bool:
    return gap == " " or (len(gap) <= 5 and not gap.strip(" -–") and "\n" not in gap)


def matcher_for(gaz: Gazetteer, province: str) -> PlaceMatcher:
    """The matcher of one province (a code), built on first use and kept with the gazetteer."""
    key = f"address.matcher.{province}"
    if key not in gaz.memo:
        gaz.memo[key] = PlaceMatcher(gaz, province)
    matcher: PlaceMatcher = gaz.memo[key]
    return matcher
