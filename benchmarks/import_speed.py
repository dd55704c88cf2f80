"""Import speed: corpusdesk importing real saved pages against trafilatura alone on the same files.

Usage::

    .venv/bin/python benchmarks/import_speed.py [--set ../shared/eval/wcxb-dev-articles]
        [--pages DIR] [--workers N] [--rounds 1]

The set's pages are written out once as ``<id>.html`` files (with the set's ``score.py pages``)
and read once so both sides start from a warm page cache. Then, in one run and with the same
number of processes: trafilatura's ``bare_extraction`` (text and metadata) over every file in
a process pool, and ``run_import`` of the folder into a fresh library (decoding, extraction,
cleaning, metadata, signatures, duplicate checks, storing and indexing). A third line times
corpusdesk's per-file preparation alone in the same kind of pool, to show where the time goes.
The CPU seconds are printed too: those spent on the pages in the workers (their start left
out) and those of the importing process, which reads the files and is the one writer. They show
where a difference lies, the pages or the writing; on a shared machine they vary between runs
by about as much as wall time does.
Each side is timed the same way, as a person running it meets it: from starting its worker
processes (which then import their libraries and load their models) to the last file done.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchtools import MB, Table, peak_rss_bytes

from corpusdesk.core.records import Outcome
from corpusdesk.importing import prepare
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SET = REPO.parent / "shared" / "eval" / "wcxb-dev-articles"


def _trafilatura_file(path: str) -> float:
    """CPU seconds trafilatura spends on the file (text and metadata)."""
    import trafilatura

    started = time.process_time()
    data = Path(path).read_bytes()
    with contextlib.suppress(Exception):  # a page trafilatura fails on still took its time
        trafilatura.bare_extraction(data, include_comments=False, with_metadata=True)
    return time.process_time() - started


def _prepare_file(path: str) -> float:
    """CPU seconds corpusdesk's worker spends on the file (``prepare_file``)."""
    started = time.process_time()
    prepare.prepare_file(path)
    return time.process_time() - started


def _pool_run(function: Any, paths: list[str], workers: int) -> tuple[float, float]:
    """Seconds from starting ``workers`` processes to ``function`` done on every path, and the
    CPU seconds the workers spent on the files (their start excluded)."""
    context = multiprocessing.get_context("forkserver")
    started = time.perf_counter()
    with context.Pool(workers) as pool:
        results = pool.map(function, paths, chunksize=4)
        seconds = time.perf_counter() - started
    return seconds, sum(results)


def _write_pages(eval_set: Path, folder: Path) -> None:
    if folder.is_dir() and any(folder.glob("*.html")):
        return
    score = eval_set.parent / "score.py"
    subprocess.run([sys.executable, str(score), "pages", str(eval_set), str(folder)], check=True)


def _corpusdesk_import(folder: Path, workers: int) -> tuple[float, float, dict[str, int]]:
    """Wall seconds of the import, CPU seconds of the importing process (finding and reading
    the files, and the one writer: storing, indexing, duplicate checks) and the outcomes."""
    with tempfile.TemporaryDirectory() as scratch:
        library = Library.open(Path(scratch) / "import.db")
        started, cpu_started = time.perf_counter(), time.process_time()
        report = run_import(library, [folder], workers=workers)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        library.close()
    counts = {outcome.value: report.count(outcome) for outcome in Outcome}
    return seconds, cpu, counts


def main(argv: list[str] | None = None) -> int:
    """Run both sides and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--pages", type=Path)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    folder = args.pages or Path(tempfile.gettempdir()) / f"corpusdesk-pages-{args.set.name}"
    _write_pages(args.set, folder)
    paths = sorted(str(path) for path in folder.glob("*.html"))
    size = sum(len(Path(path).read_bytes()) for path in paths)  # and warms the page cache
    workers = args.workers
    trafilatura_times, corpusdesk_times, prepare_times = [], [], []
    trafilatura_cpu, writer_cpu, prepare_cpu = [], [], []
    counts: dict[str, int] = {}
    for _ in range(args.rounds):
        seconds, cpu = _pool_run(_trafilatura_file, paths, workers)
        trafilatura_times.append(seconds)
        trafilatura_cpu.append(cpu)
        seconds, cpu, counts = _corpusdesk_import(folder, workers)
        corpusdesk_times.append(seconds)
        writer_cpu.append(cpu)
        seconds, cpu = _pool_run(_prepare_file, paths, workers)
        prepare_times.append(seconds)
        prepare_cpu.append(cpu)
    alone, full, prepared = min(trafilatura_times), min(corpusdesk_times), min(prepare_times)
    alone_cpu, pages_cpu, importer_cpu = min(trafilatura_cpu), min(prepare_cpu), min(writer_cpu)
    table = Table(
        f"Import speed: {len(paths)} saved pages ({size / MB:,.0f} MB), {workers} processes, "
        f"best of {args.rounds}"
    )
    table.add("trafilatura alone, wall", alone, "s")
    table.add("trafilatura alone", len(paths) / alone, "files/s")
    table.add("corpusdesk import, wall", full, "s")
    table.add("corpusdesk import", len(paths) / full, "files/s")
    table.add("corpusdesk / trafilatura (wall time)", full / alone, "×", 1.0)
    table.add("corpusdesk preparing only (no library), wall", prepared, "s")
    table.add("corpusdesk preparing only / trafilatura", prepared / alone, "×")
    table.add("trafilatura alone, CPU on the pages", alone_cpu, "s")
    table.add("corpusdesk workers, CPU on the pages", pages_cpu, "s")
    table.add("corpusdesk importing process (reading, writing), CPU", importer_cpu, "s")
    total_cpu = pages_cpu + importer_cpu
    table.add("corpusdesk / trafilatura (CPU time)", total_cpu / alone_cpu, "×", 1.0)
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    table.add("import outcome", counts.get("imported", 0), "imported", note=summary)
    table.add("peak memory of the importing process", peak_rss_bytes() / MB, "MB")
    table.print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
