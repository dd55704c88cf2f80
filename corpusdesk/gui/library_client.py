"""The window's side of the library process: libraries opened there, called from here.

:class:`LibraryProcess` starts :mod:`corpusdesk.gui.library_child` and keeps a pool of pipes to
it; any thread borrows one for a call, so the window's reading, writing and GUI threads never
wait on each other's pipe. :meth:`LibraryProcess.open` returns a :class:`RemoteLibrary`, which
has :class:`~corpusdesk.library.library.Library`'s methods: each call runs in the library
process and returns its plain-record result, or raises its error here. The window therefore
holds no SQLite connection of its own, and nothing it does with files (file dialogs reading
them to guess their type, say) can release the library's locks.

The process is forked before the window starts any thread when it can be (on Linux, at start-up:
it then shares the window's loaded modules and starts at once); otherwise it comes from the
same fork server as the job processes. If it dies, calls raise :class:`LibraryProcessDied`, a
user error, and the next :meth:`LibraryProcess.open` starts a new one. Imports no Qt.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, cast

from corpusdesk.core.errors import UserError
from corpusdesk.core.locations import LibraryLocation, Located, parse_location
from corpusdesk.gui import library_child
from corpusdesk.gui.child_process import Done, Failed, forkserver_context, rebuilt_error
from corpusdesk.gui.library_child import Call, CloseLibrary, LibraryOpened, OpenLibrary, Request
from corpusdesk.library.library import Library

if TYPE_CHECKING:
    from corpusdesk.gui.child_process import ChildContext

PIPES = 6
"""Pipes to the library process: one per thread that calls at once (the window's reading,
writing and long-job threads, the GUI thread itself), and some to spare."""
POLL = 0.5
"""Seconds between looks at whether the process is still there, while all pipes are busy."""
STOP_GRACE = 5.0
"""Seconds the library process has to close its libraries after the window lets go."""


class LibraryProcessDied(UserError):
    """The library process ended while the window needed it."""


def fork_is_safe() -> bool:
    """Whether this process may fork now: Linux, and no thread but this one running yet."""
    return sys.platform == "linux" and threading.active_count() == 1


class LibraryProcess:
    """The library process of one window, started on first use and restarted if it dies."""

    def __init__(self, context: ChildContext | None = None) -> None:
        self._context = context
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._pipes: queue.SimpleQueue[Connection] = queue.SimpleQueue()
        self._all_pipes: list[Connection] = []
        self.generation = 0
        """How many processes were started: a library opened in an earlier one is gone."""

    @classmethod
    def started_early(cls) -> LibraryProcess:
        """Start now, forking this process while that is still safe (before any thread)."""
        process = cls(multiprocessing.get_context("fork") if fork_is_safe() else None)
        process.start()
        return process

    @property
    def pid(self) -> int | None:
        """The library process's id while it runs."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def start(self) -> None:
        """Start the process unless it is running."""
        with self._lock:
            if self._process is not None and self._process.is_alive():
                return
            self._discard_locked()
            context = self._context or forkserver_context()
            self._context = None  # a restart happens with threads running: never fork then
            ends = [context.Pipe() for _ in range(PIPES)]
            process = context.Process(
                target=library_child.main,
                args=([child for _, child in ends], [ours for ours, _ in ends], os.getpid()),
                name="corpusdesk library",
                daemon=False,
            )
            process.start()
            for ours, child in ends:
                child.close()
                self._pipes.put(ours)
                self._all_pipes.append(ours)
            self._process = process
            self.generation += 1

    def open(
        self, location: LibraryLocation | str, *, read_only: bool = False, create: bool = True
    ) -> Library:
        """Open the library at ``location`` in the library process (creating it if new,
        unless ``create`` is False).

        The value has :class:`Library`'s interface; its calls run in the library process.
        """
        self.start()
        opened = self.request(OpenLibrary(parse_location(location), read_only, create))
        assert isinstance(opened, LibraryOpened)
        return cast(Library, RemoteLibrary(self, opened))

    def request(self, request: Request, generation: int | None = None) -> object:
        """Send ``request`` over a free pipe and wait for its answer (any thread may call).

        ``generation``: the process the request is meant for (see :attr:`generation`).
        """
        if generation is not None and generation != self.generation:
            raise LibraryProcessDied(
                "the library's process was restarted since this library was opened; open the "
                "library again to go on"
            )
        with self._borrowed() as pipe:
            try:
                pipe.send(request)
                reply = pipe.recv()
            except (EOFError, OSError, BrokenPipeError) as error:
                raise LibraryProcessDied(self._death_notice()) from error
        if isinstance(reply, Failed):
            raise rebuilt_error(reply)
        assert isinstance(reply, Done)
        return reply.result

    @contextlib.contextmanager
    def _borrowed(self) -> Iterator[Connection]:
        pipes = self._pipes
        while True:
            if self._process is None or pipes is not self._pipes:
                raise LibraryProcessDied("the library's process is not running")
            with contextlib.suppress(queue.Empty):
                pipe = pipes.get(timeout=POLL)
                break
        try:
            yield pipe
        finally:
            pipes.put(pipe)

    def _death_notice(self) -> str:
        process = self._process
        if process is not None:
            process.join(STOP_GRACE)  # its pipe closes a moment before it is reaped
        code = process.exitcode if process is not None else None
        if code is not None and code < 0:
            try:
                how = f"was ended by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was ended by signal {-code}"
        else:
            how = f"ended with exit code {code}"
        return (
            f"the library's process {how}; changes not yet confirmed may not have been saved. "
            "Open the library again to go on"
        )

    def stop(self) -> None:
        """Let go of the process: it closes its libraries and ends (ended if it does not)."""
        with self._lock:
            self._discard_locked()

    def _discard_locked(self) -> None:
        for pipe in self._all_pipes:
            pipe.close()
        self._all_pipes.clear()
        self._pipes = queue.SimpleQueue()
        process, self._process = self._process, None
        if process is None:
            return
        process.join(STOP_GRACE)
        if process.is_alive():
            process.kill()
            process.join()
        process.close()


class RemoteLibrary(Located):
    """A library open in the library process, with :class:`Library`'s methods."""

    def __init__(self, process: LibraryProcess, opened: LibraryOpened) -> None:
        self._process = process
        self._generation = process.generation
        self._handle = opened.handle
        self.location = opened.location
        self.title = opened.title
        self.read_only = opened.read_only

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_") or not callable(getattr(Library, name, None)):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._process.request(Call(self._handle, name, args, kwargs), self._generation)

        call.__name__ = name
        return call

    def close(self) -> None:
        """Close the library in the library process (a process already gone has closed it)."""
        with contextlib.suppress(LibraryProcessDied):
            self._process.request(CloseLibrary(self._handle), self._generation)

    def __enter__(self) -> RemoteLibrary:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RemoteLibrary {self.location} handle={self._handle}>"
