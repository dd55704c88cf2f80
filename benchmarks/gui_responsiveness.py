"""GUI responsiveness: the main window (offscreen) over a 100,000-article library.

Usage::

    .venv/bin/python benchmarks/gui_responsiveness.py [--articles 100000] [--library PATH]
        [--import-files 1000]

Uses the library ``library_scale.py`` builds (building it first if needed) through a copy, so
the background import does not change it. Measures the time from creating the window to its
first rows painted, scrolling to the end, typing a query into the filter bar until its results
show, and the longest event-loop stall (a 5 ms timer that should tick on time) while searching,
while importing a folder of saved pages and while exporting every article to JSONL in the
background; the longest stall of the idle window over a few seconds shows what the machine
itself adds. Peak memory is the window process's own (the import and export run in a process
of their own, the import's workers in more).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchtools import MB, Table, memory_status, ms, peak_rss_bytes
from library_scale import default_library
from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from corpusdesk.gui.app import create_application
from corpusdesk.gui.library_client import LibraryProcess
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.widgets.filter_bar import DEBOUNCE_MS
from corpusdesk.library.library import Library

HERE = Path(__file__).resolve().parent
EVAL_SET = HERE.parents[1] / "shared" / "eval" / "wcxb-dev-articles"
TICK_MS = 5
IDLE_SECONDS = 10


class StallMeter:
    """Measures the longest gap between ticks of a short timer on the GUI thread.

    With ``explain``, a watchdog thread notes where the GUI thread is whenever a tick is more
    than 100 ms late, so the report can say what blocked it: in total, and for each of the
    longest stalls, when it began and where the threads were during it.
    """

    def __init__(self, explain: bool = False) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer.timeout.connect(self._tick)
        self.explain = explain
        self.last_tick = time.monotonic()
        self.seen: Counter[str] = Counter()
        self.others: Counter[str] = Counter()
        self.began = time.monotonic()
        self.stalls: dict[float, float] = {}
        """Seconds of each stall over 100 ms, by the time of the tick before it."""
        self.samples: dict[float, Counter[str]] = {}
        self.gui_thread = threading.get_ident()
        if explain:
            threading.Thread(target=self._watch, daemon=True).start()

    def start(self) -> None:
        """Begin a new measurement."""
        self.longest = 0
        self.seen.clear()
        self.others.clear()
        self.stalls.clear()
        self.samples.clear()
        self.began = self.last_tick = time.monotonic()
        self.clock.start()
        self.timer.start()

    def stop(self) -> float:
        """End the measurement; returns the longest stall in seconds (beyond the tick)."""
        self.timer.stop()
        if self.explain and self.seen:
            print("  the GUI thread was stalled in:")
            for where, count in self.seen.most_common(5):
                print(f"    {count:4d} × {where}")
            print("  while other threads were in:")
            for where, count in self.others.most_common(5):
                print(f"    {count:4d} × {where}")
        if self.explain and self.stalls:
            longest = sorted(self.stalls.items(), key=lambda item: -item[1])[:3]
            print(f"  {len(self.stalls)} stalls over 100 ms; the longest:")
            for tick, seconds in longest:
                print(f"    {ms(seconds):.0f} ms, {tick - self.began:.1f} s in:")
                for where, count in self.samples.get(tick, Counter()).most_common(4):
                    print(f"      {count:3d} × {where}")
        return max(0, self.longest - TICK_MS) / 1000

    def over_100_ms(self) -> str:
        """How many stalls of the last measurement were over 100 ms, as a note."""
        return f"{len(self.stalls)} stall{'s' if len(self.stalls) != 1 else ''} over 100 ms"

    def _tick(self) -> None:
        before, self.last_tick = self.last_tick, time.monotonic()
        gap = self.clock.restart()
        self.longest = max(self.longest, gap)
        if gap - TICK_MS > 100:
            self.stalls[before] = gap / 1000

    def _watch(self) -> None:
        while True:
            time.sleep(0.02)
            tick = self.last_tick
            if self.timer.isActive() and time.monotonic() - tick > 0.1:
                frames = sys._current_frames()
                frame = frames.get(self.gui_thread)
                stack = traceback.extract_stack(frame)[-6:] if frame is not None else []
                during = self.samples.setdefault(tick, Counter())
                for ident, other in frames.items():
                    if ident not in (self.gui_thread, threading.get_ident()):
                        top = traceback.extract_stack(other)[-1]
                        where = f"{Path(top.filename).name}:{top.lineno} {top.name}"
                        self.others[where] += 1
                        during[f"(other) {where}"] += 1
                where = " < ".join(
                    f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack)
                )
                self.seen[where] += 1
                during[where] += 1


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 600) -> float:
    """Run the event loop until ``condition`` holds; returns the seconds it took.

    The loop is Qt's own, as in the app, with the condition checked every millisecond; calling
    ``processEvents`` from Python in a loop instead would busy the CPU the window needs.
    """
    started = time.perf_counter()
    if condition():
        return 0.0
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(1)
    timed_out: list[bool] = []

    def poll() -> None:
        if condition():
            loop.quit()
        elif time.perf_counter() - started > timeout:
            timed_out.append(True)
            loop.quit()

    check.timeout.connect(poll)
    check.start()
    loop.exec()
    check.stop()
    if timed_out:
        raise TimeoutError("the window did not get there in time")
    return time.perf_counter() - started


def paint(window: MainWindow, app: QApplication) -> None:
    """Paint the window now, as the screen would."""
    window.table.viewport().repaint()
    app.processEvents()


def _library_copy(source: Path, folder: Path) -> Path:
    with sqlite3.connect(source) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def _settle_disk() -> None:
    """Let the system write out the files just made (the library copy, the pages), so the
    window is not timed while gigabytes are being flushed to disk under it."""
    os.sync()


def _pages(folder: Path, count: int) -> Path:
    """A folder of ``count`` saved pages: the evaluation pages, plus re-saved copies of them."""
    pages = folder / "pages"
    subprocess.run(
        [sys.executable, str(EVAL_SET.parent / "score.py"), "pages", str(EVAL_SET), str(pages)],
        check=True,
        capture_output=True,
    )
    files = sorted(pages.glob("*.html"))
    for index in range(max(0, count - len(files))):
        source = files[index % len(files)]
        copy = pages / f"resaved-{index}-{source.name}"
        copy.write_bytes(source.read_bytes() + f"\n<!-- saved again {index} -->\n".encode())
    for extra in sorted(pages.glob("*.html"))[count:]:
        extra.unlink()
    return pages


def measure(library_path: Path, import_files: int, explain: bool = False) -> Table:
    """Run the window through the steps; returns the table of figures."""
    library_process = LibraryProcess.started_early()  # as the app does, before Qt's threads
    app = create_application(["corpusdesk-benchmark"])
    scratch = Path(tempfile.mkdtemp(prefix="corpusdesk-gui-bench-"))
    try:
        return _measure(app, library_process, library_path, import_files, scratch, explain)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _measure(
    app: QApplication,
    library_process: LibraryProcess,
    library_path: Path,
    import_files: int,
    scratch: Path,
    explain: bool,
) -> Table:
    copy = _library_copy(library_path, scratch)
    pages = _pages(scratch, import_files)
    _settle_disk()
    store = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    meter = StallMeter(explain)
    table = Table(f"GUI responsiveness: main window over {library_path.name} (offscreen)")

    started = time.perf_counter()
    window = MainWindow(store, library_process)
    window.show()
    built = time.perf_counter()
    window.open_library_path(copy)
    opened = time.perf_counter()
    model = window.model
    wait_until(app, lambda: model.rowCount() > 0 and model.row_record(0) is not None)
    paint(window, app)
    first_rows = time.perf_counter() - started
    table.add("open window → first rows shown", ms(first_rows), "ms", 500)
    table.add("  of which building the window", ms(built - started), "ms")
    table.add("  of which opening the library file", ms(opened - built), "ms")
    search = window.search
    wait_until(app, lambda: search.last is not None)
    every_row = time.perf_counter() - started
    total = model.rowCount()
    table.add(f"open window → every row in the table ({total:,})", ms(every_row), "ms")

    meter.start()
    started = time.perf_counter()
    window.table.scrollToBottom()
    wait_until(app, lambda: model.row_record(total - 1) is not None)
    paint(window, app)
    table.add("scroll to the end → rows shown", ms(time.perf_counter() - started), "ms", 100)
    window.table.scrollToTop()
    paint(window, app)

    typed = '"prime minister" council'
    window.filter_bar.focus()
    previous = search.last
    first_pages: list[float] = []
    search.first_page_shown.connect(lambda: first_pages.append(time.perf_counter()))
    started = time.perf_counter()
    QTest.keyClicks(window.filter_bar.edit, typed, delay=60)
    typing_done = time.perf_counter()
    wait_until(
        app,
        lambda: (
            search.last is not previous
            and search.last is not None
            and search.last.request.text == typed
        ),
    )
    paint(window, app)
    done = time.perf_counter()
    shown = len(search.last.ids) if search.last else 0
    if first_pages and first_pages[-1] > typing_done:
        table.add(
            "type a query → its first page shown (from last key)",
            ms(first_pages[-1] - typing_done),
            "ms",
            note=f"includes the filter bar's {DEBOUNCE_MS} ms pause for typing",
        )
    table.add(
        f"type a query → all {shown:,} results in the table (from last key)",
        ms(done - typing_done),
        "ms",
        note=f"includes the filter bar's {DEBOUNCE_MS} ms pause for typing",
    )
    table.add("longest stall: open, scroll and search", ms(meter.stop()), "ms", 100)
    memory_before_jobs = peak_rss_bytes()

    meter.start()
    idle_until = time.perf_counter() + IDLE_SECONDS
    wait_until(app, lambda: time.perf_counter() >= idle_until)
    table.add(
        f"longest stall of the idle window ({IDLE_SECONDS} s)",
        ms(meter.stop()),
        "ms",
        note="what the machine's other work adds; " + meter.over_100_ms(),
    )

    library = window.library
    assert library is not None
    window.filter_bar.clear()
    wait_until(app, lambda: search.last is not None and search.last.request.text == "")
    meter.start()
    started = time.perf_counter()
    window.jobs.start_import(library, [pages])
    # Until the window has shown the import's result too, which belongs to the import.
    wait_until(app, lambda: not window.jobs.running and window.runner.pending == 0, 3600)
    imported = time.perf_counter() - started
    stall = meter.stop()
    table.add(
        "longest stall during a background import", ms(stall), "ms", 100, note=meter.over_100_ms()
    )
    table.add(f"  import of {import_files:,} files in the window", imported, "s")

    ids = library.search_ids("")
    meter.start()
    started = time.perf_counter()
    window.jobs.start_export(library, ids, scratch / "all.jsonl")
    wait_until(app, lambda: not window.jobs.running and window.runner.pending == 0, 3600)
    exported = time.perf_counter() - started
    stall = meter.stop()
    table.add(
        "longest stall during a background export", ms(stall), "ms", 100, note=meter.over_100_ms()
    )
    table.add(f"  export of {len(ids):,} articles in the window", len(ids) / exported, "/s")

    table.add("peak memory: window open, scrolled, searched", memory_before_jobs / MB, "MB", 300)
    table.add("peak memory: after the import and export", peak_rss_bytes() / MB, "MB")
    status = memory_status()
    table.add("  of which now: anonymous (heap)", status["RssAnon"] / MB, "MB")
    window.set_library(None)
    window.close()
    app.processEvents()
    return table


def main(argv: list[str] | None = None) -> int:
    """Build the library if needed, then measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--library", type=Path)
    parser.add_argument("--import-files", type=int, default=1000)
    parser.add_argument("--explain", action="store_true", help="show where the GUI stalled")
    args = parser.parse_args(argv)
    path = args.library or default_library(args.articles)
    marker = path.with_name(path.name + ".built")
    if not marker.exists() or not path.exists():
        print(f"Building a library of {args.articles:,} articles at {path} …")
        command = [sys.executable, str(HERE / "library_scale.py"), "--build-only"]
        arguments = ["--articles", str(args.articles), "--library", str(path)]
        subprocess.run([*command, *arguments], check=True)
        marker.write_text(f"{args.articles}\n", encoding="utf-8")
    with Library.open(path):
        pass  # bring the schema up to date before copying
    table = measure(path, args.import_files, args.explain)
    table.print()
    sys.stdout.flush()
    # Leave without tearing Qt objects down in the interpreter's final garbage collection.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
