"""The page formats, registered in one place, and what a page's name or bytes say about it.

A captured page's bytes are HTML or one of the single-page capture formats of :data:`FORMATS`.
Sources use :func:`is_page_name` and :func:`looks_like_page` to tell pages from the other files
in a folder or an archive; the worker (and re-cleaning, from the stored original) calls
:func:`unpack_page` to get at the HTML.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from corpusdesk.importing.sniff import HTML_EXTENSIONS, looks_like_html
from corpusdesk.importing.sources import mhtml, webarchive
from corpusdesk.importing.sources.base import PageFormat, UnpackedPage

FORMATS: tuple[PageFormat, ...] = (mhtml.FORMAT, webarchive.FORMAT)

PAGE_SUFFIXES = HTML_EXTENSIONS | frozenset().union(*(f.suffixes for f in FORMATS))
"""Names ending in these are pages (HTML or a capture format)."""

NEVER_PAGES = frozenset(
    ".css .js .mjs .json .png .jpg .jpeg .gif .webp .avif .svg .ico .bmp .tif .tiff .woff .woff2"
    " .ttf .otf .eot .mp4 .webm .mp3 .ogg .wav .pdf .zip .gz .db .map".split()
)
"""Names ending in these are never pages: files saved beside pages, passed over unread."""

SNIFF_BYTES = 4096
"""How much of the start of a file the formats and the HTML sniffer look at."""


def suffix(name: str) -> str:
    """The lower-cased extension of a file (or member) name."""
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def is_page_name(name: str) -> bool:
    """Whether a file called ``name`` is a page by its extension."""
    return suffix(name) in PAGE_SUFFIXES


def looks_like_page(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a page, whatever its name."""
    return looks_like_html(head) or any(f.recognises(head[:SNIFF_BYTES]) for f in FORMATS)


def page_format(name: str, data: bytes) -> PageFormat | None:
    """The capture format of the page ``data`` called ``name``; None for plain HTML.

    The bytes decide; the name only when they are not HTML either (then unpacking says what is
    wrong with the file).
    """
    head = data[:SNIFF_BYTES]
    for candidate in FORMATS:
        if candidate.recognises(head):
            return candidate
    extension = suffix(name)
    for candidate in FORMATS:
        if extension in candidate.suffixes and not looks_like_html(head):
            return candidate
    return None


def unpack_page(name: str, data: bytes) -> UnpackedPage:
    """The HTML of the page ``data`` called ``name``; ``ImportFailure`` if its format is broken."""
    found = page_format(name, data)
    return found.unpack(data) if found is not None else UnpackedPage(html=data)
