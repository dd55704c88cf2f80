"""Boilerplate rules and the sanitised preview HTML, one rule at a time."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from corpusdesk.importing.clean import (
    collapse,
    is_boilerplate_line,
    is_byline,
    is_caption,
    prune_boilerplate,
    sanitise_html,
)
from corpusdesk.importing.content import Block, clean_blocks
from corpusdesk.importing.extract import parse_html

ARTICLE_PARAGRAPH = (
    "The committee met on Tuesday and agreed, after a long debate about the share of the "
    "budget spent on roads, that the related question of bus subsidies would wait until spring."
)


@pytest.mark.parametrize(
    "line",
    [
        "Spread the love",
        "Share this:",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Post Comment",
        "Post Disclaimer",
        "Disclaimer: Views expressed by writers in this section are their own and do not "
        "necessarily reflect this site's point of view",
        "Subscribe to our newsletter",
        "Please support independent journalism",
        "RELATED ARTICLES",
        "Recent Posts",
        "TAGS",
        "Tags: gaza, hamas",
        "Skip to content",
        "Built with GeneratePress",
        "You may also like",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        ARTICLE_PARAGRAPH,
        "Share prices fell sharply on Monday as investors weighed the new tariffs on steel.",
        "Related research from the university suggests the effect is small.",
        "Leaving a reply to critics, the minister defended the plan.",
    ],
)
def test_article_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_long_paragraph_with_stock_phrase_survives() -> None:
    assert not is_boilerplate_line("Share this with everyone: " + ARTICLE_PARAGRAPH * 2)


def test_byline_and_caption_rules() -> None:
    assert is_byline("By Jane Doe", ())
    assert is_byline("Jane Doe | 12 May 2023", ("Jane Doe",))
    assert is_byline("Palestine Staff", ("Palestine Staff",))
    assert not is_byline(ARTICLE_PARAGRAPH, ("Jane Doe",))
    assert is_caption("Ships in port. (Photo: Archive)", [])
    assert is_caption("The old mill in 1910", ["The old mill in 1910"])
    assert not is_caption(ARTICLE_PARAGRAPH, [])


def _tree(body: str) -> lxml_html.HtmlElement:
    return parse_html(f"<html><body>{body}</body></html>")


def test_prune_keeps_main_container_even_with_furniture_class_names() -> None:
    tree = _tree(
        '<div class="post has-comments share-enabled"><div class="entry">'
        f"<p>{ARTICLE_PARAGRAPH}</p><p>{ARTICLE_PARAGRAPH}</p>"
        '<div class="social-share"><a href="#">Facebook</a></div></div></div>'
        '<div id="comments"><p>Great post!</p></div>'
        '<aside class="sidebar"><p>Recent posts</p></aside>'
        "<figure><img src=x><figcaption>Harbour at night</figcaption></figure>"
    )
    captions = prune_boilerplate(tree)
    text = collapse(tree.text_content())
    assert ARTICLE_PARAGRAPH in text
    assert "Facebook" not in text
    assert "Great post" not in text
    assert "Recent posts" not in text
    assert captions == ["Harbour at night"]


@pytest.mark.parametrize(
    "name",
    ["share-bar", "post-disclaimer", "newsletter-box", "related-posts", "yarpp-related", "byline"],
)
def test_prune_by_class_name(name: str) -> None:
    tree = _tree(
        f"<article><p>{ARTICLE_PARAGRAPH}</p><div class='{name}'>FURNITURE</div>"
        f"<p>{ARTICLE_PARAGRAPH}</p></article>"
    )
    prune_boilerplate(tree)
    assert "FURNITURE" not in tree.text_content()
    assert tree.text_content().count(ARTICLE_PARAGRAPH) == 2


@pytest.mark.parametrize(
    ("attributes", "removed"),
    [
        ("class='Post-Sharing'", True),  # case is folded
        ("id='comments'", True),
        ("class='entry' id='share_box'", True),  # either name, any separator
        ("class='timeshare-listing'", False),  # only whole parts count
        ("class='commentary'", False),
        ("class='share' data-role='x'", True),
    ],
)
def test_furniture_names_match_whole_parts(attributes: str, removed: bool) -> None:
    tree = _tree(
        f"<article><p>{ARTICLE_PARAGRAPH}</p><div {attributes}>FURNITURE</div>"
        f"<p>{ARTICLE_PARAGRAPH}</p></article>"
    )
    prune_boilerplate(tree)
    assert ("FURNITURE" not in tree.text_content()) is removed


def test_captions_found_by_tag_or_name() -> None:
    tree = _tree(
        f"<article><p>{ARTICLE_PARAGRAPH}</p><p>{ARTICLE_PARAGRAPH}</p></article>"
        "<span class='wp-caption-text'>Harbour at night</span>"
        "<figure><figcaption>Town hall</figcaption></figure>"
    )
    assert sorted(prune_boilerplate(tree)) == ["Harbour at night", "Town hall"]


def test_prune_keeps_tail_text() -> None:
    tree = _tree(f"<div><p>{ARTICLE_PARAGRAPH}</p><span class='share'>x</span>tail words</div>")
    prune_boilerplate(tree)
    assert "tail words" in tree.text_content()


def _block(text: str, kind: str = "p") -> Block:
    return Block(kind, text, f"<p>{text}</p>")


def test_clean_blocks_drops_title_byline_caption_at_top() -> None:
    blocks = [
        _block("A Title About Rivers", "h2"),
        _block("Boats at the quay. (Photo: File)"),
        _block("By Jane Doe"),
        _block("March 3, 2021"),
        _block(ARTICLE_PARAGRAPH),
        _block("By the river, the committee met again and the debate went on for hours."),
        _block("Share this:"),
    ]
    kept = clean_blocks(blocks, "A Title About Rivers", ("Jane Doe",), [])
    assert [b.text for b in kept] == [blocks[4].text, blocks[5].text]


def test_sanitise_html_whitelist() -> None:
    dirty = (
        '<p onclick="x()" style="background:url(https://t.example/a.png)">Hi '
        '<a href="javascript:alert(1)">bad</a> <a href="https://ok.example/" target="_blank">ok</a>'
        '<img src="https://t.example/p.gif" alt="pixel"></p><script>alert(1)</script>'
        "<style>p{}</style><form><input></form><iframe src=https://e.example></iframe>"
        '<meta http-equiv="refresh" content="0;url=https://e.example"><h2>Head</h2>'
        '<object data="x"></object><div><span>kept text</span></div>'
    )
    clean = sanitise_html(dirty)
    lowered = clean.lower()
    for bad in (
        "<script",
        "<style",
        "<form",
        "<input",
        "<iframe",
        "<img",
        "onclick",
        "style=",
        "javascript:",
        "refresh",
        "<object",
        "<meta",
        "target=",
        "<span",
        "<div",
    ):
        assert bad not in lowered
    assert '<a href="https://ok.example/">ok</a>' in clean
    assert "<h2>Head</h2>" in clean
    assert "kept text" in clean
    assert sanitise_html("") == ""
