"""The one entry point of the pure import steps: the bytes of a saved page in, an article out.

``extract_article`` sniffs and decodes the bytes (taking the page out of a web archive, MHTML,
first), parses them once with lxml (no network, no external entities, no DTD processing,
libxml2's default depth limit), reads the metadata and weighs the page's dates
(:mod:`dateline`), removes the boxes the page hides (:mod:`hidden`) and its furniture, extracts
the main content with trafilatura (keeping the word breaks the page shows, :mod:`spacing`),
asks readability-lxml and jusText where trafilatura's result is doubtful (:mod:`second_opinion`),
cleans the blocks and returns an :class:`ExtractedArticle`. Whatever the input, it either
returns an article or raises :class:`ImportFailure` with a one-line reason.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from corpusdesk.core.errors import ImportFailure
from corpusdesk.core.records import ExtractedArticle
from corpusdesk.core.scripts import count_words, has_unspaced_script
from corpusdesk.importing.clean import prune_boilerplate
from corpusdesk.importing.content import (
    Block,
    clean_blocks,
    detect_language,
    page_date,
    place_images,
    render,
    run_trafilatura,
    to_blocks,
)
from corpusdesk.importing.dateline import choose_published, first_shown_date, header_date
from corpusdesk.importing.decode import decode_html
from corpusdesk.importing.embedded import ImageIndex
from corpusdesk.importing.hidden import remove_hidden
from corpusdesk.importing.metadata import choose_metadata, read_signals
from corpusdesk.importing.mojibake import mojibake_repair, repair_mojibake, repair_optional
from corpusdesk.importing.second_opinion import (
    is_doubtful,
    remove_reader_comments,
    second_opinion,
    shown_prose_words,
    token_count,
)
from corpusdesk.importing.sniff import binary_signature, has_html_extension, looks_like_html

EXTRACTOR_VERSION = "corpusdesk-extract/9"
"""Recorded with every import; bumped whenever the extraction rules change."""

MIN_WORDS = 15
"""Pages whose cleaned text has fewer words than this have no article to import (in Chinese and
Japanese, where every character counts as a word, fewer than 15 characters)."""

HEAD_CHARS = 6000
"""How much of the start of the page is searched for the comments saving tools leave."""

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.I | re.S)
_WORD = re.compile(r"\w+")


def _parser() -> Any:
    parser = lxml_html.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        default_doctype=False,
        collect_ids=False,
        huge_tree=False,
    )
    # Every element is an HtmlElement, chosen in C: lxml.html's own choice (form and input
    # elements get classes of their own, which nothing here uses) is a Python call for each
    # element the extraction touches, 4% of the import's time.
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    return parser


def parse_html(text: str) -> Any:
    """Parse decoded page text into an lxml HTML tree, or raise :class:`ImportFailure`."""
    text = _XML_DECLARATION.sub("", text, count=1)
    head = text[:HEAD_CHARS]
    if "[" in head and _INTERNAL_SUBSET.search(head):
        # Entity declarations are never expanded; drop the whole internal DTD subset.
        text = _INTERNAL_SUBSET.sub("<!DOCTYPE html>", text, count=1)
    try:
        tree = lxml_html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ImportFailure(f"not parseable as HTML: {error}") from None
    if tree is None or not isinstance(tree.tag, str):
        raise ImportFailure("not parseable as HTML")
    _gather_into_body(tree)
    return tree


def _gather_into_body(root: Any) -> None:
    """Put what the page has after its closing ``</html>`` at the end of its body, where
    browsers show it.

    A site template that closes the page after its header (``</body></html>``) leaves the
    article after that; libxml2 puts it in a second top-level ``<html>`` element, outside the
    tree everything else reads.
    """
    strays = [node for node in root.itersiblings() if isinstance(node.tag, str)]
    if not strays:
        return
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    for stray in strays:
        if stray.tag != "html":
            body.append(stray)
            continue
        _append_text(body, stray.text)
        for child in list(stray):
            if child.tag in ("head", "body"):
                _append_text(body, child.text)
                body.extend(list(child))
                _append_text(body, child.tail)
                stray.remove(child)
            else:
                body.append(child)


def _append_text(parent: Any, text: str | None) -> None:
    """Add ``text`` after ``parent``'s last child (or as its text, when it has none)."""
    if not text or not text.strip():
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _words_of(text: str) -> int:
    """Chinese, Japanese and Thai as their readers count words; other text in runs of letters
    and digits (so that a row of dashes or stars is no article text)."""
    return count_words(text) if has_unspaced_script(text) else len(_WORD.findall(text))


def _count_words(blocks: list[Block]) -> int:
    return sum(_words_of(block.text) for block in blocks)


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the capture a page came in says about it (all optional)."""

    charset: str | None = None
    """The charset declared for the bytes outside them (a MIME part's, an HTTP header's)."""
    url: str | None = None
    """The page's address as captured: the canonical URL when the page names none."""
    images: ImageIndex | None = None
    """The images the capture holds; with them, the preview keeps the images it shows."""
    known_html: bool = False
    """The capture says the bytes are HTML, whatever the file is called."""


NO_CONTEXT = PageContext()


def _repaired(blocks: list[Block]) -> list[Block]:
    """``blocks`` with their mojibake read as meant (``mojibake.py``), each text trimmed again."""
    repair = mojibake_repair("\n\n".join(block.text for block in blocks))
    if repair is None:
        return blocks
    return [
        dataclasses.replace(block, text=repair(block.text).strip(), html=repair(block.html))
        for block in blocks
    ]


def _extract(data: bytes, source_name: str, context: PageContext) -> ExtractedArticle:
    if not data or not data.strip():
        raise ImportFailure("the file is empty")
    kind = binary_signature(data)
    if kind:
        raise ImportFailure(f"not an HTML page: the file is {kind}")
    if not (context.known_html or has_html_extension(source_name) or looks_like_html(data)):
        raise ImportFailure("not an HTML page")
    decoded = decode_html(data, context.charset)
    tree = parse_html(decoded.text)
    signals = read_signals(tree, decoded.text[:HEAD_CHARS])
    signals.saved_from = signals.saved_from or context.url
    meta = choose_metadata(signals)
    dateline = header_date(tree, meta.language)
    published = choose_published(
        meta.dates,
        dateline,
        lambda: page_date(tree, meta.url),
        lambda: first_shown_date(tree, meta.language),
    )
    remove_hidden(tree)
    images = context.images.place(tree) if context.images else []
    captions = prune_boilerplate(tree)
    body = run_trafilatura(tree, meta.url)
    blocks = to_blocks(body) if body is not None else []
    blocks = clean_blocks(blocks, meta.title, meta.authors, captions)
    shown = shown_prose_words(tree)
    if is_doubtful(token_count(blocks), shown) and remove_reader_comments(tree):
        shown = shown_prose_words(tree)
    if is_doubtful(token_count(blocks), shown):
        blocks = second_opinion(
            tree,
            meta.url,
            blocks,
            shown,
            lambda found: clean_blocks(found, meta.title, meta.authors, captions),
        )
    words = _count_words(blocks)
    if words < MIN_WORDS:
        # Pruning can misjudge an unusual template: try once more on the untouched page.
        body = run_trafilatura(parse_html(decoded.text), meta.url)
        blocks = clean_blocks(to_blocks(body) if body is not None else [], meta.title, (), [])
        words = _count_words(blocks)
    if words < MIN_WORDS:
        raise ImportFailure(f"no article text found ({words} words)")
    content = render(place_images(_repaired(blocks), images))
    return ExtractedArticle(
        title=repair_optional(meta.title),
        authors=tuple(repair_mojibake(name) for name in meta.authors),
        site_name=repair_optional(meta.site_name),
        published=published,
        modified=meta.modified,
        url=meta.url,
        description=repair_optional(meta.description),
        language=detect_language(content.text, meta.language),
        text=content.text,
        html=content.html,
        encoding=decoded.encoding,
    )


def extract_article(
    data: bytes, source_name: str, context: PageContext = NO_CONTEXT
) -> ExtractedArticle:
    """Extract the article in the saved page ``data`` (file name ``source_name``).

    ``context`` is what the page's capture says about it. Raises :class:`ImportFailure` with a
    one-line reason when the file is empty, binary, not HTML, undecodable or holds no article
    text; never raises anything else.
    """
    try:
        return _extract(data, source_name, context)
    except ImportFailure:
        raise
    except RecursionError:
        raise ImportFailure("the page is nested too deeply to extract") from None
    except MemoryError:
        raise ImportFailure("the page is too large to extract") from None
    except Exception as error:  # any parser or extractor failure is this file's failure
        reason = str(error).splitlines()[0][:120] if str(error) else ""
        raise ImportFailure(f"extraction failed: {type(error).__name__} {reason}".strip()) from None
