"""An answer as the chat page shows it: headings, lists and links instead of one block of text.

Answers are plain text (the API, the CLI and the log keep them so), laid out by `compose`: a
section is a line ending in ":" followed by "- " lines, a quoted list's items are "  + " lines
under their "- " line, and the official page is a bare URL. Here that layout becomes HTML: each
section a heading and a list, nested items a nested list, URLs links, everything else a paragraph.
Every piece of text is escaped, so nothing from the record or the question is ever markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from mauson.assistant import compose

# An address to follow: a web one, or a page of this site the answer points to ("Xem: /laws/luat-cu-tru#dieu-20").
_URL = re.compile(r"https?://[^\s<>\"']+|(?<![\w/])/(?:laws|procedures)/[^\s<>\"']+")
_ITEM, _SUBITEM = "- ", "  + "


def linked(text: str, links: Iterable[tuple[int, int, str]]) -> Markup:
    """`text` escaped, each (start, end, href) span of it a link to href, in order and apart."""
    parts: list[Markup] = []
    position = 0
    for start, end, href in links:
        parts.append(escape(text[position:start]))
        parts.append(Markup('<a href="{}" rel="noopener">{}</a>').format(href, text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _inline(text: str) -> Markup:
    """Escaped text with its URLs as links (a sentence's closing punctuation is not the URL's)."""
    urls = ((m.start(), m.start() + len(url), url) for m in _URL.finditer(text) for url in [m.group().rstrip(".,;)")])
    return linked(text, urls)


def _list(lines: list[str]) -> Markup:
    """ "- " items, each with the "  + " items under it as a nested list."""
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith(_SUBITEM) and items:
            items[-1][1].append(line[len(_SUBITEM) :])
        else:
            items.append((line.removeprefix(_ITEM), []))
    rendered = []
    for text, sub in items:
        nested = Markup("<ul>{}</ul>").format(Markup("").join(Markup("<li>{}</li>").format(_inline(s)) for s in sub))
        rendered.append(Markup("<li>{}{}</li>").format(_inline(text), nested if sub else ""))
    return Markup("<ul>{}</ul>").format(Markup("").join(rendered))


def _block(lines: list[str]) -> Markup:
    """One blank-line-separated block: paragraphs until the first item, a heading if the line
    before the items ends in ":", then the list."""
    first_item = next((i for i, line in enumerate(lines) if line.startswith(_ITEM)), len(lines))
    head, items = lines[:first_item], lines[first_item:]
    out: list[Markup] = []
    for number, line in enumerate(head):
        if items and number == len(head) - 1 and line.endswith(":"):
            out.append(Markup("<h3>{}</h3>").format(_inline(line[:-1])))
        else:
            out.append(Markup("<p>{}</p>").format(_inline(line)))
    if items:
        out.append(_list(items))
    return Markup("").join(out)


def _is_section(block: list[str]) -> bool:
    return len(block) > 1 and block[0].endswith(":") and block[1].startswith(_ITEM)


def _folded(sections: list[Markup]) -> Markup:
    """The sections not asked about, closed until the citizen opens them: the asked one stays in view."""
    inside = Markup("").join(sections)
    return Markup('<details class="more"><summary>{}</summary>{}</details>').format(compose.MORE.rstrip(":"), inside)


def answer_html(text: str) -> Markup:
    """The answer's plain-text layout as safe HTML for the chat page; the sections after
    `compose.MORE` are folded, and so is the answer about the second of two procedures offered
    (`compose.ALSO`): both in full made a phone page 8,000 pixels tall."""
    first, marker, second = text.partition("\n" + compose.ALSO)
    if not marker:
        return _laid_out(text)
    heading, _, rest = (compose.ALSO + second).partition("\n")
    return _laid_out(first) + Markup('<details class="also"><summary>{}</summary>{}</details>').format(
        heading.rstrip(":"), _laid_out(rest)
    )


def _laid_out(text: str) -> Markup:
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out: list[Markup] = []
    folded: list[Markup] | None = None
    for block in filter(None, blocks):
        if block == [compose.MORE]:
            folded = []
        elif folded is not None and _is_section(block):
            folded.append(_block(block))
        else:
            if folded:
                out.append(_folded(folded))
            folded = None
            out.append(_block(block))
    if folded:
        out.append(_folded(folded))
    return Markup("").join(out)
