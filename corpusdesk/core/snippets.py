"""Snippets of search hits: where a query's words occur in an article, found in Python.

The full-text index holds Chinese, Japanese, Korean and Thai text as character pairs (see
:mod:`corpusdesk.core.fulltext`), so FTS5's own ``snippet()`` would cut them mid-word and
show the pairs. Instead the stored text is searched here with a pattern per query term that
matches what the index matches: the same folding (letter case, Latin accents, full-width
forms, Arabic and Hebrew points), whole tokens for spaced scripts (a prefix for ``term*``),
any substring for unspaced ones, and phrases whose words are separated by anything but a
letter or digit. The excerpt is the stretch of text holding the most different terms.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from corpusdesk.core.query import And, Node, Not, Or, Text
from corpusdesk.core.scripts import HANGUL, IDEOGRAPHIC, THAI

LENGTH = 220
"""Characters of text in a snippet, about two lines of the table."""
LEAD = 40
"""Characters shown before the first hit of a snippet."""
MAX_ANCHORS = 200
"""Hits tried as the start of a snippet (an article may hold thousands)."""

_UNSPACED = f"{IDEOGRAPHIC}{HANGUL}{THAI}"
_POINTS = re.compile(
    "[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]"
)


@dataclass(frozen=True, slots=True)
class Snippet:
    """An excerpt of an article around its hits."""

    text: str
    """The excerpt on one line, with ``…`` where it was cut."""
    marks: tuple[tuple[int, int], ...]
    """``(start, end)`` of each hit in ``text``."""
    hits: int
    """How often the query's terms occur in the article's title and text."""


@cache
def _fold_table() -> dict[int, str]:
    """One character for one: Latin and Greek letters without accents, full-width forms."""
    table: dict[int, str] = {0x130: "I"}  # the one letter whose lower case is two characters
    for code in [*range(0x00C0, 0x0250), *range(0x0386, 0x03D0), *range(0x1E00, 0x1F00)]:
        parts = unicodedata.normalize("NFD", chr(code))
        if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
            table[code] = parts[0]
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    return table


def fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded for matching, and where each folded character came from.

    The offsets are None when folding kept every character in place (nearly always): then
    positions in the folded text are positions in ``text``.
    """
    folded = text.translate(_fold_table()).lower()
    if len(folded) == len(text) and not _POINTS.search(folded):
        return folded, None
    pieces: list[str] = []
    offsets: list[int] = []
    for position, char in enumerate(text):
        if _POINTS.match(char):
            continue
        piece = char.translate(_fold_table()).lower()
        pieces.append(piece)
        offsets.extend([position] * len(piece))
    offsets.append(len(text))
    return "".join(pieces), offsets


@cache
def _mark_class() -> str:
    """Combining marks and private-use characters of the first plane, as class ranges.

    They belong to words in the index's tokenizer (Thai vowels, Devanagari signs), while
    ``re``'s ``\\w`` leaves them out.
    """
    ranges: list[list[int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Co"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


def _word() -> str:
    """A character that is part of a token."""
    return f"(?:[^\\W_]|[{_mark_class()}])"


def _spaced_word() -> str:
    """A token character of a spaced script: what may not touch a whole-word match."""
    return f"(?:(?![{_UNSPACED}]){_word()})"


def positive_terms(node: Node) -> list[Text]:
    """The words and phrases ``node`` looks for (not those it excludes), without repeats."""
    found: list[Text] = []

    def walk(current: Node, positive: bool) -> None:
        if isinstance(current, Text):
            if positive and current not in found:
                found.append(current)
        elif isinstance(current, Not):
            walk(current.child, not positive)
        elif isinstance(current, And | Or):
            for child in current.children:
                walk(child, positive)

    walk(node, True)
    return found


def term_pattern(term: Text) -> str | None:
    """A regular expression over folded text finding ``term`` where the index finds it."""
    tokens = re.findall(f"{_word()}+", fold(term.value)[0])
    if not tokens:
        return None
    separator = f"(?:(?!{_word()}).)"
    unspaced = re.compile(f"[{_UNSPACED}]")
    parts: list[str] = []
    if not unspaced.match(tokens[0]):
        parts.append(f"(?<!{_spaced_word()})")
    for index, token in enumerate(tokens):
        if index:
            joined = unspaced.match(tokens[index - 1][-1]) and unspaced.match(token[0])
            parts.append(f"{separator}{'*' if joined else '+'}")
        parts.append(re.escape(token))
    if term.prefix:
        parts.append(f"{_word()}*")  # the whole word the prefix begins
    elif not unspaced.match(tokens[-1][-1]):
        parts.append(f"(?!{_spaced_word()})")
    return "".join(parts)


def hits_pattern(terms: Iterable[Text]) -> re.Pattern[str] | None:
    """One pattern finding any of ``terms``; None when there is nothing to find."""
    patterns = [p for p in (term_pattern(t) for t in terms) if p]
    if not patterns:
        return None
    # Longer alternatives first, so a phrase wins over a word it starts with.
    ordered = sorted(dict.fromkeys(patterns), key=len, reverse=True)
    return re.compile("|".join(f"({p})" for p in ordered), re.DOTALL)


def find_hits(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """``(start, end, alternative)`` of each hit in ``text``, positions in ``text`` itself."""
    folded, offsets = fold(text)
    found: list[tuple[int, int, int]] = []
    for match in pattern.finditer(folded):
        if match.end() == match.start():
            continue
        start, end = match.span()
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
            while end < len(text) and _POINTS.match(text[end]):
                end += 1
        found.append((start, end, match.lastindex or 0))
    return found


def make_snippet(title: str, text: str, terms: Sequence[Text]) -> Snippet:
    """The excerpt of ``text`` that holds the most of ``terms``, and the number of hits.

    Without any hit in the text the excerpt is the text's beginning.
    """
    pattern = hits_pattern(terms)
    if pattern is None:
        return _excerpt(text, 0, [], 0)
    hits = find_hits(text, pattern)
    total = len(hits) + len(find_hits(title, pattern))
    if not hits:
        return _excerpt(text, 0, [], total)
    starts = [hit[0] for hit in hits]
    best_start, best_score = 0, (-1, -1)
    firsts = {hit[2]: hit for hit in reversed(hits)}.values()  # each term's first hit
    for start, _end, _alternative in [*hits[:MAX_ANCHORS], *firsts]:
        window_start = max(0, start - LEAD)
        first = bisect.bisect_left(starts, window_start)
        last = bisect.bisect_right(starts, window_start + LENGTH)
        inside = [h for h in hits[first:last] if h[1] <= window_start + LENGTH]
        score = (len({h[2] for h in inside}), len(inside))
        if score > best_score:
            best_start, best_score = window_start, score
    return _excerpt(text, best_start, hits, total)


def _excerpt(text: str, start: int, hits: list[tuple[int, int, int]], total: int) -> Snippet:
    """``LENGTH`` characters of ``text`` from about ``start``, cut between words, on one line."""
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + LENGTH)
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    # Never cut a hit in two: let the excerpt end after one that crosses its end.
    for hit_start, hit_end, _alternative in hits:
        if hit_start < end < hit_end:
            end = hit_end
    out: list[str] = ["… "] if start > 0 else []
    length = len(out[0]) if out else 0
    marks: list[tuple[int, int]] = []
    inside = [h for h in hits if h[0] >= start and h[1] <= end]
    cursor = start
    was_space = True  # no space at the start
    for hit_start, hit_end, _alternative in [*inside, (end, end, 0)]:
        for char in text[cursor:hit_start]:
            if char.isspace():
                if not was_space:
                    out.append(" ")
                    length += 1
                was_space = True
            else:
                out.append(char)
                length += 1
                was_space = False
        if hit_end > hit_start:
            piece = " ".join(text[hit_start:hit_end].split())
            marks.append((length, length + len(piece)))
            out.append(piece)
            length += len(piece)
            was_space = False
        cursor = hit_end
    snippet = "".join(out).rstrip()
    if end < len(text):
        snippet += " …"
    return Snippet(snippet, tuple(marks), total)
