"""Icons shipped in the ``corpusdesk.resources`` package: the app icon and toolbar glyphs."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap

RESOURCES = "corpusdesk.resources"


@cache
def icon(name: str) -> QIcon:
    """The icon ``name`` (a file stem in the resources: ``corpusdesk``, ``tag``, ``undo`` …)."""
    result = QIcon()
    for suffix in (".svg", ".png"):
        resource = files(RESOURCES).joinpath(name + suffix)
        if not resource.is_file():
            continue
        if isinstance(resource, Path):
            result.addFile(str(resource))
        else:
            pixmap = QPixmap()
            if pixmap.loadFromData(resource.read_bytes(), suffix[1:]):
                result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    """The application's icon."""
    return icon("corpusdesk")
