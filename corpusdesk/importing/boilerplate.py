"""Corpus-aware cleaning, the pure half: paragraph keys and removing known blocks.

A single page cannot tell a site's template from its article, but a corpus can: a paragraph that
recurs, word for word or with only the article's title changed, across many articles of one
site is that site's boilerplate ("Spread the love", a disclaimer box, a newsletter appeal). Each
paragraph gets a key that ignores case, spacing and the article's own title; the library counts
keys per site, and paragraphs whose key recurs often enough are removed here, from the text and
from the preview HTML alike.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

from lxml import html as lxml_html

MIN_BLOCK_CHARACTERS = 4
"""Paragraphs shorter than this (after normalising) carry too little to be judged."""
MAX_BLOCK_CHARACTERS = 1200
"""Longer paragraphs are article prose, never template, and get no key."""
SAMPLE_CHARACTERS = 160
"""How much of a paragraph is kept as the readable sample of its key."""
TITLE_PLACEHOLDER = "\u0000title\u0000"
PREVIEW_BLOCK_TAGS = (
    *("p", "li", "blockquote", "div", "figcaption", "pre", "td"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
)

_SPACE = re.compile(r"\s+")


def site_key(url: str | None, site_name: str | None) -> str:
    """The site an article belongs to for template learning: its host, else its site name."""
    if url:
        host = urlsplit(url).hostname or ""
        host = host.removeprefix("www.")
        if host:
            return host
    return _SPACE.sub(" ", (site_name or "").casefold()).strip()


def normalise_block(paragraph: str, title: str | None) -> str:
    """The paragraph with case, spacing and the article's title folded away."""
    text = _SPACE.sub(" ", paragraph.replace("\u00a0", " ")).strip().casefold()
    if title:
        folded_title = _SPACE.sub(" ", title).strip().casefold()
        if len(folded_title) >= 8:
            text = text.replace(folded_title, TITLE_PLACEHOLDER)
    return text


def block_key(paragraph: str, title: str | None) -> int | None:
    """A signed 64-bit key of the normalised paragraph; None for blocks too short or too long."""
    normalised = normalise_block(paragraph, title)
    if not MIN_BLOCK_CHARACTERS <= len(normalised) <= MAX_BLOCK_CHARACTERS:
        return None
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (separated by blank lines)."""
    return [part for part in text.split("\n\n") if part.strip()]


def text_block_keys(text: str, title: str | None) -> list[int]:
    """The distinct keys of the text's paragraphs, in order of first appearance."""
    keys: dict[int, None] = {}
    for paragraph in paragraphs(text):
        key = block_key(paragraph, title)
        if key is not None:
            keys.setdefault(key)
    return list(keys)


def block_samples(text: str, title: str | None) -> dict[int, str]:
    """Paragraph key → the start of its paragraph, for the distinct keyed paragraphs of the text."""
    samples: dict[int, str] = {}
    for paragraph in paragraphs(text):
        key = block_key(paragraph, title)
        if key is not None and key not in samples:
            samples[key] = paragraph[:SAMPLE_CHARACTERS]
    return samples


def pack_keys(keys: Iterable[int]) -> bytes:
    """Keys as bytes for storage (8 bytes each)."""
    return b"".join(key.to_bytes(8, "little", signed=True) for key in keys)


def unpack_keys(data: bytes) -> list[int]:
    """The inverse of ``pack_keys``."""
    return [int.from_bytes(data[i : i + 8], "little", signed=True) for i in range(0, len(data), 8)]


def strip_text(text: str, title: str | None, remove: set[int]) -> tuple[str, list[str]]:
    """The text without paragraphs whose key is in ``remove``, and the paragraphs removed."""
    kept, removed = [], []
    for paragraph in paragraphs(text):
        if block_key(paragraph, title) in remove:
            removed.append(paragraph)
        else:
            kept.append(paragraph)
    return "\n\n".join(kept), removed


def strip_html(html: str, title: str | None, remove: set[int]) -> str:
    """The preview HTML without block elements whose text has a key in ``remove``."""
    if not html.strip() or not remove:
        return html
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return html
    changed = False
    for element in list(root.iter(*PREVIEW_BLOCK_TAGS)):
        if element.getparent() is None:
            continue
        if block_key(element.text_content(), title) in remove:
            element.drop_tree()
            changed = True
    if not changed:
        return html
    lead = escape(root.text) if root.text else ""
    return lead + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
