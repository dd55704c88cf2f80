"""Zip archives of pages, read member by member in memory, never unpacked to disk.

Every member that is a page (by its name, a compressed page's name or, for names that say
nothing, its first bytes) is one captured page, in whatever folder of the archive it sits; a
page saved with its files (``NAME.html`` and ``NAME_files/``) takes the images of its folder
along, and the rest of such a folder is passed over, as in a folder on disk. A member that
cannot be read (damaged, encrypted, too large, an archive itself, a web archive among them)
fails on its own.

An archive that would unpack to more than :data:`MAX_TOTAL_BYTES`, or that has more than
:data:`MAX_MEMBERS` members, is refused before anything is read: a small zip file can claim
gigabytes (a zip bomb). Sizes are those the archive declares, which :mod:`zipfile` also holds
each member to while reading.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpusdesk.core.errors import ImportFailure
from corpusdesk.core.records import EmbeddedResource
from corpusdesk.importing.embedded import MAX_IMAGE_BYTES, media_type
from corpusdesk.importing.sources.base import (
    MAX_PAGE_BYTES,
    CapturedPage,
    FileIdentity,
    PageFailure,
    identity,
    too_large,
)
from corpusdesk.importing.sources.complete import MAX_IMAGES, MAX_IMAGES_BYTES, page_of_asset_folder
from corpusdesk.importing.sources.formats import (
    NEVER_PAGES,
    SNIFF_BYTES,
    is_page_name,
    looks_like_page,
    suffix,
)
from corpusdesk.importing.sources.gzipped import gunzip, is_compressed_page_name, unwrap_gzip
from corpusdesk.importing.sources.warc import is_web_archive_name

MAX_MEMBERS = 50_000
MAX_TOTAL_BYTES = 2 * 1024**3
_ARCHIVES = frozenset({".zip", ".7z", ".rar", ".tar", ".tgz", ".jar"})


@dataclass
class _Plan:
    """What will be read from an archive."""

    pages: list[zipfile.ZipInfo] = field(default_factory=list)
    images: dict[str, list[zipfile.ZipInfo]] = field(default_factory=dict)
    """Page member → the image members of its files folder."""
    archives: list[zipfile.ZipInfo] = field(default_factory=list)
    declared: int = 0


def _parts(info: zipfile.ZipInfo) -> list[str]:
    return [part for part in info.filename.replace("\\", "/").split("/") if part]


def _owner_page(parts: list[str], folders: dict[str, set[str]]) -> str | None:
    """The page member whose files folder holds the member at ``parts``, if any."""
    for depth in range(len(parts) - 1):
        parent = "/".join(parts[:depth])
        page = page_of_asset_folder(parts[depth], folders.get(parent, set()))
        if page is not None:
            return f"{parent}/{page}" if parent else page
    return None


def _plan(archive: zipfile.ZipFile) -> _Plan:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFailure(
            f"the archive has {len(infos):,} members; at most {MAX_MEMBERS:,} are read"
        )
    folders: dict[str, set[str]] = {}
    for info in infos:
        parts = _parts(info)
        for depth in range(len(parts)):
            folders.setdefault("/".join(parts[:depth]), set()).add(parts[depth])
    plan = _Plan()
    for info in infos:
        parts = _parts(info)
        if info.is_dir() or not parts or any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        owner = _owner_page(parts, folders)
        if owner is not None:
            if media_type(parts[-1]) and info.file_size <= MAX_IMAGE_BYTES:
                plan.images.setdefault(owner, []).append(info)
                plan.declared += info.file_size
            continue
        extension = suffix(info.filename)
        if extension in _ARCHIVES or is_web_archive_name(info.filename):
            plan.archives.append(info)
        elif is_page_name(info.filename) or is_compressed_page_name(info.filename):
            plan.pages.append(info)
            plan.declared += info.file_size
        elif extension not in NEVER_PAGES:
            plan.pages.append(info)  # a name that says nothing: its first bytes will tell
            plan.declared += min(info.file_size, MAX_PAGE_BYTES + 1)
    if plan.declared > MAX_TOTAL_BYTES:
        raise ImportFailure(
            f"the archive would unpack to {plan.declared / 1024**3:.1f} GB; at most "
            f"{MAX_TOTAL_BYTES // 1024**3} GB are read (a zip bomb?)"
        )
    return plan


def _member_time(info: zipfile.ZipInfo) -> dt.datetime | None:
    """The member's time (a local time without zone in the archive) as naive UTC."""
    try:
        local = dt.datetime(*info.date_time)
        return local.astimezone(dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.flag_bits & 0x1:
        raise ImportFailure("the member is encrypted")
    with archive.open(info) as stream:
        return stream.read(limit)


def _images(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], page: str
) -> list[EmbeddedResource]:
    found: list[EmbeddedResource] = []
    budget = MAX_IMAGES_BYTES
    folder = posixpath.dirname(page)
    for info in infos[:MAX_IMAGES]:
        media = media_type(info.filename)
        if media is None or info.file_size > budget:
            continue
        try:
            data = _read(archive, info, MAX_IMAGE_BYTES)
        except Exception:  # an image the preview cannot show is no reason to fail the page
            continue
        budget -= len(data)
        location = posixpath.relpath(info.filename.replace("\\", "/"), folder or ".")
        found.append(EmbeddedResource(location, media, data))
    return found


def _page(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, plan: _Plan
) -> CapturedPage | PageFailure | None:
    """The page in member ``info``; None for a member that turns out not to be a page."""
    member = info.filename
    name = posixpath.basename(member.replace("\\", "/"))
    if info.file_size > MAX_PAGE_BYTES:
        return PageFailure(str(path), too_large(info.file_size), member)
    if is_compressed_page_name(name):
        if info.flag_bits & 0x1:
            raise ImportFailure("the member is encrypted")
        with archive.open(info) as stream:
            data, _stamp = gunzip(stream)
        name = name[:-3]
    elif is_page_name(name):
        data = _read(archive, info, MAX_PAGE_BYTES + 1)
        if len(data) <= MAX_PAGE_BYTES:
            data = unwrap_gzip(data)
    else:
        if not looks_like_page(_read(archive, info, SNIFF_BYTES)):
            return None
        data = _read(archive, info, MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        return PageFailure(str(path), too_large(len(data)), member)
    images = _images(archive, plan.images.get(member, []), member)
    return CapturedPage(
        data,
        name,
        str(path),
        member=member,
        file_time=_member_time(info),
        resources=tuple(images),
    )


def _archive_pages(archive: zipfile.ZipFile, path: Path) -> Iterator[CapturedPage | PageFailure]:
    """Each page member of the open ``archive`` (the file at ``path``), read in turn."""
    plan = _plan(archive)
    for info in plan.archives:
        yield PageFailure(str(path), "an archive inside the archive is not opened", info.filename)
    for info in plan.pages:
        try:
            page = _page(archive, info, path, plan)
        except ImportFailure as error:
            page = PageFailure(str(path), str(error), info.filename)
        except MemoryError:
            raise
        except Exception as error:  # damaged, unsupported compression …
            reason = f"cannot read the member: {type(error).__name__}: {error}"
            page = PageFailure(str(path), reason, info.filename)
        if page is not None:
            yield page


class ZipSource:
    """A zip archive of pages."""

    label = "zip archive"
    folders = False

    def claims(self, path: Path, head: bytes | None) -> bool:
        """By name only: ``.zip``."""
        return head is None and path.suffix.lower() == ".zip"

    def count(self, path: Path) -> int | None:
        """The members that may be pages (some may turn out not to be)."""
        try:
            with zipfile.ZipFile(path) as archive:
                return len(_plan(archive).pages)
        except Exception:  # reading it for real reports the problem
            return None

    def pages(
        self, path: Path, skip: Collection[FileIdentity]
    ) -> Iterator[CapturedPage | PageFailure]:
        """Each page member, read when its turn comes."""
        if identity(path.stat()) in skip:
            yield PageFailure(str(path), "is the corpusdesk library itself")
            return
        with path.open("rb") as handle:  # a file that cannot be read fails here, as such
            try:
                archive = zipfile.ZipFile(handle)
            except MemoryError:
                raise
            except Exception as error:  # zipfile's many ways of meeting a damaged directory
                raise ImportFailure(f"not a zip archive, or a damaged one: {error}") from None
            with archive:
                yield from _archive_pages(archive, path)


SOURCE = ZipSource()
