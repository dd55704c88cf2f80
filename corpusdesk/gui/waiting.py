"""Waiting for a slow call without freezing the window: a busy dialog with Cancel.

Opening a library can take long: a team library's server may be slow or out of reach (libpq
waits up to its connection timeout), and a library made by an earlier version is upgraded
first. :func:`wait_for` runs such a call on a thread of its own and keeps the window painting
meanwhile; after a moment it shows what is being waited for, with a Cancel button. Cancel
stops the waiting, not the call: whatever the call brings back later is handed to a clean-up
(a library opened after all is closed again).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")

SHOW_AFTER_MS = 400
"""A call done sooner shows no dialog at all."""


class Cancelled:
    """What :func:`wait_for` returns when the user stopped waiting."""


CANCELLED = Cancelled()


class _Done(QObject):
    finished = Signal()


class _Outcome(Generic[T]):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = False
        self.abandoned = False
        self.value: T | None = None
        self.error: BaseException | None = None


def wait_for(
    parent: QWidget,
    label: str,
    call: Callable[[], T],
    discard: Callable[[T], None] | None = None,
) -> T | Cancelled:
    """``call()``'s value (or its exception, raised here), waited for with the window alive.

    ``label`` says what is being done ("Connecting to news on db.example.org…"). When the
    user cancels, ``CANCELLED`` is returned at once, and the call's value, when it comes, is
    passed to ``discard``.
    """
    outcome: _Outcome[T] = _Outcome()
    done = _Done()
    loop = QEventLoop()
    done.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def run() -> None:
        value: T | None = None
        error: BaseException | None = None
        try:
            value = call()
        except BaseException as caught:  # re-raised on the GUI thread
            error = caught
        with outcome.lock:
            outcome.done, outcome.value, outcome.error = True, value, error
            abandoned = outcome.abandoned
        if abandoned:
            if error is None and discard is not None:
                discard(value)  # type: ignore[arg-type]
            return
        done.finished.emit()

    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("waitingDialog")
    dialog.setWindowTitle("corpusdesk")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(loop.quit)
    # Shown by a timer of its own: the dialog's own showing waits for progress values, and a
    # call has none to give.
    showing = QTimer(dialog)
    showing.setSingleShot(True)
    showing.timeout.connect(dialog.show)
    showing.start(SHOW_AFTER_MS)
    threading.Thread(target=run, name="corpusdesk-wait", daemon=True).start()
    try:
        loop.exec()
    finally:
        showing.stop()
        dialog.canceled.disconnect(loop.quit)
        dialog.close()
        dialog.deleteLater()
    with outcome.lock:
        if not outcome.done:
            outcome.abandoned = True
            return CANCELLED
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]
