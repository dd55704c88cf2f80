"""Which files an import takes: named files, and HTML files found in folders (recursively).

Inside folders only pages are taken: files with an HTML extension, or files without a known
extension whose first bytes look like HTML; resources saved beside pages (images, scripts,
stylesheets) are passed over silently. A file the user names directly is always tried, except
the library's own files, which are never opened here: a process holding library connections
that opened and closed one of them would drop SQLite's POSIX locks on it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable
from pathlib import Path

from corpusdesk.core.records import FileResult, Outcome
from corpusdesk.importing.sniff import looks_like_html

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".xht", ".mhtml"})
NEVER_PAGES = frozenset(
    {
        ".css",
        ".js",
        ".json",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".svg",
        ".ico",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".mp4",
        ".mp3",
        ".pdf",
        ".zip",
        ".gz",
        ".db",
        ".map",
    }
)
SNIFF_BYTES = 2048


FileIdentity = tuple[int, int]
"""A file's ``(st_dev, st_ino)``: the same for every spelling of its path."""


def identity(status: os.stat_result) -> FileIdentity:
    """The identity of the file ``status`` describes."""
    return status.st_dev, status.st_ino


def _is_page(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in NEVER_PAGES:
        return False
    try:
        with path.open("rb") as handle:
            return looks_like_html(handle.read(SNIFF_BYTES))
    except OSError:
        return False


def _failure(path: Path | str, reason: str) -> FileResult:
    return FileResult(str(path), Outcome.FAILED, reason=reason)


def discover(
    paths: Iterable[Path], skip: Collection[FileIdentity] = ()
) -> tuple[list[Path], list[FileResult]]:
    """The files to import, in a stable order, and failures for paths that cannot be read.

    ``skip`` holds the identities of files that must never be opened (the library's own
    files): met in a folder they are passed over silently, named directly they fail. Folders
    and files inside a folder that cannot be read are failures too, never silent omissions.
    """
    found: list[Path] = []
    problems: list[FileResult] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.append(path)

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
        if stat.S_ISREG(status.st_mode) and identity(status) not in skip and _is_page(candidate):
            add(candidate)

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
            for root, dirs, names in os.walk(path, onerror=walk_failed):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith("."):
                        take_from_folder(Path(root) / name)
        elif not stat.S_ISREG(status.st_mode):
            problems.append(_failure(path, "not a regular file"))
        elif identity(status) in skip:
            problems.append(_failure(path, "is the corpusdesk library itself"))
        else:
            add(path)
    return found, problems
