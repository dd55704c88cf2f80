"""Icons shipped in the ``corpusdesk.resources`` package: the app icon and toolbar glyphs.

The glyphs are grey line drawings in SVG, sharp at any screen scale. On a dark palette they
are drawn in a light grey instead (see :func:`set_dark`), so they stay visible.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QIcon, QImageReader, QPixmap

RESOURCES = "corpusdesk.resources"
LIGHT_STROKE = b"#dadce0"
"""The glyphs' lines on a dark palette."""
SIZES = (16, 20, 24, 32, 40, 48, 64)
"""Pixel sizes drawn for a recoloured glyph (up to twice the toolbar's, for scaled screens)."""
_GREY_STROKE = re.compile(rb'stroke="#(?:3c4043|5f6368)"')
_dark = False


def set_dark(dark: bool) -> bool:
    """Draw glyphs for a dark (True) or light palette from now on; whether that changed."""
    global _dark
    changed = dark != _dark
    _dark = dark
    return changed


def icon(name: str) -> QIcon:
    """The icon ``name`` (a file stem in the resources: ``corpusdesk``, ``tag``, ``undo`` …)."""
    return _icon(name, _dark)


@cache
def _icon(name: str, dark: bool) -> QIcon:
    result = QIcon()
    for suffix in (".svg", ".png"):
        resource = files(RESOURCES).joinpath(name + suffix)
        if not resource.is_file():
            continue
        data = resource.read_bytes()
        if dark and suffix == ".svg" and _GREY_STROKE.search(data):
            return _drawn(_GREY_STROKE.sub(b'stroke="' + LIGHT_STROKE + b'"', data))
        if isinstance(resource, Path):
            result.addFile(str(resource))
        else:
            pixmap = QPixmap()
            if pixmap.loadFromData(data, suffix[1:]):
                result.addPixmap(pixmap)
    return result


def _drawn(svg: bytes) -> QIcon:
    """An icon of the SVG ``svg`` drawn at each of :data:`SIZES`."""
    result = QIcon()
    for size in SIZES:
        buffer = QBuffer()
        buffer.setData(QByteArray(svg))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer, QByteArray(b"svg"))
        reader.setScaledSize(QSize(size, size))
        image = reader.read()
        if not image.isNull():
            result.addPixmap(QPixmap.fromImage(image))
    return result


def app_icon() -> QIcon:
    """The application's icon."""
    return icon("corpusdesk")
