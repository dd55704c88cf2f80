"""Dropping files and folders on the window: collect local paths and hand them on by signal.

One event filter is installed on every widget that should accept such drops (the window, the
table's viewport, the preview …). It only reads the URLs of the drag; the import itself is
started later by whoever listens, in the background.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders a drag carries (remote URLs are ignored)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class FileDropFilter(QObject):
    """Accepts drags of local files on the watched widgets and emits their paths on drop."""

    paths_dropped = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True

    def watch(self, widget: QWidget) -> None:
        """Accept file drops on ``widget``."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDragMoveEvent
        ):
            if self.enabled and local_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = local_paths(event.mimeData()) if self.enabled else []
            if paths:
                event.acceptProposedAction()
                # Leave the drag-and-drop loop before any work starts.
                QTimer.singleShot(0, lambda: self.paths_dropped.emit(paths))
                return True
        return super().eventFilter(watched, event)
