"""Tag operations and exports killed with SIGKILL midway: all or nothing, never a partial file.

Each test runs on a library file and on a team library. Each operation runs in a child process
(``tests.reliability.children``) that freezes at a random point (inside SQLite statements,
inside the write transaction, between exported records) and is killed there. A tag operation
then shows either none or all of its effect; an export leaves the target name untouched
(absent, or holding the previous export), and the next export works.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from corpusdesk.core.locations import LibraryLocation, ServerAddress
from corpusdesk.library.library import Library
from tests.factories import make_draft, paragraph
from tests.postgres import TestServer
from tests.reliability.harness import check_library, run_cli

ARTICLES = 1100
KILLS = 4
READY_TIMEOUT = 60.0


class Baseline:
    """A library of 1,100 articles ('early' tags the first 1,000, 'late' the last 300) and
    fresh copies of it to kill operations in."""

    def __init__(self, location: LibraryLocation, server: TestServer | None) -> None:
        self.location = location
        self.server = server

    def copy(self, folder: Path) -> LibraryLocation:
        if isinstance(self.location, Path):
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / "lib.db"
            shutil.copyfile(self.location, target)
            return target
        assert self.server is not None
        name = self.server.new_database(library=False)
        self.server.drop_database(name)
        with self.server.admin() as connection:
            connection.execute(f"CREATE DATABASE {name} TEMPLATE {self.location.database}")
        return self.server.address(name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def baseline(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Baseline]:
    server: TestServer | None = None
    location: LibraryLocation
    if request.param == "sqlite":
        location = tmp_path_factory.mktemp("baseline") / "lib.db"
    else:
        server = request.getfixturevalue("postgres_server")
        location = server.address(server.new_database())
    with Library.open(location) as library:
        drafts = [make_draft(paragraph(i, 60), title=f"Story number {i}") for i in range(ARTICLES)]
        for start in range(0, ARTICLES, 200):
            library.add_drafts(drafts[start : start + 200])
        ids = sorted(library.search_ids(""))
        library.add_tag(ids[:1000], "early")
        library.add_tag(ids[800:], "late")
    if isinstance(location, Path):
        assert not location.with_name(location.name + "-wal").exists()
    yield Baseline(location, server)
    if server is not None and isinstance(location, ServerAddress):
        server.drop_database(location.database)


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.children", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )


def _run_to_end(*args: str) -> int:
    child = _child(*args)
    out, _ = child.communicate(timeout=READY_TIMEOUT)
    assert child.returncode == 0, out
    return int(out.split()[-1])


def _kill_when_ready(child: subprocess.Popen[str]) -> None:
    """Wait for the child's ``ready`` and SIGKILL it there."""
    assert child.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT
    try:
        while time.monotonic() < deadline:
            readable, _, _ = select.select([child.stdout], [], [], 0.5)
            if readable:
                line = child.stdout.readline()
                assert line.strip() == "ready", f"the child ended first: {line!r}"
                os.kill(child.pid, signal.SIGKILL)
                break
        else:
            pytest.fail("the child never reached its stopping point")
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()
        if child.stdin is not None:
            child.stdin.close()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize("operation", ["add-tag", "remove-tag", "rename-tag"])
def test_killed_tag_operation_is_all_or_nothing(
    baseline: Baseline, tmp_path: Path, operation: str, figures: Callable[[str], None]
) -> None:
    rng = random.Random(f"{operation}-{time.time_ns()}")
    before = check_library(baseline.location).tags
    finished = baseline.copy(tmp_path / "finished")
    points = _run_to_end(operation, str(finished), "0")
    after = check_library(finished).tags
    assert after != before
    stops = sorted(rng.sample(range(1, points + 1), min(KILLS, points)))
    for index, stop in enumerate(stops):
        library = baseline.copy(tmp_path / f"kill-{index}")
        _kill_when_ready(_child(operation, str(library), str(stop)))
        state = check_library(library).tags
        assert state in (before, after), f"{operation} killed at point {stop} left a mixture"
        with Library.open(library) as reopened:  # and the library takes the operation again
            assert reopened.count() == ARTICLES
    figures(f"{len(stops)} SIGKILLs of '{operation}' at points {stops} of {points}: all or nothing")


def test_killed_export_leaves_no_partial_file(
    baseline: Baseline, tmp_path: Path, figures: Callable[[str], None]
) -> None:
    rng = random.Random(time.time_ns())
    library = baseline.copy(tmp_path / "lib")
    folder = tmp_path / "exports"
    folder.mkdir()
    stops = sorted(rng.sample(range(1, ARTICLES + 1), KILLS))
    for index, stop in enumerate(stops):
        target = folder / f"corpus-{index}.jsonl"
        previous = index % 2 == 1
        if previous:
            target.write_text('{"previous": "export"}\n', encoding="utf-8")
        _kill_when_ready(_child("export", str(library), str(stop), str(target)))
        if previous:
            assert target.read_text(encoding="utf-8") == '{"previous": "export"}\n'
        else:
            assert not target.exists(), f"a partial export at {target.name} (killed at {stop})"
        visible = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        assert visible == sorted(f"corpus-{i}.jsonl" for i in range(index + 1) if i % 2 == 1)
    target = folder / "corpus-0.jsonl"
    result = run_cli(library, "export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == ARTICLES
    figures(f"{len(stops)} SIGKILLs of an export of {ARTICLES} articles after records {stops}")
