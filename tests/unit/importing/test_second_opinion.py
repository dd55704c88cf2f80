"""The second opinion: readability-lxml and jusText asked where trafilatura's result is short."""

from __future__ import annotations

import pytest
from lxml import etree

from corpusdesk.importing import extract
from corpusdesk.importing.content import Block
from corpusdesk.importing.extract import extract_article, parse_html
from corpusdesk.importing.second_opinion import (
    is_doubtful,
    justext_blocks,
    prefers_justext,
    prefers_readability,
    readability_blocks,
    remove_reader_comments,
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
        "<html><body><p>Four words of prose</p>\n<a href='/'>many link words here</a>\n"
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
    text = " ".join(block.text for block in justext_blocks(parse_html(PAGE)))
    assert SENTENCES[0] in text
    assert "About us" not in text


@pytest.mark.parametrize(
    ("ours", "theirs", "confirmation", "preferred"),
    [
        # Readability holds ours and much more; jusText found the more too.
        (SENTENCES[:3], SENTENCES, SENTENCES, True),
        # jusText finds nothing beyond ours: keep ours.
        (SENTENCES[:3], SENTENCES, SENTENCES[:3], False),
        # Not much longer.
        (SENTENCES[:8], SENTENCES[:10], SENTENCES, False),
        # Readability's article is another text: keep ours.
        (SENTENCES[:3], [s.replace("harbour", "airport") for s in SENTENCES], [], False),
    ],
)
def test_prefers_readability(
    ours: list[str], theirs: list[str], confirmation: list[str], preferred: bool
) -> None:
    chosen = prefers_readability(_blocks(*ours), _blocks(*theirs), _blocks(*confirmation))
    assert chosen is preferred


def test_short_trafilatura_result_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    def first_paragraph_only(tree: object, url: str | None) -> object:
        body = etree.Element("body")
        etree.SubElement(body, "p").text = " ".join(SENTENCES[:3])
        return body

    monkeypatch.setattr(extract, "run_trafilatura", first_paragraph_only)
    text = extract_article(PAGE.encode(), "page.html").text
    assert all(sentence in text for sentence in SENTENCES)
    assert "About us" not in text and "Home" not in text


def test_lost_article_taken_from_justext() -> None:
    ours = _blocks(SENTENCES[0])
    found = _blocks(*SENTENCES)
    assert prefers_justext(ours, found, shown=len(" ".join(SENTENCES).split()))
    assert not prefers_justext(_blocks(*SENTENCES[:6]), found, shown=250)
    assert not prefers_justext(ours, _blocks(*SENTENCES[:2]), shown=250)


def test_justext_blocks_keep_headings_and_items() -> None:
    page = (
        "<html><body><div><h2>What the board decided after the long meeting today</h2>"
        f"{ARTICLE}<ul><li>{SENTENCES[0]} {SENTENCES[1]}</li></ul></div></body></html>"
    )
    kinds = [block.kind for block in justext_blocks(parse_html(page))]
    assert "p" in kinds and "li" in kinds


COMMENT = (
    "<li class='comment full'><div class='commentTop'><a href='/~reader{n}'>reader{n}</a>"
    " on Friday</div><div class='commentBody'><p>I have read about ferries for years and this "
    "berth will cost the town far more than the board admits, as every reader here who "
    "remembers the last harbour works and their delays will tell you, comment {n}.</p>"
    "<p>The cranes alone will need a new road, and nobody has asked who pays for that road "
    "or how the lorries get through the old town at market time, comment {n}.</p></div></li>"
)


def test_readers_comments_are_not_shown_prose() -> None:
    thread = "".join(COMMENT.format(n=n) for n in range(8))
    page = (
        "<html><body><h1>Ferry berth</h1>\n<div class='story'>{}</div>\n{}"
        "<div class='commentary'><p>Our commentary stays.</p></div></body></html>"
    )
    tree = parse_html(
        page.format(ARTICLE, f"<section id='comments'><ul class='x'>{thread}</ul></section>\n")
    )
    remove_reader_comments(tree)
    assert shown_prose_words(tree) == shown_prose_words(parse_html(page.format(ARTICLE, "")))
    assert "Our commentary stays." in tree.text_content()


def test_a_comment_thread_never_replaces_the_article() -> None:
    # trafilatura leaves the thread out; the thread must not make its result look short and
    # hand the page to the other extractors, which would keep the thread.
    thread = "".join(COMMENT.format(n=n) for n in range(12))
    page = (
        "<html><body><article><h1>Ferry berth costs</h1>"
        f"<div class='story'>{ARTICLE}</div></article>"
        f"<ul id='commentlisting'>{thread}</ul></body></html>"
    )
    text = extract_article(page.encode(), "page.html").text
    assert all(sentence in text for sentence in SENTENCES)
    assert "comment 3" not in text
