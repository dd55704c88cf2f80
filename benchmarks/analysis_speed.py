"""Analysis speed: the concordance's first screen at 100,000 articles, word and keyword lists.

Usage::

    .venv/bin/python benchmarks/analysis_speed.py [--library PATH] [--repeats 3] [--lists-only]

Runs over the synthetic library of ``library_scale.py`` (built there first if missing, about 8
minutes; 110,062 articles of which 10% in Chinese, Japanese, Korean and Thai). The concordance
is timed as the window runs it, through the library process: the articles of the table (the
whole library) narrowed by the full-text index to those holding the term, then the lines of
the first 20 of them, for terms found in about 1% of the articles. Word and keyword lists are
timed as their job runs them (``analysis.runs``) over 10,000 articles: English ones, and
10,000 in a row of the library, which holds the other scripts too, each from a cold start (no
Thai cuts or folded words kept from the run before, as in a new job process). Wall time and
CPU time are both given: on a machine busy with other work the first grows and the second much
less; the CPU time counts both threads of the count, so on an idle machine it exceeds the wall
time. ``--lists-only`` leaves the concordance out.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchtools import Table, ms
from library_scale import default_library

from corpusdesk.analysis.frequency import WordCounts, frequency_list
from corpusdesk.analysis.runs import (
    FrequencyRequest,
    KeywordRequest,
    rest_of_library,
    run_frequency,
    run_keywords,
)
from corpusdesk.analysis.tokens import forget_kept
from corpusdesk.gui.analysis.concordance_view import FETCH_WIDTH, FIRST_BATCH
from corpusdesk.gui.library_client import LibraryProcess
from corpusdesk.library.library import Library

SELECTION = 10_000
TERMS = 5


def clocked(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of ``action()``, and its value."""
    forget_kept()
    wall, cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def one_percent_terms(library: Library, ids: list[int]) -> list[tuple[str, int]]:
    """Words held by about 1% of the articles (found in a sample, confirmed by a count)."""
    sample = ids[:: max(1, len(ids) // 2000)]
    counts = WordCounts().add_all(library.iter_analysis_texts(sample))
    rows = frequency_list(counts, top=None).rows
    share = {row.item: row.documents / counts.documents for row in rows}
    found: list[tuple[str, int]] = []
    for word in sorted(share, key=lambda w: abs(share[w] - 0.01)):
        if not word.isalpha() or not word.isascii():
            continue
        held = library.count(word)
        if 0.007 <= held / len(ids) <= 0.013:
            found.append((word, held))
        if len(found) == TERMS:
            break
    return found


def time_concordance(
    table: Table, path: Path, everything: list[int], terms: list[tuple[str, int]], repeats: int
) -> None:
    """Time the concordance's first screen and whole run through the library process."""
    process = LibraryProcess.started_early()
    remote = process.open(path, read_only=True)
    try:
        screens: list[float] = []
        for term, _held in terms:
            for _ in range(repeats):

                def first_screen(term: str = term) -> int:
                    candidates = remote.term_candidates("", term, ids=everything)
                    lines = remote.concordance(candidates[:FIRST_BATCH], term, FETCH_WIDTH)
                    return len(lines)

                wall, _cpu, lines = clocked(first_screen)
                screens.append(wall)
        table.add(
            "concordance first screen, median (table of every article, term in ~1%)",
            ms(statistics.median(screens)),
            "ms",
            300,
        )
        table.add("concordance first screen, slowest", ms(max(screens)), "ms", 300)
        term = terms[0][0]
        wall, _cpu, candidates = clocked(lambda: remote.term_candidates("", term, ids=everything))
        wall_all, _cpu, lines = clocked(
            lambda: [
                line
                for start in range(0, len(candidates), 200)
                for line in remote.concordance(candidates[start : start + 200], term, FETCH_WIDTH)
            ]
        )
        table.add(
            f"concordance, every line ({len(lines):,} in {len(candidates):,} articles)",
            wall + wall_all,
            "s",
        )
    finally:
        remote.close()
        process.stop()


def measure(path: Path, repeats: int, lists_only: bool = False) -> Table:
    """Time the analyses on the library at ``path``."""
    table = Table(f"Analysis over {path.name}")
    with Library.open(path, read_only=True) as library:
        everything = library.search_ids("")
        terms = [] if lists_only else one_percent_terms(library, everything)
        english = library.search_ids("lang:en")[:SELECTION]
        mixed = everything[len(everything) // 2 : len(everything) // 2 + SELECTION]
        print(f"{len(everything):,} articles; terms in about 1% of them: {terms}")

    if not lists_only:
        time_concordance(table, path, everything, terms, repeats)
    with Library.open(path, read_only=True) as library:
        read = library.iter_analysis_texts
        for label, ids in (("English", english), ("all scripts", mixed)):
            for ngram in (1, 2):
                kind = "words" if ngram == 1 else "bigrams"
                request = FrequencyRequest(tuple(ids), ngram=ngram, stop_languages=("en",))
                wall, cpu, _ = clocked(lambda r=request: run_frequency(r, read))
                target = 2.0 if ngram == 1 else None
                table.add(
                    f"{kind} list of 10,000 articles, {label}",
                    wall,
                    "s",
                    target,
                    note=f"CPU {cpu:.2f} s",
                )
        others = tuple(everything[:SELECTION])
        keyword_request = KeywordRequest(tuple(english[SELECTION // 2 :]), others[: SELECTION // 2])
        wall, cpu, _ = clocked(lambda: run_keywords(keyword_request, read))
        table.add(
            "keywords of 5,000 articles against 5,000 others (10,000 counted)",
            wall,
            "s",
            2.0,
            note=f"CPU {cpu:.2f} s",
        )
        reference, _ = rest_of_library(everything, english)
        wall, cpu, _ = clocked(
            lambda: run_keywords(KeywordRequest(tuple(english), reference), read)
        )
        table.add(
            f"keywords of 10,000 English articles against the rest ({len(reference):,} sampled)",
            wall,
            "s",
            note=f"CPU {cpu:.2f} s",
        )
    return table


def main(argv: list[str] | None = None) -> int:
    """Build the library if needed, then measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lists-only", action="store_true", help="leave the concordance out")
    args = parser.parse_args(argv)
    path = args.library or default_library(100_000)
    if not path.exists():
        here = Path(__file__).with_name("library_scale.py")
        command = [sys.executable, str(here), "--build-only", "--library", str(path)]
        subprocess.run(command, check=True)
    table = measure(path, args.repeats, args.lists_only)
    table.print()
    table.save(path.with_name(path.name + ".analysis.json"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
