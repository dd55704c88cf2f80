"""The import pipeline end to end: files in, articles, duplicates and failures out."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corpusdesk.core.records import ImportProgress, Outcome
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.factories import article_page


def _write_pages(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(start, start + count):
        path = folder / f"page-{seed:04d}.html"
        path.write_text(article_page(seed), encoding="utf-8")
        paths.append(path)
    return paths


def test_imports_a_folder_once(library: Library, tmp_path: Path) -> None:
    _write_pages(tmp_path / "pages", 3)
    (tmp_path / "pages" / "style.css").write_text("body{}")
    progress: list[ImportProgress] = []
    report = run_import(library, [tmp_path / "pages"], progress=progress.append)
    assert report.imported == 3 and not report.failed
    assert progress[0] == ImportProgress(0, 3, "")
    assert [(p.done, p.total) for p in progress[1:]] == [(1, 3), (2, 3), (3, 3)]
    assert sorted(p.current for p in progress[1:]) == [f"page-000{i}.html" for i in range(3)]
    again = run_import(library, [tmp_path / "pages"])
    assert again.imported == 0 and again.duplicates == 3
    assert library.count() == 3


def test_process_pool_imports_and_reports_each_file(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    _write_pages(folder, 12)
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 40)
    committed: list[int] = []
    report = run_import(
        library,
        [folder, tmp_path / "missing.html"],
        workers=2,
        on_committed=lambda results: committed.extend(r.article_id or 0 for r in results),
    )
    reasons = {Path(r.path).name: r.reason for r in report.failed}
    assert report.imported == 12
    assert set(reasons) == {"empty.html", "binary.html", "missing.html"}
    assert all(reasons.values())
    assert len([c for c in committed if c]) == 12


def test_cancel_stops_early_and_keeps_what_was_committed(library: Library, tmp_path: Path) -> None:
    _write_pages(tmp_path / "pages", 8)
    progress: list[ImportProgress] = []

    def cancelled() -> bool:
        return bool(progress) and progress[-1].done >= 3

    report = run_import(
        library, [tmp_path / "pages"], progress=progress.append, cancelled=cancelled, workers=1
    )
    assert report.cancelled
    assert 0 < library.count() < 8
    assert library.count() == report.imported


def test_too_large_file_is_refused_without_reading(library: Library, tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.truncate(1024**3)  # sparse: no disk used
    report = run_import(library, [huge])
    [result] = report.results
    assert result.outcome is Outcome.FAILED and "too large" in result.reason


def _mutate(rng: random.Random, page: str, kind: int) -> bytes:
    data = page.encode("utf-8")
    if kind == 0:
        return b""
    if kind == 1:
        return rng.randbytes(rng.randint(1, 5000))
    if kind == 2:
        return data[: rng.randint(1, len(data))]
    if kind == 3:
        return page.replace("council", "caf\u00e9 \u2019council\u2019").encode("cp1252", "replace")
    return data.replace(b"<p>", b"<p>\x00", 3)


@pytest.mark.slow
def test_thousand_mixed_files_import_without_a_crash(library: Library, tmp_path: Path) -> None:
    rng = random.Random(7)
    folder = tmp_path / "mixed"
    folder.mkdir()
    for index in range(1000):
        kind = index % 6
        page = article_page(index)
        data = page.encode("utf-8") if kind == 5 else _mutate(rng, page, kind)
        (folder / f"file-{index:04d}.html").write_bytes(data)
    before = library.count()
    report = run_import(library, [folder], workers=os.cpu_count())
    assert len(report.results) == 1000
    assert before == 0 and library.count() == report.imported
    assert report.imported >= 1000 // 6
    for result in report.failed:
        assert result.reason and "unexpected error" not in result.reason
    empties = [r for r in report.results if int(Path(r.path).stem[-4:]) % 6 == 0]
    assert all(r.outcome is Outcome.FAILED and "empty" in r.reason for r in empties)


def test_fork_server_modules_load_what_workers_need() -> None:
    """The fork server's preload leaves workers with the language model and signatures loaded."""
    script = (
        "import importlib, sys\n"
        "from corpusdesk.importing import pipeline\n"
        "for name in pipeline.WORKER_MODULES: importlib.import_module(name)\n"
        "from corpusdesk.importing.content import _identifier\n"
        "from corpusdesk.importing.duplicates import _permutations\n"
        "print(_identifier.cache_info().currsize, _permutations.cache_info().currsize)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["1", "1"]


def _open_descriptors_of(path: Path) -> list[str]:
    names = {str(path), str(path) + "-wal", str(path) + "-shm"}
    found = []
    for entry in Path("/proc/self/fd").iterdir():
        try:
            target = str(entry.readlink())
        except OSError:
            continue
        if target in names:
            found.append(target)
    return found


def test_an_import_run_in_this_process_leaves_the_library_closed(tmp_path: Path) -> None:
    pages = _write_pages(tmp_path / "pages", 2)
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        assert run_import(library, pages).imported == 2
    # A connection left open would keep the library locked against a restore.
    assert _open_descriptors_of(path) == []


@pytest.mark.parametrize("refused_call", [1, 3])
def test_a_pool_broken_before_its_futures_say_so_loses_no_page(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused_call: int
) -> None:
    """A worker dying can make ``submit`` refuse a page before the pages in flight fail; the
    refused page goes to the next pool (call 1: nothing was in flight yet)."""
    from concurrent.futures.process import BrokenProcessPool

    from corpusdesk.importing import pipeline

    make_pool = pipeline._pool
    calls = 0

    def pool_refusing_once(*arguments: Any) -> Any:
        pool = make_pool(*arguments)
        submit = pool.submit

        def refusing(*submitted: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == refused_call:
                raise BrokenProcessPool("a worker died")
            return submit(*submitted)

        pool.submit = refusing  # type: ignore[method-assign]
        return pool

    monkeypatch.setattr(pipeline, "_pool", pool_refusing_once)
    _write_pages(tmp_path / "pages", 6)
    report = run_import(library, [tmp_path / "pages"], workers=2)
    assert (report.imported, report.failed) == (6, [])
