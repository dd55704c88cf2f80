"""When the window refreshes by itself: after other programs write to the library, and while
an import of its own commits batches.

Another program (a CLI import, say) changes SQLite's data version, which is polled every few
seconds; on a team library a colleague's commit sends a change notice, looked for several times
a second so that their tags and imports show here within a second. The look runs on a thread
of the watcher's own (a notice is waited for briefly, and the server is across a network), never
on the GUI thread. An import of the window's own is shown batch by batch, but at most every
:data:`JOB_REFRESH_MS`. Either asks the window to refresh through its callback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from corpusdesk.core.errors import UserError
from corpusdesk.gui.jobs import Jobs
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.library.library import Library

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Pace:
    """How often the window looks for others' changes, and how long it lets them settle."""

    interval_ms: int
    settle_ms: int


FILE_PACE = Pace(interval_ms=2000, settle_ms=400)
"""A library file: other programs' writes are rare, and a CLI import may write more soon."""
TEAM_PACE = Pace(interval_ms=250, settle_ms=100)
"""A team library: a colleague's tag should show here within a second."""
JOB_REFRESH_MS = 1500
"""While an import commits batches, the window shows the new articles at most this often."""


def _unreported(_error: BaseException, _details: str) -> None:
    """Every look has its own failure handler; nothing reaches the runner's."""


class ChangeWatcher(QObject):
    """Calls ``refresh`` when the library changed under the window."""

    def __init__(self, jobs: Jobs, refresh: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.library: Library | None = None
        self.pace = FILE_PACE
        self._jobs = jobs
        self._seen_version: int | None = None
        self._looking = False
        self._looks = TaskRunner(_unreported, self)
        self._outside = self._timer(FILE_PACE.settle_ms, refresh, single=True)
        self._batches = self._timer(JOB_REFRESH_MS, refresh, single=True)
        self._poll = self._timer(FILE_PACE.interval_ms, self.check, single=False)
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
        self.pace = TEAM_PACE if library is not None and not library.is_file else FILE_PACE
        self._poll.setInterval(self.pace.interval_ms)
        self._outside.setInterval(self.pace.settle_ms)
        self.check()  # a team library's notices count from the first look on

    @property
    def ready(self) -> bool:
        """Whether the library has been looked at since :meth:`watch`: changes made from
        now on are noticed."""
        return self._seen_version is not None

    def check(self) -> None:
        """Refresh soon if another program has written to the library since the last look."""
        library = self.library
        if library is None or self._jobs.running or self._looking:
            return
        self._looking = True
        self._looks.submit(
            library.change_counter,
            lambda version: self._looked(library, version),
            lambda error, _details: self._look_failed(library, error),
            pool=Pool.READ,
        )

    def _looked(self, library: Library, version: object) -> None:
        self._looking = False
        if library is not self.library or not isinstance(version, int):
            return  # another library is shown since the look began
        if self._seen_version is not None and version != self._seen_version:
            self._outside.start()
        self._seen_version = version

    def _look_failed(self, library: Library, error: BaseException) -> None:
        self._looking = False
        # A lost server or file says so at the next real call; a library closed meanwhile
        # (another one was opened) has nothing more to say.
        if library is self.library and not isinstance(error, UserError):
            log.warning("looking for changes to the library failed: %s", error)

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
        self._looks.shutdown()
