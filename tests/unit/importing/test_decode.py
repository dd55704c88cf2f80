"""Decoding saved pages: byte order marks, declarations, mis-declarations, detection, binary."""

from __future__ import annotations

import codecs

import pytest

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.charsets import (
    canonical_encoding,
    declared_encoding,
    declared_encodings,
)
from corpusdesk.importing.decode import decode_html
from tests.factories import NEWS_PARAGRAPHS, article_page, news_page

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


# What UTF-8 read as windows-1252 (Ã© â€™ Ð¾) or as windows-1251 (Р° вЂ™) leaves behind.
MOJIBAKE = ("Ã", "Â", "â€", "Ð", "Ñ", "Р°", "Рµ", "СЃ", "вЂ")


def _assert_no_mojibake(text: str) -> None:
    assert not [marker for marker in MOJIBAKE if marker in text], text


def test_declared_utf8_with_a_stray_byte_keeps_utf8() -> None:
    html = news_page("fr", head='<meta charset="utf-8">')
    data = html.encode("utf-8").replace(b"des piscines", b"des \xffpiscines")
    page = decode_html(data)
    assert page == (html.replace("des piscines", "des \ufffdpiscines"), "utf-8")


def test_undeclared_utf8_with_a_stray_byte_is_still_utf8() -> None:
    html = news_page("ru")
    data = html.encode("utf-8").replace("бассейны".encode(), b"\xff" + "бассейны".encode())
    page = decode_html(data)
    assert page == (html.replace("бассейны", "\ufffdбассейны"), "utf-8")


def test_utf8_cut_short_in_an_emoji_at_the_end_of_the_file() -> None:
    html = news_page("fr", head='<meta charset="utf-8">') + "<p>Bonne soirée 🙂"
    page = decode_html(html.encode("utf-8")[:-1])
    assert page == (html.removesuffix("🙂") + "\ufffd", "utf-8")


@pytest.mark.parametrize("head", ['<meta charset="utf-8">', ""])
def test_utf8_with_a_truncated_emoji_in_an_ascii_page(head: str) -> None:
    html = article_page(2, charset="utf-8").replace("</h1>", " 🙂</h1>")
    if not head:
        html = html.replace('<meta charset="utf-8">', "")
    data = html.encode("utf-8").replace("🙂".encode(), "🙂".encode()[:3])
    page = decode_html(data)
    assert page == (html.replace("🙂", "\ufffd"), "utf-8")


def test_koi8_r_page_whose_meta_claims_windows_1251() -> None:
    html = news_page("ru", head='<meta charset="windows-1251">')
    page = decode_html(html.encode("koi8-r"))
    assert page == (html, "koi8-r")


@pytest.mark.parametrize("language", ["ru", "zh", "ar"])
@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be")])
def test_utf16_without_byte_order_mark(language: str, codec: str, name: str) -> None:
    html = news_page(language)
    assert decode_html(html.encode(codec)) == (html, name)


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be")])
def test_utf16_chinese_text_without_markup_or_spaces(codec: str, name: str) -> None:
    # Without the characters (一, 开) whose code point ends in a zero byte: no NULs at all.
    text = "".join(char for char in "".join(NEWS_PARAGRAPHS["zh"]) if ord(char) % 256)
    data = text.encode(codec)
    assert b"\x00" not in data
    assert decode_html(data) == (text, name)


@pytest.mark.parametrize(
    ("language", "codec", "label", "name", "detected_name"),
    [
        ("ja", "shift_jis", "Shift_JIS", "shift_jis", "shift_jis"),
        # Detection names the superset it recognised; the text is the same.
        ("ja", "euc-jp", "EUC-JP", "euc-jp", "euc-jis-2004"),
        ("ja", "iso-2022-jp", "ISO-2022-JP", "iso-2022-jp", "iso-2022-jp"),
        ("ko", "euc-kr", "EUC-KR", "windows-949", "windows-949"),
        ("zh", "gb18030", "GB2312", "gb18030", "gb18030"),
        ("ar", "cp1256", "windows-1256", "windows-1256", "windows-1256"),
        ("ru", "cp1251", "windows-1251", "windows-1251", "windows-1251"),
    ],
)
def test_legacy_cjk_arabic_and_cyrillic_pages(
    language: str, codec: str, label: str, name: str, detected_name: str
) -> None:
    declared = news_page(language, head=f'<meta charset="{label}">')
    assert decode_html(declared.encode(codec)) == (declared, name)
    undeclared = news_page(language)
    assert decode_html(undeclared.encode(codec)) == (undeclared, detected_name)


@pytest.mark.parametrize(("language", "codec"), [("ja", "shift_jis"), ("zh", "gb18030")])
def test_legacy_cjk_text_without_markup_is_not_taken_for_utf16(language: str, codec: str) -> None:
    text = "".join(NEWS_PARAGRAPHS[language])
    assert decode_html(text.encode(codec)).text == text


@pytest.mark.parametrize("language", ["ru", "fr", "zh"])
def test_utf8_page_declaring_iso_8859_1(language: str) -> None:
    html = news_page(
        language, head='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    )
    assert decode_html(html.encode("utf-8")) == (html, "utf-8")


def test_utf8_page_declaring_a_legacy_charset_with_a_stray_byte() -> None:
    html = news_page("ru", head='<meta charset="windows-1251">')
    html = html.replace("</article>", "<p>" + " ".join(NEWS_PARAGRAPHS["ru"]) + "</p></article>")
    data = html.encode("utf-8").replace("бюджет".encode(), b"\xff" + "бюджет".encode(), 1)
    page = decode_html(data)
    assert page == (html.replace("бюджет", "\ufffdбюджет", 1), "utf-8")


def test_windows_1252_page_declared_as_utf8() -> None:
    html = (
        '<meta charset="utf-8"><p>She said \u201cno\u201d and he didn\u2019t argue \u2013 the '
        "caf\u00e9\u2019s \u201cregulars\u201d left at nine.</p>"
    )
    page = decode_html(html.encode("cp1252"))
    assert page == (html, "windows-1252")


def test_second_declaration_used_when_the_first_does_not_fit() -> None:
    html = news_page("ru", head='<meta charset="utf-8"><meta charset="koi8-r">')
    assert decode_html(html.encode("koi8-r")) == (html, "koi8-r")


def test_declared_encodings_in_document_order() -> None:
    data = (
        b'<?xml version="1.0" encoding="ISO-8859-2"?><meta charset="utf-16">'
        b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><meta charset=bogus>'
    )
    assert declared_encodings(data) == ["iso-8859-2", "utf-8", "koi8-r"]


@pytest.mark.parametrize("language", sorted(NEWS_PARAGRAPHS))
def test_no_mojibake_in_any_language_declared_or_not(language: str) -> None:
    for head in ("", '<meta charset="utf-8">', '<meta charset="iso-8859-1">'):
        page = decode_html(news_page(language, head=head).encode("utf-8"))
        _assert_no_mojibake(page.text)
        assert NEWS_PARAGRAPHS[language][1] in page.text


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
@pytest.mark.parametrize("language", ["fr", "ru"])
def test_utf16_byte_order_mark_before_utf8_is_ignored(bom: bytes, language: str) -> None:
    html = news_page(language)
    assert decode_html(bom + html.encode("utf-8")) == (html, "utf-8")


def test_utf8_byte_order_mark_before_windows_1252_is_ignored() -> None:
    html = "<p>She said \u201cno\u201d and he didn\u2019t argue \u2013 the caf\u00e9 closed.</p>"
    assert decode_html(codecs.BOM_UTF8 + html.encode("cp1252")) == (html, "windows-1252")


def test_utf8_byte_order_mark_with_a_stray_byte() -> None:
    html = news_page("ru")
    data = codecs.BOM_UTF8 + html.encode("utf-8").replace(b"<h1>", b"<h1>\xff")
    assert decode_html(data) == (html.replace("<h1>", "<h1>\ufffd"), "utf-8")
