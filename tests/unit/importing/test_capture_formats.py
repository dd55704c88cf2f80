"""Single-page capture formats (MHTML, Safari web archives) unpacked to the page's HTML, and
the capture details the pure steps take from them."""

from __future__ import annotations

import datetime as dt
import plistlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.capture import extract_capture, singlefile_saved_at
from corpusdesk.importing.decode import decode_html
from corpusdesk.importing.sources import formats, mhtml, webarchive
from tests.captures import CAPTURED, page_with_image, tiny_png
from tests.captures import mhtml as build_mhtml
from tests.captures import webarchive as build_webarchive

URL = "https://gazette.example/2023/12/crane.html"
IMAGE_URL = "https://gazette.example/2023/12/img/crane.png"


def test_mhtml_page_is_the_root_part_without_its_transfer_encoding() -> None:
    html = page_with_image("Quiet morning.", "img/crane.png")
    data = build_mhtml(html, url=URL, images={IMAGE_URL: tiny_png(), "cid:logo@x": tiny_png(1)})
    assert b"=E2=80=99" in data  # the page really is quoted-printable in the file

    unpacked = mhtml.FORMAT.unpack(data)

    assert unpacked.html.replace(b"\r\n", b"\n") == html  # MIME text lines end in CRLF
    assert unpacked.charset == "utf-8"
    assert unpacked.url == URL
    assert unpacked.captured_at == CAPTURED
    assert {(r.location, r.media_type, r.data) for r in unpacked.resources} == {
        (IMAGE_URL, "image/png", tiny_png()),
        ("cid:logo@x", "image/png", tiny_png(1)),
    }


def test_mhtml_address_falls_back_to_the_snapshot_location() -> None:
    data = build_mhtml(b"<html><body><p>x</p></body></html>", url=URL)
    headers, blank, parts = data.partition(b"\r\n\r\n")
    parts = parts.replace(b"Content-Location: ", b"X-Saved-From: ")
    assert mhtml.FORMAT.unpack(headers + blank + parts).url == URL


@pytest.mark.parametrize(
    "damaged",
    [
        b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: image/png\r\n\r\nxx\r\n--b--\r\n",
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n',
    ],
    ids=["no page part", "no parts"],
)
def test_mhtml_without_a_page_fails_with_a_reason(damaged: bytes) -> None:
    with pytest.raises(ImportFailure, match="MHTML file holds no HTML page"):
        mhtml.FORMAT.unpack(damaged)


def test_formats_are_told_by_their_bytes_before_their_names() -> None:
    page = b"<!DOCTYPE html><html><body><p>plain</p></body></html>"
    capture = build_mhtml(page, url=URL)
    assert formats.page_format("saved.mhtml", page) is None  # HTML with an MHTML name
    assert formats.page_format("saved.html", capture) is mhtml.FORMAT
    assert formats.page_format("saved", capture) is mhtml.FORMAT
    archive = build_webarchive(page, url=URL)
    assert formats.page_format("saved.bin", archive) is webarchive.FORMAT
    assert formats.page_format("saved.webarchive", b"junk") is webarchive.FORMAT
    assert formats.looks_like_page(capture[:4096]) and formats.looks_like_page(archive[:4096])


def test_webarchive_page_charset_address_and_images() -> None:
    html = "<html><body><p>Café crème, l’été</p></body></html>".encode("windows-1252")
    data = build_webarchive(html, url=URL, charset="windows-1252", images={IMAGE_URL: tiny_png()})

    unpacked = webarchive.FORMAT.unpack(data)

    assert unpacked.html == html
    assert unpacked.charset == "windows-1252"
    assert unpacked.url == URL
    assert unpacked.captured_at is None
    assert [(r.location, r.data) for r in unpacked.resources] == [(IMAGE_URL, tiny_png())]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"bplist00" + b"\x00" * 40, "web archive is damaged"),
        (plistlib.dumps({"other": 1}, fmt=plistlib.FMT_BINARY), "has no main resource"),
        (
            plistlib.dumps(
                {"WebMainResource": {"WebResourceData": b"x", "WebResourceMIMEType": "image/png"}},
                fmt=plistlib.FMT_BINARY,
            ),
            "holds a image/png file, not a page",
        ),
    ],
    ids=["damaged", "not a web archive", "not a page"],
)
def test_broken_webarchives_fail_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        webarchive.FORMAT.unpack(data)


def test_a_charset_declared_outside_the_page_goes_first() -> None:
    data = "<html><body><p>Ärger über Café</p></body></html>".encode("windows-1252")
    assert decode_html(data, "windows-1252").encoding == "windows-1252"
    assert decode_html(data, "latin1").text.count("Ärger über Café") == 1
    # UTF-8 with multi-byte sequences stays UTF-8 whatever is declared
    assert decode_html("<p>Ärger</p>".encode(), "windows-1252").encoding == "utf-8"
    assert decode_html(data, "no-such-charset").text.count("Ärger über Café") == 1


def test_extracted_capture_reads_the_format_and_its_images() -> None:
    html = page_with_image("Quiet morning.", "img/crane.png")
    data = build_mhtml(html, url=URL, images={IMAGE_URL: tiny_png()})
    found = extract_capture(data, "crane.mhtml")
    assert "harbour’s new crane" in found.article.text
    assert "=E2" not in found.article.text
    assert found.article.url == URL
    assert found.captured_at == CAPTURED
    assert 'src="embedded:' in found.article.html
    assert found.used_resources == ()  # the capture's own images are kept in it


def test_singlefile_saved_date_is_the_capture_time() -> None:
    head = (
        b"<!DOCTYPE html> <html><!--\n Page saved with SingleFile \n url: https://a.example/ \n"
        b" saved date: Thu Dec 21 2023 15:02:44 GMT+0100 (Central European Standard Time)\n-->"
    )
    saved = singlefile_saved_at(head + b"<head></head></html>")
    assert saved == dt.datetime(2023, 12, 21, 14, 2, 44, tzinfo=dt.UTC)
    west = head.replace(b"GMT+0100", b"GMT-0530")
    assert singlefile_saved_at(west) == dt.datetime(2023, 12, 21, 20, 32, 44, tzinfo=dt.UTC)
    assert singlefile_saved_at(b"<!-- saved date: Thu Dec 21 2023 15:02:44 -->") is None
    assert singlefile_saved_at(b"<!-- saved from url=(0022)https://a.example/ -->") is None


_MHTML = build_mhtml(
    page_with_image("Quiet.", "img/crane.png"), url=URL, images={IMAGE_URL: tiny_png()}
)
_ARCHIVE = build_webarchive(
    page_with_image("Loud.", "img/crane.png"), url=URL, images={IMAGE_URL: tiny_png()}
)


@settings(max_examples=60, deadline=None, database=None)
@given(
    capture=st.sampled_from([("a.mhtml", _MHTML), ("b.webarchive", _ARCHIVE)]),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6),
)
def test_damaged_captures_fail_with_a_reason_never_an_error(
    capture: tuple[str, bytes], cut: int, flips: list[tuple[int, int]]
) -> None:
    name, data = capture
    damaged = bytearray(data[: len(data) - cut])
    for at, value in flips:
        if damaged:
            damaged[at % len(damaged)] = value
    try:
        extract_capture(bytes(damaged), name)
    except ImportFailure as failure:
        assert str(failure) and "\n" not in str(failure)
