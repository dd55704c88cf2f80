"""Recognising HTML files by name and by their first bytes."""

from __future__ import annotations

import codecs

import pytest

from corpusdesk.importing.sniff import (
    binary_signature,
    has_html_extension,
    is_html_file,
    looks_like_html,
)


@pytest.mark.parametrize("name", ["a.html", "b.HTM", "c.xhtml", "d.shtml", "dir/e.Html"])
def test_html_extensions(name: str) -> None:
    assert has_html_extension(name)


@pytest.mark.parametrize("name", ["a.txt", "b.pdf", "html", "c.html.bak", "noext"])
def test_other_extensions(name: str) -> None:
    assert not has_html_extension(name)


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html><head>",
        b"  \n<!doctype HTML PUBLIC '-//W3C//DTD HTML 4.01//EN'>",
        b"<!-- saved from url=(0022)https://example.org/ -->\n<html lang=en>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
        codecs.BOM_UTF8 + b"<html>",
        b"<head><title>x</title>",
        b"<p>Just a paragraph</p>",
        codecs.BOM_UTF16_LE + "<!DOCTYPE html><html>".encode("utf-16-le"),
    ],
)
def test_sniffs_html(head: bytes) -> None:
    assert looks_like_html(head)


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.4 ...",
        b"\x89PNG\r\n\x1a\n....",
        b"PK\x03\x04 zip",
        b"\x1f\x8b\x08 gzip",
        b"Dear reader, this is plain text without any markup at all.",
        b'{"json": true}',
    ],
)
def test_sniffs_not_html(head: bytes) -> None:
    assert not looks_like_html(head)


def test_binary_signature_names_the_format() -> None:
    assert binary_signature(b"%PDF-1.7") == "a PDF document"
    assert binary_signature(b"<html>") is None


def test_is_html_file_combines_name_and_content() -> None:
    assert is_html_file("page.html", b"plain words")
    assert is_html_file("page", b"<!DOCTYPE html>")
    assert not is_html_file("page.html", b"%PDF-1.7")
    assert not is_html_file("notes.txt", b"plain words")
