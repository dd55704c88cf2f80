"""Zotero data folders: the web page snapshots a Zotero library keeps, with their items' records.

A folder holding ``zotero.sqlite`` and ``storage/`` is read whole, as one container, and never
walked into as a folder of pages. Each HTML snapshot is a page (read by
:mod:`~corpusdesk.importing.sources.zotero_reader`); its item's title, authors and date fill in
what the page does not say, and its tags (with the names of the collections holding it) tag the
article.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path

from corpusdesk.importing.sources.base import CapturedPage, FileIdentity, PageFailure
from corpusdesk.importing.sources.zotero_reader import (
    claims,
    count_stored_snapshots,
    iter_zotero_snapshots,
)


class ZoteroSource:
    """A Zotero data folder: every HTML snapshot stored in it."""

    label = "Zotero data folder"
    folders = True

    def claims(self, path: Path, head: bytes | None) -> bool:
        """A folder holding ``zotero.sqlite`` and ``storage/``."""
        return head is None and claims(path)

    def count(self, path: Path) -> int | None:
        """The stored attachments holding an HTML file (trashed items included)."""
        try:
            return count_stored_snapshots(path)
        except OSError:  # only a guess for progress; reading the folder reports the problem
            return None

    def pages(
        self, path: Path, skip: Collection[FileIdentity]
    ) -> Iterator[CapturedPage | PageFailure]:
        """The snapshots, in the order Zotero added them."""
        yield from iter_zotero_snapshots(path, skip)


SOURCE = ZoteroSource()
