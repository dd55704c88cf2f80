"""Web archives: WARC files (``.warc``, ``.warc.gz``) and WACZ archives (``.wacz``).

Each HTML capture in the file is one page (:mod:`~corpusdesk.importing.sources.warc_reader`
says which records are), with the address, capture time (``WARC-Date``) and charset (the HTTP
``Content-Type``) the archive records; its member is the record's id and offset. A damaged
record is one failure and the records after it are read. Records that hold no page (requests,
revisits, redirects, images, pages already taken from the file…) are passed over: the import
report does not list them, and the log file gets one line per archive with their number.

A WACZ archive is a zip holding ``archive/*.warc[.gz]`` and page lists ``pages/*.jsonl``. Its
WARCs are read straight out of the zip. When the page lists name pages, only HTML captures of
those pages (or of the addresses they were redirected to) are taken: the rest are frames and
widgets embedded in the pages; the lists' titles come along, for pages that name none.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import fields
from pathlib import Path, PurePosixPath

from corpusdesk.importing.sources.base import (
    CapturedPage,
    FileIdentity,
    PageFailure,
    identity,
)
from corpusdesk.importing.sources.warc_reader import (
    PageList,
    Reading,
    SkippedRecords,
    read_warc,
    record_member,
    starts_a_record,
)

WARC_SUFFIXES = (".warc", ".warc.gz")
WACZ_SUFFIX = ".wacz"

_ZIP_MAGIC = b"PK\x03\x04"

log = logging.getLogger(__name__)


def is_web_archive_name(name: str) -> bool:
    """Whether a file called ``name`` is a WARC file or a WACZ archive by its name."""
    lowered = name.lower()
    return lowered.endswith(WARC_SUFFIXES) or lowered.endswith(WACZ_SUFFIX)


def iter_warc_pages(
    path: Path, skipped: SkippedRecords | None = None
) -> Iterator[CapturedPage | PageFailure]:
    """Stream the HTML pages captured in the WARC or WACZ file at ``path``.

    Never raises for bad input: every problem is a :class:`PageFailure`. ``skipped`` is filled
    in with the records passed over.
    """
    reading = Reading(str(path), skipped if skipped is not None else SkippedRecords())
    try:
        with path.open("rb") as handle:
            if handle.read(4) != _ZIP_MAGIC:
                handle.seek(0)
                yield from read_warc(handle, record_member, reading)
                return
    except OSError as error:
        yield reading.failure(None, f"the file cannot be read: {error.strerror or error}")
        return
    yield from _read_wacz(path, reading)


def _read_wacz(path: Path, reading: Reading) -> Iterator[CapturedPage | PageFailure]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        yield reading.failure(None, f"not a readable WACZ archive: {error}")
        return
    with archive:
        reading.listed = _read_page_lists(archive)
        warcs = [info for info in archive.infolist() if _is_archived_warc(info)]
        if not warcs:
            yield reading.failure(None, "the WACZ archive holds no WARC file in archive/")
        for info in warcs:
            name = info.filename

            def member(offset: int, _record_id: str | None, name: str = name) -> str:
                return f"{name}#{offset}"

            try:
                with archive.open(info) as stream:
                    yield from read_warc(stream, member, reading)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
                yield reading.failure(name, f"cannot be read from the WACZ archive: {error}")


def _is_archived_warc(info: zipfile.ZipInfo) -> bool:
    return info.filename.startswith("archive/") and info.filename.endswith(WARC_SUFFIXES)


def _page_list_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    found = []
    for info in archive.infolist():
        parts = PurePosixPath(info.filename).parts
        if len(parts) == 2 and parts[0] == "pages" and parts[1].endswith(".jsonl"):
            found.append(info)
    return found


def _read_page_lists(archive: zipfile.ZipFile) -> PageList | None:
    pages = PageList()
    for info in _page_list_members(archive):
        try:
            with io.TextIOWrapper(archive.open(info), encoding="utf-8", errors="replace") as text:
                for line in text:
                    _add_listed_page(pages, line)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            continue  # an unreadable list only means fewer pages are known by name
    return pages if pages.titles else None


def _add_listed_page(pages: PageList, line: str) -> None:
    try:
        entry = json.loads(line)
    except ValueError:
        return
    if isinstance(entry, dict) and isinstance(entry.get("url"), str):
        title = entry.get("title")
        pages.add(entry["url"], title if isinstance(title, str) and title.strip() else None)


def _listed_pages(path: Path) -> int | None:
    """How many pages the page lists of the WACZ archive at ``path`` name, if it has any."""
    with zipfile.ZipFile(path) as archive:
        listed = _read_page_lists(archive)
    return len(listed.titles) if listed is not None else None


_SKIPPED_KINDS = {
    "not_response": "other record type",
    "revisit": "revisit",
    "redirect": "redirect",
    "error_status": "error status",
    "not_html": "not HTML",
    "not_a_page": "not a listed page",
    "duplicate": "duplicate",
}


def _log_skipped(path: Path, skipped: SkippedRecords) -> None:
    if skipped.total:
        kinds = ", ".join(
            f"{_SKIPPED_KINDS[item.name]}: {count}"
            for item in fields(skipped)
            if (count := getattr(skipped, item.name))
        )
        log.info("%s: %d records passed over (%s)", path, skipped.total, kinds)


class WebArchiveSource:
    """A WARC file or a WACZ archive: every HTML page captured in it."""

    label = "web archive"
    folders = False

    def claims(self, path: Path, head: bytes | None) -> bool:
        """By name (``.warc``, ``.warc.gz``, ``.wacz``), else bytes that start a WARC record."""
        return is_web_archive_name(path.name) if head is None else starts_a_record(head)

    def count(self, path: Path) -> int | None:
        """A WACZ archive's listed pages; None for a WARC file (telling means reading it)."""
        if not path.name.lower().endswith(WACZ_SUFFIX):
            return None
        try:
            return _listed_pages(path)
        except Exception:  # only a guess for progress; reading it for real reports the problem
            return None

    def pages(
        self, path: Path, skip: Collection[FileIdentity]
    ) -> Iterator[CapturedPage | PageFailure]:
        """The pages, read one record at a time."""
        if identity(path.stat()) in skip:
            yield PageFailure(str(path), "is the corpusdesk library itself")
            return
        skipped = SkippedRecords()
        yield from iter_warc_pages(path, skipped)
        _log_skipped(path, skipped)


SOURCE = WebArchiveSource()
