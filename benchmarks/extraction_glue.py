"""The glue rate: how often extracted text runs together words that the page shows apart.

A page's visible text is read independently of the extractor: every text of the page outside
scripts, styles and the head, with a space wherever a block, line break, list item or table
cell begins or ends, and inline elements joined exactly as the source joins them. An output
token (a run of letters and digits) that is not a token of that visible text was made by
joining two words ("United StatesFABCON" gives "StatesFABCON"); the glue rate is the share of
output tokens that are such joins, over all pages of a set. A token that is only a piece of a
visible token splits a word instead, and is no glue. The visible text has its mojibake
repaired as corpusdesk repairs the text it keeps ("weâ\x80\x99ve" is read as "we’ve").
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from corpusdesk.importing.decode import decode_html
from corpusdesk.importing.extract import parse_html
from corpusdesk.importing.mojibake import repair_mojibake

TOKEN = re.compile(r"\w+")
_BLOCKS = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section table "
    "tbody td tfoot th thead tr ul caption summary option legend menu center title".split()
)
_HIDDEN = frozenset(("script", "style", "noscript", "template"))
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def visible_tokens(data: bytes) -> list[str]:
    """The tokens of the page's visible text, spaced as a browser lays it out."""
    pieces: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag not in _HIDDEN:
            block = tag in _BLOCKS
            pieces.append(" " if block else "")
            pieces.append(element.text or "")
            for child in element:
                walk(child)
            pieces.append(" " if block else "")
        pieces.append(element.tail or "")

    walk(parse_html(decode_html(data).text))
    return TOKEN.findall(repair_mojibake(_INVISIBLE.sub("", "".join(pieces))))


def glued_tokens(data: bytes, text: str) -> list[str]:
    """The tokens of ``text`` that join words of the page ``data``.

    A token that is no visible token but a piece of one ("said" of the "saidOpens" that a
    screen-reader label makes) splits a word rather than gluing two, and is not counted.
    """
    tokens = visible_tokens(data)
    visible = set(tokens)
    strange = [token for token in TOKEN.findall(text) if token not in visible]
    if not strange:
        return []
    joined = " ".join(tokens)
    return [token for token in strange if token not in joined]


def page_glue(path: str, text: str) -> tuple[int, list[str]]:
    """The number of tokens in ``text`` and those glued, for the saved page ``path`` (.html.gz)."""
    if not text:
        return 0, []
    with gzip.open(path) as handle:
        return len(TOKEN.findall(text)), glued_tokens(handle.read(), text)


def _page_glue(job: tuple[str, str]) -> tuple[str, int, list[str]]:
    path, text = job
    tokens, glued = page_glue(path, text)
    return path, tokens, glued


def glue_rate(set_dir: Path, texts: dict[str, str], workers: int) -> GlueRate:
    """The glue rate of the extracted ``texts`` (page id → text) of the set at ``set_dir``."""
    pages = set_dir / "pages"
    jobs = [(str(pages / f"{page_id}.html.gz"), text) for page_id, text in texts.items()]
    with Pool(workers) as pool:
        results = pool.map(_page_glue, jobs, chunksize=8)
    return summarise((Path(path).name.split(".")[0], n, bad) for path, n, bad in results)


@dataclass(frozen=True, slots=True)
class GlueRate:
    """Glued tokens over all tokens of a set, the pages that have any, and a few examples."""

    tokens: int
    glued: int
    pages: int
    examples: tuple[str, ...]

    @property
    def rate(self) -> float:
        """The share of output tokens that are glued."""
        return self.glued / self.tokens if self.tokens else 0.0

    def line(self, name: str) -> str:
        """One printed line: the rate, the counts and examples."""
        shown = "; ".join(self.examples)
        return (
            f"{name}: glue rate {self.rate:.5f} ({self.glued} of {self.tokens} tokens, "
            f"{self.pages} pages){': ' + shown if shown else ''}"
        )


def summarise(results: Iterable[tuple[str, int, list[str]]]) -> GlueRate:
    """Totals over ``(page id, tokens, glued tokens)`` per page."""
    tokens = glued = pages = 0
    examples: list[str] = []
    for page_id, count, bad in results:
        tokens += count
        glued += len(bad)
        if bad:
            pages += 1
            if len(examples) < 5:
                examples.append(f"{page_id} {' '.join(bad[:3])}")
    return GlueRate(tokens, glued, pages, tuple(examples))
