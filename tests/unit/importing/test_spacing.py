"""Word breaks kept through extraction: words the page shows apart are never glued."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from corpusdesk.importing.extract import extract_article, parse_html
from corpusdesk.importing.spacing import (
    BREAK,
    mark_word_breaks,
    remove_element,
    shown_text,
    unmark,
)

FILLER = "<p>" + "The ferry left the harbour at dawn with forty passengers aboard. " * 4 + "</p>"


def _marked(body: str) -> str:
    tree = parse_html(f"<html><body>{body}</body></html>")
    mark_word_breaks(tree)
    for script in list(tree.iter("script")):
        script.drop_tree()
    return unmark(etree.tostring(tree, method="text", encoding=str))


def _article_text(fragment: str) -> str:
    article = f"<article><h1>Ferry news</h1>{FILLER}{fragment}{FILLER}</article>"
    page = f"<html><body>{article}</body></html>"
    return extract_article(page.encode(), "page.html").text


@pytest.mark.parametrize(
    ("fragment", "words"),
    [
        (
            "<p>Watch it on <a href='/n'><em>Netflix</em></a> <em>and</em> elsewhere today.</p>",
            "Netflix and elsewhere",
        ),
        (
            "<p>The author <a href='/a'>Jane Doe</a>\n<a href='/b'>Links to Jane</a> here.</p>",
            "Jane Doe Links to Jane",
        ),
        (
            "<p>The trip from United States\n<span>FABCON</span> costs a lot of money.</p>",
            "United States FABCON",
        ),
        (
            "<div>1</div><p><strong>Look</strong> for a deal before you book anything.</p>",
            "1 Look for a deal",
        ),
        (
            "<p>First line of the verse<br>Second line of the verse</p>",
            "First line of the verse Second line of the verse",
        ),
    ],
)
def test_separated_words_stay_separated(fragment: str, words: str) -> None:
    assert words in " ".join(_article_text(fragment).split())


def test_marks_only_where_the_page_shows_a_break() -> None:
    text = _marked("<p>un<b>like</b>ly <i>word</i></p><div>one</div><div>two</div>")
    assert text.split() == ["unlikely", "word", "one", "two"]


def test_script_text_is_not_a_break() -> None:
    text = _marked("<p>half<script>var x = 1;</script>way</p>")
    assert "halfway" in text.split()


def test_soft_hyphens_are_removed() -> None:
    assert unmark("Vladi\u00admir and\u2060so") == "Vladimir andso"
    assert "Vladimir" in _article_text("<p>President Vladi&shy;mir spoke for an hour.</p>")


def test_no_mark_left_in_text_or_preview() -> None:
    page = (
        "<html><body><article><h1>Ferry news</h1>"
        f"{FILLER}<p>The <b>captain</b> <a href='https://x.example/'>said</a> the sea was calm "
        "and the crossing took less than two hours this time.</p>{FILLER}"
        "</article></body></html>"
    )
    article = extract_article(page.encode(), "page.html")
    assert BREAK not in article.text
    assert BREAK not in article.html
    assert re.search(r"<strong>captain\s*</strong>\s+<a[^>]*>said\s*</a>\s+the sea", article.html)


def test_removed_element_leaves_a_word_break() -> None:
    tree = parse_html(
        "<html><body><p>according to<button>Jane</button>Kensho, a firm<button>x</button>, "
        "said</p></body></html>"
    )
    for button in list(tree.iter("button")):
        remove_element(button)
    assert tree.find(".//p").text_content() == "according to Kensho, a firm, said"


def test_shown_text_sets_blocks_and_breaks_apart() -> None:
    heading = parse_html(
        "<html><body><h1>Best tools<br>for 2026<span>!</span><div>Part two</div></h1></body></html>"
    ).find(".//h1")
    assert " ".join(shown_text(heading).split()) == "Best tools for 2026! Part two"
