"""Web archives (MHTML): the saved page inside a browser's "save as a single file".

Chromium-based browsers save a page with its images and style sheets as one MIME message
(``multipart/related``, RFC 2557), the page itself quoted-printable or base64 encoded. The
import reads the page out of it and goes on as with any saved page; the library keeps the
original file whole, so re-cleaning reads it the same way.
"""

from __future__ import annotations

import codecs
import email.policy
import re
from email import message_from_bytes
from email.message import EmailMessage

from corpusdesk.core.errors import ImportFailure

HEADER_BYTES = 8192
"""How far into a file the header of a MIME message is looked for."""

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FIELD = re.compile(rb"^[!-9;-~]+:", re.ASCII)
_MULTIPART_RELATED = re.compile(rb"^content-type:\s*multipart/related\b", re.I | re.M)
_UTF8_BOM = codecs.BOM_UTF8


def is_web_archive(data: bytes) -> bool:
    """Whether ``data`` is a MIME message holding a page with its resources."""
    if not _FIELD.match(data):  # a page starts with "<", a message with a header field
        return False
    head = data[:HEADER_BYTES]
    end = _HEADER_END.search(head)
    return end is not None and _MULTIPART_RELATED.search(head[: end.start()]) is not None


def _root_part(message: EmailMessage) -> EmailMessage | None:
    """The part holding the page: the one the ``start`` parameter names, else the first HTML."""
    parts = [part for part in message.iter_parts() if isinstance(part, EmailMessage)]
    start = message.get_param("start")
    if isinstance(start, str):
        for part in parts:
            if part.get("Content-ID", "").strip() == start.strip():
                return part
    for part in parts:
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            return part
    return None


def page_of(data: bytes) -> bytes:
    """The saved page in a web archive, or ``data`` itself when it is not one.

    A page whose part declares its character set comes back as UTF-8 with a byte order mark,
    which the decoder trusts above a ``<meta charset>`` that the browser may have left stale.
    Raises :class:`ImportFailure` for an archive with no page in it.
    """
    if not is_web_archive(data):
        return data
    message = message_from_bytes(data, policy=email.policy.default)
    part = _root_part(message) if isinstance(message, EmailMessage) else None
    payload = part.get_payload(decode=True) if part is not None else None
    if part is None or not isinstance(payload, bytes) or not payload.strip():
        raise ImportFailure("a web archive (MHTML) with no HTML page in it")
    charset = part.get_content_charset()
    if charset:
        try:
            return _UTF8_BOM + payload.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: the decoder works it out from the bytes
    return payload
