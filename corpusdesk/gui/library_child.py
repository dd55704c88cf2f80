"""The library process: where the window's connections to its library live.

SQLite's locks are POSIX advisory locks, which belong to the whole process: whenever anything
in a process opens one of the library's files and closes it again, that process silently loses
its locks on the file, and another process may then take itself for the library's last user and
delete the write-ahead log the first one still writes to. A desktop window cannot promise that
nothing in it ever opens a file the user can see: a file dialog reads files to guess their
type, an icon provider or a thumbnailer may too. So the window holds no connection at all. Its
library calls travel to this process, which runs nothing but library code, with the file guard
of :mod:`corpusdesk.library.file_guard` refusing any other open of the library's files.

The window talks over several pipes at once (one per thread that calls, borrowed from a
pool), and this process serves each pipe on a thread of its own, so a long search does not
hold up a preview. Requests are small records: :class:`OpenLibrary`, :class:`Call` (a public
method of :class:`~corpusdesk.library.library.Library` by name) and :class:`CloseLibrary`; the
answer is a :class:`~corpusdesk.gui.child_process.Done` or
:class:`~corpusdesk.gui.child_process.Failed`. The process ends when the window closes its
pipes, or when the window's process goes away. Imports no Qt.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from corpusdesk.core.locations import LibraryLocation
from corpusdesk.gui.child_process import Done, Failed, end_group_when_gone
from corpusdesk.library.library import Library


@dataclass(frozen=True, slots=True)
class OpenLibrary:
    """Open the library at ``location`` (creating it if new, unless ``create`` is False).

    A team library's address carries its password: the pipe is the one way it may travel.
    """

    location: LibraryLocation
    read_only: bool = False
    create: bool = True


@dataclass(frozen=True, slots=True)
class LibraryOpened:
    """The answer to :class:`OpenLibrary`: how to name the library in later calls."""

    handle: int
    location: LibraryLocation
    title: str
    read_only: bool


@dataclass(frozen=True, slots=True)
class Call:
    """Call the public ``method`` of the library ``handle`` names."""

    handle: int
    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CloseLibrary:
    """Close the library ``handle`` names and release its files."""

    handle: int


Request = OpenLibrary | Call | CloseLibrary


class UnknownLibrary(LookupError):
    """A call named a library that is not open (closed already, or never opened)."""


class _OpenLibraries:
    """The libraries this process has open, by handle; shared by the serving threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._libraries: dict[int, Library] = {}
        self._next = 1

    def open(self, request: OpenLibrary) -> LibraryOpened:
        library = Library.open(request.location, read_only=request.read_only, create=request.create)
        with self._lock:
            handle = self._next
            self._next += 1
            self._libraries[handle] = library
        return LibraryOpened(handle, library.location, library.title, library.read_only)

    def get(self, handle: int) -> Library:
        with self._lock:
            library = self._libraries.get(handle)
        if library is None:
            raise UnknownLibrary(f"no library is open under handle {handle}")
        return library

    def close(self, handle: int) -> None:
        with self._lock:
            library = self._libraries.pop(handle, None)
        if library is not None:
            library.close()

    def close_all(self) -> None:
        with self._lock:
            handles = list(self._libraries)
        for handle in handles:
            self.close(handle)


def answer(libraries: _OpenLibraries, request: Request) -> object:
    """Carry out one request; its result (or the exception it raises) is the answer."""
    if isinstance(request, OpenLibrary):
        return libraries.open(request)
    if isinstance(request, CloseLibrary):
        libraries.close(request.handle)
        return None
    if request.method.startswith("_") or not callable(getattr(Library, request.method, None)):
        raise AttributeError(f"the library has no method {request.method!r}")
    method = getattr(libraries.get(request.handle), request.method)
    return method(*request.args, **request.kwargs)


def _serve(connection: Connection, libraries: _OpenLibraries) -> None:
    """Answer the requests that come over one pipe until the window closes it."""
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply: Done | Failed = Done(answer(libraries, request))
        except BaseException as error:
            reply = Failed.of(error)
        try:
            connection.send(reply)
        except OSError:
            return  # the window is gone
        except Exception as error:  # the result would not pickle: a bug worth reporting
            with contextlib.suppress(OSError):
                connection.send(Failed.of(error))


def main(connections: list[Connection], windows_ends: list[Connection], window_pid: int) -> None:
    """The library process: serve every pipe until all are closed, then close the libraries.

    ``windows_ends`` are the window's ends of the pipes; a forked process holds copies of them,
    which must go, or the pipes would never close when the window lets go of them.
    """
    for end in windows_ends:
        end.close()
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the window, which ends us
    threading.Thread(
        target=end_group_when_gone, args=(window_pid,), name="window-watch", daemon=True
    ).start()
    libraries = _OpenLibraries()
    servers = [
        threading.Thread(target=_serve, args=(connection, libraries), name=f"serve-{index}")
        for index, connection in enumerate(connections)
    ]
    for server in servers:
        server.start()
    for server in servers:
        server.join()
    libraries.close_all()
