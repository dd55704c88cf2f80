"""Library at scale: build a library of N synthetic articles, then time what the app does with it.

Usage::

    .venv/bin/python benchmarks/library_scale.py [--articles 100000] [--library PATH]
        [--rebuild] [--baseline FIGURES.json] [--scripts-share 0.1] [--reindex]

The library is built once through ``Library.bulk_add`` (articles made in a second process while
this one writes), tagged with 200 tags through ``Library.add_tag`` and kept next to its figures
(``PATH.figures.json``) for later runs. Besides ``--articles`` English articles it holds
``--scripts-share`` as many in Chinese, Japanese, Korean and Thai, whose queries and index cost
are reported too (``scripts_search.py``); ``--reindex`` also times the rebuild of the full-text
index that the upgrade to the character-pair index does once. The measuring is done in a fresh
process so its peak memory is that of a session with the library, not of the build.
``--baseline`` prints each figure beside an earlier run's and the ratio (the 1,000,000-article
run against the 100,000 one: at most 2×, rates compared the other way round).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import scripts_search
from benchtools import (
    MB,
    Table,
    median,
    memory_status,
    ms,
    peak_rss_bytes,
    percentile,
    rss_sampler,
    timed,
)
from synthetic import ArticleMaker, make_corpus

from corpusdesk.core.locations import LibraryLocation, ServerAddress
from corpusdesk.core.records import Outcome
from corpusdesk.exporting.writer import ExportFormat, export_articles
from corpusdesk.importing.duplicates import unpack_signature
from corpusdesk.library.articles import Scope, SortKey
from corpusdesk.library.library import Library
from corpusdesk.library.schema import Signature

PAGE = 100
BATCH = 2_000
SELECTION = 10_000
REPEATS = 3
SCRIPTS_SHARE = 0.1


def default_library(articles: int, scripts_share: float = SCRIPTS_SHARE) -> Path:
    """Where the library of this size is kept between runs (and for ``gui_responsiveness.py``)."""
    name = f"corpusdesk-bench-{articles}-scripts{scripts_share:g}.db"
    return Path(tempfile.gettempdir()) / name


def _produce(count: int, queue: Any, scripts_share: float) -> None:
    maker = ArticleMaker(make_corpus(), scripts_share=scripts_share)
    for start in range(0, count, BATCH):
        queue.put(list(maker.drafts(min(BATCH, count - start))))
    queue.put(None)


def build(location: LibraryLocation, count: int, scripts_share: float = SCRIPTS_SHARE) -> None:
    """Build a library of ``count`` synthetic English articles and ``scripts_share`` as many in
    other scripts at ``location`` (replacing any file there; a team library must be empty)."""
    if isinstance(location, Path):
        for stale in location.parent.glob(location.name + "*"):
            stale.unlink()
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=3)
    producer = context.Process(target=_produce, args=(count, queue, scripts_share), daemon=True)
    producer.start()
    written = 0
    with Library.open(location) as library:
        while (batch := queue.get()) is not None:
            results = library.bulk_add(batch)
            written += sum(1 for result in results if result.outcome is Outcome.IMPORTED)
            rate = written / (time.perf_counter() - started)
            print(f"\r  built {written:,} ({rate:,.0f}/s)", end="", flush=True)
        producer.join()
        ids = library.search_ids("")
        tagging = ArticleMaker(make_corpus(), seed=5).tag_choices(ids)
        for name, tagged in tagging.items():
            library.add_tag(tagged, name)
    print(f"\n  build took {time.perf_counter() - started:,.0f} s")


def _queries(words: list[str], tags: list[str]) -> dict[str, list[str]]:
    return {
        "full text": [
            words[120],
            words[190],
            words[400],
            words[2_000],
            words[12_000],
            words[39_000],
            '"prime minister"',
            '"climate change"',
            '"state of emergency"',
            f'"{words[60]} {words[61]}"',
            "climate OR energy",
            '"interest rates" -"central bank"',
            f"(police OR court) {words[150]}",
            f"{words[700]}*",
            f"{words[30]} {words[300]} NOT {words[90]}",
            f"{words[250]} OR {words[5_000]} OR {words[20_000]}",
        ],
        "filter": [
            f"tag:{tags[0]}",
            f"tag:{tags[20]}",
            f"tag:{tags[199]}",
            "site:gazette",
            "site:herald",
            "date:2022",
            "date:2023-06",
            "date:>=2024-07-01",
            "date:2021-01-01..2021-03-31",
            "is:duplicate",
            "is:untagged",
        ],
    }


def _first_page(
    library: Library,
    query: str,
    sort: SortKey,
    descending: bool = False,
    limit: int | None = None,
) -> int:
    """Search and read the first page's rows, as the window and the command line do.

    With ``limit`` only the first page of ids is looked up (the window's first answer to a new
    query, and the command line's ``search``); without it, every matching id in order.
    """
    ids = library.search_ids(query, sort=sort, descending=descending, limit=limit)
    library.rows(ids[:PAGE])
    return len(ids)


def _repeat(action: Any, times: int = REPEATS) -> list[float]:
    return [timed(action)[0] for _ in range(times)]


def _near_duplicate_writes(library: Library, table: Table) -> None:
    """Write an import batch (``add_drafts``) with copies of stored articles among it."""
    maker = ArticleMaker(make_corpus(), seed=99)
    drafts = list(maker.drafts(200))
    stored = library.search_ids("")
    rng = random.Random(3)
    copies = []
    for source_id in rng.sample(stored, 20):
        signature = list(_stored_signature(library, source_id))
        for position in rng.sample(range(len(signature)), 12):
            signature[position] = rng.randrange(2**32)
        copies.append(
            dataclasses.replace(
                drafts[len(copies)],
                sha256=f"{source_id:064x}",
                minhash=tuple(signature),
                text_sha256=f"{source_id:064d}",
            )
        )
    batch = copies + drafts[20:]
    with tempfile.TemporaryDirectory() as folder, Library.open(Path(folder) / "e.db") as empty:
        alone, _ = timed(lambda: empty.add_drafts(drafts[20:]))
    table.add("import write (add_drafts, 200) into an empty library", ms(alone) / 180, "ms")
    seconds, results = timed(lambda: library.add_drafts(batch))
    found = sum(1 for result in results[:20] if result.near_duplicate_of is not None)
    new_ids = [r.article_id for r in results if r.article_id is not None]
    table.add("import write (add_drafts, 200), per article", ms(seconds) / len(batch), "ms")
    table.add("near copies found among 20", found, "", 20, higher_is_better=True)
    library.trash(new_ids)
    library.empty_trash()


def _stored_signature(library: Library, article_id: int) -> tuple[int, ...]:
    with library.reading() as session:
        packed = session.get(Signature, article_id)
        return unpack_signature(packed.minhash) if packed is not None else ()


def _detail(verbose: bool, kind: str, query: str, runs: list[float]) -> None:
    if verbose:
        print(f"  {kind:<10} {query:<45} {', '.join(f'{ms(r):.1f}' for r in runs)} ms")


def measure(
    location: LibraryLocation,
    baseline: dict[str, float] | None,
    verbose: bool = False,
    reindex: bool = False,
) -> Table:
    """Time the library operations; returns the table of figures."""
    opening, library = timed(lambda: Library.open(location))
    first, _ = timed(lambda: _first_page(library, "", SortKey.PUBLISHED, True, PAGE))
    ids = library.search_ids("")
    total = len(ids)
    size = library.backend.storage_size() / MB
    table = Table(f"Library at scale ({library.backend.name}): {total:,} articles ({size:,.0f} MB)")
    table.add("open library → first page of rows", ms(opening + first), "ms", 500)
    every = max(_repeat(lambda: _first_page(library, "", SortKey.PUBLISHED, True)))
    table.add("every id in date order (the whole table)", ms(every), "ms")
    words = make_corpus().words
    tag_names = make_corpus().tags
    queries = _queries(words, tag_names)

    window: list[float] = []
    whole: list[float] = []
    relevance: list[float] = []
    text_counts: list[float] = []
    for query in queries["full text"]:
        runs = _repeat(lambda q=query: _first_page(library, q, SortKey.PUBLISHED, True, PAGE))
        window += runs
        _detail(verbose, "first page, date order", query, runs)
        whole += _repeat(lambda q=query: _first_page(library, q, SortKey.PUBLISHED, True))
        runs = _repeat(lambda q=query: _first_page(library, q, SortKey.RELEVANCE, limit=PAGE))
        relevance += runs
        _detail(verbose, "first page, relevance", query, runs)
        runs = _repeat(lambda q=query: library.count(q))
        text_counts += runs
        _detail(verbose, "count", query, runs)
    table.add("full-text query → first page, median", ms(median(window)), "ms")
    table.add("full-text query → first page, p95", ms(percentile(window, 0.95)), "ms", 100)
    table.add("full-text query → every matching id, p95", ms(percentile(whole, 0.95)), "ms")
    table.add("full-text query → count, p95", ms(percentile(text_counts, 0.95)), "ms", 100)
    table.add(
        "full-text query by relevance → first page, p95", ms(percentile(relevance, 0.95)), "ms", 100
    )
    for rank in (3, 40):
        seconds = median(
            _repeat(lambda r=rank: _first_page(library, words[r], SortKey.RELEVANCE, limit=PAGE))
        )
        share = library.count(words[rank]) / total
        table.add(f"  by relevance, {words[rank]!r} ({share:.0%} of articles)", ms(seconds), "ms")
    scripts_search.measure_queries(
        library,
        table,
        scripts_search.script_queries(words),
        lambda query, sort, descending, first: _first_page(
            library, query, sort, descending, PAGE if first else None
        ),
        lambda kind, query, runs: _detail(verbose, kind, query, runs),
    )

    filters: list[float] = []
    counts: list[float] = []
    for query in queries["filter"]:
        runs = _repeat(lambda q=query: _first_page(library, q, SortKey.PUBLISHED, True, PAGE))
        filters += runs
        _detail(verbose, "filter", query, runs)
        runs = _repeat(lambda q=query: library.count(q))
        counts += runs
        _detail(verbose, "count", query, runs)
    table.add("tag/site/date filter → first page, p95", ms(percentile(filters, 0.95)), "ms", 50)
    table.add("tag/site/date filter count, p95", ms(percentile(counts, 0.95)), "ms", 50)

    for limit, name, target in ((PAGE, "→ first page", 300), (None, "→ every id", None)):
        worst_sort, worst_key = 0.0, ""
        for key in SortKey:
            if key is SortKey.RELEVANCE:
                continue
            for descending in (False, True):
                runs = _repeat(
                    lambda k=key, d=descending, n=limit: _first_page(library, "", k, d, n), 2
                )
                seconds = max(runs)
                label = f"{key.value} {'desc' if descending else 'asc'} {name}"
                _detail(verbose, "sort", label, runs)
                if seconds > worst_sort:
                    worst_sort, worst_key = seconds, f"{key.value}{' desc' if descending else ''}"
        table.add(
            f"sort on a column {name} (slowest)", ms(worst_sort), "ms", target, note=worst_key
        )
    by_title = library.search_ids("", sort=SortKey.TITLE)
    deep = _repeat(lambda: library.rows(by_title[total - total // 10 : total - total // 10 + PAGE]))
    table.add("fetch a page 90% deep", ms(max(deep)), "ms", 50)
    table.add("tag counts (tags pane)", ms(max(_repeat(library.tags))), "ms", 50)

    target_id = ids[total // 2]
    previous = library.detail(target_id).title
    edit, _ = timed(lambda: library.update_metadata(target_id, {"title": previous + " (edited)"}))
    library.update_metadata(target_id, {"title": previous})
    table.add("metadata edit (title, one article)", ms(edit), "ms", 100)
    selection = random.Random(1).sample(ids, min(SELECTION, total))
    tagging, _ = timed(lambda: library.add_tag(selection, "benchmark selection"))
    untagging, _ = timed(lambda: library.remove_tag(selection, "benchmark selection"))
    library.delete_tag("benchmark selection")
    table.add(f"tag {SELECTION:,} selected articles", ms(tagging), "ms", 1000)
    table.add(f"untag {SELECTION:,} selected articles", ms(untagging), "ms", 1000)

    _near_duplicate_writes(library, table)

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "all.jsonl"
        tenth = ids[: max(1, total // 10)]
        with rss_sampler() as small:
            export_articles(library, tenth, target, ExportFormat.JSONL)
        with rss_sampler() as samples:
            seconds, written = timed(
                lambda: export_articles(library, ids, target, ExportFormat.JSONL)
            )
        size = target.stat().st_size
    rate = written / seconds
    table.add("export all to JSONL", rate, "articles/s", 20_000, higher_is_better=True)
    table.add("export file size", size / MB, "MB")
    table.add("export memory growth, 10% of articles", (max(small) - small[0]) / MB, "MB")
    table.add("export memory growth, all articles", (max(samples) - samples[0]) / MB, "MB")
    table.add("peak memory of this process", peak_rss_bytes() / MB, "MB", 300)
    status = memory_status()
    table.add("  of which now: anonymous (heap)", status["RssAnon"] / MB, "MB")
    table.add("  of which now: mapped library file pages", status["RssFile"] / MB, "MB")
    # After the memory figures: the samples indexed here are the benchmark's work, not a session's.
    if library.is_file:
        scripts_search.measure_index_cost(library, table)
        if reindex:
            scripts_search.measure_rebuild(library, table)
    library.close()
    if baseline:
        _compare(table, baseline)
    return table


SCALE_LIMIT = 2.0
"""How much slower than the 100,000-article figure a 1,000,000-article figure may be."""
UNSCALED = frozenset({"export file size", "full-text index size", "near copies found among 20"})
"""Figures that grow with the library by nature, or are counts rather than costs."""


def _compare(table: Table, baseline: dict[str, float]) -> None:
    """Print each figure beside the baseline's and how many times slower (or larger) it is."""
    print(f"\nAgainst the baseline run (target: each figure within {SCALE_LIMIT:g}×):")
    print(f"  {'figure':<52} {'baseline':>12} {'this run':>12} {'ratio':>7}")
    for name, value in table.figures.items():
        before = baseline.get(name)
        if not before or not value or name in UNSCALED or name.startswith("  index per"):
            continue
        ratio = before / value if name in table.rates else value / before
        verdict = "" if ratio <= SCALE_LIMIT else f"  beyond {SCALE_LIMIT:g}×"
        print(f"  {name:<52} {before:12,.4g} {value:12,.4g} {ratio:6.2f}×{verdict}")


def main(argv: list[str] | None = None) -> int:
    """Build (if needed) and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--library", type=Path)
    parser.add_argument(
        "--library-url",
        help="measure a team library on PostgreSQL (postgresql://USER@HOST/DB; built there "
        "when it holds no articles)",
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print each query's times")
    parser.add_argument("--scripts-share", type=float, default=SCRIPTS_SHARE)
    parser.add_argument("--reindex", action="store_true", help="time the index rebuild too")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.library_url:
        return _measure_team_library(args)
    path = args.library or default_library(args.articles, args.scripts_share)
    if args.build_only:
        build(path, args.articles, args.scripts_share)
        return 0
    marker = path.with_name(path.name + ".built")
    if args.rebuild or not marker.exists() or not path.exists():
        print(f"Building a library of {args.articles:,} articles at {path} …")
        command = [sys.executable, __file__, "--build-only", "--articles", str(args.articles)]
        command += ["--scripts-share", str(args.scripts_share)]
        subprocess.run([*command, "--library", str(path)], check=True)
        marker.write_text(f"{args.articles}\n", encoding="utf-8")
    baseline = None
    if args.baseline is not None:
        baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    table = measure(path, baseline, args.verbose, args.reindex)
    table.print()
    table.save(path.with_name(path.name + ".figures.json"))
    return 0


def _measure_team_library(args: argparse.Namespace) -> int:
    address = ServerAddress.parse(args.library_url)
    with Library.open(address) as library:
        empty = library.count() == 0 and library.count(scope=Scope.TRASH) == 0
    if args.build_only or empty:
        print(f"Building a library of {args.articles:,} articles in {address} …")
        build(address, args.articles, args.scripts_share)
        if args.build_only:
            return 0
    baseline = None
    if args.baseline is not None:
        baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    table = measure(address, baseline, args.verbose)
    table.print()
    name = f"corpusdesk-bench-team-{address.database}.figures.json"
    table.save(Path(tempfile.gettempdir()) / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
