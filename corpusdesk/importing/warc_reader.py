"""Saved pages out of web archives: WARC files (plain or gzipped) and WACZ archives.

Records are read with warcio, one at a time, so a file of any size streams in bounded memory.
A record becomes a page when it is an HTML capture: a ``response`` with HTTP status 200 and an
HTML content type (``text/html``, ``application/xhtml+xml``; a missing type is sniffed), or a
``resource`` record holding HTML. Its HTTP payload is de-chunked and its content and transfer
encodings (gzip, deflate, br) are removed. Everything else is passed over without a failure and
counted in :class:`SkippedRecords`: records of other types, revisits, redirects, other statuses,
non-HTML payloads and pages already taken from the same file (same ``WARC-Payload-Digest`` or
same bytes).

A WACZ archive is a zip holding ``archive/*.warc[.gz]`` and page lists ``pages/*.jsonl``. Its
WARCs are read straight out of the zip. When the page lists name pages, only HTML captures of
those pages (or of the addresses they were redirected to) are taken: the rest are frames and
widgets embedded in the pages, counted as ``not_a_page``; the lists' titles come along.

A damaged record (cut short, unparsable, a broken gzip member) gives a :class:`CaptureFailure`
and reading resumes at the next record found after it: the next gzip member that starts a WARC
record, or the next ``WARC/1.x`` line in an uncompressed file. A file gzipped as a whole rather
than record by record is read as one gzip stream; its offsets count uncompressed bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit

import brotli
from warcio.archiveiterator import WARCIterator
from warcio.bufferedreaders import ChunkedDataReader

from corpusdesk.importing.captured import MAX_PAGE_BYTES, CapturedPage, CaptureFailure
from corpusdesk.importing.sniff import looks_like_html

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
WARC_SUFFIXES = (".warc", ".warc.gz")
WACZ_SUFFIX = ".wacz"
MAX_FAILURES = 100
"""Failures after which a file is given up: past that it is noise, not a web archive."""

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_SCAN_BLOCK = 64 * 1024
_READ_BLOCK = 64 * 1024
_GZIP_PROBE_BYTES = 1024 * 1024
_RECORD_PROBE_BYTES = 4096
_ENDS_INSIDE = "the file ends inside this record (it is truncated or damaged)"
_NEXT_RECORD = b"\r\n\r\nWARC/1."

Outcome = CapturedPage | CaptureFailure


@dataclass(slots=True)
class SkippedRecords:
    """How many records of a file were passed over silently, by kind, for the import report.

    Pass one to :func:`iter_warc_pages`; it is filled in as the file is read.
    """

    not_response: int = 0
    """Records that hold no page: warcinfo, request, metadata, non-HTML resources…"""
    revisit: int = 0
    redirect: int = 0
    error_status: int = 0
    """Responses with a status other than 200 and 3xx (404, 500, 206…)."""
    not_html: int = 0
    not_a_page: int = 0
    """HTML in a WACZ archive that its page lists do not name (frames, widgets)."""
    duplicate: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, item.name) for item in fields(self))


def claims(path: Path) -> bool:
    """Whether ``path`` is a WARC or WACZ file, by its name or its first bytes."""
    name = path.name.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(_RECORD_PROBE_BYTES)
    except OSError:
        return False
    if head.startswith(_ZIP_MAGIC):
        return name.endswith(WACZ_SUFFIX)
    return name.endswith(WARC_SUFFIXES) or _starts_a_record(head)


def iter_warc_pages(
    path: Path,
    cancelled: Callable[[], bool] | None = None,
    skipped: SkippedRecords | None = None,
) -> Iterator[Outcome]:
    """Stream the HTML pages captured in the WARC or WACZ file at ``path``.

    Never raises for bad input: every problem is a :class:`CaptureFailure`. ``cancelled`` is
    asked before each record; when it answers true, reading stops quietly.
    """
    context = _Context(skipped if skipped is not None else SkippedRecords(), cancelled)
    try:
        with path.open("rb") as handle:
            is_zip = handle.read(4) == _ZIP_MAGIC
            if not is_zip:
                handle.seek(0)
                yield from _read_warc(handle, _warc_member, context)
                return
    except OSError as error:
        yield CaptureFailure(path.name, f"the file cannot be read: {error.strerror or error}")
        return
    yield from _read_wacz(path, context)


class _Stream(Protocol):
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


@dataclass(slots=True)
class _Context:
    skipped: SkippedRecords
    cancelled: Callable[[], bool] | None
    pages: _PageList | None = None
    payload_digests: set[str] = field(default_factory=set)
    page_hashes: set[bytes] = field(default_factory=set)
    failures: int = 0

    def is_cancelled(self) -> bool:
        return self.cancelled is not None and self.cancelled()


class _PageList:
    """The pages a WACZ archive lists, by address, with their titles."""

    def __init__(self) -> None:
        self.titles: dict[str, str | None] = {}

    def add(self, url: str, title: str | None) -> None:
        self.titles.setdefault(_address_key(url), title)

    def find(self, url: str) -> tuple[bool, str | None]:
        key = _address_key(url)
        return key in self.titles, self.titles.get(key)

    def follow_redirect(self, url: str, location: str | None) -> None:
        listed, title = self.find(url)
        if listed and location:
            self.add(urljoin(url, location), title)


def _address_key(url: str) -> str:
    """``url`` without the differences that do not make it another page."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


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


class _PayloadError(Exception):
    """The HTTP payload cannot be turned into the page's bytes; the message says why."""


def _warc_member(offset: int, record_id: str | None) -> str:
    return f"record {record_id} at offset {offset}" if record_id else f"record at offset {offset}"


def _read_wacz(path: Path, context: _Context) -> Iterator[Outcome]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        yield CaptureFailure(path.name, f"not a readable WACZ archive: {error}")
        return
    with archive:
        context.pages = _read_page_lists(archive)
        warcs = [
            info
            for info in archive.infolist()
            if info.filename.startswith("archive/") and info.filename.endswith(WARC_SUFFIXES)
        ]
        if not warcs:
            yield CaptureFailure(path.name, "the WACZ archive holds no WARC file in archive/")
        for info in warcs:
            if context.is_cancelled():
                return
            name = info.filename

            def member(offset: int, _record_id: str | None, name: str = name) -> str:
                return f"{name}#{offset}"

            try:
                with archive.open(info) as stream:
                    yield from _read_warc(stream, member, context)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
                yield CaptureFailure(name, f"cannot be read from the WACZ archive: {error}")


def _read_page_lists(archive: zipfile.ZipFile) -> _PageList | None:
    pages = _PageList()
    for info in archive.infolist():
        parts = PurePosixPath(info.filename).parts
        if len(parts) != 2 or parts[0] != "pages" or not parts[1].endswith(".jsonl"):
            continue
        try:
            with io.TextIOWrapper(archive.open(info), encoding="utf-8", errors="replace") as text:
                for line in text:
                    _add_listed_page(pages, line)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            continue  # an unreadable list only means fewer pages are known by name
    return pages if pages.titles else None


def _add_listed_page(pages: _PageList, line: str) -> None:
    try:
        entry = json.loads(line)
    except ValueError:
        return
    if isinstance(entry, dict) and isinstance(entry.get("url"), str):
        title = entry.get("title")
        pages.add(entry["url"], title if isinstance(title, str) and title.strip() else None)


def _read_warc(
    stream: _Stream, member: Callable[[int, str | None], str], context: _Context
) -> Iterator[Outcome]:
    """Read the records of one WARC stream, resuming after damaged ones."""
    gzipped = stream.read(2) == _GZIP_MAGIC
    stream.seek(0)
    if gzipped and _gzipped_as_a_whole(stream):
        stream.seek(0)
        with gzip.GzipFile(fileobj=stream) as gunzipped:
            yield from _read_warc(_PieceByPiece(gunzipped), member, context)
        return
    stream.seek(0)
    while True:
        end = yield from _read_from(stream, member, context)
        if end.damage is None:
            return
        yield CaptureFailure(member(end.offset, None), end.damage)
        context.failures += 1
        if context.failures >= MAX_FAILURES:
            reason = "too many damaged records: the rest was not read"
            yield CaptureFailure(member(end.offset, None), reason)
            return
        resume = _next_record_start(stream, end.offset + 1, gzipped)
        if resume is None:
            return
        stream.seek(resume)


@dataclass(frozen=True, slots=True)
class _End:
    """How one pass over a stream ended: at the end, cancelled, or at a damaged record."""

    offset: int = 0
    damage: str | None = None


def _read_from(
    stream: _Stream, member: Callable[[int, str | None], str], context: _Context
) -> Generator[Outcome, None, _End]:
    """Read records from the stream's position until its end, a damaged record or cancelling."""
    iterator = _TrackedArchiveIterator(stream)
    records = iter(iterator)
    while not context.is_cancelled():
        try:
            record = next(records)
        except StopIteration:
            if iterator.ended_inside_member:
                return _End(iterator.offset, _ENDS_INSIDE)
            return _End(iterator.offset, _what_is_left(stream))
        except Exception as error:  # warcio raises many kinds on damaged input
            return _End(iterator.offset, _damaged(error))
        offset = iterator.offset
        outcome, cut_short = _record_outcome(record, offset, member, context)
        if cut_short:
            return _End(offset, "the record is cut short (the file is truncated or damaged)")
        if outcome is not None:
            yield outcome
    return _End()


def _what_is_left(stream: _Stream) -> str | None:
    """Why reading stopped before the end of the stream, or None when it is at its end."""
    try:
        left = stream.read(1)
    except (OSError, EOFError, zlib.error):
        return _ENDS_INSIDE
    return "the data from here on is not a WARC record" if left else None


def _gzipped_as_a_whole(stream: _Stream) -> bool:
    """Whether the file's first gzip member holds more than one record.

    WARC files are gzipped record by record; a file gzipped whole needs reading as one stream.
    Only the start is looked at: the first record (warcinfo, as a rule) is small.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    seen = b""
    try:
        while len(seen) < _GZIP_PROBE_BYTES and not decompressor.eof:
            chunk = stream.read(_READ_BLOCK)
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


def _record_outcome(
    record: Any, offset: int, member: Callable[[int, str | None], str], context: _Context
) -> tuple[Outcome | None, bool]:
    """The page or failure a record gives (None when skipped), and whether it was cut short."""
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    where = member(offset, record_id)
    try:
        outcome = _examine(record, where, context)
    except _RecordCutShort:
        return None, True
    except _PayloadError as error:
        outcome = CaptureFailure(where, str(error))
    except Exception as error:  # a malformed payload must not end the file
        outcome = CaptureFailure(where, _damaged(error))
    try:
        cut_short = _drain_is_short(record)
    except Exception:
        cut_short = True
    return outcome, cut_short


def _examine(record: Any, where: str, context: _Context) -> Outcome | None:
    skipped = context.skipped
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
            if context.pages is not None and url:
                context.pages.follow_redirect(url, http.get_header("Location"))
            skipped.redirect += 1
            return None
        if status != "200":
            skipped.error_status += 1
            return None
        content_type = http.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    media_type, charset = _media_type(content_type)
    if media_type is not None and media_type not in HTML_TYPES:
        skipped.not_html += 1
        return None
    title = None
    if context.pages is not None:
        listed, title = context.pages.find(url or "")
        if not listed:
            skipped.not_a_page += 1
            return None
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest and digest in context.payload_digests:
        skipped.duplicate += 1
        return None
    data = _payload(record, http)
    if media_type is None and not looks_like_html(data):
        skipped.not_html += 1
        return None
    page_hash = hashlib.sha256(data).digest()
    if page_hash in context.page_hashes:
        skipped.duplicate += 1
        return None
    context.page_hashes.add(page_hash)
    if digest:
        context.payload_digests.add(digest)
    return CapturedPage(
        data=data,
        name=_display_name(url),
        member=where,
        url=url,
        captured_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
        charset=charset,
        title=title,
    )


def _payload(record: Any, http: Any) -> bytes:
    """The page's bytes: the record's payload de-chunked and decoded."""
    transfer = _codings(http.get_header("Transfer-Encoding")) if http is not None else []
    stream = record.raw_stream
    if transfer and transfer[-1] == "chunked":
        stream = ChunkedDataReader(stream)
        transfer.pop()
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_PAGE_BYTES:
        chunk = stream.read(_READ_BLOCK)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_PAGE_BYTES:
        raise _PayloadError(_too_large())
    if _drain_is_short(record):
        raise _RecordCutShort
    data = b"".join(chunks)
    content = _codings(http.get_header("Content-Encoding")) if http is not None else []
    for coding in reversed(content + transfer):
        data = _decoded(data, coding)
    return data


def _codings(value: str | None) -> list[str]:
    codings = [part.strip().lower() for part in (value or "").split(",")]
    return [coding for coding in codings if coding and coding != "identity"]


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
            raise _PayloadError(f"the page is sent in an unsupported encoding ({coding})")
    except (zlib.error, brotli.error) as error:
        # Some archivers store the decoded body but keep the header: take such a body as it is.
        if looks_like_html(data):
            return data
        raise _PayloadError(f"the page's {coding} encoding is damaged ({error})") from error
    if len(decoded) > MAX_PAGE_BYTES:
        raise _PayloadError(_too_large())
    return decoded


def _inflate(data: bytes, wbits: int) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    return decompressor.decompress(data, MAX_PAGE_BYTES + 1)


def _too_large() -> str:
    return f"the page is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB"


def _drain_is_short(record: Any) -> bool:
    """Read the record's block to its end; whether it ended before its declared length."""
    raw = record.raw_stream
    while raw.read(_READ_BLOCK):
        pass
    return bool(getattr(raw, "limit", 0))


def _media_type(value: str | None) -> tuple[str | None, str | None]:
    """The media type (lower case) and charset parameter of a Content-Type header."""
    if not value or not value.strip():
        return None, None
    media_type, *parameters = value.split(";")
    charset = None
    for parameter in parameters:
        key, _, given = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = given.strip().strip("\"'") or None
    return media_type.strip().lower() or None, charset


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


def _starts_a_record(head: bytes) -> bool:
    """Whether ``head`` is the start of a WARC record, plain or as a gzip member."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith((b"WARC/1.", b"WARC/0."))


def _next_record_start(stream: _Stream, start: int, gzipped: bool) -> int | None:
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
                if chunk and len(buffer) - candidate < _RECORD_PROBE_BYTES:
                    break  # look again with more bytes read
                if _starts_a_record(buffer[candidate : candidate + _RECORD_PROBE_BYTES]):
                    return base + candidate
                checked = found + 1
                found = buffer.find(marker, checked)
            if not chunk:
                return None
            drop = found if found != -1 else max(checked, len(buffer) - len(marker) + 1)
            buffer, base, checked = buffer[drop:], base + drop, max(0, checked - drop)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile):
        return None
