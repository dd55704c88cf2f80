"""Builders of web archives for tests: WARC files written record by record with warcio's own
writer, and WACZ archives holding them."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HTML_UTF8 = (("Content-Type", "text/html; charset=utf-8"),)


def warc_date(second: int) -> str:
    """The ``WARC-Date`` the builders write for ``second``: 2024-03-05 10:20:SS UTC."""
    return f"2024-03-05T10:20:{second:02d}Z"


def warc_time(second: int) -> datetime:
    """The time :func:`warc_date` writes, as an aware datetime."""
    return datetime(2024, 3, 5, 10, 20, second, tzinfo=UTC)


@dataclass
class Archive:
    """A WARC being written in memory, record by record."""

    gzipped: bool = True
    buffer: io.BytesIO = field(default_factory=io.BytesIO)

    def __post_init__(self) -> None:
        self.writer = WARCWriter(self.buffer, gzip=self.gzipped)

    def response(
        self,
        url: str,
        payload: bytes,
        second: int = 0,
        status: str = "200 OK",
        headers: tuple[tuple[str, str], ...] = HTML_UTF8,
    ) -> None:
        """An HTTP response captured from ``url`` at :func:`warc_date` ``(second)``."""
        http = StatusAndHeaders(status, list(headers), protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Date": warc_date(second)},
        )
        self.writer.write_record(record)

    def record(self, url: str, kind: str, payload: bytes, content_type: str) -> None:
        """A record of another ``kind`` (``resource``, ``metadata`` …) holding ``payload``."""
        record = self.writer.create_warc_record(
            url,
            kind,
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": warc_date(59)},
        )
        self.writer.write_record(record)

    def request(self, url: str) -> None:
        """The HTTP request for ``url``."""
        http = StatusAndHeaders(
            f"GET {url} HTTP/1.1", [("Host", "example.com")], is_http_request=True
        )
        record = self.writer.create_warc_record(url, "request", http_headers=http)
        self.writer.write_record(record)

    def revisit(self, url: str) -> None:
        """A revisit of ``url``: the payload is not stored again."""
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = self.writer.create_revisit_record(
            url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, warc_date(1), http_headers=http
        )
        self.writer.write_record(record)

    def warcinfo(self) -> None:
        """The record that describes the file."""
        self.writer.write_record(self.writer.create_warcinfo_record("test.warc", {"software": "t"}))

    def data(self) -> bytes:
        """The file written so far."""
        return self.buffer.getvalue()

    def save(self, path: Path) -> Path:
        """Write the file to ``path``."""
        path.write_bytes(self.data())
        return path


def write_wacz(path: Path, warcs: dict[str, bytes], pages: list[dict[str, str]] | None) -> Path:
    """A WACZ archive at ``path`` of ``warcs`` (member name → WARC file) and a page list.

    ``pages`` are the page list's entries (``url``, ``title``, ``ts``); None writes no list.
    """
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in warcs.items():
            compression = zipfile.ZIP_STORED if name.endswith(".gz") else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
        if pages is not None:
            lines = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}, *pages]
            archive.writestr("pages/pages.jsonl", "\n".join(json.dumps(line) for line in lines))
        archive.writestr("datapackage.json", "{}")
    return path
