"""A ``corpusdesk reclean`` killed while its worker processes extract takes them with it.

The re-clean runs as a real CLI child process in a session of its own, on a library large
enough for it to start worker processes. Once they have extracted a first batch, the CLI is
killed (SIGKILL, which it cannot handle, or SIGTERM); every process of its session must then
end by itself.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from corpusdesk.importing.reclean import BATCH, POOL_FROM
from corpusdesk.library.library import Library
from tests.factories import article_page, make_draft, paragraph
from tests.reliability.harness import (
    check_library,
    cli_command,
    kill_all,
    session_processes,
    wait_until_gone,
)

ARTICLES = max(POOL_FROM, 3 * BATCH)
WORKERS_TIMEOUT = 60.0
ORPHAN_TIMEOUT = 20.0


def _library(path: Path) -> Path:
    with Library.open(path) as library:
        drafts = [
            make_draft(paragraph(seed, 60), raw=article_page(seed).encode("utf-8"))
            for seed in range(ARTICLES)
        ]
        for start in range(0, ARTICLES, 200):
            library.add_drafts(drafts[start : start + 200])
    return path


def _recleaned(library: Path) -> int:
    """How many articles a re-clean has stored again (their drafts were made by "test")."""
    connection = sqlite3.connect(f"file:{library}?mode=ro", uri=True, timeout=30)
    try:
        query = "SELECT count(*) FROM articles WHERE extractor_version != 'test'"
        return int(connection.execute(query).fetchone()[0])
    finally:
        connection.close()


def _pool_workers(session: int) -> list[int]:
    """Worker processes of the session's process pool."""
    found = []
    for pid in session_processes(session):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(pid)
    return found


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_reclean_leaves_no_worker_behind(
    tmp_path: Path, signum: int, figures: Callable[[str], None]
) -> None:
    library = _library(tmp_path / "lib.db")
    process = subprocess.Popen(
        cli_command(library, "reclean", "--quiet"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Killed once the workers have extracted a first batch and work on the next.
        deadline = time.monotonic() + WORKERS_TIMEOUT
        while _recleaned(library) == 0:
            assert process.poll() is None, "the re-clean ended before it was killed"
            assert time.monotonic() < deadline, "the re-clean stored nothing"
            time.sleep(0.05)
        workers = _pool_workers(process.pid)
        os.kill(process.pid, signum)
        process.wait()
        left = wait_until_gone(process.pid, ORPHAN_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        kill_all(session_processes(process.pid))
    assert workers, "no worker process was running"
    assert not left, f"processes of the killed re-clean still running: {left}"
    check_library(library)
    figures(f"{signal.Signals(signum).name} with {len(workers)} workers extracting: none left")
