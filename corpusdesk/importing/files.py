"""Which files an import takes: named files, and HTML files found in folders (recursively).

Inside folders only pages are taken: files with an HTML extension, or files without a known
extension whose first bytes look like HTML; resources saved beside pages (images, scripts,
stylesheets) are passed over silently. A file the user names directly is always tried.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
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


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """The files to import, in a stable order, and failures for paths that cannot be read."""
    found: list[Path] = []
    problems: list[FileResult] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.append(path)

    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path, onerror=None):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    candidate = Path(root) / name
                    if not name.startswith(".") and candidate.is_file() and _is_page(candidate):
                        add(candidate)
        elif path.is_file():
            add(path)
        elif path.exists():
            problems.append(FileResult(str(path), Outcome.FAILED, reason="not a regular file"))
        else:
            problems.append(FileResult(str(path), Outcome.FAILED, reason="no such file or folder"))
    return found, problems
