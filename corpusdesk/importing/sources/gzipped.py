"""Compressed pages: ``.html.gz``, ``.htm.gz``, ``.mhtml.gz`` and the like, and pages saved
with the server's gzip encoding left on under a page's own name (:func:`unwrap_gzip`).

The page is decompressed in memory as a stream and never beyond :data:`MAX_PAGE_BYTES`, so a
small file that unpacks to gigabytes is refused after reading just past the limit. The page is
stored decompressed: a page imported before as a plain file is recognised as the same page.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.sources.base import (
    MAX_PAGE_BYTES,
    CapturedPage,
    FileIdentity,
    PageFailure,
    file_time,
    identity,
)
from corpusdesk.importing.sources.formats import is_page_name

TOO_LARGE = f"the page inside is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB"
GZIP_MAGIC = b"\x1f\x8b"


def is_compressed_page_name(name: str) -> bool:
    """``NAME.html.gz`` and the like: gzip around something with a page's name."""
    return name.lower().endswith(".gz") and is_page_name(name[:-3])


def gunzip(stream: IO[bytes]) -> tuple[bytes, int]:
    """The decompressed bytes of the gzip ``stream`` and the gzip header's time (0: none).

    Raises ``ImportFailure`` for a damaged stream or one that unpacks beyond the page limit.
    """
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as unpacking:
            data = unpacking.read(MAX_PAGE_BYTES + 1)
            stamp = unpacking.mtime or 0
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise ImportFailure(f"the gzip data is damaged: {error}") from None
    if len(data) > MAX_PAGE_BYTES:
        raise ImportFailure(TOO_LARGE)
    return data, stamp


def unwrap_gzip(data: bytes) -> bytes:
    """The page in ``data``: decompressed when it is gzip data, else ``data`` itself.

    A page saved as the server sent it (``curl -o page.html`` asking for gzip, some download
    tools) is gzip data under an ``.html`` name; no page starts with gzip's two magic bytes.
    Raises ``ImportFailure`` as :func:`gunzip` does.
    """
    if not data.startswith(GZIP_MAGIC):
        return data
    return gunzip(io.BytesIO(data))[0]


class GzipSource:
    """A gzip-compressed page file."""

    label = "gzip file"
    folders = False

    def claims(self, path: Path, head: bytes | None) -> bool:
        """By name only: a ``.gz`` whose name without it is a page's."""
        return head is None and is_compressed_page_name(path.name)

    def count(self, path: Path) -> int | None:
        """One page."""
        return 1

    def pages(
        self, path: Path, skip: Collection[FileIdentity]
    ) -> Iterator[CapturedPage | PageFailure]:
        """The decompressed page."""
        status = path.stat()
        if identity(status) in skip:
            yield PageFailure(str(path), "is the corpusdesk library itself")
            return
        with path.open("rb") as handle:
            data, stamp = gunzip(handle)
        when = file_time(stamp) if stamp > 0 else file_time(status.st_mtime)
        yield CapturedPage(data, path.name[:-3], str(path), file_time=when)


SOURCE = GzipSource()
