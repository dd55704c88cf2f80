"""The content step's own rules: the language of the text and the date htmldate finds."""

from __future__ import annotations

import datetime as dt

from corpusdesk.importing.content import detect_language, page_date
from corpusdesk.importing.extract import parse_html

LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
    "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. "
) * 4


def test_placeholder_latin_keeps_the_declared_language() -> None:
    assert detect_language(LOREM, "en") == "en"
    assert detect_language(LOREM, None) is None


def test_text_in_another_language_than_declared() -> None:
    text = (
        "Le conseil municipal a voté mardi soir le budget de la bibliothèque, après un long "
        "débat sur les horaires d'ouverture et le prix des abonnements pour les familles. "
    ) * 5
    assert detect_language(text, "en") == "fr"


def test_page_date_reads_the_publication_date() -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2021-06-02T08:00:00Z">'
        '<meta property="article:modified_time" content="2022-01-09T08:00:00Z"></head>'
        "<body><p>Updated January 9, 2022</p><p>Text of the article.</p></body></html>"
    )
    assert page_date(parse_html(page), "https://news.example/a") == dt.date(2021, 6, 2)
