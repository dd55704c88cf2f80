"""The second opinion: readability-lxml and jusText asked where trafilatura's result is short."""

from __future__ import annotations

import pytest
from lxml import etree

from corpusdesk.importing import extract
from corpusdesk.importing.content import Block
from corpusdesk.importing.extract import extract_article, parse_html
from corpusdesk.importing.second_opinion import (
    is_doubtful,
    justext_text,
    prefers_second_opinion,
    readability_blocks,
    shown_prose_words,
)

SENTENCES = [
    f"The harbour board met on day {n} to weigh the cost of the new ferry berth and its cranes."
    for n in range(1, 13)
]
ARTICLE = "".join(f"<p>{' '.join(SENTENCES[i : i + 3])}</p>" for i in range(0, 12, 3))
PAGE = (
    "<html><head><title>Ferry berth</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
    f"<div class='story'><h1>Ferry berth costs</h1><h2>The vote</h2>{ARTICLE}</div>"
    "<footer><a href='/about'>About us</a> <a href='/contact'>Contact</a></footer>"
    "</body></html>"
)


def _blocks(*texts: str) -> list[Block]:
    return [Block("p", text, f"<p>{text}</p>") for text in texts]


def test_shown_prose_leaves_out_links_and_scripts() -> None:
    tree = parse_html(
        "<html><body><p>Four words of prose</p><a href='/'>many link words here</a>"
        "<script>var hidden = words;</script></body></html>"
    )
    assert shown_prose_words(tree) == 4


def test_doubt_is_a_small_share_of_the_shown_prose() -> None:
    assert is_doubtful(50, 200)
    assert not is_doubtful(150, 200)


def test_readability_finds_the_paragraphs() -> None:
    blocks = readability_blocks(parse_html(PAGE), None)
    text = " ".join(block.text for block in blocks)
    assert all(sentence in text for sentence in SENTENCES)
    assert "Contact" not in text
    assert {block.kind for block in blocks} >= {"p"}


def test_justext_keeps_prose_and_drops_links() -> None:
    text = justext_text(parse_html(PAGE))
    assert SENTENCES[0] in text
    assert "About us" not in text


@pytest.mark.parametrize(
    ("ours", "theirs", "confirmation", "preferred"),
    [
        # Readability holds ours and much more; jusText found the more too.
        (SENTENCES[:3], SENTENCES, " ".join(SENTENCES), True),
        # jusText finds nothing beyond ours: keep ours.
        (SENTENCES[:3], SENTENCES, " ".join(SENTENCES[:3]), False),
        # Not much longer.
        (SENTENCES[:8], SENTENCES[:10], " ".join(SENTENCES), False),
        # Readability's article is another text: keep ours.
        (SENTENCES[:3], [s.replace("harbour", "airport") for s in SENTENCES], "", False),
    ],
)
def test_prefers_second_opinion(
    ours: list[str], theirs: list[str], confirmation: str, preferred: bool
) -> None:
    assert prefers_second_opinion(_blocks(*ours), _blocks(*theirs), confirmation) is preferred


def test_short_trafilatura_result_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    def first_paragraph_only(tree: object, url: str | None) -> object:
        body = etree.Element("body")
        etree.SubElement(body, "p").text = " ".join(SENTENCES[:3])
        return body

    monkeypatch.setattr(extract, "run_trafilatura", first_paragraph_only)
    text = extract_article(PAGE.encode(), "page.html").text
    assert all(sentence in text for sentence in SENTENCES)
    assert "About us" not in text and "Home" not in text
