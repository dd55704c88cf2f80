"""Capture formats: where saved pages come from, registered in one place.

:data:`SOURCES` are the kinds of container an import reads, asked in order whether they claim a
file (or, for sources of folders, a folder; see
:class:`~corpusdesk.importing.sources.base.Source`); each turns a path into a stream of
:class:`~corpusdesk.importing.sources.base.CapturedPage` records. The page formats a
captured page's bytes may be in (MHTML, Safari web archives) are in
:mod:`corpusdesk.importing.sources.formats`. Adding a kind of container is a module with a
``SOURCE`` and a line here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corpusdesk.importing.sources import complete, gzipped, single, zipped
from corpusdesk.importing.sources.base import (
    MAX_PAGE_BYTES,
    CapturedPage,
    CaptureMetadata,
    FileIdentity,
    PageFailure,
    Source,
    UnpackedPage,
    identity,
)
from corpusdesk.importing.sources.formats import (
    FORMATS,
    NEVER_PAGES,
    PAGE_SUFFIXES,
    SNIFF_BYTES,
    unpack_page,
)

__all__ = ["FORMATS", "MAX_PAGE_BYTES", "PAGE_SUFFIXES", "SNIFF_BYTES", "SOURCES"]
__all__ += [
    "CaptureMetadata",
    "CapturedPage",
    "FileIdentity",
    "PageFailure",
    "Source",
    "UnpackedPage",
]
__all__ += ["claiming_source", "file_patterns", "folder_source", "identity", "unpack_page"]

SOURCES: tuple[Source, ...] = (zipped.SOURCE, gzipped.SOURCE, complete.SOURCE, single.SOURCE)
"""Every kind of container, the most particular first: the first to claim a path reads it."""

PAGE_FILE = single.SOURCE
"""What reads a file the user names that no source claims (it is tried as a page)."""


def claiming_source(path: Path, head: Callable[[], bytes]) -> Source | None:
    """The source that claims the file ``path``: by name, else by its first bytes.

    ``head()`` reads the first bytes; it is called at most once, and not at all for a name
    that settles the matter or says the file is not a page.
    """
    files = [source for source in SOURCES if not source.folders]
    for source in files:
        if source.claims(path, None):
            return source
    if path.suffix.lower() in NEVER_PAGES:
        return None
    start = head()
    for source in files:
        if source.claims(path, start):
            return source
    return None


def folder_source(path: Path) -> Source | None:
    """The source that claims the folder ``path`` as a container, if any."""
    for source in SOURCES:
        if source.folders and source.claims(path, None):
            return source
    return None


def file_patterns() -> list[str]:
    """Glob patterns of the files an import takes by name, for file dialogs."""
    patterns = [f"*{extension}" for extension in sorted(PAGE_SUFFIXES)]
    patterns += ["*.html.gz", "*.htm.gz", "*.mhtml.gz", "*.zip"]
    return patterns
