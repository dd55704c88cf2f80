"""Concordance (key word in context): every occurrence of a term, one line each.

A line holds the hit with the text on its left and right, whitespace collapsed to single spaces
and cut to a width in columns (a Chinese or Japanese character, drawn twice as wide, counts two),
the three words on each side for sorting, and the article's site and date. Lines come in the
order of the articles given and of the hits in each; ``sort_lines`` orders them as concordancers
do: by the first, second or third word left (``L1``–``L3``) or right (``R1``–``R3``) of the hit,
by site, date or the hit itself, each key breaking the ties of the one before.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from corpusdesk.analysis.terms import TermMatcher, fold_text
from corpusdesk.analysis.tokens import fold_word, word_spans
from corpusdesk.core.errors import UserError

DEFAULT_WIDTH = 40
"""Columns of context on each side of the hit."""
MAX_WIDTH = 200
WORDS_AROUND = 3
"""Words kept on each side of a hit for sorting (``L1``–``L3``, ``R1``–``R3``)."""
_WORD_REACH = 300
"""Characters looked at on each side of a hit for its sorting words."""
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ConcordanceSource:
    """What a concordance reads of an article."""

    id: int
    text: str
    title: str = ""
    site: str = ""
    published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ConcordanceLine:
    """One occurrence of the term, with its context."""

    article_id: int
    start: int
    """Where the hit begins in the article's text (a character offset)."""
    end: int
    left: str
    hit: str
    right: str
    left_words: tuple[str, ...]
    """Up to three folded words left of the hit, the nearest first."""
    right_words: tuple[str, ...]
    title: str = ""
    site: str = ""
    published: dt.date | None = None


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (East Asian) characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def trim_left(text: str, width: int) -> str:
    """The end of ``text`` that fits in ``width`` columns."""
    if len(text) <= width and display_width(text) <= width:
        return text
    used = 0
    for index in range(len(text) - 1, -1, -1):
        used += display_width(text[index])
        if used > width:
            return text[index + 1 :]
    return text


def trim_right(text: str, width: int) -> str:
    """The start of ``text`` that fits in ``width`` columns."""
    if len(text) <= width and display_width(text) <= width:
        return text
    used = 0
    for index, char in enumerate(text):
        used += display_width(char)
        if used > width:
            return text[:index]
    return text


def concordance_lines(
    source: ConcordanceSource, matcher: TermMatcher, width: int = DEFAULT_WIDTH
) -> list[ConcordanceLine]:
    """The lines of every occurrence of ``matcher``'s term in ``source``'s text, in order."""
    width = max(0, min(width, MAX_WIDTH))
    text = source.text
    lines: list[ConcordanceLine] = []
    reach = 2 * width + 64
    for start, end in matcher.spans(text):
        left = _SPACES.sub(" ", text[max(0, start - reach) : start])
        right = _SPACES.sub(" ", text[end : end + reach])
        before = list(word_spans(text, max(0, start - _WORD_REACH), start))[-WORDS_AROUND:]
        after = []
        for span in word_spans(text, end, end + _WORD_REACH):
            after.append(span)
            if len(after) == WORDS_AROUND:
                break
        lines.append(
            ConcordanceLine(
                article_id=source.id,
                start=start,
                end=end,
                left=trim_left(left, width),
                hit=_SPACES.sub(" ", text[start:end]),
                right=trim_right(right, width),
                left_words=tuple(fold_word(text[a:b]) for a, b in reversed(before)),
                right_words=tuple(fold_word(text[a:b]) for a, b in after),
                title=source.title,
                site=source.site,
                published=source.published,
            )
        )
    return lines


def concordance(
    sources: Iterable[ConcordanceSource], matcher: TermMatcher, width: int = DEFAULT_WIDTH
) -> list[ConcordanceLine]:
    """The lines of every article in ``sources``, article after article."""
    return [line for source in sources for line in concordance_lines(source, matcher, width)]


def _word_key(side: str, position: int) -> Callable[[ConcordanceLine], Any]:
    def key(line: ConcordanceLine) -> str:
        found = line.left_words if side == "L" else line.right_words
        return found[position] if position < len(found) else ""

    return key


SORT_KEYS: dict[str, Callable[[ConcordanceLine], Any]] = {
    **{f"L{n}": _word_key("L", n - 1) for n in range(1, WORDS_AROUND + 1)},
    **{f"R{n}": _word_key("R", n - 1) for n in range(1, WORDS_AROUND + 1)},
    "hit": lambda line: fold_text(line.hit),
    "site": lambda line: line.site.casefold(),
    "date": lambda line: (line.published is None, line.published or dt.date.min),
}
"""The keys lines sort on; a word that is not there (at the start or end of a text) sorts first."""


def parse_sort(text: str) -> tuple[str, ...]:
    """Sort keys written as ``R1,R2`` (any letter case); ``UserError`` for an unknown one."""
    names = {name.casefold(): name for name in SORT_KEYS}
    keys: list[str] = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        if part.casefold() not in names:
            known = ", ".join(SORT_KEYS)
            raise UserError(f"unknown concordance sort key '{part}' (use {known})")
        keys.append(names[part.casefold()])
    return tuple(keys)


def sort_lines(lines: Sequence[ConcordanceLine], keys: Sequence[str]) -> list[ConcordanceLine]:
    """``lines`` ordered by ``keys`` in turn (see ``SORT_KEYS``); ties keep their order."""
    if not keys:
        return list(lines)
    functions = [SORT_KEYS[key] for key in keys]
    return sorted(lines, key=lambda line: tuple(function(line) for function in functions))


def format_line(line: ConcordanceLine, width: int) -> str:
    """The line as aligned text: the left context right-aligned in ``width`` columns."""
    left = trim_left(line.left, width)
    right = trim_right(line.right, width)
    padding = " " * (width - display_width(left))
    return f"{padding}{left} {line.hit} {right}".rstrip()


CSV_COLUMNS = ("article_id", "published", "site", "title", "left", "hit", "right", "start", "end")


def write_csv(lines: Iterable[ConcordanceLine], stream: TextIO, header: bool = True) -> None:
    """Write ``lines`` as CSV (``CSV_COLUMNS``)."""
    writer = csv.writer(stream)
    if header:
        writer.writerow(CSV_COLUMNS)
    for line in lines:
        published = line.published.isoformat() if line.published else ""
        writer.writerow(
            (
                line.article_id,
                published,
                line.site,
                line.title,
                line.left,
                line.hit,
                line.right,
                line.start,
                line.end,
            )
        )
