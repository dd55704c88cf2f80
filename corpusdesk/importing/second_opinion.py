"""A second opinion on the article body where trafilatura's result is doubtful.

trafilatura sometimes keeps only part of an article: a block it judged to be furniture, a
section after a heading it took for the end, a page whose paragraphs sit in unusual markup.
Its result is doubtful when it holds much less than the prose the page shows (the words of the
pruned page outside links). Then two other well-kept extractors are asked: readability-lxml
(Mozilla Readability's algorithm: the densest block of paragraphs and its siblings) and jusText
(paragraph by paragraph, by length, link density and stop words). Readability's article wins
when it holds trafilatura's text, is much longer, and jusText agrees that trafilatura missed
text (few of jusText's paragraphs are in trafilatura's result). When trafilatura kept under a
third of the shown prose and jusText finds several times as much, jusText's paragraphs win
(both other extractors can lose an article in markup jusText reads paragraph by paragraph).
Otherwise trafilatura's result stays. Readers' comments are left out of the shown prose and of
what the other extractors see, as trafilatura leaves them out of the article.

Texts are compared as the evaluation of extractors compares them: as multisets of four-word
runs.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from typing import Any

import justext
from lxml import etree
from lxml import html as lxml_html
from readability import Document

from corpusdesk.importing.clean import collapse
from corpusdesk.importing.content import Block
from corpusdesk.importing.spacing import remove_element, unmark

logging.getLogger("readability").setLevel(logging.CRITICAL)

Cleaner = Callable[[list[Block]], list[Block]]
"""The cleanup applied to every extractor's blocks (title, byline, furniture lines)."""

DOUBT_SHARE = 0.6
"""trafilatura's result is doubtful below this share of the prose the page shows."""
CONTAINED = 0.9
"""The share of trafilatura's word runs that the other article must hold."""
LONGER = 1.5
"""How many times trafilatura's words the other article must have."""
JUSTEXT_FOUND = 0.6
"""jusText confirms a miss when at most this share of its word runs are in trafilatura's."""
LOST_SHARE = 0.3
"""Below this share of the shown prose, trafilatura has lost the article."""
JUSTEXT_LONGER = 4
"""jusText's paragraphs replace a lost article when they have this many times its words."""

_TOKEN = re.compile(r"\w+")
_BLOCK_KINDS = {
    "p": "p",
    "h1": "h2",
    "h2": "h2",
    "h3": "h3",
    "h4": "h4",
    "h5": "h5",
    "h6": "h6",
    "li": "li",
    "blockquote": "quote",
    "pre": "pre",
    "dd": "p",
    "dt": "p",
    "tr": "tr",
}
_CONTAINERS = frozenset(("div", "section", "article", "main", "td", "body", "figure", "span"))
_INNER = "|".join(f".//{tag}" for tag in _BLOCK_KINDS)
_NOT_PROSE = etree.XPath(".//a | .//script | .//style | .//noscript | .//template")
_COMMENT_NAMED = etree.XPath(
    "//body//*[contains(translate(@id, 'COMENT', 'coment'), 'comment') or "
    "contains(translate(@class, 'COMENT', 'coment'), 'comment') or @id = 'disqus_thread']"
    "[not(.//h1)]"
)
_COMMENT_NAME = re.compile(r"^(?:comment(?!ary|ator)|disqus_thread$)", re.I)


def remove_reader_comments(tree: Any) -> int:
    """Remove the readers' comments from ``tree``: elements whose id or a class starts with
    ``comment`` (``comments``, ``comment-list``, ``commentBody``; not ``commentary``), unless
    they hold the page's headline. Returns how many were removed.

    trafilatura leaves comments out of the article; the prose the page shows must leave them
    out too, or a long thread makes a right result look short and lets the other extractors
    (which know nothing of comments) take the thread for the article.
    """
    removed = 0
    for element in _COMMENT_NAMED(tree):
        names = [element.get("id") or "", *(element.get("class") or "").split()]
        if element.getparent() is not None and any(_COMMENT_NAME.match(n) for n in names):
            remove_element(element)
            removed += 1
    return removed


def shown_prose_words(tree: Any) -> int:
    """Words the page shows outside links, scripts and styles: the prose an article may hold.

    Words are counted as runs between spaces here and in :func:`token_count`: a rough count,
    but a fast one, and the two are only ever compared with each other.
    """
    body = tree.find("body")
    if body is None:
        return 0
    words = len(unmark(body.text_content()).split())
    for element in _NOT_PROSE(body):
        words -= len(unmark(element.text_content()).split())
    return max(words, 0)


def is_doubtful(words: int, shown: int) -> bool:
    """Whether trafilatura's ``words`` are few for a page that shows ``shown`` prose words."""
    return words < DOUBT_SHARE * shown


def _runs(text: str) -> Counter[tuple[str, ...]]:
    """The text's runs of four words, each as often as it occurs."""
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def _share_in(part: Counter[tuple[str, ...]], whole: Counter[tuple[str, ...]]) -> float:
    total = part.total()
    return (part & whole).total() / total if total else 0.0


def readability_blocks(tree: Any, url: str | None) -> list[Block]:
    """The article readability-lxml finds in ``tree``, as blocks. ``tree`` may be changed."""
    try:
        summary = Document(tree, url=url).summary(html_partial=True)
        root = lxml_html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # readability's heuristics must never fail the import
        return []
    return list(_blocks_of(root))


def _blocks_of(element: Any) -> Iterable[Block]:
    """Blocks for ``element``'s paragraphs, headings, items and rows, in document order."""
    tag = element.tag if isinstance(element.tag, str) else ""
    kind = _BLOCK_KINDS.get(tag)
    if kind and not element.xpath(_INNER):
        text = collapse(unmark(element.text_content()))
        if text:
            yield _block(kind, text, element)
        return
    loose = [element.text or ""]
    for child in element:
        child_tag = child.tag if isinstance(child.tag, str) else ""
        if child_tag in _BLOCK_KINDS or child_tag in _CONTAINERS:
            yield from _flush(loose)
            yield from _blocks_of(child)
            loose = [child.tail or ""]
        else:
            loose.append(child.text_content() if child_tag else "")
            loose.append(child.tail or "")
    yield from _flush(loose)


def _flush(pieces: list[str]) -> Iterable[Block]:
    text = collapse(unmark("".join(pieces)))
    if text:
        yield _block_of_text("p", text)


def _block(kind: str, text: str, element: Any) -> Block:
    if kind == "tr":
        cells = [collapse(unmark(cell.text_content())) for cell in element.iter("td", "th")]
        text = " | ".join(cell for cell in cells if cell) or text
    link_chars = sum(len(collapse(link.text_content())) for link in element.iter("a"))
    return _block_of_text(kind, text, link_chars)


def _block_of_text(kind: str, text: str, link_chars: int = 0) -> Block:
    safe = escape(text, quote=False)
    html = {
        "li": f"<ul><li>{safe}</li></ul>",
        "quote": f"<blockquote><p>{safe}</p></blockquote>",
        "tr": f"<table><tr><td>{safe}</td></tr></table>",
    }.get(kind, f"<{kind}>{safe}</{kind}>")
    return Block(kind, text, html, link_chars)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """The stop words of every language jusText knows: the page's language need not be known."""
    return frozenset(
        word for name in justext.get_stoplists() for word in justext.get_stoplist(name)
    )


def justext_blocks(tree: Any) -> list[Block]:
    """The paragraphs jusText keeps in ``tree`` (which it does not change), as blocks."""
    try:
        paragraphs = justext.core.ParagraphMaker.make_paragraphs(justext.core.preprocessor(tree))
        justext.core.classify_paragraphs(paragraphs, _stop_words())
        justext.core.revise_paragraph_classification(paragraphs)
    except Exception:  # jusText's heuristics must never fail the import
        return []
    blocks = []
    for paragraph in paragraphs:
        text = collapse(unmark(paragraph.text))
        if paragraph.is_boilerplate or not text:
            continue
        kind = "h2" if paragraph.is_heading else "p"
        if paragraph.dom_path.rsplit(".", 1)[-1] == "li":
            kind = "li"
        blocks.append(_block_of_text(kind, text))
    return blocks


def token_count(blocks: list[Block]) -> int:
    """Words in ``blocks``, counted as :func:`shown_prose_words` counts them."""
    return sum(len(block.text.split()) for block in blocks)


def _text(blocks: list[Block]) -> str:
    return "\n".join(block.text for block in blocks)


def _confirms_a_miss(ours: list[Block], confirmation: list[Block]) -> bool:
    """Whether jusText's paragraphs say trafilatura missed text: few of them are in ours."""
    confirming = _runs(_text(confirmation))
    return not confirming or _share_in(confirming, _runs(_text(ours))) <= JUSTEXT_FOUND


def prefers_readability(ours: list[Block], theirs: list[Block], confirmation: list[Block]) -> bool:
    """Whether readability's blocks ``theirs`` should replace trafilatura's ``ours``.

    They must hold nearly all of ours and be much longer, and jusText's paragraphs
    (``confirmation``) must not already be found in ours.
    """
    ours_runs, their_runs = _runs(_text(ours)), _runs(_text(theirs))
    if not their_runs or their_runs.total() < LONGER * ours_runs.total():
        return False
    if _share_in(ours_runs, their_runs) < CONTAINED:
        return False
    return _confirms_a_miss(ours, confirmation)


def prefers_justext(ours: list[Block], theirs: list[Block], shown: int) -> bool:
    """Whether jusText's blocks ``theirs`` should replace trafilatura's ``ours``: when ours keep
    under a third of the ``shown`` prose words and jusText finds several times as much."""
    words = token_count(ours)
    return words < LOST_SHARE * shown and token_count(theirs) >= JUSTEXT_LONGER * max(1, words)


def second_opinion(
    tree: Any, url: str | None, ours: list[Block], shown: int, clean: Cleaner
) -> list[Block]:
    """The blocks to keep for a page whose trafilatura result ``ours`` is doubtful.

    ``clean`` applies the same cleanup to the other extractors' blocks as to ours. ``tree`` is
    the pruned page, which readability may change. Readability is only asked when jusText
    confirms that trafilatura missed text.
    """
    confirmation = clean(justext_blocks(tree))
    if _confirms_a_miss(ours, confirmation):
        theirs = clean(readability_blocks(tree, url))
        if prefers_readability(ours, theirs, confirmation):
            return theirs
    if prefers_justext(ours, confirmation, shown):
        return confirmation
    return ours
