"""Background work for the GUI: library calls run off the GUI thread, results come back by signal.

Three single-thread pools keep the rules simple. ``WRITE`` runs every change to the library one
after another, in the order asked, so an undo always runs after the change it reverses. ``READ``
runs searches and preview loads. ``LONG`` follows imports and exports, which may take minutes
and must not hold up tagging or searching; their work runs in a child process, so that thread
mostly waits. A task's function never touches a widget: it returns a value, and the success or
failure callback runs on the GUI thread.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Pool(StrEnum):
    """Which queue a task waits in."""

    READ = "read"
    WRITE = "write"
    LONG = "long"


SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException, str], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it so the callbacks run there."""

    succeeded = Signal(object)
    failed = Signal(object, str)

    def __init__(
        self,
        on_success: SuccessCallback | None,
        on_failure: FailureCallback,
        on_done: Callable[[_Relay], None],
    ) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_done = on_done
        self.succeeded.connect(self._succeeded)
        self.failed.connect(self._failed)

    def drop(self) -> None:
        """Forget the callbacks: whatever the task reports now goes nowhere."""
        self._on_success = None
        self._on_failure = _ignore_failure
        self._on_done = _forget_relay

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        try:
            if self._on_success is not None:
                self._on_success(result)
        except Exception:
            self._on_failure(*_current_error())
        finally:
            self._on_done(self)

    @Slot(object, str)
    def _failed(self, error: BaseException, details: str) -> None:
        try:
            self._on_failure(error, details)
        finally:
            self._on_done(self)


class _Task(QRunnable):
    def __init__(self, function: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._function = function
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._function()
        except BaseException as error:
            details = "".join(traceback.format_exception(error))
            self._relay.failed.emit(error, details)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs functions in background pools and reports back on the GUI thread.

    ``pending`` counts tasks not yet reported; ``idle`` is emitted when it drops to zero, which
    tests and the library switch use to know that no work is in flight.
    """

    idle = Signal()
    busy_changed = Signal(bool)

    def __init__(self, on_failure: FailureCallback, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_failure = on_failure
        self._pools: dict[Pool, QThreadPool] = {}
        for pool in Pool:
            threads = QThreadPool(self)
            threads.setMaxThreadCount(1)
            threads.setExpiryTimeout(-1)
            self._pools[pool] = threads
        self._relays: set[_Relay] = set()
        self.pending = 0

    def submit(
        self,
        function: Callable[[], Any],
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
        pool: Pool = Pool.WRITE,
    ) -> None:
        """Run ``function()`` in ``pool``; then ``on_success(result)`` or the failure handler."""
        relay = _Relay(on_success, on_failure or self._default_failure, self._finished)
        self._relays.add(relay)
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)
        self._pools[pool].start(_Task(function, relay))

    def report_failure(self, error: BaseException, details: str) -> None:
        """Hand an error to the default failure handler (message box or crash dialog)."""
        self._default_failure(error, details)

    def _finished(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
            self.idle.emit()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every pool has finished its queued work (for shutdown)."""
        return all(threads.waitForDone(msecs) for threads in self._pools.values())

    def shutdown(self) -> None:
        """Finish the queued work and drop its results: the widgets they were for are closing.

        Results travel to the GUI thread as queued signals, so they can arrive after the window
        is gone; dropped callbacks keep them from touching deleted widgets.
        """
        self.wait()
        for relay in list(self._relays):
            relay.drop()


def _ignore_failure(_error: BaseException, _details: str) -> None:
    return None


def _forget_relay(relay: _Relay) -> None:
    relay.deleteLater()


def _current_error() -> tuple[BaseException, str]:
    error = sys.exc_info()[1]
    assert error is not None
    return error, traceback.format_exc()
