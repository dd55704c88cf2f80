"""Author names: byline parsing, job titles, dates and labels around names, page bylines."""

from __future__ import annotations

import pytest

from corpusdesk.importing.authors import (
    clean_author,
    looks_like_name,
    parse_byline,
    spaced_text,
    uninverted,
)
from corpusdesk.importing.extract import parse_html
from corpusdesk.importing.metadata import PageMetadata, choose_metadata, read_signals


def meta_of(head: str, body: str) -> PageMetadata:
    page = f"<html><head>{head}</head><body>{body}<p>Body text.</p></body></html>"
    return choose_metadata(read_signals(parse_html(page), page))


def test_touching_elements_are_kept_apart() -> None:
    element = parse_html(
        '<div class="author"><span>Ines Marlow</span><span>Staff Writer</span>'
        "<time>March 3, 2021</time></div>"
    ).find(".//div")
    assert spaced_text(element) == "Ines Marlow | Staff Writer | March 3, 2021"
    assert parse_byline(spaced_text(element)) == ["Ines Marlow"]


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Keith Barrow Senior Autos Reporter", ["Keith Barrow"]),
        ("Ben Silvano Games Editor", ["Ben Silvano"]),
        ("Justin C. Merrow Reporter", ["Justin C. Merrow"]),
        ("Ada Lind, Senior Editor, Harbour Desk", ["Ada Lind"]),
        ("Brett Crane, Privacy & Digital Security Expert", ["Brett Crane"]),
        ("Staff Writer", []),
        ("Jul", []),
        ("Saturday", []),
        ("Jordana Cepel December", ["Jordana Cepel"]),
        ("Summer Swanley-June", ["Summer Swanley"]),
        ("Recipe by PJ Hamel", ["PJ Hamel"]),
        ("Written By", []),
        ("Written By:Cazzy Magenta", ["Cazzy Magenta"]),
        ("Lance Ryder (Content Manager", ["Lance Ryder (Content Manager)"]),
    ],
)
def test_clean_author_drops_roles_dates_and_prefixes(raw: str, names: list[str]) -> None:
    assert clean_author(raw) == names


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By | Sara Brune", ["Sara Brune"]),
        ("Insights from | Liza Burkett | Marketing Director | May 3", ["Liza Burkett"]),
        ("MixmasterFred in Workshop", ["MixmasterFred"]),
        ("Oleg Parash | Jul 3, 2024", ["Oleg Parash"]),
        ("Full Bio", []),
        ("COMPANY TYPE", []),
        ("Personal finance", []),
    ],
)
def test_parse_byline(raw: str, names: list[str]) -> None:
    assert parse_byline(raw) == names


def test_looks_like_name() -> None:
    assert looks_like_name("Marna van der Merwe")
    assert looks_like_name("the Lavazza Team")
    assert not looks_like_name("About the Author")


def test_by_line_in_page_text() -> None:
    meta = meta_of("", '<p class="meta">By <a href="/people/sofie-grant">Sofie Grant</a></p>')
    assert meta.authors == ("Sofie Grant",)


@pytest.mark.parametrize(
    ("links", "names"),
    [
        # A button after the name: "View" is not part of it.
        ('<a href="/people/aj">A. J. Neal</a>&nbsp;&nbsp; <a class="btn">View In Print</a>',
         ("A. J. Neal",)),
        ('<a href="/people/sofie">Sofie Grant</a> and <a href="/people/tom">Tomas Vik</a>',
         ("Sofie Grant", "Tomas Vik")),
    ],
)  # fmt: skip
def test_links_after_the_name_in_a_byline(links: str, names: tuple[str, ...]) -> None:
    assert meta_of("", f'<p class="meta">By {links}</p>').authors == names


def test_by_phrase_that_is_not_a_byline() -> None:
    meta = meta_of("", "<p>By signing up, you agree to our terms.</p>")
    assert meta.authors == ()


def test_link_to_author_page() -> None:
    link = '<a href="https://news.example/author/tomas-vik/">Tomas Vik</a>'
    meta = meta_of("", f"<span>{link}</span>")
    assert meta.authors == ("Tomas Vik",)


def test_json_ld_person_hides_organisation_author() -> None:
    meta = meta_of(
        '<script type="application/ld+json">{"@type": "Article", "author": ['
        '{"@type": "Organization", "name": "Harbour Clinic"},'
        '{"@type": "Person", "name": "Holly Winter"}]}</script>',
        "",
    )
    assert meta.authors == ("Holly Winter",)


def test_publisher_dropped_from_authors_with_people() -> None:
    meta = meta_of(
        '<meta property="og:site_name" content="The Lakeside Appeal">'
        '<meta name="author" content="Manu Jai, Jag Chatwell, Lakeside Appeal">',
        "",
    )
    assert meta.authors == ("Manu Jai", "Jag Chatwell")


def test_dublin_core_creator_before_meta_author() -> None:
    meta = meta_of(
        '<meta name="author" content="Web Team Account">'
        '<meta property="dc:creator" content="Rosa Lindqvist">',
        "",
    )
    assert meta.authors == ("Rosa Lindqvist",)


@pytest.mark.parametrize(
    "byline",
    [
        "<div><p>Written by</p><p>Edda Tabor</p></div>",
        "<div><h3>Author</h3><p> Edda Tabor</p></div>",
        "<div><div>By</div><div>Edda Tabor</div><div>|</div><div>6 min read</div></div>",
        "<p>Written by Edda Tabor</p>",
        "<p>Article by: Edda Tabor</p>",
    ],
)
def test_byline_label_and_name(byline: str) -> None:
    assert meta_of("", byline).authors == ("Edda Tabor",)


@pytest.mark.parametrize(
    "byline",
    [
        "<div><p>Written by</p><p>» Skip to the extras</p></div>",
        "<div><p>By</p><p>12 comments</p></div>",
    ],
)
def test_label_followed_by_no_name(byline: str) -> None:
    assert meta_of("", byline).authors == ()


def test_inline_by_before_a_label_branch() -> None:
    body = "<p><b>By</b> <a href='/p/nw'>Nora Wills</a></p><div><p>By</p><p>Other Person</p></div>"
    assert meta_of("", body).authors == ("Nora Wills",)


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Jillian Kubala, MS, RD", ["Jillian Kubala, MS, RD"]),
        ("Mira Holt, PhD and Ola Berg", ["Mira Holt, PhD", "Ola Berg"]),
        ("Zack Corvin Writer, Hardware", ["Zack Corvin"]),
        ("Maria &amp; Katerina Lind", ["Maria", "Katerina Lind"]),
    ],
)
def test_credentials_stay_with_the_name_and_job_titles_end_the_names(
    raw: str, names: list[str]
) -> None:
    assert clean_author(raw) == names


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Kaufman, Jeff T.", ["Kaufman", "Jeff T."]),
        ("Genevieve Carlton, Ph.D.", ["Genevieve Carlton, Ph.D."]),
        ("By John Smith Jr.", ["John Smith Jr."]),
        ("Mary K. Jones.", ["Mary K. Jones"]),
        ("Jane Doe, MD.", ["Jane Doe, MD"]),
    ],
)
def test_a_final_period_stays_after_an_initial_or_abbreviation(raw: str, names: list[str]) -> None:
    assert clean_author(raw) == names


def test_account_name_in_metadata_when_the_page_names_nobody_else() -> None:
    assert meta_of('<meta name="author" content="q_writer">', "").authors == ("q_writer",)
    with_byline = meta_of(
        '<meta name="author" content="q_writer">', '<p class="byline">By Lena Ortiz</p>'
    )
    assert with_byline.authors == ("Lena Ortiz",)
    assert meta_of("", '<p class="byline">By q_writer</p>').authors == ()


def test_menu_entries_that_read_by_something_are_passed_over() -> None:
    menu = (
        '<ul><li class="dropdown-menu-header">By Role</li></ul>'
        '<div class="site-menu"><h4>By Harbour Hotels</h4></div>'
    )
    assert meta_of("", f"{menu}<p>By Edda Tabor</p>").authors == ("Edda Tabor",)
    # A <nav> left open holds the whole page: the byline in it is not a menu entry.
    unclosed = "<nav><a href='/'>Home</a><main><article><p><span>by </span>Edda Tabor</p>"
    assert meta_of("", unclosed).authors == ("Edda Tabor",)


@pytest.mark.parametrize(
    "byline",
    [
        '<div class="bio"><h3>Written by Edda Tabor</h3><p>Edda writes on energy.</p></div>',
        "<div><strong>Contributors:</strong> Edda Tabor</div>",
        "<p>This post was written by <a href='/p/et'>Edda Tabor</a>, MD, a cardiologist.</p>",
        '<div class="author-box"><img src="e.jpg" alt="Edda Tabor"><div><div>Edda Tabor</div>'
        "<p>Edda Tabor is a reporter who has covered energy markets, shipping and the "
        "politics of the North Sea for twenty years.</p></div></div>",
        '<div class="card"><div><img class="author__photo" src="e.jpg" alt="edda Tabor"></div>'
        "<div><h3>Edda Tabor</h3><p>Edda writes on energy.</p></div></div>",
    ],
)
def test_author_boxes_headings_labels_and_credit_lines(byline: str) -> None:
    assert meta_of("", byline).authors[0].startswith("Edda Tabor")


def test_the_sites_name_after_a_byline_name_is_dropped() -> None:
    head = '<meta property="og:site_name" content="Harbour Daily">'
    body = '<div class="byline"><a href="/staff/et">Edda Tabor</a> Harbour Daily</div>'
    assert meta_of(head, body).authors == ("Edda Tabor",)


def test_an_avatars_initials_stand_for_the_name_the_page_gives_later() -> None:
    avatar = (
        '<div class="author"><span class="avatar initials">NB</span>'
        '<div class="author-meta"><a href="/author/nb">Nicole Burke</a></div></div>'
    )
    byline = '<p class="byline">By <span class="author">NB</span></p>'
    assert meta_of("", byline + avatar).authors == ("Nicole Burke",)
    # Initials that no later name has stay as given, and so does a name a later one shortens.
    assert meta_of("", byline).authors == ("NB",)
    shortened = '<a href="/author/mark-di">Mark Di</a>'
    assert meta_of("", '<p class="byline">By Mark Di Stefano</p>' + shortened).authors == (
        "Mark Di Stefano",
    )


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Roy, Aniruddha", "Aniruddha Roy"),
        ("Kaufman, Jeff T.", "Jeff T. Kaufman"),
        ("van der Merwe, Marna", "Marna van der Merwe"),
        ("Jane Doe, John Roe", "Jane Doe, John Roe"),
        ("Jane Doe, MD", "Jane Doe, MD"),
        ("John Smith, Jr.", "John Smith, Jr."),
        ("Jane Doe, Staff Writer", "Jane Doe, Staff Writer"),
    ],
)
def test_uninverted(raw: str, name: str) -> None:
    assert uninverted(raw) == name


def test_scholarly_metadata_names_surname_first() -> None:
    head = "".join(
        f'<meta name="citation_author" content="{name}">'
        for name in ("Roy, Aniruddha", "Patel, Jyoti", "de Jong, Michiel")
    )
    meta = meta_of(head, "")
    assert meta.authors == ("Aniruddha Roy", "Jyoti Patel", "Michiel de Jong")


@pytest.mark.parametrize(
    ("block", "names"),
    [
        ('<div class="publish-date-author">Dec. 19, 2025 · Niko Matsakis on behalf of the '
         "team</div>", ("Niko Matsakis",)),
        ('<div class="node__meta"><time>03/01/2017</time> by Agatha Caleo, Candidate '
         "Representative to the Candidate Liaison Committee</div>", ("Agatha Caleo",)),
        ('<p class="byline">3 May 2024 | By Jane Doe</p>', ("Jane Doe",)),
    ],
)  # fmt: skip
def test_a_date_before_the_byline(block: str, names: tuple[str, ...]) -> None:
    assert meta_of("", block).authors == names
