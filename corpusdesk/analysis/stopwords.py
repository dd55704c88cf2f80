"""Stop-word lists by language, from the ``stopwordsiso`` package (the Stopwords ISO collection).

Lists are keyed by ISO 639-1 code, as articles' languages are stored (``en``; ``en-US`` is read
as ``en``). Each word is folded as counted words are, and only entries that are one word as
``tokens`` cuts them are kept: a list's multi-character Chinese entries would never equal a
counted word, which is one character.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import stopwordsiso

from corpusdesk.analysis.frequency import folded_words
from corpusdesk.core.errors import UserError


def available_languages() -> list[str]:
    """The languages with a stop-word list, by code."""
    return sorted(stopwordsiso.langs())


def primary_language(code: str) -> str:
    """The primary subtag of a language tag (``pt-BR`` → ``pt``), in lower case."""
    return code.strip().lower().replace("_", "-").partition("-")[0]


@lru_cache(maxsize=64)
def _list(language: str) -> frozenset[str]:
    kept: set[str] = set()
    for entry in stopwordsiso.stopwords(language):
        found = folded_words(entry)
        if len(found) == 1:
            kept.add(found[0])
    return frozenset(kept)


def stop_words(languages: Iterable[str], *, strict: bool = True) -> frozenset[str]:
    """The stop words of these languages, folded; an unknown language is a ``UserError``
    (left out instead when not ``strict``, as for the languages articles happen to have)."""
    words: set[str] = set()
    for code in {primary_language(language) for language in languages if language.strip()}:
        if stopwordsiso.has_lang(code):
            words |= _list(code)
        elif strict:
            known = ", ".join(available_languages())
            raise UserError(f"there is no stop-word list for '{code}' (there are: {known})")
    return frozenset(words)
