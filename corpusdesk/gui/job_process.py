"""The window's side of a job process: start it, follow its messages, cancel or end it.

:class:`JobProcess` runs a :class:`~corpusdesk.gui.job_child.Job` in a child process and follows
it from one background thread of the window's process, which does little more than wait on the
pipe; the job's own Python work happens in the child, where it cannot hold up the event loop.
Children are forked from a "forkserver" process that has the job code imported already (started
fresh, never forked from the window, which has threads), so only the first job waits for that.

Progress and committed-batch messages go to a callback; :meth:`JobProcess.run` returns the
job's result or raises its error (with the child's traceback as the cause). A child that dies
without a result (killed, crashed) gives a :class:`JobDied`, and whatever it left behind in its
process group (worker processes) is ended with it. Imports no Qt.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import wait

from corpusdesk.core.errors import UserError
from corpusdesk.gui import job_child
from corpusdesk.gui.child_process import Done, Failed, forkserver_context, rebuilt_error
from corpusdesk.gui.job_child import Cancel, Committed, Job, Progress

STOP_GRACE = 3.0
"""Seconds a job has to honour Cancel, when the window closes, before it is terminated."""
KILL_GRACE = 2.0
"""Seconds between terminating a job's process and killing its whole process group."""
POLL = 0.2

Message = Progress | Committed


class JobDied(UserError):
    """The job's process ended without sending a result: it was killed or it crashed."""


class JobProcess:
    """One job in a child process, followed by whichever thread calls :meth:`run`."""

    def __init__(self, job: Job, on_message: Callable[[Message], None]) -> None:
        context = forkserver_context()
        self.job = job
        self._on_message = on_message
        self._connection, child_end = context.Pipe()
        self._child_end = child_end
        self._process = context.Process(
            target=job_child.main, args=(child_end, os.getpid()), name=f"corpusdesk {job.noun}"
        )
        self._lock = threading.Lock()
        self._job_sent = False
        self._cancel_requested = False
        self._terminate_at: float | None = None
        self._kill_at: float | None = None
        self._terminated = False
        self._reaped = False

    @property
    def pid(self) -> int | None:
        """The child's process id once it has started (also its process group's id)."""
        return self._process.pid

    def cancel(self) -> None:
        """Ask the job to stop at its next check; what it finished stays done."""
        with self._lock:
            if self._cancel_requested:
                return
            self._cancel_requested = True
            if self._job_sent:
                self._send(Cancel())

    def _send(self, message: object) -> None:
        """Send to the child (holding the lock); a child that is gone is noticed elsewhere."""
        with contextlib.suppress(OSError, ValueError):
            self._connection.send(message)

    def stop(self) -> None:
        """Cancel, and end the process if it has not ended within the grace periods."""
        self.cancel()
        with self._lock:
            if self._terminate_at is None:
                now = time.monotonic()
                self._terminate_at = now + STOP_GRACE
                self._kill_at = now + STOP_GRACE + KILL_GRACE

    def run(self) -> object:
        """Start the child, hand it the job and follow it to its end (blocks until then)."""
        try:
            self._process.start()
            self._child_end.close()
            # Not under the lock: a long list of ids waits until the child reads it, and
            # cancel() must not wait for that. A child that died first is noticed below.
            with contextlib.suppress(OSError, ValueError):
                self._connection.send(self.job)
            with self._lock:
                self._job_sent = True
                if self._cancel_requested:
                    self._send(Cancel())
            return self._follow()
        finally:
            self._end()

    def _follow(self) -> object:
        connection, sentinel = self._connection, self._process.sentinel
        while True:
            self._enforce_stop()
            ready = wait([connection, sentinel], timeout=POLL)
            if connection in ready:
                try:
                    message = connection.recv()
                except (EOFError, OSError):
                    break
                if isinstance(message, Done):
                    return message.result
                if isinstance(message, Failed):
                    raise rebuilt_error(message)
                self._on_message(message)
            elif sentinel in ready:
                break
        self._reap()
        raise JobDied(
            f"the {self.job.noun} stopped unexpectedly: {self._how()}; {self.job.lost_work}"
        )

    def _how(self) -> str:
        code = self._process.exitcode
        if code is None or code >= 0:
            return f"its process ended with exit code {code}"
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code in (signal.SIGKILL, signal.SIGTERM):
            return f"its process was killed ({name})"
        return f"its process crashed ({name})"

    def _enforce_stop(self) -> None:
        with self._lock:
            terminate_at, kill_at = self._terminate_at, self._kill_at
        now = time.monotonic()
        if kill_at is not None and now >= kill_at:
            self._signal_group(signal.SIGKILL)
        elif terminate_at is not None and now >= terminate_at and not self._terminated:
            pid = self._process.pid
            if pid is not None:
                self._terminated = True
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)

    def _signal_group(self, signum: int) -> None:
        """Signal the job's process group: the child and the worker processes it started."""
        pid = self._process.pid
        if pid is None:
            return
        try:
            os.killpg(pid, signum)
        except ProcessLookupError:
            # No such group: all are gone, or the child has not made its group yet.
            if not wait([self._process.sentinel], timeout=0):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signum)
        except PermissionError:
            pass

    def _reap(self) -> None:
        """Let the child exit (killing it if it does not), end what it left, and reap it."""
        if self._reaped or self._process.pid is None:
            return
        wait([self._process.sentinel], timeout=KILL_GRACE)
        self._signal_group(signal.SIGKILL)
        self._process.join()
        self._reaped = True

    def _end(self) -> None:
        """After the last message: reap the child and release the pipe."""
        with self._lock:
            self._connection.close()
        self._reap()
        self._process.close()
