"""The page's bytes out of an archived HTTP response: de-chunked and decoded.

A web archive stores the body as the server sent it: perhaps in chunks, perhaps compressed
(``gzip``, ``deflate``, ``br``). The page is what the browser would have shown, so the transfer
and content encodings are taken off, never beyond :data:`MAX_PAGE_BYTES` (a small compressed
body can unpack to gigabytes).
"""

from __future__ import annotations

import zlib
from typing import IO, Any

import brotli
from warcio.bufferedreaders import ChunkedDataReader

from corpusdesk.importing.sniff import looks_like_html
from corpusdesk.importing.sources.base import MAX_PAGE_BYTES

READ_BLOCK = 64 * 1024


class PayloadError(Exception):
    """The payload cannot be turned into the page's bytes; the message says why."""


def too_large() -> str:
    """The reason given for a page over the size limit."""
    return f"the page is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB"


def read_body(stream: IO[bytes], http: Any) -> tuple[bytes, list[str]]:
    """The body in ``stream`` without its chunking, and the transfer codings still on it.

    ``http`` is warcio's ``StatusAndHeaders`` of the response (None for a bare resource).
    Raises :class:`PayloadError` for a body over the size limit.
    """
    transfer = codings(http.get_header("Transfer-Encoding")) if http is not None else []
    if transfer and transfer[-1] == "chunked":
        stream = ChunkedDataReader(stream)
        transfer.pop()
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_PAGE_BYTES:
        chunk = stream.read(READ_BLOCK)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_PAGE_BYTES:
        raise PayloadError(too_large())
    return b"".join(chunks), transfer


def decode_body(data: bytes, http: Any, transfer: list[str]) -> bytes:
    """``data`` with its content codings and the ``transfer`` codings left on it removed."""
    content = codings(http.get_header("Content-Encoding")) if http is not None else []
    for coding in reversed(content + transfer):
        data = _decoded(data, coding)
    return data


def codings(value: str | None) -> list[str]:
    """The codings an ``*-Encoding`` header lists, in the order they were applied."""
    names = [part.strip().lower() for part in (value or "").split(",")]
    return [name for name in names if name and name != "identity"]


def _decoded(data: bytes, coding: str) -> bytes:
    try:
        if coding in ("gzip", "x-gzip"):
            decoded = _inflate(data, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            try:
                decoded = _inflate(data, zlib.MAX_WBITS)
            except zlib.error:
                decoded = _inflate(data, -zlib.MAX_WBITS)  # raw deflate, as some servers send
        elif coding == "br":
            decoded = brotli.Decompressor().process(data, output_buffer_limit=MAX_PAGE_BYTES + 1)
        else:
            raise PayloadError(f"the page is sent in an unsupported encoding ({coding})")
    except (zlib.error, brotli.error) as error:
        # Some archivers store the decoded body but keep the header: take such a body as it is.
        if looks_like_html(data):
            return data
        raise PayloadError(f"the page's {coding} encoding is damaged ({error})") from error
    if len(decoded) > MAX_PAGE_BYTES:
        raise PayloadError(too_large())
    return decoded


def _inflate(data: bytes, wbits: int) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    return decompressor.decompress(data, MAX_PAGE_BYTES + 1)


def media_type(value: str | None) -> tuple[str | None, str | None]:
    """The media type (lower case) and charset parameter of a Content-Type header."""
    if not value or not value.strip():
        return None, None
    kind, *parameters = value.split(";")
    charset = None
    for parameter in parameters:
        key, _, given = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = given.strip().strip("\"'") or None
    return kind.strip().lower() or None, charset
