"""A CLI import killed with SIGKILL at random points loses nothing it reported as saved.

It runs on a library file and on a team library. The import runs as a real ``corpusdesk import
--log`` child process and is killed at a random moment (while starting up, while workers parse,
while a batch commits). After each kill the library must pass every consistency check, hold
every article the log reported as imported, keep the tags given to earlier articles, and no
process of the killed import may live on. A final uninterrupted run of the same import
completes it: every page once, nothing missing.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from corpusdesk.core.locations import LibraryLocation
from corpusdesk.library.library import Library
from tests.postgres import TestServer
from tests.reliability.harness import (
    check_library,
    cli_command,
    kill_all,
    read_log,
    run_cli,
    wait_until_gone,
    write_pages,
)

SIZES = [
    pytest.param(200, 3, id="ci"),
    pytest.param(1000, 6, id="full", marks=pytest.mark.slow),
]
ORPHAN_TIMEOUT = 20.0


def _start_import(
    library: LibraryLocation, pages: Path, log: Path, output: Path
) -> subprocess.Popen[bytes]:
    with output.open("ab") as sink:
        return subprocess.Popen(
            cli_command(library, "import", "--quiet", "--log", str(log), str(pages)),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _run_and_kill(process: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL the import ``delay`` s after its start; False when it finished before that."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return process.returncode == -signal.SIGKILL


def _check_complete(library: LibraryLocation, folder: Path, tags: dict[str, set[int]]) -> None:
    state = check_library(library)
    stored = sorted(Path(p).name for p in state.articles.values())
    assert stored == sorted(p.name for p in folder.iterdir()), "missing or duplicated pages"
    for name, ids in tags.items():
        assert state.tags.get(name) == ids, f"tag {name!r} lost"


@pytest.fixture(params=["sqlite", "postgresql"])
def new_library(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[int], LibraryLocation]]:
    """Where each generation's library is: a new file, or a new empty database on the server
    (the import creates the library in it)."""
    if request.param == "sqlite":
        yield lambda generation: tmp_path / f"lib-{generation}.db"
        return
    server: TestServer = request.getfixturevalue("postgres_server")
    made: list[str] = []

    def database(_generation: int) -> LibraryLocation:
        made.append(server.new_database(library=False))
        return server.address(made[-1])

    yield database
    for name in made:
        server.drop_database(name)


@pytest.mark.parametrize(("pages", "kills"), SIZES)
def test_killed_import_loses_nothing_and_finishes_on_rerun(
    tmp_path: Path,
    pages: int,
    kills: int,
    figures: Callable[[str], None],
    new_library: Callable[[int], LibraryLocation],
) -> None:
    seed = int(os.environ.get("CORPUSDESK_RELIABILITY_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    folder = tmp_path / "pages"
    write_pages(folder, pages)
    output = tmp_path / "out.txt"
    generation = 0
    library, log = new_library(0), tmp_path / "import-0.log"
    expected_tags: dict[str, set[int]] = {}
    estimate = 3.0 + pages / 40  # seconds a whole run takes here; corrected by each finish
    done_kills, attempts, points = 0, 0, []
    while done_kills < kills:
        attempts += 1
        assert attempts <= kills * 6, f"could not kill mid-import (seed {seed})"
        delay = rng.uniform(0.2, estimate)
        started = time.monotonic()
        process = _start_import(library, folder, log, output)
        try:
            killed = _run_and_kill(process, delay)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if killed:
            left = wait_until_gone(process.pid, ORPHAN_TIMEOUT)
            kill_all(left)
            assert not left, f"processes of the killed import still running: {left} (seed {seed})"
            Library.open(library).close()  # opens (a kill before its creation leaves it new)
            state = check_library(library)
            committed = {
                line.article_id: line.path for line in read_log(log) if line.outcome == "imported"
            }
            for article_id, path in committed.items():
                assert article_id is not None and state.articles.get(article_id) == path, (
                    f"article #{article_id} ({path}) reported imported is missing (seed {seed})"
                )
            for name, ids in expected_tags.items():
                assert state.tags.get(name) == ids, f"tag {name!r} changed by a kill (seed {seed})"
            if len(state.articles) < pages:  # the kill fell inside the import: it counts
                done_kills += 1
                points.append(f"{delay:.1f}s/{len(committed)}")
                # Tag what this run saved, so later kills must keep these tags too.
                new = sorted(set(state.articles) - set().union(*expected_tags.values(), set()))
                if new:
                    with Library.open(library) as opened:
                        opened.add_tag(new, f"round {done_kills}")
                    expected_tags[f"round {done_kills}"] = set(new)
                continue
        else:
            estimate = max(0.5, (time.monotonic() - started) * 0.9)
        # The import ran to its end: check it, then start over on a new library.
        _check_complete(library, folder, expected_tags)
        generation += 1
        library, log = new_library(generation), tmp_path / f"import-{generation}.log"
        expected_tags = {}

    final = run_cli(library, "import", "--quiet", "--log", str(log), str(folder))
    assert final.returncode == 0, final.stdout + final.stderr
    _check_complete(library, folder, expected_tags)
    figures(
        f"{done_kills} SIGKILLs inside a {pages}-page CLI import ({attempts} runs), seed {seed}; "
        f"kill points (time/committed): {', '.join(points)}; final run: {final.stdout.strip()}"
    )
