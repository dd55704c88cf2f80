"""The main content of a page: trafilatura's extraction, then our own cleanup.

The parsed page is pruned of furniture (:func:`clean.prune_boilerplate`), handed to trafilatura
as a tree (no second parse), and trafilatura's structured result is turned into blocks:
paragraphs, headings, list items, quotations, table rows. Blocks that repeat the title, the
byline or a photo caption at the top, and short stock-phrase blocks anywhere, are dropped.
The remaining blocks give both the plain text (one blank line between paragraphs) and the
preview HTML.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

import trafilatura
from htmldate import find_date
from lxml import etree

from corpusdesk.core.scripts import count_words
from corpusdesk.importing.clean import (
    collapse,
    is_boilerplate_line,
    is_byline,
    is_caption,
    is_notice,
    normalise_key,
    sanitise_html,
)
from corpusdesk.importing.embedded import PlacedImage, anchor_key
from corpusdesk.importing.spacing import mark_word_breaks, unmark

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

_INLINE_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
_BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "table", "code", "div", "item", "row"})
_STRING = etree.XPath("string()")
_LISTS = etree.XPath(".//list")
IN_PAGE_LINK_SHARE = 0.9
"""A block this much inside links to the same page is navigation, not article text."""


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-like unit of the article: its kind (``p``, ``h3``, ``li`` …), text and HTML."""

    kind: str
    text: str
    html: str
    link_chars: int = 0
    anchor_chars: int = 0
    """Characters inside links to a place on the same page (a table of contents, "back to top")."""


@dataclass(frozen=True, slots=True)
class Content:
    """The article body as plain text and as sanitised preview HTML."""

    text: str
    html: str


def run_trafilatura(tree: Any, url: str | None) -> Any | None:
    """trafilatura's XML body for the page ``tree``, or None.

    The word breaks of ``tree`` are marked first (in place), so that the body keeps them.
    """
    mark_word_breaks(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        with_metadata=False,
        favor_recall=True,
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_images=False,
        output_format="xml",
    )
    body = getattr(document, "body", None)
    return body


def _inline_html(element: Any) -> tuple[str, int]:
    """HTML for the inline content of ``element`` and the number of characters inside links."""
    parts = [escape(unmark(element.text or ""), quote=False)]
    link_chars = 0
    for child in element:
        inner, inner_links = _inline_html(child)
        spaced = inner.rstrip(" ")
        after = inner[len(spaced) :]  # a word break at the end goes after the closing tag
        inner = spaced
        tag = child.tag
        if tag == "lb":
            parts.append("<br>")
        elif tag == "ref":
            target = (child.get("target") or "").strip()
            link_chars += len(collapse(unmark(_STRING(child))))
            if target.lower().startswith(("http://", "https://", "mailto:")):
                parts.append(f'<a href="{escape(target)}">{inner}</a>')
            else:
                parts.append(inner)
        elif tag == "hi" and child.get("rend") in _INLINE_TAGS:
            name = _INLINE_TAGS[child.get("rend")]
            parts.append(f"<{name}>{inner}</{name}>")
        else:
            parts.append(inner)
        link_chars += inner_links
        parts.append(after + escape(unmark(child.tail or ""), quote=False))
    return "".join(parts), link_chars


def _block_html(element: Any) -> tuple[str, int]:
    """``_inline_html`` of a whole block, without the word breaks at its edges."""
    inner, links = _inline_html(element)
    return inner.strip(), links


def _anchor_chars(element: Any) -> int:
    """Characters of ``element``'s text inside links to the same page (``#section``)."""
    return sum(
        len(collapse(unmark(_STRING(ref))))
        for ref in element.iter("ref")
        if (ref.get("target") or "").startswith("#")
    )


def _text_of(element: Any) -> str:
    return collapse(unmark(_STRING(element)))


def to_blocks(body: Any) -> list[Block]:
    """Flatten trafilatura's XML body into a list of blocks."""
    for line_break in body.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")  # a <br> separates words
    blocks: list[Block] = []
    _walk(body, blocks, quoted=False)
    return [b for b in blocks if _shows_anything(b.text)]


def _shows_anything(text: str) -> bool:
    """Whether ``text`` has a character a reader sees (not only joiners and marks)."""
    return any(not unicodedata.category(char).startswith(("Z", "C")) for char in text)


def _walk(element: Any, blocks: list[Block], quoted: bool) -> None:
    for child in element:
        tag = child.tag
        if tag == "head":
            level = (child.get("rend") or "h2").lstrip("h")
            level = level if level in {"2", "3", "4", "5", "6"} else "2"
            inner, links = _block_html(child)
            html = f"<h{level}>{inner}</h{level}>"
            blocks.append(Block(f"h{level}", _text_of(child), html, links, _anchor_chars(child)))
        elif tag in ("p", "code") or (tag == "item" and not _LISTS(child)):
            inner, links = _block_html(child)
            html_tag = {"p": "p", "code": "pre", "item": "li"}[tag]
            kind = "quote" if quoted else html_tag
            html = f"<{html_tag}>{inner}</{html_tag}>"
            if quoted and html_tag == "p":
                html = f"<blockquote>{html}</blockquote>"
            elif html_tag == "li":
                html = f"<ul>{html}</ul>"
            blocks.append(Block(kind, _text_of(child), html, links, _anchor_chars(child)))
        elif tag == "quote" and not any(c.tag in _BLOCK_TAGS for c in child):
            inner, links = _block_html(child)
            blocks.append(
                Block("quote", _text_of(child), f"<blockquote><p>{inner}</p></blockquote>")
            )
        elif tag == "row":
            cells = [_text_of(cell) for cell in child if cell.tag == "cell"]
            text = collapse(" | ".join(c for c in cells if c))
            html_cells = "".join(f"<td>{escape(c, quote=False)}</td>" for c in cells)
            blocks.append(Block("tr", text, f"<table><tr>{html_cells}</tr></table>"))
        elif tag in ("quote", "list", "table", "div", "item", "section", "article"):
            _walk(child, blocks, quoted or tag == "quote")
        elif tag in ("hi", "ref") and _text_of(child):
            inner, links = _block_html(child)
            html = f"<p>{inner}</p>"
            blocks.append(Block("p", _text_of(child), html, links, _anchor_chars(child)))


def _is_title(text: str, title: str | None) -> bool:
    if not title:
        return False
    key, title_key = normalise_key(text), normalise_key(title)
    return bool(key) and (key == title_key or (len(key) > 15 and key in title_key))


def clean_blocks(
    blocks: list[Block], title: str | None, authors: tuple[str, ...], captions: list[str]
) -> list[Block]:
    """Drop furniture blocks and the title, byline and captions repeated at the top."""
    kept = [
        b
        for b in blocks
        if not (is_boilerplate_line(b.text) or is_notice(b.text) or _is_page_link(b))
    ]
    start = 0
    for index, block in enumerate(kept[:8]):
        text = block.text
        if _is_title(text, title) or is_byline(text, authors) or is_caption(text, captions):
            start = index + 1
            continue
        if count_words(text) <= 3 and block.kind == "p" and index < 3:
            start = index + 1  # a lone label ("Opinion", "Breaking") above the article
            continue
        break
    kept = kept[start:]
    kept = [b for b in kept if not (is_caption(b.text, captions) and count_words(b.text) < 40)]
    while kept and _is_trailing_furniture(kept[-1]):
        kept.pop()
    return kept


def _is_page_link(block: Block) -> bool:
    """Whether the block is a link to a place on the same page: a table of contents' entry."""
    return block.anchor_chars >= IN_PAGE_LINK_SHARE * len(block.text)


def _is_trailing_furniture(block: Block) -> bool:
    words = count_words(block.text)
    if block.link_chars and block.link_chars >= 0.6 * len(block.text) and words <= 15:
        return True  # a "related" or "next post" link at the very end
    return block.kind.startswith("h") and words <= 6


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, declared: str | None) -> str | None:
    """The primary language subtag of ``text``; the declared one unless the text clearly differs."""
    sample = text[:3000]
    if len(sample) < 40:
        return declared
    language, probability = _identifier().classify(sample)
    if language == "la":
        return declared  # Latin on a web page is placeholder text ("Lorem ipsum"), not Latin
    if declared is None:
        return str(language) if probability > 0.5 else None
    if language != declared and probability > 0.99 and len(sample) > 400:
        return str(language)
    return declared


def page_date(tree: Any, url: str | None) -> dt.date | None:
    """The publication date htmldate finds in the page (metadata, URL, date elements).

    A page-wide guess: it is one vote among the article's own date signals
    (:func:`dateline.choose_published`). Its extensive search of every date-like string in the
    page is not asked for: it takes thirty times as long, mostly on pages with no date at all.
    """
    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=False)
    except Exception:  # htmldate's heuristics must never fail the import
        return None
    try:
        return dt.date.fromisoformat(found) if found else None
    except ValueError:
        return None


def place_images(blocks: list[Block], images: Sequence[PlacedImage]) -> list[Block]:
    """``blocks`` with each image before the block that followed it in the page.

    Images are placed by the paragraph that came after them, not extracted with the text, so
    the text is the same whether or not the capture holds images; an image whose paragraph is
    not part of the article is left out.
    """
    if not images:
        return blocks
    waiting: dict[str, list[PlacedImage]] = {}
    for image in images:
        waiting.setdefault(image.anchor, []).append(image)
    placed: list[Block] = []
    for block in blocks:
        for image in waiting.pop(anchor_key(block.text), []):
            alt = escape(image.alt, quote=True)
            placed.append(Block("img", "", f'<p><img src="{image.reference}" alt="{alt}"></p>'))
        placed.append(block)
    return placed


def render(blocks: list[Block]) -> Content:
    """The plain text and the sanitised preview HTML of ``blocks`` (images have no text)."""
    text = "\n\n".join(block.text for block in blocks if block.text)
    html = sanitise_html("\n".join(block.html for block in blocks))
    return Content(text=text, html=html)
