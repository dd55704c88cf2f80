"""Charset labels and the charsets a page declares for itself.

Labels are mapped as browsers map them (``iso-8859-1``, ``latin1`` and ``us-ascii`` all mean
``windows-1252``; ``gb2312`` and ``gbk`` mean ``gb18030``) to a canonical name, which is what
an import reports, and each canonical name to the Python codec that decodes it. A page
declares its charset in the XML declaration, ``<meta charset>`` or
``<meta http-equiv="Content-Type">``; all of them are read, in the order they appear, because
pages with two contradicting declarations are not rare.
"""

from __future__ import annotations

import codecs
import re

DECLARATION_BYTES = 8192
"""How far into the file a charset declaration is looked for."""

# WHATWG label → the canonical name (itself a WHATWG name or the codec that decodes it).
_LABEL_ALIASES = {
    "iso-8859-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "iso_8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "l1": "windows-1252",
    "ascii": "windows-1252",
    "us-ascii": "windows-1252",
    "cp819": "windows-1252",
    "ibm819": "windows-1252",
    "iso-ir-100": "windows-1252",
    "cp1252": "windows-1252",
    "x-cp1252": "windows-1252",
    "iso-8859-9": "windows-1254",
    "latin5": "windows-1254",
    "iso-8859-11": "windows-874",
    "tis-620": "windows-874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "windows-949",
    "ks_c_5601-1987": "windows-949",
    "x-sjis": "shift_jis",
    "sjis": "shift_jis",
    "ms_kanji": "shift_jis",
    "windows-31j": "shift_jis",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
_PYTHON_CODEC = {"windows-949": "cp949", "windows-874": "cp874", "shift_jis": "cp932"}
# Python codec names (as charset-normalizer reports them) → the names we report.
_REPORTED = {
    "utf_8": "utf-8",
    "ascii": "windows-1252",
    "latin_1": "windows-1252",
    "iso8859_1": "windows-1252",
    "cp1252": "windows-1252",
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "cp1256": "windows-1256",
    "cp1257": "windows-1257",
    "cp1258": "windows-1258",
    "cp949": "windows-949",
    "cp874": "windows-874",
    "cp932": "shift_jis",
    "euc_kr": "windows-949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso2022_jp": "iso-2022-jp",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "utf-32-le": "utf-32le",
    "utf-32-be": "utf-32be",
}

_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_:.()+-]+)", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([a-zA-Z0-9_.:-]+)", re.IGNORECASE)


def canonical_encoding(label: str) -> str | None:
    """The canonical (WHATWG-style) name for an encoding label, or None if it is unknown."""
    name = label.strip().strip("\"'").lower()
    name = _LABEL_ALIASES.get(name, name)
    try:
        info = codecs.lookup(_PYTHON_CODEC.get(name, name))
    except LookupError:
        return None
    if name in _LABEL_ALIASES.values() or name in _PYTHON_CODEC:
        return name
    if info.name in _REPORTED:
        return _REPORTED[info.name]
    reported = info.name.replace("_", "-")
    if reported.startswith("iso8859-"):
        return "iso-8859-" + reported.removeprefix("iso8859-")
    return reported


def python_codec(encoding: str) -> str:
    """The Python codec that decodes a canonical encoding name."""
    return _PYTHON_CODEC.get(encoding, encoding)


def declared_encodings(data: bytes) -> list[str]:
    """Every known charset the page declares in its first bytes, first declaration first."""
    head = data[:DECLARATION_BYTES]
    found: list[tuple[int, bytes]] = []
    xml = _XML_ENCODING.search(head)
    if xml:
        found.append((xml.start(1), xml.group(1)))
    found.extend((meta.start(1), meta.group(1)) for meta in _META_CHARSET.finditer(head))
    names: list[str] = []
    for _position, label in sorted(found):
        name = canonical_encoding(label.decode("ascii", "replace"))
        if name and name.startswith(("utf-16", "utf-32")):
            name = "utf-8"  # a page is not UTF-16 if its declaration was readable as ASCII
        if name and name not in names:
            names.append(name)
    return names


def declared_encoding(data: bytes) -> str | None:
    """The first known charset the page declares (XML declaration or ``<meta>``), if any."""
    names = declared_encodings(data)
    return names[0] if names else None
