"""Words for analysis, cut as the search index and the word counts cut them.

A word is a run of letters, digits and combining marks, the characters the full-text index makes
tokens of, so punctuation, apostrophes and hyphens end words as they do for a search (``don't``
is ``don`` and ``t``). Scripts written without spaces are cut as ``corpusdesk.core.scripts``
counts them: each Chinese character and Japanese kana or kanji is a word (a one-character
search finds each of them), and a run of Thai is cut into dictionary words by pythainlp's
``newmm``. Korean, which puts spaces between words, keeps its space-separated words. A Thai
run's cut is kept for the next time the same run is met (boilerplate, names and datelines recur).

Words are compared folded as the index compares them: lower case, Latin accents removed, width
forms made usual and Arabic and Hebrew points dropped, so ``Café``, ``cafe`` and ``CAFÉ`` are one
word in a list as they are one word to a search. Lists show the folded form. ``fold_words``
folds a whole list at once, looking each word up in a table of the words folded so far.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from corpusdesk.core.fulltext import fold_variants
from corpusdesk.core.scripts import IDEOGRAPHIC, THAI, thai_words


def _mark_class() -> str:
    """The combining marks of the Basic Multilingual Plane, as ranges for a character class."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


MARKS = _mark_class()
"""Combining marks (for a regular expression's character class): part of the word they follow."""
_ASCII_GAPS = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})
"""ASCII punctuation and controls to spaces: ASCII text is then cut by ``str.split``, several
times faster than a regular expression."""
_WORD = re.compile(f"[{IDEOGRAPHIC}]|[{THAI}]+|(?:[^\\W_{IDEOGRAPHIC}{THAI}]|[{MARKS}])+")
_THAI_START = re.compile(f"[{THAI}]")
_LATIN_ACCENTS = re.compile("[\u0300-\u036f]+")
_UNSPACED_WORD = re.compile(f"[{IDEOGRAPHIC}{THAI}]")
THAI_RUNS_KEPT = 8192
"""Thai runs whose cut is kept."""
FOLDS_KEPT = 262_144
"""Folded words kept by ``fold_words`` (the table starts again when it holds this many)."""


def ascii_words_text(text: str) -> str:
    """An ASCII text's words in lower case, separated by spaces (and nothing else)."""
    return text.lower().translate(_ASCII_GAPS)


def words(text: str) -> list[str]:
    """The words of ``text`` in order, in lower case (not yet folded: see ``fold_word``)."""
    lowered = text.lower()
    if lowered.isascii():
        return ascii_words_text(lowered).split()
    found = _WORD.findall(lowered)
    if _THAI_START.search(lowered) is None:
        return found
    cut: list[str] = []
    for word in found:
        if _THAI_START.match(word):
            cut.extend(thai_cut(word))
        else:
            cut.append(word)
    return cut


def word_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Where the words of ``text[start:end]`` are, as offsets into ``text``, in order."""
    for found in _WORD.finditer(text, start, len(text) if end is None else end):
        if not _THAI_START.match(found.group()):
            yield found.span()
            continue
        position = found.start()
        for word in thai_cut(found.group()):
            at = text.find(word, position, found.end())
            if at < 0:  # the segmenter changed the text (it should not): keep the whole run
                yield found.span()
                break
            position = at + len(word)
            yield at, position


@lru_cache(maxsize=THAI_RUNS_KEPT)
def thai_cut(run: str) -> tuple[str, ...]:
    """The dictionary words of a run of Thai (``scripts.thai_words``), kept for the next time."""
    return tuple(thai_words(run))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """``word`` as the index compares it: lower case, without Latin accents, forms folded."""
    if word.isascii():
        return word.lower()
    folded = unicodedata.normalize("NFD", fold_variants(word).lower())
    return unicodedata.normalize("NFC", _LATIN_ACCENTS.sub("", folded))


class _Folds(dict[str, str]):
    """Words folded so far, by word: a missing word is folded and kept."""

    def __missing__(self, word: str) -> str:
        if len(self) >= FOLDS_KEPT:
            self.clear()
        folded = self[word] = fold_word(word)
        return folded


_FOLDS = _Folds()


def forget_kept() -> None:
    """Forget the Thai cuts and folded words kept so far, as a new process starts."""
    thai_cut.cache_clear()
    fold_word.cache_clear()
    _FOLDS.clear()


def fold_words(items: Iterable[str]) -> list[str]:
    """``fold_word`` of each of ``items``, in order."""
    return list(map(_FOLDS.__getitem__, items))


def is_unspaced(word: str) -> bool:
    """Whether ``word`` is of a script written without spaces (Chinese, Japanese, Thai)."""
    return bool(word) and _UNSPACED_WORD.match(word[-1]) is not None


def join_words(items: Iterable[str]) -> str:
    """Words written as text: with spaces, except between words of unspaced scripts."""
    text = ""
    previous = ""
    for word in items:
        if text and not (is_unspaced(previous) and is_unspaced(word[:1])):
            text += " "
        text += word
        previous = word
    return text
