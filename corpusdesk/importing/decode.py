"""Turn the bytes of a saved page into text, the way a browser would, only more forgiving.

The order of evidence: a byte order mark; the charset the page declares (``<meta charset>``,
``<meta http-equiv="Content-Type">``, the XML declaration); whether the bytes are valid UTF-8;
then statistical detection with charset-normalizer. Labels are mapped as browsers map them
(``iso-8859-1``, ``latin1`` and ``us-ascii`` all mean ``windows-1252``), and a page that
declares a legacy charset but is valid UTF-8 full of multi-byte sequences is read as UTF-8,
the most common mis-declaration. Binary data is refused with :class:`ImportFailure`.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from charset_normalizer import from_bytes

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.sniff import binary_signature

DECLARATION_BYTES = 8192
"""How far into the file a charset declaration is looked for."""

MAX_CONTROL_SHARE = 0.02
"""Above this share of control characters (NUL and friends) the file is binary, not text."""

# WHATWG label → the Python codec that decodes it; the WHATWG name is what we report.
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
    # A page cannot really be UTF-16 if its declaration was readable as ASCII.
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
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
    "utf_16_le": "utf-16le",
    "utf_16_be": "utf-16be",
}
_SINGLE_BYTE_LEGACY = re.compile(
    r"^(?:windows-12\d\d|iso-8859-\d+|koi8-[ru]|windows-874|macintosh)$"
)

_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_:.()+-]+)", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MULTIBYTE_UTF8 = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


class DecodedPage(NamedTuple):
    """A decoded page: its text and the name of the encoding that was used."""

    text: str
    encoding: str


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


def declared_encoding(data: bytes) -> str | None:
    """The charset the page declares in its first bytes (XML declaration or ``<meta>``)."""
    head = data[:DECLARATION_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            found = canonical_encoding(match.group(1).decode("ascii", "replace"))
            if found:
                return found
    return None


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(data) % 4 == 0:
        return ("utf-32le" if data.startswith(codecs.BOM_UTF32_LE) else "utf-32be"), 4
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16be", 2
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: ASCII markup leaves every other byte NUL."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.7 * half and even < 0.1 * half:
        return "utf-16le"
    if even > 0.7 * half and odd < 0.1 * half:
        return "utf-16be"
    return None


def _is_valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        codecs.decode(data, python_codec(encoding))
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _detect(data: bytes) -> str | None:
    matches = list(from_bytes(data[:200_000]))
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    # Short samples fit several code pages equally well; windows-1252 wins ties, as in browsers.
    for match in matches:
        if match.chaos <= least_chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return "windows-1252"
    best = min(matches, key=lambda match: (match.chaos, -match.coherence))
    return canonical_encoding(best.encoding)


def _choose_encoding(data: bytes) -> str:
    declared = declared_encoding(data)
    valid_utf8 = _is_valid_utf8(data)
    if declared == "utf-8" and valid_utf8:
        return "utf-8"
    if declared and _SINGLE_BYTE_LEGACY.match(declared):
        # Mis-declared UTF-8 is common; valid UTF-8 with multi-byte sequences is no accident.
        if valid_utf8 and _MULTIBYTE_UTF8.search(data):
            return "utf-8"
        return declared
    if declared and declared != "utf-8" and _decodes(data, declared):
        return declared
    if valid_utf8:
        return "utf-8"
    detected = _detect(data)
    if detected and detected not in ("utf-16le", "utf-16be", "utf-32le", "utf-32be"):
        return detected
    # Browsers fall back to windows-1252 for Western pages; it maps almost every byte.
    return "windows-1252"


def _check_text(text: str) -> str:
    if not text.strip():
        raise ImportFailure("the file contains no text")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise ImportFailure("binary data, not a text file")
    if controls:
        text = _CONTROL.sub("", text)
    return text


def decode_html(data: bytes) -> DecodedPage:
    """Decode the bytes of a page; raise :class:`ImportFailure` for binary or empty data."""
    if not data or not data.strip():
        raise ImportFailure("the file is empty")
    kind = binary_signature(data)
    if kind:
        raise ImportFailure(f"not an HTML page: the file is {kind}")
    bom = _bom_encoding(data)
    if bom:
        encoding, skip = bom
        body = data[skip:]
    else:
        encoding = _bomless_utf16(data) or ""
        body = data
        if not encoding:
            if body.count(0) > MAX_CONTROL_SHARE * len(body):
                raise ImportFailure("binary data, not a text file")
            encoding = _choose_encoding(body)
    try:
        text = codecs.decode(body, python_codec(encoding), errors="replace")
    except (LookupError, UnicodeError) as error:
        raise ImportFailure(f"cannot decode the file as {encoding}: {error}") from None
    if text.count("\ufffd") > 0.05 * max(len(text), 1) and encoding.startswith("utf-16"):
        raise ImportFailure("binary data, not a text file")
    return DecodedPage(_check_text(text.removeprefix("\ufeff")), encoding)
