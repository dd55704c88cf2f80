"""MHTML (``.mhtml``, ``.mht``): a page saved by a browser as one MIME message.

The message is ``multipart/related``: the page's HTML (its root part, usually the first) and
the images, style sheets and frames it showed, each part with its transfer encoding
(quoted-printable or base64) and its address in ``Content-Location`` or ``Content-ID``. The
standard library's :mod:`email` parser reads it; the root part's bytes, once the transfer
encoding is undone, go to the decoder together with the charset the part declares. The page's
address is the root part's ``Content-Location`` (or the message's
``Snapshot-Content-Location``), the capture time the message's ``Date``.
"""

from __future__ import annotations

import datetime as dt
import re
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from corpusdesk.core.errors import ImportFailure
from corpusdesk.core.records import EmbeddedResource
from corpusdesk.importing.embedded import IMAGE_TYPES
from corpusdesk.importing.sources.base import UnpackedPage

_HEAD_BYTES = 4096
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def _header(message: Message, name: str) -> str | None:
    value = message.get(name)
    text = str(value).strip() if value is not None else ""
    return text or None


def _url(message: Message, name: str) -> str | None:
    """An address header, unfolded (an address holds no whitespace)."""
    value = _header(message, name)
    return "".join(value.split()) if value else None


def _capture_time(message: Message) -> dt.datetime | None:
    value = _header(message, "Date")
    if value is None:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _root(message: Message) -> Message | None:
    """The page's part: the one the ``start`` parameter names, else the first HTML part."""
    if not message.is_multipart():
        return message if message.get_content_type() in _PAGE_TYPES else None
    start = message.get_param("start")
    wanted = str(start).strip().strip("<>") if isinstance(start, str) else None
    first_html = None
    for part in message.walk():
        if part.is_multipart():
            continue
        if wanted and (_header(part, "Content-ID") or "").strip("<>") == wanted:
            return part
        if first_html is None and part.get_content_type() in _PAGE_TYPES:
            first_html = part
            if not wanted:
                break
    return first_html


def _images(message: Message, root: Message) -> tuple[EmbeddedResource, ...]:
    found: list[EmbeddedResource] = []
    for part in message.walk():
        if part is root or part.is_multipart():
            continue
        media = part.get_content_type()
        if media not in IMAGE_TYPES:
            continue
        locations = [_url(part, "Content-Location")]
        content_id = _header(part, "Content-ID")
        locations.append(f"cid:{content_id.strip('<>')}" if content_id else None)
        wanted = [location for location in locations if location]
        payload = part.get_payload(decode=True) if wanted else None
        if isinstance(payload, bytes) and payload:
            found.extend(EmbeddedResource(location, media, payload) for location in wanted)
    return tuple(found)


class MhtmlFormat:
    """The MHTML page format."""

    label = "MHTML file"
    suffixes = frozenset({".mhtml", ".mht"})

    def recognises(self, head: bytes) -> bool:
        """MIME headers first, and a multipart/related (or HTML) message."""
        head = head[:_HEAD_BYTES]
        if not _HEADER_LINE.match(head.lstrip(b"\r\n")):
            return False
        lowered = head.lower()
        return b"multipart/related" in lowered or (
            b"mime-version:" in lowered and b"text/html" in lowered
        )

    def unpack(self, data: bytes) -> UnpackedPage:
        """The root HTML part, decoded from its transfer encoding, with its images."""
        try:
            message = BytesParser(policy=policy.compat32).parsebytes(data)
            root = _root(message)
            if root is None:
                raise ImportFailure("the MHTML file holds no HTML page")
            html = root.get_payload(decode=True)
            if not isinstance(html, bytes) or not html.strip():
                raise ImportFailure("the MHTML file's page is empty")
            return UnpackedPage(
                html=html,
                charset=root.get_content_charset(),
                url=_url(root, "Content-Location")
                or _url(message, "Snapshot-Content-Location")
                or _url(message, "Content-Location"),
                captured_at=_capture_time(message),
                resources=_images(message, root),
            )
        except (ImportFailure, MemoryError, RecursionError):
            raise
        except Exception as error:  # the parser's many ways of meeting a damaged message
            raise ImportFailure(f"the MHTML file is damaged: {type(error).__name__}") from None


FORMAT = MhtmlFormat()
