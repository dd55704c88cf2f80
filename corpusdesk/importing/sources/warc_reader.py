"""Saved pages out of the records of one WARC stream (a ``.warc`` file, plain or gzipped).

Records are read with warcio, one at a time, so a file of any size streams in bounded memory.
A record becomes a page when it is an HTML capture: a ``response`` with HTTP status 200 and an
HTML content type (``text/html``, ``application/xhtml+xml``; a missing type is sniffed), or a
``resource`` record holding HTML. Its HTTP payload is de-chunked and its content and transfer
encodings are removed (:mod:`~corpusdesk.importing.sources.http_payload`). Everything else is
passed over without a failure and counted in :class:`SkippedRecords`: records of other types,
revisits, redirects, other statuses, non-HTML payloads, pages already taken from the same file
(same ``WARC-Payload-Digest`` or same bytes) and, when a :class:`PageList` is given (a WACZ
archive's), HTML that it does not list.

A damaged record (cut short, unparsable, a broken gzip member) gives a
:class:`~corpusdesk.importing.sources.base.PageFailure` and reading resumes at the next record
found after it: the next gzip member that starts a WARC record, or the next ``WARC/1.x`` line in
an uncompressed file. A file gzipped as a whole rather than record by record is read as one
gzip stream; its offsets count uncompressed bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from warcio.archiveiterator import WARCIterator

from corpusdesk.importing.sniff import looks_like_html
from corpusdesk.importing.sources.base import CapturedPage, CaptureMetadata, PageFailure
from corpusdesk.importing.sources.http_payload import (
    READ_BLOCK,
    PayloadError,
    decode_body,
    media_type,
    read_body,
)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_FAILURES = 100
"""Failures after which a file is given up: past that it is noise, not a web archive."""
RECORD_PROBE_BYTES = 4096
"""How much of the start of a record :func:`starts_a_record` needs at most."""

_GZIP_MAGIC = b"\x1f\x8b"
_SCAN_BLOCK = 64 * 1024
_GZIP_PROBE_BYTES = 1024 * 1024
_ENDS_INSIDE = "the file ends inside this record (it is truncated or damaged)"
_NEXT_RECORD = b"\r\n\r\nWARC/1."

Outcome = CapturedPage | PageFailure
MemberName = Callable[[int, str | None], str]
"""Names a record for reports from its offset in the stream and its ``WARC-Record-ID``."""


@dataclass(slots=True)
class SkippedRecords:
    """How many records of a file were passed over silently, by kind.

    Filled in as the file is read.
    """

    not_response: int = 0
    """Records that hold no page: warcinfo, request, metadata, non-HTML resources…"""
    revisit: int = 0
    redirect: int = 0
    error_status: int = 0
    """Responses with a status other than 200 and 3xx (404, 500, 206…)."""
    not_html: int = 0
    not_a_page: int = 0
    """HTML that a WACZ archive's page lists do not name (frames, widgets)."""
    duplicate: int = 0

    @property
    def total(self) -> int:
        """All the records passed over."""
        return sum(getattr(self, item.name) for item in fields(self))


class PageList:
    """The pages a WACZ archive lists, by address, with their titles."""

    def __init__(self) -> None:
        self.titles: dict[str, str | None] = {}

    def add(self, url: str, title: str | None) -> None:
        """List the page at ``url`` (the first title given for an address stays)."""
        self.titles.setdefault(_address_key(url), title)

    def find(self, url: str) -> tuple[bool, str | None]:
        """Whether the page at ``url`` is listed, and its title."""
        key = _address_key(url)
        return key in self.titles, self.titles.get(key)

    def follow_redirect(self, url: str, location: str | None) -> None:
        """A listed page redirected to ``location``: list that address too, with its title."""
        listed, title = self.find(url)
        if listed and location:
            self.add(urljoin(url, location), title)


def _address_key(url: str) -> str:
    """``url`` without the differences that do not make it another page."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


@dataclass(slots=True)
class Reading:
    """What reading one container (a WARC file, or every WARC of a WACZ archive) keeps."""

    source_path: str
    """The file the pages come from, for the captured pages and failures."""
    skipped: SkippedRecords = field(default_factory=SkippedRecords)
    listed: PageList | None = None
    """Only the pages it lists are taken, when given."""
    payload_digests: set[str] = field(default_factory=set)
    page_hashes: set[bytes] = field(default_factory=set)
    failures: int = 0

    def failure(self, member: str | None, reason: str) -> PageFailure:
        """A failure of ``member`` of the container (None: the whole container)."""
        return PageFailure(self.source_path, reason, member)


def record_member(offset: int, record_id: str | None) -> str:
    """How a record of a WARC file is named in reports and as the article's member."""
    return f"record {record_id} at offset {offset}" if record_id else f"record at offset {offset}"


class Stream(Protocol):
    """A readable, seekable binary stream (a file, or a zip member)."""

    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def tell(self) -> int: ...


class _PieceByPiece:
    """A gzip stream read a piece at a time: a cut-off end then costs no data before it."""

    def __init__(self, stream: gzip.GzipFile) -> None:
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        return self._stream.read1(size)

    def seek(self, offset: int, whence: int = 0, /) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()


class _TrackedArchiveIterator(WARCIterator):  # type: ignore[misc]
    """An archive iterator that remembers whether the stream ended inside a gzip member."""

    ended_inside_member = False

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader is not None else None
        if decompressor is not None and not decompressor.eof:
            self.ended_inside_member = True
        super().close()


class _RecordCutShort(Exception):
    """The record's block ended before its declared length: the file is truncated or damaged."""


def read_warc(stream: Stream, member: MemberName, reading: Reading) -> Iterator[Outcome]:
    """The pages in the WARC ``stream``, and failures for damaged records, in file order.

    Reading resumes after a damaged record; it stops after :data:`MAX_FAILURES` of them.
    """
    gzipped = stream.read(2) == _GZIP_MAGIC
    stream.seek(0)
    if gzipped and _gzipped_as_a_whole(stream):
        stream.seek(0)
        with gzip.GzipFile(fileobj=stream) as gunzipped:
            yield from read_warc(_PieceByPiece(gunzipped), member, reading)
        return
    stream.seek(0)
    while True:
        end = yield from _read_from(stream, member, reading)
        if end.damage is None:
            return
        yield reading.failure(member(end.offset, None), end.damage)
        reading.failures += 1
        if reading.failures >= MAX_FAILURES:
            reason = "too many damaged records: the rest was not read"
            yield reading.failure(member(end.offset, None), reason)
            return
        resume = _next_record_start(stream, end.offset + 1, gzipped)
        if resume is None:
            return
        stream.seek(resume)


@dataclass(frozen=True, slots=True)
class _End:
    """How one pass over a stream ended: at its end (no damage) or at a damaged record."""

    offset: int = 0
    damage: str | None = None


def _read_from(
    stream: Stream, member: MemberName, reading: Reading
) -> Generator[Outcome, None, _End]:
    """Read records from the stream's position until its end or a damaged record."""
    iterator = _TrackedArchiveIterator(stream)
    records = iter(iterator)
    while True:
        try:
            record = next(records)
        except StopIteration:
            if iterator.ended_inside_member:
                return _End(iterator.offset, _ENDS_INSIDE)
            return _End(iterator.offset, _what_is_left(stream))
        except Exception as error:  # warcio raises many kinds on damaged input
            return _End(iterator.offset, _damaged(error))
        offset = iterator.offset
        where = member(offset, record.rec_headers.get_header("WARC-Record-ID"))
        outcome, cut_short = _record_outcome(record, where, reading)
        if cut_short:
            return _End(offset, "the record is cut short (the file is truncated or damaged)")
        if outcome is not None:
            yield outcome


def _what_is_left(stream: Stream) -> str | None:
    """Why reading stopped before the end of the stream, or None when it is at its end."""
    try:
        left = stream.read(1)
    except (OSError, EOFError, zlib.error):
        return _ENDS_INSIDE
    return "the data from here on is not a WARC record" if left else None


def _gzipped_as_a_whole(stream: Stream) -> bool:
    """Whether the file's first gzip member holds more than one record.

    WARC files are gzipped record by record; a file gzipped whole needs reading as one stream.
    Only the start is looked at: the first record (warcinfo, as a rule) is small.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    seen = b""
    try:
        while len(seen) < _GZIP_PROBE_BYTES and not decompressor.eof:
            chunk = stream.read(READ_BLOCK)
            if not chunk:
                break
            seen += decompressor.decompress(chunk, _GZIP_PROBE_BYTES)
            if _NEXT_RECORD in seen:
                return True
            if decompressor.unconsumed_tail:
                break
    except zlib.error:
        return False
    return False


def _record_outcome(record: Any, where: str, reading: Reading) -> tuple[Outcome | None, bool]:
    """The page or failure a record gives (None when skipped), and whether it was cut short."""
    try:
        outcome = _examine(record, where, reading)
    except _RecordCutShort:
        return None, True
    except PayloadError as error:
        outcome = reading.failure(where, str(error))
    except Exception as error:  # a malformed payload must not end the file
        outcome = reading.failure(where, _damaged(error))
    try:
        cut_short = _drain_is_short(record)
    except Exception:
        cut_short = True
    return outcome, cut_short


def _examine(record: Any, where: str, reading: Reading) -> Outcome | None:
    """The page in ``record``, or None (and the reason counted) when it holds none."""
    skipped = reading.skipped
    kind = record.rec_type
    if kind == "revisit":
        skipped.revisit += 1
        return None
    if kind not in ("response", "resource"):
        skipped.not_response += 1
        return None
    url: str | None = record.rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    if kind == "response":
        if http is None:
            skipped.not_response += 1
            return None
        status = http.get_statuscode()
        if status.startswith("3"):
            if reading.listed is not None and url:
                reading.listed.follow_redirect(url, http.get_header("Location"))
            skipped.redirect += 1
            return None
        if status != "200":
            skipped.error_status += 1
            return None
        content_type = http.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    kind_of_content, charset = media_type(content_type)
    if kind_of_content is not None and kind_of_content not in HTML_TYPES:
        skipped.not_html += 1
        return None
    title = None
    if reading.listed is not None:
        listed, title = reading.listed.find(url or "")
        if not listed:
            skipped.not_a_page += 1
            return None
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest and digest in reading.payload_digests:
        skipped.duplicate += 1
        return None
    body, transfer = read_body(record.raw_stream, http)
    if _drain_is_short(record):
        raise _RecordCutShort
    data = decode_body(body, http, transfer)
    if kind_of_content is None and not looks_like_html(data):
        skipped.not_html += 1
        return None
    page_hash = hashlib.sha256(data).digest()
    if page_hash in reading.page_hashes:
        skipped.duplicate += 1
        return None
    reading.page_hashes.add(page_hash)
    if digest:
        reading.payload_digests.add(digest)
    return CapturedPage(
        data=data,
        name=_display_name(url),
        source_path=reading.source_path,
        member=where,
        url=url,
        captured_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
        charset=charset,
        metadata=CaptureMetadata(title=title),
    )


def _drain_is_short(record: Any) -> bool:
    """Read the record's block to its end; whether it ended before its declared length."""
    raw = record.raw_stream
    while raw.read(READ_BLOCK):
        pass
    return bool(getattr(raw, "limit", 0))


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _display_name(url: str | None) -> str:
    if not url:
        return "page"
    parts = urlsplit(url)
    segment = unquote(PurePosixPath(parts.path).name)
    return segment or parts.hostname or url


def _damaged(error: BaseException) -> str:
    text = " ".join(str(error).split())
    printable = re.match(r"[ -~]*", text)
    shown = printable.group(0) if printable else ""
    if len(shown) < len(text) or len(shown) > 160:
        shown = shown[:160].rstrip() + " …"
    return f"damaged record: {shown.strip() or type(error).__name__}"


def starts_a_record(head: bytes) -> bool:
    """Whether ``head`` is the start of a WARC record, plain or as a gzip member."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith((b"WARC/1.", b"WARC/0."))


def _next_record_start(stream: Stream, start: int, gzipped: bool) -> int | None:
    """The offset of the first record that starts at or after ``start``, if any.

    The stream is read forward only: going back is slow in a compressed stream.
    """
    marker, lead = (_GZIP_MAGIC + b"\x08", 0) if gzipped else (b"\nWARC/", 1)
    base = start - lead  # the stream offset of buffer[0]
    buffer = b""
    checked = 0  # no record starts in buffer[:checked]
    try:
        stream.seek(base)
        while True:
            chunk = stream.read(_SCAN_BLOCK)
            buffer += chunk
            found = buffer.find(marker, checked)
            while found != -1:
                candidate = found + lead
                if chunk and len(buffer) - candidate < RECORD_PROBE_BYTES:
                    break  # look again with more bytes read
                if starts_a_record(buffer[candidate : candidate + RECORD_PROBE_BYTES]):
                    return base + candidate
                checked = found + 1
                found = buffer.find(marker, checked)
            if not chunk:
                return None
            drop = found if found != -1 else max(checked, len(buffer) - len(marker) + 1)
            buffer, base, checked = buffer[drop:], base + drop, max(0, checked - drop)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile):
        return None
