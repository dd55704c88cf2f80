"""Titles: the headline the page shows over rewrites, and site names taken off wherever."""

from __future__ import annotations

import pytest

from corpusdesk.importing.extract import parse_html
from corpusdesk.importing.metadata import PageMetadata, choose_metadata, read_signals
from corpusdesk.importing.titles import strip_site_suffix


def meta_of(head: str, body: str) -> PageMetadata:
    page = f"<html><head>{head}</head><body>{body}</body></html>"
    return choose_metadata(read_signals(parse_html(page), page))


def test_headline_rewritten_for_sharing_gives_way_to_the_shown_one() -> None:
    head = (
        '<meta property="og:title" content="Best Apps to Learn a Language in 2025">'
        "<title>Best Apps to Learn a Language in 2025 | Lingo Review</title>"
    )
    shown = "The Best Language Learning Apps of 2025, Tested by Teachers"
    assert meta_of(head, f"<h1>{shown}</h1><p>Text.</p>").title == shown


@pytest.mark.parametrize(
    "h1",
    [
        "<h1>Lingo Review Magazine Online</h1>",  # a logo heading: nothing in common
        "<h1>Our newsletter signup</h1><h1>Top Language Apps of the Year</h1>",  # no one headline
    ],
)
def test_unrelated_or_several_headings_leave_the_metadata_title(h1: str) -> None:
    head = '<meta property="og:title" content="Best Apps to Learn a Language in 2025">'
    assert meta_of(head, f"{h1}<p>Text.</p>").title == "Best Apps to Learn a Language in 2025"


def test_heading_that_is_the_titles_first_segment() -> None:
    head = "<title>Climate Change | Economic Research Service</title>"
    assert meta_of(head, "<h1>Climate Change</h1><p>Text.</p>").title == "Climate Change"


def test_site_name_taken_off_the_chosen_heading() -> None:
    head = (
        '<meta property="og:site_name" content="Artlyst">'
        '<meta property="og:title" content="Best UK Art Exhibitions 2025 – Artlyst - Artlyst">'
    )
    body = "<h1>Best UK Art Exhibitions 2025 – Artlyst</h1><p>Text.</p>"
    assert meta_of(head, body).title == "Best UK Art Exhibitions 2025"


@pytest.mark.parametrize(
    ("title", "sites", "stripped"),
    [
        ("Home Improvement Projects | RenoFi | RenoFi", ["RenoFi"], "Home Improvement Projects"),
        ("GAME CHANGER | Newegg.com", [], "GAME CHANGER"),
        ("www.example.org - Harbour Plans", [], "Harbour Plans"),
        ("Harbour Plans for the Winter | Part 2", [], "Harbour Plans for the Winter"),
    ],
)
def test_strip_site_suffix(title: str, sites: list[str], stripped: str) -> None:
    assert strip_site_suffix(title, sites) == stripped


def test_known_only_keeps_unknown_segments() -> None:
    title = "Harbour Plans for the Winter | Part 2"
    assert strip_site_suffix(title, [], known_only=True) == title


def test_heading_read_with_its_line_breaks() -> None:
    head = '<meta property="og:title" content="The Best Notion Alternatives">'
    body = "<h1>The Best Notion Alternatives<br>Top Note-taking Tools</h1><p>Text.</p>"
    assert meta_of(head, body).title == "The Best Notion Alternatives Top Note-taking Tools"


@pytest.mark.parametrize(
    ("head", "h1", "title"),
    [
        (  # the shown heading carries a tagline after a bar
            '<meta property="og:title" content="Best Movers in Ohio 2025 | Top 9 Firms | Movo">',
            "Best Movers in Ohio 2025 | Top 9 Firms",
            "Best Movers in Ohio 2025",
        ),
        (  # a section name before the headline, and no heading to go by
            "<title>The Agency | Machine Learning at a Technical School</title>",
            "",
            "Machine Learning at a Technical School",
        ),
    ],
)
def test_bars_set_off_the_headline_from_taglines_and_sections(
    head: str, h1: str, title: str
) -> None:
    body = f"<h1>{h1}</h1><p>Text.</p>" if h1 else "<p>Text.</p>"
    assert meta_of(head, body).title == title


@pytest.mark.parametrize(
    ("title", "stripped"),
    [
        ("科技公司发布新款手机丨东方网", "科技公司发布新款手机"),
        ("科技公司发布新款手机 丨 东方网", "科技公司发布新款手机"),
    ],
)
def test_site_names_after_full_width_and_cjk_separators(title: str, stripped: str) -> None:
    assert strip_site_suffix(title, []) == stripped
