"""The term a concordance looks for, and where it occurs in a text.

A term is written as in a search: a word (``ceasefire``), a phrase (``"war council"``, or words
side by side) or a prefix (``negotiat*``). It occurs where a search would find it: words of other
text match whole words in any letter case and with or without Latin accents, a prefix matches the
start of a word (and the hit is the whole word), the words of a phrase may be separated by any
spaces or punctuation; Chinese, Japanese, Korean and Thai match as character sequences inside
the unspaced runs that hold them (``地铁`` in ``北京地铁十七号线``, ``서울`` in ``서울시는``),
as the index's character pairs do. The text is folded character for character (``fold_text``), so
positions in the folded text are positions in the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from corpusdesk.analysis.tokens import MARKS
from corpusdesk.core.errors import UserError
from corpusdesk.core.query import And, Text, parse
from corpusdesk.core.scripts import HANGUL, IDEOGRAPHIC, THAI

_PAIRED = f"{IDEOGRAPHIC}{HANGUL}{THAI}"
_IGNORABLE = (
    "\u0300-\u036f"  # Latin accents written as combining marks
    "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"  # Hebrew points
    "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
)
"""Characters a match may skip inside a word, as the index drops them (accents, vowel points)."""
_SKIPPED = re.compile(f"[{_IGNORABLE}]+")
_WORD_CHAR = f"(?:[^\\W_{_PAIRED}]|[{MARKS}])"
"""A character of a word of other text (not of an unspaced run)."""
_PIECE = re.compile(f"[{_PAIRED}{MARKS}]+|(?:[^\\W_{_PAIRED}]|[{MARKS}])+")
_PAIRED_START = re.compile(f"[{_PAIRED}]")
_GAP = f"(?:[^\\w{MARKS}]|_)"
"""A character between words: what a phrase's words may be separated by."""


@dataclass(frozen=True, slots=True)
class Term:
    """A concordance term: its words (several make a phrase) and whether the last is a prefix."""

    text: str
    prefix: bool = False

    def query(self) -> str:
        """The term in the query language, to find the articles that hold it."""
        return f'"{self.text}"' + ("*" if self.prefix else "")

    def label(self) -> str:
        """The term as the user would write it."""
        shown = f'"{self.text}"' if " " in self.text else self.text
        return shown + ("*" if self.prefix else "")


def parse_term(text: str) -> Term:
    """The term written in ``text``; ``QueryError`` or ``UserError`` when it is not one."""
    node = parse(text)
    items = (node,) if isinstance(node, Text) else node.children if isinstance(node, And) else ()
    if not items or not all(isinstance(item, Text) for item in items):
        raise UserError("a concordance term is a word, a phrase or a prefix (such as negotiat*)")
    texts = [item for item in items if isinstance(item, Text)]
    if any(item.prefix for item in texts[:-1]):
        raise UserError("only the last word of a concordance term can end with *")
    words = " ".join(" ".join(item.value.split()) for item in texts)
    return Term(words, texts[-1].prefix)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """One character for another: lower case, Latin accents removed, width forms folded."""
    table: dict[int, str] = {}
    for code in (*range(0x41, 0x5B), *range(0xC0, 0x3000), *range(0xFF01, 0xFFEF)):
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char) if code >= 0xFF01 else char
        decomposed = unicodedata.normalize("NFD", folded)
        if len(decomposed) > 1 and all("\u0300" <= mark <= "\u036f" for mark in decomposed[1:]):
            folded = decomposed[0]
        lower = folded.lower()
        folded = lower if len(lower) == 1 else folded
        if len(folded) == 1 and folded != char:
            table[code] = folded
    return table


def fold_text(text: str) -> str:
    """``text`` folded character for character as the index compares words (same length)."""
    return text.lower() if text.isascii() else text.translate(_fold_table())


class TermMatcher:
    """Finds a term's occurrences in texts."""

    def __init__(self, term: Term) -> None:
        self.term = term
        self._pattern = _compile(term)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the term occurs in ``text``: ``(start, end)`` offsets, in order."""
        return [found.span() for found in self._pattern.finditer(fold_text(text))]


def _compile(term: Term) -> re.Pattern[str]:
    folded = _SKIPPED.sub("", fold_text(term.text))
    pieces = [found.group() for found in _PIECE.finditer(folded)]
    if not pieces:
        raise UserError("a concordance term needs a letter or digit")
    parts: list[str] = []
    for index, piece in enumerate(pieces):
        paired = _PAIRED_START.match(piece) is not None
        if index:
            previous_paired = _PAIRED_START.match(pieces[index - 1]) is not None
            parts.append(f"{_GAP}+" if paired == previous_paired else f"{_GAP}*")
        elif not paired:
            parts.append(f"(?<![^\\W_{_PAIRED}])(?<![{MARKS}])")
        parts.append("".join(re.escape(char) + f"[{_IGNORABLE}]*" for char in piece))
    if _PAIRED_START.match(pieces[-1]) is None:
        parts.append(f"{_WORD_CHAR}*" if term.prefix else f"(?!{_WORD_CHAR})")
    return re.compile("".join(parts))
