"""Operations run in a child process so that a test can kill them at a chosen point.

``python -m tests.reliability.children OPERATION LIBRARY STOP [ARGS…]`` runs one operation on the
library. With ``STOP`` > 0 the child prints ``ready`` and stops dead (waiting on its standard
input) once it reaches that point: the STOP-th SQLite progress callback of a tag operation (a
callback every few hundred virtual-machine steps, so points fall inside statements and inside
the transaction; on a team library, the moment before each statement is sent to the server),
or the STOP-th record of an export. ``LIBRARY`` is a file or a ``postgresql://`` URL. The
parent then kills it with SIGKILL.
With ``STOP`` = 0 the operation runs to the end and the child prints how many points it passed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import event

from corpusdesk.core.locations import parse_location
from corpusdesk.core.records import ArticleDetail, ArticleDraft, FileResult
from corpusdesk.exporting.writer import export_articles
from corpusdesk.importing import prepare
from corpusdesk.importing.sources import CapturedPage
from corpusdesk.library.library import Library

STEPS_PER_CALLBACK = 200


class Stopper:
    """Counts points passed and freezes the process at the chosen one."""

    def __init__(self, stop: int) -> None:
        self.stop = stop
        self.passed = 0

    def point(self) -> None:
        self.passed += 1
        if self.passed == self.stop:
            print("ready", flush=True)
            sys.stdin.read()  # the parent kills the process while it waits here


def _tag_operation(library: Library, operation: str, stopper: Stopper) -> None:
    def install(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        def progress() -> int:
            stopper.point()
            return 0

        dbapi_connection.set_progress_handler(progress, STEPS_PER_CALLBACK)

    def before_statement(*_args: Any) -> None:
        stopper.point()

    library.engine.dispose()
    if library.is_file:
        event.listen(library.engine, "connect", install)
    else:
        # A server runs the statements: the points are the moments before each one is sent.
        event.listen(library.engine, "before_cursor_execute", before_statement)
    ids = library.search_ids("")
    if operation == "add-tag":
        library.add_tag(ids, "everything")
    elif operation == "remove-tag":
        library.remove_tag(ids, "early")
    elif operation == "rename-tag":
        library.rename_tag("early", "late")
    else:
        raise SystemExit(f"unknown operation {operation}")


class _StoppingSource:
    def __init__(self, library: Library, stopper: Stopper) -> None:
        self.library = library
        self.stopper = stopper

    def iter_details(self, ids: Sequence[int]) -> Iterator[ArticleDetail]:
        for detail in self.library.iter_details(ids):
            self.stopper.point()
            yield detail


def _stubborn(_page: CapturedPage, _sha256: str | None = None) -> ArticleDraft:
    """Work forever, like a parser that wraps its loop in ``except Exception``."""
    while True:
        with contextlib.suppress(Exception):
            time.sleep(0.05)


def _hog(_page: CapturedPage, _sha256: str | None = None) -> ArticleDraft:
    """Ask for far more memory than a worker may have."""
    hoard = bytearray(8 * 1024**3)
    raise AssertionError(f"{len(hoard)} bytes were granted")


def misbehaving_prepare(page: CapturedPage) -> ArticleDraft | FileResult:
    """``prepare_page`` in a pool worker, except for pages named to misbehave on purpose.

    ``crash-*`` kills the worker process (as a crash in a C parser would), ``hang-*`` never
    finishes extracting (and swallows ordinary exceptions while at it), ``hog-*`` tries to take
    8 GB of memory. The per-file time limit is cut to 2 s so a hang costs little.
    """
    name = page.name
    if name.startswith("crash-"):
        os._exit(70)
    saboteur = {"hang-": _stubborn, "hog-": _hog}.get(name[: name.find("-") + 1])
    if saboteur is None:
        return prepare.prepare_page(page)
    prepare.FILE_TIME_LIMIT_SECONDS = 2
    original, prepare.build_draft = prepare.build_draft, saboteur  # type: ignore[assignment]
    try:
        return prepare.prepare_page(page)
    finally:
        prepare.build_draft = original  # type: ignore[assignment]


def main(argv: list[str]) -> None:
    """Run ``OPERATION LIBRARY STOP [TARGET]``."""
    operation, location, stop = argv[0], parse_location(argv[1]), int(argv[2])
    stopper = Stopper(stop)
    with Library.open(location) as library:
        if operation == "export":
            export_articles(
                _StoppingSource(library, stopper), library.search_ids(""), Path(argv[3])
            )
        else:
            _tag_operation(library, operation, stopper)
    print(f"done {stopper.passed}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
