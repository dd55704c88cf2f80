"""Turn the bytes of a saved page into text, the way a browser would, only more forgiving.

The order of evidence:

1. A byte order mark settles the matter, unless the bytes after it flatly deny it (a UTF-16
   mark before UTF-8 without a NUL, a UTF-8 mark before bytes that are mostly not UTF-8).
2. UTF-16 without one is recognised by its byte pattern: the NULs of its markup and spaces
   fall on one side of the byte pairs, and read in that order the text is in a real script.
3. Valid UTF-8 with multi-byte sequences is UTF-8 whatever the page declares; so is UTF-8
   with under 1% of its sequences broken, since no legacy text is that UTF-8-like by chance.
4. The charsets declared for the page (by the container it came in, then by the page), in
   order, as long as one decodes all but a few bytes (under 1%, or a handful that are no
   more than what decodes). The bad bytes become
   U+FFFD. A declared legacy charset whose text reads like mojibake (charset-normalizer's
   mess measure) gives way to detection when detection's reading is clearly cleaner.
5. Otherwise UTF-8 if it fits as well as a declaration would have to, then charset-normalizer
   (which also finds UTF-16 too short of markup to leave NULs), then windows-1252, the
   browsers' fallback.

Most pages are valid UTF-8 and take only the first, cheap steps; charset-normalizer runs only
for pages that are not. Binary data is refused with :class:`ImportFailure`.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.charsets import (
    canonical_encoding,
    declared_encodings,
    python_codec,
)
from corpusdesk.importing.sniff import binary_signature

MAX_CONTROL_SHARE = 0.02
"""Above this share of control characters (NUL and friends) the file is binary, not text."""

MAX_ERROR_SHARE = 0.01
"""A charset that fails on at most this share of the non-ASCII sequences still fits."""

HANDFUL_OF_ERRORS = 3
"""This many undecodable sequences are forgiven if at least as many non-ASCII ones decode."""

SUSPECT_MESS = 0.1
"""A declared reading this messy (charset-normalizer's measure; clean text is 0) is questioned."""

CLEARLY_CLEANER = 0.1
"""How much less messy detection's reading must be to overrule the declared charset."""

DETECTION_BYTES = 200_000
"""How much of the page charset-normalizer looks at."""

UTF16_SAMPLE_BYTES = 4096
"""How much of the page is looked at for UTF-16 without a byte order mark."""

MIN_UTF16_NULS = 0.01
"""UTF-16 is suspected if this share of the byte pairs in the sample have a NUL on one side."""

MIN_UTF16_SCRIPT_SHARE = 0.95
"""Read as UTF-16, at least this share of the sample must be characters of running text."""

PROSE_SAMPLE_CHARS = 4000
"""How much non-ASCII text between tags is measured for mess."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UTF8_LEAD_AND_CONTINUATIONS = re.compile(rb"[\xc2-\xf4][\x80-\xbf]*")
# Characters of running text in the scripts of the world's news; read in the wrong byte order
# (or from bytes that are not UTF-16 at all) text lands mostly outside these ranges.
_RUNNING_TEXT = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u1fff\u2000-\u206f\u20a0-\u20cf\u2100-\u21ff\u3000-\u30ff"
    "\u4e00-\u9fff\uac00-\ud7a3\ufb00-\ufdff\ufe70-\ufefe\uff00-\uffef\U00010000-\U0010ffff]+"
)
_BETWEEN_TAGS = re.compile(r"[^<>]+")
_JIS_ESCAPE = re.compile(rb"\x1b\$[@B]")  # ISO-2022-JP switching to JIS X 0208
_UTF16_CODECS = {"utf-16le": "utf-16-le", "utf-16be": "utf-16-be"}


class DecodedPage(NamedTuple):
    """A decoded page: its text and the name of the encoding that was used."""

    text: str
    encoding: str


class _Reading(NamedTuple):
    """The bytes read in one encoding, and how well they fitted it."""

    encoding: str
    text: str
    errors: int
    """Byte sequences the encoding could not decode (each is now U+FFFD)."""
    decoded: int
    """Non-ASCII characters that decoded."""


def _read(data: bytes, encoding: str) -> _Reading:
    """``data`` decoded as ``encoding`` (a canonical name), bad sequences replaced."""
    codec = python_codec(encoding)
    errors = 0
    try:
        text = codecs.decode(data, codec)
    except UnicodeDecodeError:
        text = codecs.decode(data, codec, errors="replace")
        genuine = data.count(b"\xef\xbf\xbd") if encoding == "utf-8" else 0
        errors = max(text.count("\ufffd") - genuine, 1)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return _Reading(encoding, text, errors, max(non_ascii - errors, 0))


def _nearly_clean(reading: _Reading) -> bool:
    return reading.errors <= MAX_ERROR_SHARE * (reading.decoded + reading.errors)


def _fits(reading: _Reading, data: bytes) -> bool:
    """Whether the encoding decodes all but a few of the bytes: under 1%, or a handful.

    A handful must be no more than what decodes; for UTF-8, sequences cut short count on
    the side of what decodes, since only UTF-8 makes them.
    """
    if reading.errors == 0 or _nearly_clean(reading):
        return True
    if reading.errors > HANDFUL_OF_ERRORS:
        return False
    if reading.errors <= reading.decoded:
        return True
    return reading.encoding == "utf-8" and reading.errors <= reading.decoded + _cut_short(data)


def _cut_short(data: bytes) -> int:
    """How many UTF-8 sequences start right but stop short (a cut emoji, a truncated file).

    Only called for pages with next to no non-ASCII bytes, so the loop is short.
    """
    count = 0
    for match in _UTF8_LEAD_AND_CONTINUATIONS.finditer(data):
        lead, continuations = match.group()[0], match.end() - match.start() - 1
        needed = 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
        if continuations < needed and (continuations or match.end() == len(data)):
            count += 1
    return count


def _prose_sample(text: str) -> str:
    """Up to :data:`PROSE_SAMPLE_CHARS` of the text between tags that is not plain ASCII."""
    runs: list[str] = []
    size = 0
    for match in _BETWEEN_TAGS.finditer(text):
        run = match.group()
        if not run.isascii():
            runs.append(run)
            size += len(run)
            if size >= PROSE_SAMPLE_CHARS:
                break
    return " ".join(runs)[:PROSE_SAMPLE_CHARS]


def _mess(text: str) -> float:
    """How much the non-ASCII prose of ``text`` looks like mojibake (0 is clean)."""
    sample = _prose_sample(text)
    return float(mess_ratio(sample, maximum_threshold=1.0)) if sample else 0.0


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


def _utf16_text_share(sample: bytes, encoding: str) -> float:
    """The share of ``sample`` that is running text when read as ``encoding`` (UTF-16)."""
    text = sample[: len(sample) - len(sample) % 2].decode(_UTF16_CODECS[encoding], "replace")
    return sum(len(run) for run in _RUNNING_TEXT.findall(text)) / max(len(text), 1)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16le`` or ``utf-16be`` if the page is UTF-16 without a byte order mark.

    Markup, spaces and digits in UTF-16 put a NUL in one byte of their pair, so NULs in the
    first bytes are the cheap hint; the proof is that one byte order reads as running text
    (Cyrillic, Arabic or CJK text has no NULs of its own, but its markup does).
    """
    sample = data[:UTF16_SAMPLE_BYTES]
    pairs = len(sample) // 2
    if pairs < 4 or max(sample[0::2].count(0), sample[1::2].count(0)) < MIN_UTF16_NULS * pairs:
        return None
    shares = {encoding: _utf16_text_share(sample, encoding) for encoding in _UTF16_CODECS}
    best = max(shares, key=shares.__getitem__)
    return best if shares[best] >= MIN_UTF16_SCRIPT_SHARE else None


def _detect(data: bytes) -> str | None:
    matches = list(from_bytes(data[:DETECTION_BYTES]))
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    # Short samples fit several code pages equally well; windows-1252 wins ties, as in browsers.
    for match in matches:
        if match.chaos <= least_chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return "windows-1252"
    best = min(matches, key=lambda match: (match.chaos, -match.coherence))
    detected = canonical_encoding(best.encoding)
    if detected in _UTF16_CODECS:
        # CJK text without markup or spaces leaves no NULs to hint at UTF-16: believe the
        # detector only if the text reads as running text.
        sample = data[:UTF16_SAMPLE_BYTES]
        return detected if _utf16_text_share(sample, detected) >= MIN_UTF16_SCRIPT_SHARE else None
    if detected in ("utf-32le", "utf-32be"):
        return None
    return detected


def _questioned(data: bytes, declared: _Reading) -> _Reading:
    """The declared reading, or detection's if the declared one is mojibake and it is not."""
    if declared.encoding == "utf-8" or declared.decoded == 0:
        return declared
    declared_mess = _mess(declared.text)
    if declared_mess < SUSPECT_MESS:
        return declared
    detected = _detect(data)
    if not detected or detected == declared.encoding:
        return declared
    other = _read(data, detected)
    if not _fits(other, data):
        return declared
    other_mess = _mess(other.text)
    if other_mess < SUSPECT_MESS and other_mess + CLEARLY_CLEANER <= declared_mess:
        return other
    return declared


def _declared(data: bytes, outside: str | None) -> list[str]:
    """The charsets declared for the page: the one from outside it first, then its own."""
    declared = declared_encodings(data)
    name = canonical_encoding(outside) if outside else None
    if name and name.startswith(("utf-16", "utf-32")):
        name = "utf-8"  # UTF-16 would have been recognised by now
    if name:
        declared = [name, *(other for other in declared if other != name)]
    return declared


def _choose(data: bytes, valid_utf8: str | None, outside: str | None) -> tuple[str, str]:
    """The encoding of a page without a byte order mark that is not UTF-16, and its text.

    ``valid_utf8`` is the page decoded as UTF-8, or None if it is not valid UTF-8; ``outside``
    is the charset declared for the page from outside it, if any.
    """
    declared = _declared(data, outside)
    if valid_utf8 is not None:
        if data.isascii():
            # Plain ASCII reads the same in most charsets, but not in ISO-2022-JP or UTF-7,
            # whose escapes are ASCII too; an undeclared page with JIS escapes is ISO-2022-JP.
            charset = declared[0] if declared else None
            if not charset and _JIS_ESCAPE.search(data):
                charset = "iso-2022-jp"
            reading = _read(data, charset) if charset and charset != "utf-8" else None
            if reading and reading.errors == 0:
                return reading.encoding, reading.text
        return "utf-8", valid_utf8
    utf8 = _read(data, "utf-8")
    if _nearly_clean(utf8):
        return utf8.encoding, utf8.text
    for encoding in declared:
        reading = utf8 if encoding == "utf-8" else _read(data, encoding)
        if _fits(reading, data):
            chosen = _questioned(data, reading)
            return chosen.encoding, chosen.text
    if _fits(utf8, data):
        return utf8.encoding, utf8.text
    # Browsers fall back to windows-1252 for Western pages; it maps almost every byte.
    reading = _read(data, _detect(data) or "windows-1252")
    return reading.encoding, reading.text


def _check_text(text: str) -> str:
    if not text.strip():
        raise ImportFailure("the file contains no text")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise ImportFailure("binary data, not a text file")
    if controls:
        text = _CONTROL.sub("", text)
    return text


def _decode_as(body: bytes, encoding: str) -> str:
    try:
        return codecs.decode(body, python_codec(encoding), errors="replace")
    except (LookupError, UnicodeError) as error:
        raise ImportFailure(f"cannot decode the file as {encoding}: {error}") from None


def _decode_by_bom(data: bytes, encoding: str, skip: int) -> tuple[str, str] | None:
    """The page decoded as its byte order mark says, or None if the bytes flatly deny it.

    A UTF-8 mark before bytes that are not UTF-8 but for a few, or a UTF-16 mark before
    bytes without a single NUL that are valid UTF-8, is a stray mark on another page.
    """
    body = data[skip:]
    if encoding == "utf-8":
        reading = _read(body, encoding)
        return (encoding, reading.text) if _fits(reading, body) else None
    if encoding in _UTF16_CODECS and b"\x00" not in body[:UTF16_SAMPLE_BYTES]:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(body[:UTF16_SAMPLE_BYTES])
        except UnicodeDecodeError:
            pass
        else:
            return None
    return encoding, _decode_as(body, encoding)


def _decode_without_bom(data: bytes, outside: str | None) -> tuple[str, str]:
    try:
        valid_utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        valid_utf8 = None
    # Multi-byte UTF-8 cannot be UTF-16 as well, and most pages are: skip the pattern check.
    if valid_utf8 is None or data.isascii():
        utf16 = _bomless_utf16(data)
        if utf16:
            return utf16, _decode_as(data, utf16)
    if data.count(0) > MAX_CONTROL_SHARE * len(data):
        raise ImportFailure("binary data, not a text file")
    try:
        return _choose(data, valid_utf8, outside)
    except (LookupError, UnicodeError) as error:
        raise ImportFailure(f"cannot decode the file: {error}") from None


def decode_html(data: bytes, declared_charset: str | None = None) -> DecodedPage:
    """Decode the bytes of a page; raise :class:`ImportFailure` for binary or empty data.

    ``declared_charset`` is a charset declared for the page outside its bytes (by the MIME
    part or HTTP response it came in); it counts as the first of the page's declarations.
    """
    if not data or not data.strip():
        raise ImportFailure("the file is empty")
    kind = binary_signature(data)
    if kind:
        raise ImportFailure(f"not an HTML page: the file is {kind}")
    bom = _bom_encoding(data)
    decoded = _decode_by_bom(data, *bom) if bom else None
    if decoded:
        encoding, text = decoded
    else:
        encoding, text = _decode_without_bom(data[bom[1] :] if bom else data, declared_charset)
    if text.count("\ufffd") > 0.05 * max(len(text), 1) and encoding.startswith("utf-16"):
        raise ImportFailure("binary data, not a text file")
    return DecodedPage(_check_text(text.removeprefix("\ufeff")), encoding)
