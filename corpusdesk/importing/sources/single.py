"""A page file on its own: HTML, or a single-page capture (MHTML, Safari web archive).

The file's bytes are the captured page; what is inside them (HTML or a capture format) is
worked out where the page is extracted. Its modification time stands in for the capture time
when the page does not say when it was saved.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.sources.base import (
    MAX_PAGE_BYTES,
    CapturedPage,
    FileIdentity,
    PageFailure,
    file_time,
    identity,
    too_large,
)
from corpusdesk.importing.sources.formats import is_page_name, looks_like_page
from corpusdesk.importing.sources.gzipped import unwrap_gzip


def read_page_file(path: Path, skip: Collection[FileIdentity] = ()) -> CapturedPage | PageFailure:
    """The page in the file ``path`` (not read when too large or one of ``skip``).

    Raises ``OSError`` when the file cannot be read.
    """
    status = path.stat()
    if identity(status) in skip:
        return PageFailure(str(path), "is the corpusdesk library itself")
    if status.st_size > MAX_PAGE_BYTES:
        return PageFailure(str(path), too_large(status.st_size))
    with path.open("rb") as handle:
        data = handle.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:  # it grew since it was looked at
        return PageFailure(str(path), too_large(len(data)))
    try:
        data = unwrap_gzip(data)
    except ImportFailure as error:
        return PageFailure(str(path), str(error))
    return CapturedPage(data, path.name, str(path), file_time=file_time(status.st_mtime))


class PageFileSource:
    """Page files: by their name, or by their first bytes when the name says nothing."""

    label = "page"
    folders = False

    def claims(self, path: Path, head: bytes | None) -> bool:
        """A page name (``.html``, ``.mhtml``, ``.webarchive`` …) or bytes that look like one."""
        return is_page_name(path.name) if head is None else looks_like_page(head)

    def count(self, path: Path) -> int | None:
        """One page."""
        return 1

    def pages(
        self, path: Path, skip: Collection[FileIdentity]
    ) -> Iterator[CapturedPage | PageFailure]:
        """The file's one page."""
        yield read_page_file(path, skip)


SOURCE = PageFileSource()
