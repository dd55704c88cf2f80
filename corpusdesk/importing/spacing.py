"""Word boundaries that survive extraction: where the page shows a space, the text keeps one.

trafilatura trims every text it keeps, so whitespace that stood between two inline elements
(``<a>Netflix</a> <em>and</em>``) or at the edge of a block (``<div>1</div><p>Look``) is lost
and the words on either side run together ("Netflixand", "1Look"). Before extraction
:func:`mark_word_breaks` puts an invisible mark at every such place: at each edge of a text
that touches whitespace, and at each start and end of a block, line break, list item or table
cell. The mark is not whitespace, so trimming keeps it; :func:`unmark` turns each back into a
space once the text is extracted. Text that runs on in the source with no whitespace and no
block edge between (``<b>un</b>likely``) gets no mark: the page shows it as one word too.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

BREAK = "\U0010fffd"
"""The mark: a private-use character that no page shows and no text tool treats as space."""

BREAKING_TAGS = frozenset(
    (
        *"address article aside blockquote body br dd details dialog div dl dt fieldset".split(),
        *"figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav".split(),
        *"ol p pre section table tbody td tfoot th thead tr ul caption summary center".split(),
        *"option legend menu".split(),
    )
)
"""Elements the browser sets apart from the text around them (block boxes, cells, breaks)."""

_SKIPPED = frozenset(("script", "style", "noscript", "template", "head"))
_INVISIBLE = re.compile("[\u00ad\u2060\ufeff]")
"""Soft hyphens, word joiners and byte-order marks: shown as nothing, so removed outright."""


def mark_word_breaks(tree: Any) -> None:
    """Mark, in place, every place in ``tree`` where the rendered page separates words.

    Each mark ends the text before the break, so that it stays with the words it separates
    from what follows, whichever of the two the extractor keeps.
    """
    previous: tuple[Any, str] | None = None  # the last text seen: (element, "text" or "tail")
    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start" and (tag in _SKIPPED or not tag):
            walker.skip_subtree()  # its end event still comes, and visits its tail
            continue
        if tag in BREAKING_TAGS:
            _close(previous)
        previous = _visit(element, "text" if event == "start" else "tail", previous)


def _close(previous: tuple[Any, str] | None) -> None:
    """End the last text seen with a mark."""
    if previous is not None:
        element, slot = previous
        value = getattr(element, slot)
        if not value.endswith(BREAK):
            setattr(element, slot, value + BREAK)


def _visit(element: Any, slot: str, previous: tuple[Any, str] | None) -> tuple[Any, str] | None:
    """Mark the breaks around one text; returns the last text seen after it."""
    value = getattr(element, slot)
    if not value:
        return previous
    if value[0].isspace():
        _close(previous)
        if value.isspace():
            return previous
    if value[-1].isspace():
        setattr(element, slot, value + BREAK)
    return element, slot


def shown_text(element: Any) -> str:
    """The text of ``element`` with a space wherever a block or line break sets words apart
    (``<h1>Best tools<br>for 2026</h1>`` reads "Best tools for 2026")."""
    pieces: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, child in walker:
        tag = child.tag if isinstance(child.tag, str) else ""
        if event == "start" and (tag in _SKIPPED or not tag):
            walker.skip_subtree()
        elif event == "start":
            pieces.append(" " if tag in BREAKING_TAGS else "")
            pieces.append(child.text or "")
        else:
            pieces.append(" " if tag in BREAKING_TAGS else "")
            if child is not element:
                pieces.append(child.tail or "")
    return unmark("".join(pieces))


def remove_element(element: Any) -> None:
    """Remove ``element`` and its content from the tree, keeping the text that follows it.

    That text is set apart by a space when it starts with a letter or digit: the element
    stood between it and the text before, so the two never ran together on the page.
    """
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    if tail[:1].isalnum():
        tail = " " + tail
    previous = element.getprevious()
    parent.remove(element)
    if not tail:
        return
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def unmark(text: str) -> str:
    """``text`` with each mark a space and invisible format characters removed."""
    return _INVISIBLE.sub("", text.replace(BREAK, " "))
