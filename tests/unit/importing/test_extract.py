"""``extract_article`` end to end on the project's own pages, and on hostile input."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from pathlib import Path

import pytest

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.extract import EXTRACTOR_VERSION, extract_article

PAGES = Path(__file__).parent / "pages"
PARAGRAPH = "<p>" + "The ferry left the harbour at dawn with forty passengers aboard. " * 4 + "</p>"


def _read(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def _assert_safe_html(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "<style", "<form", "<iframe", "<img", "javascript:", "style="):
        assert bad not in lowered, bad
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered)
    assert all(
        tag
        in {
            "p",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
            "em",
            "strong",
            "b",
            "i",
            "u",
            "sub",
            "sup",
            "code",
            "pre",
            "br",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "figure",
            "figcaption",
        }
        for tag in re.findall(r"</?([a-z0-9]+)", lowered)
    )


def test_version_constant() -> None:
    assert EXTRACTOR_VERSION.startswith("corpusdesk-extract/")


def test_wordpress_opinion_page() -> None:
    article = extract_article(_read("opinion_wordpress.html"), "opinion_wordpress.html")
    assert article.title == "The Quiet Economics of Ferry Routes"
    assert article.authors == ("Morwenna Tregarthen",)
    assert article.site_name == "Harbourlight Review"
    assert article.published == dt.date(2022, 3, 9)
    assert article.modified == dt.date(2022, 3, 10)
    assert article.url == "https://harbourlight-review.example/the-quiet-economics-of-ferry-routes/"
    assert article.language == "en"
    assert article.encoding == "utf-8"
    assert (
        article.description
        == "Island ferries lose money on paper and keep whole communities alive."
    )
    assert article.text.startswith("Island ferries lose money on paper")
    assert article.text.endswith("The cheapest ferry, in the end, is the one that keeps running.")
    assert "\n\nWhat the ledger leaves out\n\n" in article.text
    assert "“When the boat stopped for a month, the shop closed for good,”" in article.text
    for furniture in (
        "Share this",
        "Facebook",
        "Photo:",
        "By Morwenna",
        "Disclaimer",
        "Views expressed",
        "Leave a Reply",
        "Post Comment",
        "Recent Posts",
        "Skip to content",
        "Built with",
        "admin",
        "pwned",
    ):
        assert furniture not in article.text, furniture
    assert "\n\n\n" not in article.text
    assert all(paragraph == " ".join(paragraph.split()) for paragraph in article.text.split("\n\n"))
    _assert_safe_html(article.html)
    assert '<a href="https://stats.example/ferries">passenger statistics</a>' in article.html
    assert "<h2>What the ledger leaves out</h2>" in article.html


def test_windows_1252_news_page() -> None:
    article = extract_article(_read("news_windows1252.html"), "news_windows1252.html")
    assert article.encoding == "windows-1252"
    assert article.title == "Café culture returns to the old town"
    assert article.authors == ("Élodie Marchetti", "Tomás Ruiz")
    assert article.site_name == "The Valley Courier"
    assert article.published == dt.date(2021, 6, 4)
    assert article.language == "en"
    assert article.text.startswith("After a year of shuttered windows")
    assert "the “new normal” looks a lot like the old one – only busier." in article.text
    assert "seven o’clock" in article.text
    assert article.text.endswith("promised a review in the autumn.")
    for furniture in (
        "Subscribe",
        "inbox",
        "TAGS",
        "RELATED ARTICLES",
        "Market hall",
        "Breaking",
        "501(c)",
        "tax-deductible",
        "Marchetti",
    ):
        assert furniture not in article.text, furniture
    _assert_safe_html(article.html)


def test_singlefile_page_without_metadata() -> None:
    article = extract_article(_read("singlefile_blog.html"), "saved")
    assert article.url == "https://notizen.example/2019/11/23/winterreifen-und-andere-geschichten/"
    assert article.published == dt.date(2019, 11, 23)
    assert article.site_name == "Notizen aus dem Tal"
    assert article.title == "Winterreifen und andere Geschichten"
    assert article.language == "de"
    assert article.text.startswith("Der erste Schnee")


def test_language_detected_from_text_when_undeclared() -> None:
    page = (
        "<html><body><p>" + "La ciudad amaneció cubierta de niebla y los pescadores esperaron "
        "en el muelle hasta que el sol empezó a calentar las redes. " * 3 + "</p></body></html>"
    )
    assert extract_article(page.encode(), "a.html").language == "es"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \n ", "empty"),
        (bytes(range(256)) * 50, "binary"),
        (b"%PDF-1.5\n" + bytes(range(256)) * 10, "PDF"),
        (b"\x00" * 4096, "."),
        (b"<html><body><p>Too short.</p></body></html>", "no article text"),
        (b"<html><head><title>Only a title</title></head><body></body></html>", "no article"),
    ],
)
def test_bad_input_is_an_import_failure(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        extract_article(data, "bad.html")


def test_plain_text_file_is_not_html() -> None:
    with pytest.raises(ImportFailure, match="not an HTML page"):
        extract_article(b"Dear diary, today nothing happened at all.", "notes.txt")


def test_truncated_page_still_imports() -> None:
    data = _read("opinion_wordpress.html")
    article = extract_article(data[: int(len(data) * 0.7)], "truncated.html")
    assert article.text.startswith("Island ferries lose money on paper")


def test_nul_bytes_are_ignored() -> None:
    data = (
        b"<html><body>" + PARAGRAPH.encode().replace(b"dawn", b"da\x00wn") * 2 + b"</body></html>"
    )
    article = extract_article(data, "nul.html")
    assert "\x00" not in article.text
    assert "dawn" in article.text


def test_deep_nesting_does_not_hang() -> None:
    depth = 100_000
    page = "<html><body>" + "<div>" * depth + PARAGRAPH + "</div>" * depth + "</body></html>"
    start = time.perf_counter()
    with contextlib.suppress(ImportFailure):
        extract_article(page.encode(), "deep.html")
    unclosed = "<html><body>" + PARAGRAPH * 2 + "<div><span><b>" * depth
    with contextlib.suppress(ImportFailure):
        extract_article(unclosed.encode(), "deep2.html")
    assert time.perf_counter() - start < 20


def test_billion_laughs_and_external_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE", encoding="utf-8")
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html [\n'
        '<!ENTITY a "lollollollollollollollollollol">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">\n'
        f'<!ENTITY xxe SYSTEM "file://{secret}">\n<!ENTITY pwd SYSTEM "file:///etc/passwd">\n]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Laughs</title></head><body>'
        f"<p>&e; &xxe; &pwd;</p>{PARAGRAPH}{PARAGRAPH}</body></html>"
    )
    start = time.perf_counter()
    try:
        article = extract_article(page.encode(), "laughs.xhtml")
    except ImportFailure:
        return
    assert time.perf_counter() - start < 10
    assert "TOPSECRETVALUE" not in article.text
    assert "root:" not in article.text
    assert "lollollol" not in article.text
    assert len(article.text) < 10_000


@pytest.mark.parametrize(
    "data",
    [
        b"<",
        b"<html",
        b"<html><body>\xff\xfe\xfd</body>",
        b"<!DOCTYPE html [",
        b"\xef\xbb\xbf",
        b"\xff\xfe<\x00h\x00",
        b"<html><body>" + b"<p>x" * 5000,
        b"<svg><script>" + b"a" * 1000,
        b'<meta charset="x-unknown-charset"><p>' + b"word " * 30 + b"</p>",
    ],
)
def test_odd_input_never_raises_anything_else(data: bytes) -> None:
    with contextlib.suppress(ImportFailure):
        extract_article(data, "odd.html")


def test_table_of_contents_and_reading_time_are_not_article_text() -> None:
    page = (
        "<html><body><article><h1>Ferry news today</h1><p>5 min read</p>"
        "<p>Table of Contents</p><ul><li><a href='#one'>Why the ferry matters</a></li>"
        "<li><a href='#two'>What it costs the town</a></li></ul>"
        f"<h2 id='one'>Why the ferry matters</h2>{PARAGRAPH}"
        f"<h2 id='two'>What it costs the town</h2>{PARAGRAPH}<p>\u200d</p></article></body></html>"
    )
    paragraphs = extract_article(page.encode(), "page.html").text.split("\n\n")
    assert paragraphs.count("Why the ferry matters") == 1
    assert paragraphs.count("What it costs the town") == 1
    assert "Table of Contents" not in paragraphs and "5 min read" not in paragraphs
    assert all(p.strip("\u200d") for p in paragraphs)


def test_article_after_an_early_closing_html_tag_is_read() -> None:
    # A template that closes the page after its header: browsers show what follows in the
    # body, and so must the import.
    page = (
        "<html><head><title>Ferry news</title></head><body><header><nav>"
        "<a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<p>Teaser of another story...</p></header></body></html>\n"
        "<div class='post'><article><h1>Ferry news</h1>"
        f"{PARAGRAPH}<p>The second paragraph says the harbour master agreed on Monday evening "
        "to keep the winter timetable for another year, after the council asked.</p>"
        f"{PARAGRAPH.replace('dawn', 'dusk')}</article></div>"
        "<footer><p>Copyright the Island Herald</p></footer></body></html>"
    )
    article = extract_article(page.encode(), "early-close.html")
    assert "the harbour master agreed on Monday evening" in article.text
    assert "dusk" in article.text
    assert "Teaser of another story" not in article.text
