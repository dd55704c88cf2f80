"""Tag names: the tidied name a tag is shown under, and the folded key that makes it unique.

Two names are one tag when they differ only in letter case, in how their accented letters are
encoded, or in spacing: ``Ärger`` and ``ärger``, ``Straße`` and ``STRASSE``, ``ΣΊΣΥΦΟΣ`` and
``σίσυφος``, a composed ``É`` and an ``E`` followed by a combining acute accent. The key is
Unicode's canonical caseless form (full case folding between canonical decompositions), stored
composed (NFC). Compatibility variants stay distinct: a full-width ``ＡＩ`` is not ``AI`` and
``x²`` is not ``x2``, because such differences can carry meaning and a merge cannot be undone.

SQLite knows none of this (its ``NOCASE`` and ``lower()`` fold ASCII letters only), so the key
is computed here and stored beside the name.
"""

from __future__ import annotations

import unicodedata

from corpusdesk.core.errors import UserError
from corpusdesk.core.names import is_text

MAX_TAG_LENGTH = 200


def _spaced(name: str) -> str:
    return " ".join(name.split())


def clean_tag_name(name: str) -> str:
    """The name as stored and shown: single spaces, no spaces around, composed (NFC) accents.

    Raises ``UserError`` when nothing is left or the name is too long.
    """
    if not is_text(name):
        raise UserError("the tag name is not valid UTF-8 text")
    cleaned = unicodedata.normalize("NFC", _spaced(name))
    if not cleaned:
        raise UserError("a tag name cannot be empty")
    if len(cleaned) > MAX_TAG_LENGTH:
        raise UserError(f"a tag name can have at most {MAX_TAG_LENGTH} characters")
    return cleaned


def fold_tag_name(name: str) -> str:
    """The key under which a tag is unique and found by ``tag:``; see the module docstring.

    Any text can be folded (nothing is refused), so typed input can be compared with it.
    """
    folded = unicodedata.normalize("NFD", _spaced(name)).casefold()
    return unicodedata.normalize("NFC", folded)
