"""Web archives (MHTML) import as the page they hold, however the browser encoded it."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.extract import extract_article
from corpusdesk.importing.web_archive import is_web_archive, page_of
from tests.mhtml import web_archive as archive

PAGES = Path(__file__).parent / "pages"


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64"])
@pytest.mark.parametrize(
    ("name", "charset"),
    [("opinion_wordpress.html", "utf-8"), ("news_windows1252.html", "windows-1252")],
)
def test_an_archived_page_imports_as_the_page_itself(
    name: str, charset: str, encoding: str
) -> None:
    page = (PAGES / name).read_bytes()
    direct = extract_article(page, name)
    archived = extract_article(archive(page, charset=charset, encoding=encoding), "page.mhtml")
    assert archived.title == direct.title
    assert archived.authors == direct.authors
    assert archived.published == direct.published
    assert archived.text == direct.text
    assert "=E2=80" not in archived.text and "=\r\n" not in archived.text


def test_without_a_charset_the_page_is_decoded_from_its_own_bytes() -> None:
    page = (PAGES / "news_windows1252.html").read_bytes()
    archived = extract_article(archive(page, charset=None), "page.mhtml")
    assert archived.text == extract_article(page, "page.html").text


def test_the_part_charset_wins_over_a_stale_meta_declaration() -> None:
    text = "<p>" + "Zürich’s council met on Tuesday to débat the budget for the year. " * 5
    page = f'<html><head><meta charset="windows-1252"><title>Zürich</title></head><body>{text}'
    stored = page_of(archive(page.encode("utf-8"), charset="utf-8"))
    assert extract_article(stored, "page.html").title == "Zürich"


def test_only_mime_messages_of_related_parts_are_archives() -> None:
    page = (PAGES / "opinion_wordpress.html").read_bytes()
    assert is_web_archive(archive(page, charset="utf-8"))
    assert not is_web_archive(page)
    assert page_of(page) is page
    mail = b"From: someone\r\nContent-Type: text/plain\r\n\r\nmultipart/related\r\n"
    assert not is_web_archive(mail)
    assert not is_web_archive(b"Content-Type: multipart/related; boundary=x")  # no body


def test_an_archive_without_a_page_is_refused_with_a_reason() -> None:
    only_image = archive(b"", charset=None).replace(b"text/html", b"image/gif")
    with pytest.raises(ImportFailure, match="no HTML page"):
        extract_article(only_image, "page.mhtml")
