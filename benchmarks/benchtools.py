"""Small helpers the benchmarks share: timing, memory readings and the printed table."""

from __future__ import annotations

import json
import resource
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def rss_bytes() -> int:
    """The process's resident memory now."""
    with Path("/proc/self/statm").open() as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize()


def memory_status() -> dict[str, int]:
    """Peak and current resident memory, split into anonymous and file-backed (mapped) pages."""
    values: dict[str, int] = {}
    with Path("/proc/self/status").open() as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                values[key] = int(rest.split()[0]) * 1024
    return values


def peak_rss_bytes() -> int:
    """The process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextmanager
def rss_sampler(interval: float = 0.02) -> Iterator[list[int]]:
    """Samples resident memory in a thread while the block runs; yields the list of samples."""
    samples: list[int] = [rss_bytes()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(interval):
            samples.append(rss_bytes())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        stop.set()
        thread.join()
        samples.append(rss_bytes())


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``action`` took, and its result."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


@dataclass
class Table:
    """Rows of figures with their targets, printed as an aligned table."""

    title: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)
    rates: set[str] = field(default_factory=set)
    """Figures where more is better (rates, counts found): compared the other way round."""

    def add(
        self,
        name: str,
        value: float,
        unit: str,
        target: float | None = None,
        *,
        higher_is_better: bool = False,
        note: str = "",
    ) -> None:
        """Add a figure; with a target, mark it met or missed."""
        self.figures[name] = value
        if higher_is_better or unit.endswith("/s"):
            self.rates.add(name)
        shown = f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:,.3g} {unit}"
        if target is None:
            wanted, verdict = "", note
        else:
            sign = "≥" if higher_is_better else "≤"
            wanted = f"{sign} {target:,.4g} {unit}"
            met = value >= target if higher_is_better else value <= target
            verdict = ("met" if met else "MISSED") + (f" ({note})" if note else "")
        self.rows.append((name, shown, wanted, verdict))

    def print(self) -> None:
        """Print the table."""
        header = ("figure", "value", "target", "")
        widths = [max(len(row[i]) for row in [header, *self.rows]) for i in range(4)]
        line = "  ".join("-" * width for width in widths)
        print(f"\n{self.title}\n")
        print("  ".join(text.ljust(width) for text, width in zip(header, widths, strict=True)))
        print(line)
        for row in self.rows:
            print("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)))
        print()

    def save(self, path: Path) -> None:
        """Keep the figures as JSON (to compare runs at different sizes)."""
        path.write_text(json.dumps(self.figures, indent=1) + "\n", encoding="utf-8")


def ms(seconds: float) -> float:
    """Seconds in milliseconds."""
    return seconds * 1000.0
