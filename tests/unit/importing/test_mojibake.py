"""Mojibake: what a site's software mis-decoded is kept as the author wrote it."""

from __future__ import annotations

import pytest

from corpusdesk.importing.extract import extract_article
from corpusdesk.importing.mojibake import may_hold_mojibake, repair_mojibake

STORY = (
    "<p>The harbour board met on Thursday to decide the future of the old ferry pier, "
    "which storms damaged twice last winter and which has been closed to walkers since.</p>"
    "<p>Engineers told the board that repairs would take two summers, and fishermen asked "
    "for the slipway at its far end to stay open while the work goes on.</p>"
)


def _page(head: str, body: str) -> bytes:
    page = f'<html><head><meta charset="utf-8">{head}</head><body><article>{body}</article>'
    return (page + "</body></html>").encode("utf-8")


def test_a_page_served_as_misread_utf8_is_stored_as_written() -> None:
    head = (
        "<title>The pierâ\x80\x99s last summer</title>"
        '<meta name="author" content="Dariusz JaroÅ\x84">'
        '<meta property="og:site_name" content="Harbour NewsÂ®">'
    )
    body = (
        "<h1>The pierâ\x80\x99s last summer</h1>"
        "<p>It isnâ€™t over yet, the board said â\x80\x94 repairs start in May.</p>" + STORY
    )
    article = extract_article(_page(head, body), "pier.html")
    assert "It isn’t over yet, the board said — repairs start in May." in article.text
    assert "It isn’t over yet" in article.html
    assert article.title == "The pier’s last summer"
    assert article.authors == ("Dariusz Jaroń",)
    assert article.site_name == "Harbour News®"
    assert not may_hold_mojibake(article.text)


def test_c1_controls_meant_as_windows_1252_punctuation_are_read_as_it() -> None:
    body = "<p>Because we\x92re used to it, nobody asked \x93why\x94.</p>" + STORY
    text = extract_article(_page("<title>Pier</title>", body), "pier.html").text
    assert "Because we’re used to it, nobody asked “why”." in text


@pytest.mark.parametrize(
    "clean",
    [
        "The café’s owner said “never again” — and meant it.",
        "SÃO PAULO and CURAÇÃO are spelt in capitals here, À LA CARTE too.",
        "Straight 'quotes' and \"doubles\" stay straight; ﬁ ligatures and ｗｉｄｅ letters stay.",
        "Größe, naïve, Ærø, ½ price, 3×4, ¿qué?, «guillemets», ™ and ©.",
        "Þórður Ólafsson á Íslandi; Привет, мир; مرحبا بالعالم; 東京の記事、漢字とかな。",
    ],
)
def test_text_without_mojibake_is_left_exactly_as_it_is(clean: str) -> None:
    assert repair_mojibake(clean) == clean
    text = extract_article(_page("<title>Pier</title>", f"<p>{clean}</p>" + STORY), "p.html").text
    assert clean in text


def test_a_misread_no_break_space_trimmed_at_a_paragraph_end_leaves_nothing() -> None:
    body = "<p>It isnâ€™t over yet.Â\xa0</p><p>Â\xa0The board met.Â\xa0Twice.</p>" + STORY
    text = extract_article(_page("<title>Pier</title>", body), "pier.html").text
    assert "It isn’t over yet.\n\n" in text
    assert "Â" not in text


@pytest.mark.parametrize(
    "quoted",
    [
        'I lost count of how many times I saw "Ã¤" instead of "ä" in our database.',
        "Readers wrote in: the page said â€™ where it meant ’, every single time.",
    ],
)
def test_an_article_about_mojibake_keeps_its_examples(quoted: str) -> None:
    # Software that misreads a text misreads every such character: one shown beside its
    # misread form is an example the author wrote on purpose.
    assert repair_mojibake(quoted) == quoted
    text = extract_article(_page("<title>Encodings</title>", f"<p>{quoted}</p>" + STORY), "e.html")
    assert quoted in text.text
