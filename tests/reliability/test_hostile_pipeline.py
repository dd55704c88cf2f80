"""Hostile files through the real import: process pool, time limit, memory cap, no network.

A folder of the worst files a website or a disk can produce (100,000-level nesting,
billion-laughs and external-entity XHTML, a 1 GB sparse file, NULs, lying and mixed
charsets, zero-byte files, a named pipe …) is imported by ``corpusdesk import`` in a child
process. Every file must be imported or reported with a reason, within the per-file time
limit, with bounded memory, without one connection to the local server the pages point at,
and no local file the pages name may end up in the library. A second test makes pool workers
crash, hang and grab memory on purpose and checks that the rest of the batch is imported.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from corpusdesk.core.records import Outcome
from corpusdesk.importing import pipeline, prepare
from corpusdesk.library.library import Library
from tests.reliability import children
from tests.reliability.harness import (
    ConnectionTrap,
    SessionMemory,
    check_library,
    cli_command,
    kill_all,
    read_log,
    unsafe_preview_parts,
    wait_until_gone,
    write_pages,
)
from tests.reliability.hostile import SECRET_TEXT, write_hostile_corpus

WORKER_MEMORY_LIMIT = prepare.WORKER_MEMORY_LIMIT_BYTES
WRITER_MEMORY_LIMIT = 1024**3
MUST_IMPORT = {"tracking.html", "billion-laughs.xhtml", "external-entity.xhtml", "nul-laced.html"}


@pytest.mark.parametrize(
    "heavy", [pytest.param(False, id="ci"), pytest.param(True, id="full", marks=pytest.mark.slow)]
)
def test_hostile_files_are_imported_or_reported_safely(
    tmp_path: Path, heavy: bool, figures: Callable[[str], None]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    library, log = tmp_path / "lib.db", tmp_path / "import.log"
    with ConnectionTrap() as trap:
        names = write_hostile_corpus(tmp_path / "hostile", trap.url, secret, heavy)
        started = time.monotonic()
        process = subprocess.Popen(
            cli_command(library, "import", "--quiet", "--log", str(log), str(tmp_path / "hostile")),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        with SessionMemory(process.pid) as memory:
            try:
                out, err = process.communicate(timeout=len(names) * prepare.FILE_TIME_LIMIT_SECONDS)
            finally:
                kill_all(wait_until_gone(process.pid, 5) if process.poll() is None else [])
        elapsed = time.monotonic() - started
    assert process.returncode == 1, out + err  # some files fail, nothing crashes
    assert "Traceback" not in err
    lines = {Path(line.path).name: line for line in read_log(log)}
    assert sorted(lines) == names, "every file is imported or reported, once"
    for name, line in lines.items():
        assert line.outcome in ("imported", "failed"), name
        if line.outcome == "failed":
            assert line.reason and not line.reason.startswith("unexpected error"), (name, line)
    assert {n for n, line in lines.items() if line.outcome == "imported"} >= MUST_IMPORT
    assert "too large" in lines["sparse-1gb.html"].reason
    assert trap.attempts == [], f"network requests were attempted: {trap.attempts}"
    check_library(library)
    with Library.open(library) as opened:
        for detail in opened.iter_details(opened.search_ids("")):
            stored = f"{detail.title}\n{detail.text}\n{detail.html}"
            assert SECRET_TEXT not in stored, f"{detail.source_name} leaked a local file"
            assert "lollollol" not in stored, f"{detail.source_name} expanded entities"
            assert unsafe_preview_parts(detail.html, markers=False) == [], detail.source_name
            if detail.source_name == "tracking.html":
                assert unsafe_preview_parts(detail.html) == []
    assert memory.workers < WORKER_MEMORY_LIMIT and memory.main < WRITER_MEMORY_LIMIT
    timed_out = sorted(n for n, line in lines.items() if "longer than" in line.reason)
    figures(
        f"{len(names)} hostile files ({sum(lo.outcome == 'imported' for lo in lines.values())} "
        f"imported) in {elapsed:.0f} s; stopped by the time limit: {timed_out or 'none'}; "
        f"peak memory: importer {memory.main / 1048576:.0f} MB, "
        f"worker {memory.workers / 1048576:.0f} MB; connection attempts: 0"
    )


def test_worker_crash_hang_and_memory_grab_are_contained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, figures: Callable[[str], None]
) -> None:
    folder = tmp_path / "pages"
    good = write_pages(folder, 12)
    for name in ("crash-1.html", "hang-1.html", "hog-1.html"):
        (folder / name).write_bytes(good[0].read_bytes().replace(b"part 0", name.encode()))
    monkeypatch.setattr(pipeline.prepare, "prepare_page", children.misbehaving_prepare)
    started = time.monotonic()
    with Library.open(tmp_path / "lib.db") as library:
        report = pipeline.run_import(library, [folder], workers=2)
        count = library.count()
    elapsed = time.monotonic() - started
    reasons = {Path(r.path).name: r.reason for r in report.results if r.outcome is Outcome.FAILED}
    assert report.imported == count == 12
    assert "worker process died" in reasons.pop("crash-1.html")
    assert "longer than 2 s" in reasons.pop("hang-1.html")
    assert "more memory" in reasons.pop("hog-1.html")
    assert reasons == {}
    figures(
        f"crash, hang and 8 GB memory grab contained; 12 good pages imported in {elapsed:.0f} s"
    )


# Imports FOLDER into LIBRARY with the misbehaving prepare of ``children`` and prints each
# failed file's name and reason; run in a child process so that a hang can be timed out.
SMALL_IMPORT = """
import sys
from pathlib import Path
from types import SimpleNamespace
from corpusdesk.importing import pipeline, prepare
from corpusdesk.library.library import Library
from tests.reliability import children
pipeline.prepare = SimpleNamespace(
    init_worker=prepare.init_worker,
    prepare_page=children.misbehaving_prepare,
    crash_result=prepare.crash_result,
)
with Library.open(sys.argv[1]) as library:
    report = pipeline.run_import(library, [Path(sys.argv[2])], workers=2)
for result in report.failed:
    print(f"{Path(result.path).name}: {result.reason}")
"""


def test_a_batch_of_two_files_gets_the_time_limit_and_memory_cap(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    [page] = write_pages(tmp_path / "model", 1)
    folder.mkdir()
    for name in ("hang-1.html", "hog-1.html"):
        (folder / name).write_bytes(page.read_bytes())
    result = subprocess.run(
        [sys.executable, "-c", SMALL_IMPORT, str(tmp_path / "lib.db"), str(folder)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    reasons = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert sorted(reasons) == ["hang-1.html", "hog-1.html"]
    assert "longer than 2 s" in reasons["hang-1.html"]
    assert "more memory" in reasons["hog-1.html"]
