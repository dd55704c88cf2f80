"""Decoding saved pages: byte order marks, declarations, mis-declarations, detection, binary."""

from __future__ import annotations

import codecs

import pytest

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.decode import canonical_encoding, declared_encoding, decode_html

TEXT = "<html><body><p>Café “quoted” text – naïve résumé, don’t worry… 10 €</p></body></html>"


def test_utf8_bom() -> None:
    page = decode_html(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert page == (TEXT, "utf-8")


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be")])
def test_utf16_bom(codec: str, name: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    page = decode_html(bom + TEXT.encode(codec))
    assert page == (TEXT, name)


def test_meta_charset() -> None:
    html = '<meta charset="windows-1252"><p>Caf\u00e9 \u201cquoted\u201d</p>'
    assert decode_html(html.encode("cp1252")) == (html, "windows-1252")


def test_http_equiv_charset() -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
        "<p>Привет, как дела?</p>"
    )
    assert decode_html(html.encode("koi8-r")) == (html, "koi8-r")


def test_xml_declaration() -> None:
    html = '<?xml version="1.0" encoding="ISO-8859-2"?><html><p>Zażółć gęślą jaźń</p></html>'
    assert decode_html(html.encode("iso-8859-2")) == (html, "iso-8859-2")


def test_iso_8859_1_is_read_as_windows_1252() -> None:
    html = '<meta charset="iso-8859-1"><p>It\u2019s \u201cfine\u201d \u2014 really</p>'
    page = decode_html(html.encode("cp1252"))
    assert page.encoding == "windows-1252"
    assert "It’s “fine” — really" in page.text


def test_windows_1252_curly_quotes_without_declaration() -> None:
    html = "<p>She said \u201cno\u201d and he didn\u2019t argue \u2013 caf\u00e9 closed.</p>"
    page = decode_html(html.encode("cp1252"))
    assert page == (html, "windows-1252")


def test_utf8_mis_declared_as_latin1() -> None:
    html = '<meta charset="iso-8859-1"><p>Café “quoted” text</p>'
    assert decode_html(html.encode("utf-8")) == (html, "utf-8")


def test_utf8_declared_but_windows_1252() -> None:
    html = '<meta charset="utf-8"><p>Caf\u00e9 \u201cquoted\u201d and na\u00efve text here</p>'
    page = decode_html(html.encode("cp1252"))
    assert "Café “quoted” and naïve" in page.text
    assert page.encoding == "windows-1252"


def test_undeclared_utf8() -> None:
    assert decode_html(TEXT.encode("utf-8")) == (TEXT, "utf-8")


def test_declared_encoding_and_labels() -> None:
    assert declared_encoding(b'<meta content="text/html; charset=Shift_JIS">') == "shift_jis"
    assert declared_encoding(b"<p>nothing declared</p>") is None
    assert canonical_encoding("latin1") == "windows-1252"
    assert canonical_encoding("US-ASCII") == "windows-1252"
    assert canonical_encoding("gb2312") == "gb18030"
    assert canonical_encoding("no-such-charset") is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t ",
        bytes(range(256)) * 20,
        b"\x00" * 500,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_binary_or_empty_is_refused(data: bytes) -> None:
    with pytest.raises(ImportFailure):
        decode_html(data)


def test_stray_nul_bytes_are_dropped() -> None:
    page = decode_html(b"<p>Hello\x00 world, a perfectly ordinary page of text.</p>")
    assert "\x00" not in page.text
    assert "Hello world" in page.text
