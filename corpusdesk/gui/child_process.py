"""What the window's child processes share: their answers, their errors and their lifetime.

The window runs two kinds of child: job processes (an import, an export, a re-clean) and the
library process that holds the window's connections to its library. Both answer over a pipe
with :class:`Done` or :class:`Failed`; :func:`rebuilt_error` turns a :class:`Failed` back into
an exception on the window's side, with the child's traceback as its cause. Both end their
process group when the window's process goes away (:func:`end_group_when_gone`). Imports no Qt.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import select
import signal
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext, ForkServerContext

    ChildContext = ForkContext | ForkServerContext
    """A context whose processes start from this one's state (POSIX only)."""

from corpusdesk.core.errors import UserError


@dataclass(frozen=True, slots=True)
class Done:
    """The work finished; ``result`` is what it returned."""

    result: object


@dataclass(frozen=True, slots=True)
class Failed:
    """The work raised: the exception (when it survives pickling) and its traceback text."""

    error: BaseException | None
    summary: str
    details: str
    user_error: bool

    @classmethod
    def of(cls, error: BaseException) -> Failed:
        """Describe ``error`` so that it can cross the pipe."""
        details = "".join(traceback.format_exception(error))
        summary = f"{type(error).__name__}: {error}"
        return cls(_picklable(error), summary, details, isinstance(error, UserError))


def _picklable(error: BaseException) -> BaseException | None:
    """``error`` if it comes through pickling intact, else None (some need arguments back)."""
    try:
        copy = pickle.loads(pickle.dumps(error))
    except Exception:
        return None
    return copy if type(copy) is type(error) and str(copy) == str(error) else None


class ChildError(Exception):
    """An error from a child process that could not be brought back as itself."""


class ChildUserError(UserError):
    """A user-facing error from a child process that could not be brought back as itself."""


class ChildTraceback(Exception):
    """The traceback of an error raised in a child process (the cause of its copy here)."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}" if self.args else ""


def rebuilt_error(failure: Failed) -> BaseException:
    """The child's error as an exception here, its traceback text attached as the cause."""
    error = failure.error
    if error is None:
        kind = ChildUserError if failure.user_error else ChildError
        error = kind(failure.summary)
    error.__cause__ = ChildTraceback(failure.details.rstrip("\n"))
    return error


def end_group_when_gone(pid: int) -> None:
    """Block until process ``pid`` ends, then end this process group (workers and all)."""
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        descriptor = None
    except (AttributeError, OSError):  # no pidfd on this system: look every second
        with contextlib.suppress(ProcessLookupError):
            while True:
                os.kill(pid, 0)
                time.sleep(1.0)
        descriptor = None
    if descriptor is not None:
        select.select([descriptor], [], [])
    os.killpg(os.getpgrp(), signal.SIGKILL)


def forkserver_context() -> ForkServerContext:
    """The fork server the window's child processes come from, with their code preloaded.

    It is started fresh (never forked from the window, which has threads) on first use.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["corpusdesk.gui.job_child", "corpusdesk.gui.library_child"])
    return context
