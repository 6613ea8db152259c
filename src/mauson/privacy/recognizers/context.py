"""The text under analysis, with what every recogniser needs to judge context.

`Doc.folded` is the text lower-cased and stripped of diacritics character by character, so its
offsets are the original's: a keyword found in `folded` is at the same place in `text`. Lines that
form a table (cells split by `|`, tab or `;` under a header line) know each cell's header, so a
number under the header "CCCD" is judged as if it were labelled "CCCD:".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from mauson.vntext.normalize import fold_aligned


def _lower_char(ch: str) -> str:
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


# Lower case over Latin and Vietnamese letters, one character for one; others map to themselves.
_LATIN = [*range(0x0000, 0x0250), *range(0x1E00, 0x1F00)]
_LOWER_TABLE = {code: _lower_char(chr(code)) for code in _LATIN}


def lower_aligned(text: str) -> str:
    """`text` in lower case, character for character (like `fold_aligned`, keeping the accents)."""
    return text.translate(_LOWER_TABLE)


@dataclass
class Doc:
    text: str
    folded: str = field(init=False)
    lowered: str = field(init=False)
    _line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.folded = fold_aligned(self.text)
        self.lowered = lower_aligned(self.text)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def lines(self) -> list[tuple[int, int]]:
        """(start, end) of every line, without its line break."""
        ends = [start - 1 for start in self._line_starts[1:]] + [len(self.text)]
        return list(zip(self._line_starts, ends, strict=True))

    def line_span(self, pos: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._line_starts, pos) - 1
        start = self._line_starts[index]
        end = self.text.find("\n", start)
        return start, len(self.text) if end == -1 else end

    def accentless(self, pos: int) -> bool:
        """Is the line of `pos` typed without diacritics? Then words are compared in folded form."""
        return self._accentless_lines[bisect.bisect_right(self._line_starts, pos) - 1]

    @cached_property
    def _accentless_lines(self) -> list[bool]:
        return [self.folded[start:end] == self.lowered[start:end] for start, end in self.lines()]

    def before(self, pos: int, width: int = 40, *, same_line: bool = True) -> str:
        """The folded text just before `pos` (within its line by default)."""
        start = max(0, pos - width)
        if same_line:
            start = max(start, self.line_span(pos)[0])
        return self.folded[start:pos]

    def after(self, pos: int, width: int = 30, *, same_line: bool = True) -> str:
        end = min(len(self.text), pos + width)
        if same_line:
            end = min(end, self.line_span(pos)[1])
        return self.folded[pos:end]

    def header(self, pos: int) -> str:
        """The folded header of the table column that `pos` lies in, or ''."""
        for (start, end), name in self._cells.items():
            if start <= pos < end:
                return name
        return ""

    def context(self, pos: int, width: int = 40) -> str:
        """What labels a value at `pos`: its column header (if in a table) and the text before it."""
        column = self.header(pos)
        return f"{column} | {self.before(pos, width)}" if column else self.before(pos, width)

    @cached_property
    def _cells(self) -> dict[tuple[int, int], str]:
        """Cell spans of table rows mapped to their column header (folded).

        A table is a header line followed by lines with as many cells, split by the same
        separator (`|`, tab, `;` or `,`, the first that gives three or more cells).
        """
        cells: dict[tuple[int, int], str] = {}
        header: list[str] = []
        separator = ""
        for number, line in enumerate(self.text.split("\n")):
            parts = _split_cells(line, separator) if separator else []
            if header and len(parts) == len(header):
                for (start, end), name in zip(parts, header, strict=True):
                    cells[(self._line_starts[number] + start, self._line_starts[number] + end)] = name
                continue
            separator = next((sep for sep in _SEPARATORS if len(_split_cells(line, sep)) >= 3), "")
            header = (
                [
                    self.folded[self._line_starts[number] + a : self._line_starts[number] + b].replace("_", " ")
                    for a, b in _split_cells(line, separator)
                ]
                if separator
                else []
            )
        return cells


_SEPARATORS = ("|", "\t", ";", ",")


def _split_cells(line: str, separator: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell of `line`, trimmed of spaces."""
    spans = []
    position = 0
    for part in line.split(separator):
        start = position + (len(part) - len(part.lstrip()))
        end = position + len(part.rstrip())
        spans.append((start, max(start, end)))
        position += len(part) + len(separator)
    return spans
