"""What container readers hand to the import: captured pages, and the records that failed.

A container (a WARC file, a WACZ archive, a Zotero data folder…) holds many saved pages. Its
reader streams one :class:`CapturedPage` per page it can take and one :class:`CaptureFailure`
per page or record it cannot read, so one damaged record never costs the rest of the container.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_PAGE_BYTES = 20 * 1024 * 1024
"""The largest page a reader hands on (the import refuses larger single files too)."""


@dataclass(frozen=True, slots=True)
class CapturedPage:
    """One saved page taken out of a container, with what the container knows about it."""

    data: bytes
    """The page's HTML bytes as captured, with transfer and content encodings removed."""
    name: str
    """A short display name: the URL's last path segment, or the stored file's name."""
    member: str
    """Where in the container the page was found, for the import report."""
    url: str | None
    """The address the page was captured from."""
    captured_at: datetime | None
    """When the page was captured (timezone-aware, UTC)."""
    charset: str | None = None
    """The character set the container declares for the bytes: a hint for the decoder."""
    title: str | None = None
    """The title the container records for the page (not read from the HTML)."""
    authors: tuple[str, ...] = ()
    published: str | None = None
    """The publication date as the container writes it (``2023-12-17``, ``December 2023``)."""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaptureFailure:
    """A page or record of a container that could not be read."""

    member: str
    """Where in the container the failure happened (the container's name for whole-file ones)."""
    reason: str
    """One line for the import report."""
