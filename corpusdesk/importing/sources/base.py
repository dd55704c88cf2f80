"""The records and the two small interfaces every capture format is written against.

A **source** turns a path into a stream of :class:`CapturedPage` records: one for a page file,
one per page member of a zip archive, one per record of a web archive. Sources run in the
importing process, read their containers as a stream (one member in memory at a time) and
report a member they cannot read as a :class:`PageFailure` without stopping.

A **page format** turns the bytes of one captured page into the HTML to extract
(:class:`UnpackedPage`): MHTML and Safari web archives hold the page's HTML with its images.
Formats run where the page is extracted (in a worker process, under its time limit and memory
cap, and again when an article is re-cleaned from its stored original), so they work on bytes
alone and never touch files.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from corpusdesk.core.records import EmbeddedResource, page_label

MAX_PAGE_BYTES = 20 * 1024 * 1024
"""The largest page (or single-page capture) an import takes."""

FileIdentity = tuple[int, int]
"""A file's ``(st_dev, st_ino)``: the same for every spelling of its path."""


def identity(status: os.stat_result) -> FileIdentity:
    """The identity of the file ``status`` describes."""
    return status.st_dev, status.st_ino


def too_large(size: float) -> str:
    """The reason given for a page of ``size`` bytes over :data:`MAX_PAGE_BYTES`."""
    limit = MAX_PAGE_BYTES // (1024 * 1024)
    return f"file is too large ({size / 1048576:.0f} MB; the limit is {limit} MB)"


def file_time(timestamp: float) -> dt.datetime:
    """A file's modification time (seconds since the epoch) as UTC without tzinfo."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True, slots=True)
class CaptureMetadata:
    """What a container knows about a page besides its bytes (a reference manager's record).

    Each field is used where the page itself says nothing; tags are added to the article.
    """

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    tags: tuple[str, ...] = ()


NO_METADATA = CaptureMetadata()


@dataclass(frozen=True, slots=True)
class CapturedPage:
    """One saved page as a container holds it, ready for a worker to extract."""

    data: bytes
    """The page's bytes: stored as the article's original and hashed (SHA-256) to recognise
    a page imported before. HTML, or a single-page capture such as MHTML."""
    name: str
    """The page's file name (a member's base name, a ``.gz`` file's name without ``.gz``)."""
    source_path: str
    """The file on disk the page came from (the container itself for a member)."""
    member: str | None = None
    """Where in the container: a zip member's path, a web archive record's id; None for a
    file on its own."""
    url: str | None = None
    """The page's address as the container records it."""
    captured_at: dt.datetime | None = None
    """When the container says the page was captured (aware, or naive UTC)."""
    file_time: dt.datetime | None = None
    """The file's (or member's) modification time: the capture time when nothing better is
    known (naive UTC)."""
    charset: str | None = None
    """The charset the container declares for ``data`` (an HTTP header's, say)."""
    metadata: CaptureMetadata = NO_METADATA
    resources: tuple[EmbeddedResource, ...] = ()
    """Images the container holds beside the page (a saved page's ``NAME_files`` folder)."""

    @property
    def label(self) -> str:
        """The page's place for reports and logs."""
        return page_label(self.source_path, self.member)


@dataclass(frozen=True, slots=True)
class PageFailure:
    """A page (or a whole container) that cannot be read, with a one-line reason."""

    source_path: str
    reason: str
    member: str | None = None

    @property
    def label(self) -> str:
        """The failed page's place for reports and logs."""
        return page_label(self.source_path, self.member)


class Source(Protocol):
    """A kind of container: which paths it takes, and the pages in one of them."""

    label: str
    """What the container is called in messages (``zip archive``)."""
    folders: bool
    """Whether the containers are folders (a reference manager's data folder) instead of
    files. A folder a source claims is not walked into."""

    def claims(self, path: Path, head: bytes | None) -> bool:
        """Whether ``path`` is this kind of container.

        Asked first with ``head`` None (decide by the name, or say False), then, for a file no
        source claimed by name, with the file's first bytes. Sources of folders are asked
        about folders only, with ``head`` None.
        """
        ...

    def count(self, path: Path) -> int | None:
        """How many pages ``path`` holds, if that is cheap to tell (for progress), else None."""
        ...

    def pages(
        self, path: Path, skip: Collection[FileIdentity]
    ) -> Iterator[CapturedPage | PageFailure]:
        """The pages in ``path``, read one at a time.

        A member that cannot be read is a :class:`PageFailure` and the iteration goes on; a
        container that cannot be read at all raises ``ImportFailure`` (or ``OSError``). Files
        whose identity is in ``skip`` (the library's own) must not be opened.
        """
        ...


@dataclass(frozen=True, slots=True)
class UnpackedPage:
    """The HTML of a captured page and what its capture format says about it."""

    html: bytes
    charset: str | None = None
    """The charset the format declares for ``html``."""
    url: str | None = None
    captured_at: dt.datetime | None = None
    resources: tuple[EmbeddedResource, ...] = ()
    """The images the capture holds."""


class PageFormat(Protocol):
    """A single-page capture format (MHTML, web archive): bytes in, the page's HTML out."""

    label: str
    suffixes: frozenset[str]
    """File name endings that mark the format (lower case, with the dot)."""

    def recognises(self, head: bytes) -> bool:
        """Whether bytes starting with ``head`` are in this format."""
        ...

    def unpack(self, data: bytes) -> UnpackedPage:
        """The page inside ``data``; ``ImportFailure`` with a reason when it is broken."""
        ...
