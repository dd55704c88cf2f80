"""Awkward file and folder names, one dimension of the suite.

People keep pages and libraries under names that plain ASCII tests never meet: bytes that are
not UTF-8 (old archives, zip extractions, network shares), control characters, a leading dash,
URL-special characters, both Unicode normal forms and names at the file system's 255-byte limit.
Tests take these names through import, export, backup, restore and re-clean. On POSIX a name
that is not valid UTF-8 reaches Python as a ``str`` with surrogate escapes (``os.fsdecode``).
"""

from __future__ import annotations

import os
import unicodedata

NAME_MAX = 255
"""The longest file name, in bytes, that Linux and macOS file systems take."""


def _longest(stem: str, suffix: str) -> str:
    """``stem`` repeated up to exactly ``NAME_MAX`` bytes including ``suffix``."""
    name = suffix
    for char in stem * NAME_MAX:
        if len(os.fsencode(char + name)) > NAME_MAX:
            break
        name = char + name
    return name


PAGE_NAMES: dict[str, str] = {
    "latin-1 bytes": os.fsdecode(b"caf\xe9 \xe0 la une.html"),
    "invalid utf-8 tail": os.fsdecode(b"report\xff\xfe.html"),
    "newline": "first line\nsecond line.html",
    "tab": "column\tcolumn.html",
    "control characters": "bell\x07 and escape\x1b.html",
    "leading dash": "-rf --help.html",
    "url specials": "a#b?c%20d&e=f;g+h.html",
    "spaces": "  spaced   out .html",
    "quotes": 'it\'s "quoted".html',
    "nfc": unicodedata.normalize("NFC", "café NFC.html"),
    "nfd": unicodedata.normalize("NFD", "café NFD.html"),
    "cjk": "新聞の記事.html",
    "arabic": "مقالة الرأي.html",
    "emoji": "news 📰.html",
    "255 bytes": _longest("é", ".html"),
}
"""Names of saved pages, by what makes them awkward; all distinct, all valid on Linux."""

FOLDER_NAMES: dict[str, str] = {
    "url specials": "lib #1 ?x=%41&y",
    "latin-1 bytes": os.fsdecode(b"dossier \xe9t\xe9"),
    "newline": "two\nlines",
    "leading dash": "-library",
    "nfd": unicodedata.normalize("NFD", "Élections"),
    "cjk": "研究 资料",
}
"""Folder names for where libraries, exports and backups live."""

LIBRARY_NAMES: dict[str, str] = {
    "url specials": "corpus #2?mode=ro&cache=shared%20.corpusdesk.db",
    "percent": "100% news.corpusdesk.db",
    "latin-1 bytes": os.fsdecode(b"biblioth\xe8que.corpusdesk.db"),
    "leading dash": "-corpus.corpusdesk.db",
}
"""Library file names that a URI or URL built without quoting would misread."""
