"""File names that are not always text: how they are stored, shown and logged.

On POSIX a file name is bytes. Python hands a name that is not valid UTF-8 over as a ``str``
with surrogate escapes (``os.fsdecode``): that string opens the file, but it cannot be written
as UTF-8, so SQLite, JSON, a UTF-8 log or a terminal would refuse it. corpusdesk keeps the
surrogate-escaped name wherever the file itself is used, and turns it into text at two edges:

- ``readable_name``, for the library (``source_name``, ``source_path``) and so for exports and
  the window: every byte that is not UTF-8 becomes U+FFFD. Always valid UTF-8; the rest of the
  name, its extension included, is kept as it is.
- ``escape_field`` / ``unescape_field``, for records that must stay one line with fields
  separated by tabs (the import log): a backslash escape for a backslash (``\\\\``), tab
  (``\\t``), newline (``\\n``) and carriage return (``\\r``); ``\\xNN`` for any other control
  character and for each byte that is not UTF-8; ``\\uNNNN`` for the C1 controls and the
  Unicode line and paragraph separators, which some readers take for line ends. Undoing the
  escapes gives back the name exactly, byte for byte.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

_SURROGATE = re.compile("[\ud800-\udfff]")
_NEEDS_ESCAPE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))", re.DOTALL)
_NAMED_VALUES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_ESCAPED_BYTES = range(0xDC80, 0xDD00)
"""The surrogates ``os.fsdecode`` stands a byte that is not UTF-8 with (U+DC80 + the byte)."""


def is_text(value: str) -> bool:
    """Whether ``value`` can be written as UTF-8 (it holds no surrogate escapes)."""
    return _SURROGATE.search(value) is None


def first_non_text(value: str) -> int:
    """The offset of the first character that cannot be written as UTF-8, or -1."""
    found = _SURROGATE.search(value)
    return -1 if found is None else found.start()


def readable_name(name: str) -> str:
    """``name`` as valid text: each byte of it that is not UTF-8 becomes U+FFFD."""
    return _SURROGATE.sub(REPLACEMENT, name)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape_field(value: str) -> str:
    """``value`` (a file name, path or reason) as one field of a tab-separated line."""
    return _NEEDS_ESCAPE.sub(_escape, value)


def unescape_field(field: str) -> str:
    """The value ``escape_field`` wrote as ``field``, surrogate escapes and all."""
    data = bytearray()
    at = 0
    for match in _ESCAPE.finditer(field):
        data += field[at : match.start()].encode("utf-8")
        byte, code, named = match.groups()
        if byte is not None:
            data.append(int(byte, 16))
        elif code is not None:
            data += chr(int(code, 16)).encode("utf-8", "surrogatepass")
        else:
            data += _NAMED_VALUES.get(named, "\\" + named).encode("utf-8")
        at = match.end()
    data += field[at:].encode("utf-8")
    return data.decode("utf-8", "surrogateescape")
