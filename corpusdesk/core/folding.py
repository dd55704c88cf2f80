"""Field values folded for search: letter case and accents ignored as word search ignores them.

Word search goes through the full-text index, whose tokenizer lower-cases letters and takes the
accents off Latin letters (``Café`` is found by ``cafe``), after the index form has folded
full-width forms and Arabic and Hebrew vowel points (``corpusdesk.core.fulltext``). ``title:``,
``author:``, ``site:`` and ``tag:`` compare values folded the same way, so that ``title:cafe``
finds what the word ``cafe`` finds in titles. Two differences make the fields more forgiving
still: case folding is Unicode's full folding (``Straße`` = ``STRASSE``, ``ﬁ`` = ``fi``), and
the folding does not depend on whether an accented letter is typed as one character or as a
letter and a combining accent. Accents on letters of other scripts stay, as they do in words:
Greek ``ά`` is not ``α`` and Cyrillic ``й`` is not ``и``. Runs of spaces become one space;
line breaks (which separate authors) are kept.

SQLite folds nothing beyond ASCII, so folded values are stored beside the originals (written
by the library's triggers through the SQL function that calls ``fold_field``) and queries
compare them with values folded here. Stored values stay as they were folded, so a change to
``fold_field`` needs a migration that folds ``folded_fields`` and ``tags.search_name`` again.
"""

from __future__ import annotations

import re
import unicodedata

from corpusdesk.core.fulltext import fold_variants

_LATIN = (
    "A-Za-z\u00c0-\u024f\u0250-\u02af\u1d00-\u1dbf\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff"
    "\uab30-\uab6f"
)
_DIACRITICS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LATIN_ACCENTS = re.compile(f"(?<=[{_LATIN}])[{_DIACRITICS}]+")
_SPACES = re.compile(r"[^\S\n]+")


def fold_field(text: str) -> str:
    """``text`` as ``title:``, ``author:``, ``site:`` and ``tag:`` compare it (see above)."""
    if text.isascii():
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFD", fold_variants(text))
        caseless = unicodedata.normalize("NFD", decomposed.casefold())
        folded = unicodedata.normalize("NFC", _LATIN_ACCENTS.sub("", caseless))
    return _SPACES.sub(" ", folded)
