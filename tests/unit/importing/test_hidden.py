"""Hidden elements: boxes the page does not show are never the article."""

from __future__ import annotations

import pytest

from corpusdesk.importing.extract import extract_article, parse_html
from corpusdesk.importing.hidden import hidden_boxes, is_hidden, remove_hidden

STORY = (
    "<p>The town council voted on Tuesday to reopen the old library on Mill Street after "
    "three years of repairs to its roof and its heating.</p>"
    "<p>Readers will find the children's room moved upstairs, longer hours on Saturdays and "
    "a new reading garden behind the building.</p>"
    "<p>The mayor said the first event would be a book sale in June.</p>"
)  # 55 words
CONSENT = (
    "<p>We and our partners use cookies and similar technologies to store and access "
    "information on your device, to measure audiences and to show personalised advertising "
    "and content. You can accept, refuse or change your choices at any time in the privacy "
    "settings at the bottom of every page.</p>"
) * 3
DONATION = (
    "<p>Our newsroom is independent and free to read for everyone, everywhere, because "
    "readers like you keep it that way. Every gift, however small, pays for reporting that "
    "holds power to account. Please support our work with a monthly gift today.</p>"
) * 3


def _page(body: str) -> str:
    return f"<html><head><title>Library reopens</title></head><body>{body}</body></html>"


def _text(body: str) -> str:
    return extract_article(_page(body).encode(), "page.html").text


@pytest.mark.parametrize(
    "box",
    [
        f'<div id="notice" style="display: none">{CONSENT}</div>',
        f"<div hidden>{DONATION}</div>",
        f'<section aria-hidden="true">{CONSENT}</section>',
        f'<div class="box is-hidden">{DONATION}</div>',
        f'<div class="appeal d-none">{DONATION}</div>',
    ],
)
def test_short_story_wins_over_a_longer_hidden_box(box: str) -> None:
    text = _text(f"{box}<main><h1>Library reopens</h1>{STORY}</main>{box}")
    assert "council voted" in text and "book sale in June" in text
    assert "cookies" not in text and "monthly gift" not in text


@pytest.mark.parametrize(
    "box",
    [
        f'<div class="affiliate-disclosure">{CONSENT.replace("cookies", "affiliate links")}</div>',
        f'<div class="note">{CONSENT}</div>',
    ],
)
def test_short_story_wins_over_a_longer_visible_notice(box: str) -> None:
    text = _text(f"<article><h1>Library reopens</h1>{STORY}{box}</article>")
    assert "council voted" in text and "book sale in June" in text
    assert "cookies" not in text and "affiliate" not in text


def test_which_elements_are_hidden() -> None:
    tree = parse_html(
        _page(
            '<p id="a" hidden>x</p><p id="b" aria-hidden="true">x</p>'
            '<p id="c" style="visibility:hidden">x</p><p id="d" class="sr-only">x</p>'
            '<p id="e" class="hidden md:block">x</p><p id="f" class="d-none d-lg-block">x</p>'
            '<p id="g" class="before:hidden">x</p><p id="h" aria-hidden="false">x</p>'
        )
    )
    hidden = {p.get("id") for p in tree.iter("p") if is_hidden(p)}
    assert hidden == {"a", "b", "c", "d"}


def test_disclosure_panels_are_kept() -> None:
    tree = parse_html(
        _page(
            f"<article>{STORY}"
            '<button aria-controls="answer-1">Is it open on Sundays?</button>'
            f'<div id="answer-1" hidden>{STORY}</div>'
            f'<div role="region" style="display:none">{STORY}</div>'
            f"<details><summary>More</summary><div class='hidden'>{STORY}</div></details>"
            "</article>"
        )
    )
    assert hidden_boxes(tree) == []


def test_text_waiting_for_a_script_is_kept() -> None:
    streamed = _page(f"<main><h1>Library reopens</h1></main><div hidden id='chunk'>{STORY}</div>")
    tree = parse_html(streamed)
    assert remove_hidden(tree) == 0
    assert "council voted" in _text(streamed.split("<body>")[1].split("</body>")[0])


def test_hidden_box_in_the_page_flow_goes_even_when_long() -> None:
    hidden = f"<p style='display:none'>{'Hidden words here. ' * 60}</p>"
    body = f"<h1>Library reopens</h1>{STORY}{hidden}{STORY}"
    tree = parse_html(_page(body))
    assert remove_hidden(tree) == 1
    assert "Hidden words" not in _text(body)


def test_template_content_is_never_the_article() -> None:
    template = f"<template id='faq'>{DONATION.replace('monthly gift', 'template words')}</template>"
    tree = parse_html(_page(f"<main>{STORY}{template}</main>"))
    remove_hidden(tree)
    assert tree.find(".//template") is None
    assert "template words" not in _text(f"<main><h1>Library reopens</h1>{STORY}{template}</main>")


def test_copies_for_other_screens_are_hidden() -> None:
    # A desktop browser shows the desktop copy of a block; the mobile copy and the builders'
    # always-hidden classes are not shown.
    tree = parse_html(
        _page(
            '<p id="a" class="d-block d-lg-none">x</p><p id="b" class="lg:hidden">x</p>'
            '<p id="c" class="elementor-hidden-desktop">x</p>'
            '<p id="d" class="w-condition-invisible">x</p><p id="e" class="md:hidden">x</p>'
            '<p id="f" class="d-lg-none d-xl-block">x</p><p id="g" class="md:hidden xl:block">x</p>'
            '<p id="h" class="d-none d-md-block">x</p><p id="i" class="hidden-mobile">x</p>'
            '<div id="j" class="ssr-variant hidden-1a2b">x</div>'
            '<div id="k" class="ssr-variant hidden-3c4d hidden-5e6f">x</div>'
            '<div id="l" class="ssr-variant hidden-7a8b">x</div>'
        )
    )
    hidden = {e.get("id") for e in tree.iter("p", "div") if is_hidden(e)}
    assert hidden == {"a", "b", "c", "d", "e", "k", "l"}


@pytest.mark.parametrize(
    ("desktop", "mobile"),
    [
        ("<div class='d-none d-lg-block'>{}</div>", "<div class='d-lg-none'>{}</div>"),
        (
            "<div class='ssr-variant hidden-x1'>{}</div>",
            "<div class='ssr-variant hidden-x2'>{}</div>",
        ),
    ],
)
def test_a_block_written_once_per_screen_width_is_stored_once(desktop: str, mobile: str) -> None:
    body = f"<main><h1>Library reopens</h1>{desktop.format(STORY)}{mobile.format(STORY)}</main>"
    assert _text(body).count("council voted") == 1


def test_hidden_paragraphs_at_the_end_of_the_page_are_not_waiting_for_a_script() -> None:
    hidden = "<h2>Opening hours</h2><p hidden>{0}</p><p style='display:none'>{0}</p>"
    body = f"<h1>Library reopens</h1>{STORY}" + hidden.format("Hidden words here. " * 40)
    tree = parse_html(_page(body))
    assert remove_hidden(tree) == 2
    text = _text(body)
    assert "council voted" in text and "Hidden words" not in text
