"""The date shown beside the headline, and how the page's date signals are weighed."""

from __future__ import annotations

import datetime as dt

import pytest

from corpusdesk.importing.dateline import (
    choose_published,
    first_shown_date,
    header_date,
    shown_date,
    weigh_dates,
)
from corpusdesk.importing.extract import extract_article, parse_html
from corpusdesk.importing.metadata import DateSignals

PROSE = "<p>" + "The council met again to discuss the harbour and its ferries. " * 6 + "</p>"


def _header(around: str, language: str | None = "en") -> tuple[dt.date, bool] | None:
    return header_date(parse_html(f"<html><body>{around}</body></html>"), language)


@pytest.mark.parametrize(
    ("text", "language", "date"),
    [
        ("Published March 3, 2024", "en", dt.date(2024, 3, 3)),
        ("3rd of March 2024 · 4 min read", "en", dt.date(2024, 3, 3)),
        ("12.03.2024", "de", dt.date(2024, 3, 12)),
        ("3/12/2024", "en", dt.date(2024, 3, 12)),
        ("3/12/2024", "fr", dt.date(2024, 12, 3)),
        ("25/12/2023", "en", dt.date(2023, 12, 25)),
        ("2024-03-03T10:00", None, dt.date(2024, 3, 3)),
    ],
)
def test_shown_date_formats(text: str, language: str | None, date: dt.date) -> None:
    found = shown_date(text, language)
    assert found is not None and found[0] == date


def test_no_date_in_text() -> None:
    assert shown_date("Chapter 12, page 3 of 2000 words") is None
    assert shown_date("31/31/2024") is None


def test_dateline_under_the_headline() -> None:
    found = _header(
        "<nav>Archive: May 1, 2019</nav><h1>Harbour plans approved</h1>"
        f"<div class='meta'><span>By Jane Doe</span> <span>March 3, 2024</span></div>{PROSE}"
    )
    assert found == (dt.date(2024, 3, 3), False)


def test_published_preferred_to_updated() -> None:
    found = _header(
        "<h1>Harbour plans approved</h1><p>Updated: June 9, 2024</p>"
        f"<p>Published: March 3, 2024</p>{PROSE}"
    )
    assert found == (dt.date(2024, 3, 3), False)


def test_only_an_update_shown() -> None:
    found = _header(f"<h1>Harbour plans approved</h1><p>Last updated on Jun 9, 2024</p>{PROSE}")
    assert found == (dt.date(2024, 6, 9), True)


def test_time_element_in_the_header() -> None:
    found = _header(
        "<article><header><h1>Harbour plans approved</h1>"
        '<time datetime="2024-03-03T09:00:00Z">Sunday morning</time></header>'
        f"{PROSE}</article>"
    )
    assert found == (dt.date(2024, 3, 3), False)


def test_dates_in_prose_are_not_the_dateline() -> None:
    story = "<p>" + "On March 3, 2020, the council first met to discuss the harbour. " * 3 + "</p>"
    assert _header(f"<h1>Harbour plans approved</h1>{story}") is None


def test_weighing_prefers_agreeing_article_signals() -> None:
    ld = dt.date(2021, 6, 2)
    shown = dt.date(2021, 6, 2)
    guess = dt.date(2022, 1, 9)
    dates = DateSignals(ld_published=ld, meta_modified=guess)
    assert choose_published(dates, (shown, False), lambda: guess, lambda: None) == ld
    # The article's metadata outweighs a page-wide guess and a shown update.
    assert choose_published(dates, (guess, True), lambda: guess, lambda: None) == ld
    # With nothing else, the dateline is the date.
    assert choose_published(DateSignals(), (shown, True), lambda: None, lambda: None) == shown
    # With nothing at all, the page-wide guess.
    assert choose_published(DateSignals(), None, lambda: guess, lambda: None) == guess


def test_page_wide_search_only_when_it_could_change_the_date() -> None:
    calls: list[str] = []

    def search() -> dt.date:
        calls.append("page")
        return dt.date(2022, 1, 9)

    agreeing = DateSignals(ld_published=dt.date(2021, 6, 2), meta_published=dt.date(2021, 6, 2))
    assert choose_published(agreeing, None, search, lambda: None) == dt.date(2021, 6, 2)
    assert calls == []
    close = DateSignals(time_element=dt.date(2021, 6, 2), url=dt.date(2021, 6, 3))
    assert choose_published(close, None, search, lambda: None) == dt.date(2021, 6, 3)
    assert calls == ["page"]


def test_first_shown_date_is_the_last_resort() -> None:
    shown = dt.date(2019, 5, 1)
    assert choose_published(DateSignals(), None, lambda: None, lambda: shown) == shown
    tree = parse_html(
        "<html><body><nav>Archive: May 1, 2001</nav><p>Filed 1 May 2019, by the desk</p>"
        f"{PROSE}</body></html>"
    )
    assert first_shown_date(tree) == shown


def test_weigh_dates_ties_go_to_the_first() -> None:
    first, second = dt.date(2020, 1, 1), dt.date(2020, 2, 2)
    assert weigh_dates([(first, 1.0), (second, 1.0)]) == first
    assert weigh_dates([(None, 3.0), (second, 0.5)]) == second
    assert weigh_dates([]) is None


def test_import_dates_by_the_dateline_over_a_page_wide_guess() -> None:
    page = (
        "<html><head><title>Harbour plans approved</title></head><body>"
        "<footer>© 2025 Example News, updated January 2, 2025</footer>"
        "<h1>Harbour plans approved</h1><p class='byline'>By Jane Doe · 3 March 2024</p>"
        f"{PROSE}</body></html>"
    )
    assert extract_article(page.encode(), "page.html").published == dt.date(2024, 3, 3)


@pytest.mark.parametrize(
    ("metadata", "published"),
    [
        ('<script type="application/ld+json">{"@type": "Article", '
         '"datePublished": "2024-09-10T16:07:00Z"}</script>', dt.date(2024, 9, 10)),
        ("", dt.date(2024, 10, 9)),  # nothing says otherwise: day first, as dots are mostly read
        ('<meta property="article:published_time" content="2024-10-09">', dt.date(2024, 10, 9)),
    ],
)  # fmt: skip
def test_a_dateline_read_either_way_round_follows_the_metadata(
    metadata: str, published: dt.date
) -> None:
    page = (
        f"<html><head><title>Renovation phases</title>{metadata}</head><body>"
        "<h1>Renovation phases</h1><p class='post-date'>09.10.2024</p>"
        f"{PROSE}</body></html>"
    )
    assert extract_article(page.encode(), "page.html").published == published


def test_a_swapped_dateline_agrees_with_the_metadata() -> None:
    # A page-wide guess that read the same line day first does not tip it back.
    given = DateSignals(ld_published=dt.date(2024, 9, 10))
    day_first = dt.date(2024, 10, 9)
    chosen = choose_published(given, (day_first, False), lambda: day_first, lambda: None)
    assert chosen == dt.date(2024, 9, 10)
