"""Which files an import takes: named files, and captures found in folders (recursively).

Each file is offered to the capture sources (:mod:`corpusdesk.importing.sources`): the first
that claims it reads it, by its name or, when the name says nothing, by its first bytes. A
folder a source of folders claims (a reference manager's data folder) is read by it whole. Inside
folders only what a source claims is taken; resources saved beside pages (images, scripts,
stylesheets, the files folder of a page saved "complete") are passed over silently. A file the
user names directly is always tried, as a page when no source claims it, except the library's
own files, which are never opened here: a process holding library connections that opened and
closed one of them would drop SQLite's POSIX locks on it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from corpusdesk.core.records import FileResult, Outcome
from corpusdesk.importing.sources import (
    PAGE_FILE,
    SNIFF_BYTES,
    FileIdentity,
    Source,
    claiming_source,
    folder_source,
    identity,
)
from corpusdesk.importing.sources.complete import page_of_asset_folder

__all__ = ["Claim", "FileIdentity", "discover", "identity"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A file to import and the source that reads it."""

    path: Path
    source: Source


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""


def _failure(path: Path | str, reason: str) -> FileResult:
    return FileResult(str(path), Outcome.FAILED, reason=reason)


def discover(
    paths: Iterable[Path], skip: Collection[FileIdentity] = ()
) -> tuple[list[Claim], list[FileResult]]:
    """The files to import with their sources, in a stable order, and failures for paths that
    cannot be read.

    ``skip`` holds the identities of files that must never be opened (the library's own
    files): met in a folder they are passed over silently, named directly they fail. Folders
    and files inside a folder that cannot be read are failures too, never silent omissions.
    """
    found: list[Claim] = []
    problems: list[FileResult] = []
    seen: set[Path] = set()

    def add(path: Path, source: Source) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.append(Claim(path, source))

    def walk_failed(error: OSError) -> None:
        reason = f"cannot read the folder: {error.strerror or error}"
        problems.append(_failure(error.filename, reason))

    def take_from_folder(candidate: Path) -> None:
        try:
            status = candidate.stat()
        except FileNotFoundError:  # gone since it was listed, or a dangling link
            return
        except OSError as error:
            problems.append(_failure(candidate, f"cannot read the file: {error.strerror or error}"))
            return
        if not stat.S_ISREG(status.st_mode) or identity(status) in skip:
            return
        try:
            source = claiming_source(candidate, partial(_head, candidate))
        except OSError as error:
            problems.append(_failure(candidate, f"cannot read the file: {error.strerror or error}"))
            return
        if source is not None:
            add(candidate, source)

    def taken_as_container(folder: Path) -> bool:
        container = folder_source(folder)
        if container is not None:
            add(folder, container)
        return container is not None

    for path in paths:
        try:
            status = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            problems.append(_failure(path, "no such file or folder"))
            continue
        except OSError as error:
            problems.append(_failure(path, f"cannot read it: {error.strerror or error}"))
            continue
        if stat.S_ISDIR(status.st_mode):
            container = folder_source(path)
            if container is not None:
                add(path, container)
                continue
            for root, dirs, names in os.walk(path, onerror=walk_failed):
                listed = set(names)
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".")
                    and page_of_asset_folder(d, listed) is None
                    and not taken_as_container(Path(root) / d)
                )
                for name in sorted(names):
                    if not name.startswith("."):
                        take_from_folder(Path(root) / name)
        elif not stat.S_ISREG(status.st_mode):
            problems.append(_failure(path, "not a regular file"))
        elif identity(status) in skip:
            problems.append(_failure(path, "is the corpusdesk library itself"))
        else:
            try:
                add(path, claiming_source(path, partial(_head, path)) or PAGE_FILE)
            except OSError as error:
                problems.append(_failure(path, f"cannot read it: {error.strerror or error}"))
    return found, problems
