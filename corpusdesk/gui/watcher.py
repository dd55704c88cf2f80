"""When the window refreshes by itself: after other programs write to the library, and while
an import of its own commits batches.

Another program (a CLI import, say) changes SQLite's data version, which is polled every few
seconds; an import of the window's own is shown batch by batch, but at most every
:data:`JOB_REFRESH_MS`. Either asks the window to refresh through its callback.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from corpusdesk.core.errors import UserError
from corpusdesk.gui.jobs import Jobs
from corpusdesk.library.library import Library

WATCH_INTERVAL_MS = 2000
"""How often the window looks for changes other programs made to the library."""
JOB_REFRESH_MS = 1500
"""While an import commits batches, the window shows the new articles at most this often."""
SETTLE_MS = 400
"""How long after another program's change the window refreshes (it may write more)."""


class ChangeWatcher(QObject):
    """Calls ``refresh`` when the library changed under the window."""

    def __init__(self, jobs: Jobs, refresh: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.library: Library | None = None
        self._jobs = jobs
        self._seen_version: int | None = None
        self._outside = self._timer(SETTLE_MS, refresh, single=True)
        self._batches = self._timer(JOB_REFRESH_MS, refresh, single=True)
        self._poll = self._timer(WATCH_INTERVAL_MS, self.check, single=False)
        self._poll.start()
        jobs.committed.connect(self._committed)
        jobs.ended.connect(self._job_ended)

    def _timer(self, interval: int, slot: Callable[[], None], *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    def watch(self, library: Library | None) -> None:
        """Watch ``library`` from now on (its present state counts as seen)."""
        self.library = library
        self._seen_version = None

    def check(self) -> None:
        """Refresh soon if another program has written to the library since the last look."""
        library = self.library
        if library is None or self._jobs.running:
            return
        try:
            version = library.change_counter()
        except UserError:
            return
        if self._seen_version is not None and version != self._seen_version:
            self._outside.start()
        self._seen_version = version

    def _committed(self, _count: int) -> None:
        """An import committed a batch: show it soon, but not after every batch."""
        if not self._batches.isActive():
            self._batches.start()

    def _job_ended(self) -> None:
        """The job's own refresh shows its changes; watch for other programs' from now on."""
        self._batches.stop()
        self._seen_version = None
        self.check()

    def stop(self) -> None:
        """No more refreshes (the window is closing)."""
        for timer in (self._poll, self._outside, self._batches):
            timer.stop()
