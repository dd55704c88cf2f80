"""Decide whether a file is an HTML page, by its name or by its first bytes.

Saved pages come with many names (``.html``, ``.htm``, ``.xhtml``, ``.shtml``) and sometimes
none at all, so the first bytes are sniffed the way a browser would: after a byte order mark,
whitespace and comments, an HTML page starts with a doctype, an ``<html>`` tag or one of the
tags that only HTML documents open with. Well-known binary formats are recognised by their
magic numbers so that the import report can say what the file really is.
"""

from __future__ import annotations

import re
from pathlib import PurePath

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml"})
"""File name extensions that mark a file as an HTML page without looking inside."""

SNIFF_BYTES = 1024
"""How many leading bytes the content sniffer looks at (as browsers do)."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF media file"),
    (b"PK\x03\x04", "a ZIP archive (or office document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# After whitespace and comments, an HTML page opens with one of these (case-insensitive).
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|link|script|style|base|iframe|"
    rb"h[1-6]|p|div|span|table|a|b|br|font|center|article|section|header|nav|main|"
    rb"noscript)[\s/>]",
    re.IGNORECASE,
)
_LEADING_NOISE = re.compile(rb"(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
_ANY_HTML_TAG = re.compile(rb"<(?:html|head|body|title|p|div|br|meta)[\s/>]", re.IGNORECASE)


def has_html_extension(name: str) -> bool:
    """Whether the file name ends in one of :data:`HTML_EXTENSIONS` (case-insensitive)."""
    return PurePath(name).suffix.lower() in HTML_EXTENSIONS


def binary_signature(data: bytes) -> str | None:
    """What well-known binary format ``data`` starts with (``"a PDF document"``), or None."""
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    return None


def _ascii_head(data: bytes) -> bytes:
    """The first bytes without a byte order mark, UTF-16 folded to single bytes."""
    head = data[: SNIFF_BYTES * 2]
    if head.startswith(b"\xff\xfe"):
        return head[2::2][:SNIFF_BYTES]
    if head.startswith(b"\xfe\xff"):
        return head[3::2][:SNIFF_BYTES]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    return head[:SNIFF_BYTES]


def looks_like_html(data: bytes) -> bool:
    """Whether the first bytes of ``data`` look like the start of an HTML document."""
    if binary_signature(data):
        return False
    head = _ascii_head(data)
    match = _LEADING_NOISE.match(head)
    rest = head[match.end() :] if match else head
    if _HTML_START.match(rest):
        return True
    # Some saved pages start with stray text (a banner, a BOM in another encoding…).
    return _ANY_HTML_TAG.search(head) is not None


def is_html_file(name: str, data: bytes) -> bool:
    """Whether a file called ``name`` with content ``data`` should be imported as HTML."""
    if binary_signature(data):
        return False
    return has_html_extension(name) or looks_like_html(data)
