"""Pages saved as "Webpage, Complete": ``NAME.html`` beside a ``NAME_files`` folder.

Browsers save the page's images, style sheets and scripts (and frames) in the folder. The page
is one article; the images in the folder go with it, to be kept for the preview if the page
shows them, and nothing else in the folder is imported or reported. Firefox names the folder in
the language of its user interface (``NAME-Dateien``, ``NAME_fichiers`` …); the common names
are recognised.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Collection, Iterator
from dataclasses import replace
from pathlib import Path

from corpusdesk.core.records import EmbeddedResource
from corpusdesk.importing.embedded import MAX_IMAGE_BYTES, media_type
from corpusdesk.importing.sniff import HTML_EXTENSIONS
from corpusdesk.importing.sources.base import (
    CapturedPage,
    FileIdentity,
    PageFailure,
    identity,
)
from corpusdesk.importing.sources.single import read_page_file

ASSET_FOLDER_ENDINGS = (
    "_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "_bestanden", "_file",
    "_pliki", "_soubory", "-filer", "_tiedostot", "_fájlok", "-failid",
)  # fmt: skip
"""How browsers end the name of the folder they save a page's files in."""

MAX_IMAGES = 1000
MAX_IMAGES_BYTES = 20 * 1024 * 1024
"""At most this many images, of this much in all, are taken from one page's folder."""


def page_of_asset_folder(folder: str, names: Collection[str]) -> str | None:
    """The page among ``names`` (a folder's entries) whose files ``folder`` holds, or None."""
    for ending in ASSET_FOLDER_ENDINGS:
        if folder.endswith(ending) and len(folder) > len(ending):
            stem = folder[: -len(ending)]
            for extension in HTML_EXTENSIONS:
                if stem + extension in names:
                    return stem + extension
    return None


def asset_folder(page: Path) -> Path | None:
    """The folder of files saved with the page file ``page``, if there is one."""
    if page.suffix.lower() not in HTML_EXTENSIONS:
        return None
    for ending in ASSET_FOLDER_ENDINGS:
        candidate = page.with_name(page.stem + ending)
        try:
            if stat.S_ISDIR(candidate.stat().st_mode):
                return candidate
        except OSError:  # no such folder, or a name too long to have one
            continue
    return None


def _folder_images(
    page: Path, folder: Path, skip: Collection[FileIdentity]
) -> tuple[EmbeddedResource, ...]:
    """The images in ``folder``, each named by its path relative to the page's folder."""
    found: list[EmbeddedResource] = []
    budget = MAX_IMAGES_BYTES
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            media = media_type(name)
            if media is None or len(found) >= MAX_IMAGES:
                continue
            path = Path(root) / name
            try:
                status = path.stat()
                if (
                    not stat.S_ISREG(status.st_mode)
                    or identity(status) in skip
                    or status.st_size > min(MAX_IMAGE_BYTES, budget)
                ):
                    continue
                data = path.read_bytes()
            except OSError:
                continue  # an image the preview cannot show is no reason to fail the page
            budget -= len(data)
            location = path.relative_to(page.parent).as_posix()
            found.append(EmbeddedResource(location, media, data))
    return tuple(found)


class CompletePageSource:
    """A page saved with its files: the page, with the images of its folder."""

    label = "saved page"
    folders = False

    def claims(self, path: Path, head: bytes | None) -> bool:
        """An HTML file with a folder of its files beside it."""
        return head is None and asset_folder(path) is not None

    def count(self, path: Path) -> int | None:
        """One page."""
        return 1

    def pages(
        self, path: Path, skip: Collection[FileIdentity]
    ) -> Iterator[CapturedPage | PageFailure]:
        """The page, with the images of its folder as resources."""
        page = read_page_file(path, skip)
        folder = asset_folder(path)
        if isinstance(page, CapturedPage) and folder is not None:
            # A folder that cannot be read leaves the page without images, not failed.
            with contextlib.suppress(OSError):
                page = replace(page, resources=_folder_images(path, folder, skip))
        yield page


SOURCE = CompletePageSource()
