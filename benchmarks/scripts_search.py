"""What indexing Chinese, Japanese, Korean and Thai text in character pairs costs, at scale.

Used by ``library_scale.py`` on its synthetic library (whose articles in those scripts come
from ``synthetic_scripts``): the size of the full-text index, the time of queries in those
scripts, and, on samples of each script, the index size and indexing time per article with
the index form and tokenizer of this version against the plain ``unicode61`` index of earlier
versions (which could not find a word inside a CJK sentence at all) and FTS5's ``trigram``
tokenizer (which cannot find words shorter than three characters, most Chinese words).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from benchtools import MB, Table, median, ms, percentile, timed
from sqlalchemy import text
from synthetic_scripts import make_vocabularies

from corpusdesk.core.fulltext import TOKENIZER, index_form
from corpusdesk.library.articles import SortKey
from corpusdesk.library.library import Library

SAMPLE = 1_000
EARLIER_TOKENIZER = "unicode61 remove_diacritics 2"
LANGUAGES = ("en", "zh", "ja", "ko", "th")
REBUILD_HASHSIZE = 64 * 1024 * 1024


def script_queries(latin_words: list[str]) -> dict[str, list[str]]:
    """Queries in each script over words, phrases, single characters and prefixes."""
    vocabularies = make_vocabularies()
    zh, ja, ko, th = (vocabularies[s] for s in ("zh", "ja", "ko", "th"))
    katakana = next(word for word in ja.words[20:] if "\u30a1" <= word[0] <= "\u30fa")
    return {
        "zh": [
            zh.words[20],
            zh.words[300],
            zh.words[3_000],
            zh.words[15_000],
            f'"{zh.phrases[0]}"',
            f'"{zh.phrases[1]}"',
            zh.words[5][0],
            f"{zh.words[100]}*",
            f"{zh.words[40]} {zh.words[400]}",
            f"{zh.words[60]} OR {latin_words[400]}",
        ],
        "ja": [ja.words[50], katakana, f'"{ja.phrases[0]}"', f"{ja.words[500]} -{ja.words[30]}"],
        "ko": [ko.words[200], ko.words[5_000], f'"{ko.phrases[1]}"'],
        "th": [th.words[100], th.words[2_000], f'"{th.phrases[2]}"'],
    }


def index_size(library: Library) -> float:
    """Bytes of the full-text index (its FTS5 tables), from SQLite's page statistics.

    Summed over the pages: ``dbstat``'s own totals (``aggregate = TRUE``) wrap at 4 GiB.
    """
    with library.reading() as session:
        rows = session.execute(
            text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'")
        )
        return float(rows.scalar_one() or 0)


def measure_queries(
    library: Library,
    table: Table,
    queries: dict[str, list[str]],
    first_page: Callable[..., int],
    detail: Callable[[str, str, list[float]], None],
) -> None:
    """Time the queries in other scripts as ``library_scale`` times the English ones."""
    window: list[float] = []
    whole: list[float] = []
    relevance: list[float] = []
    for script_queries in queries.values():
        for query in script_queries:
            runs = [timed(lambda q=query: first_page(q, SortKey.PUBLISHED, True, True))[0]]
            runs += [timed(lambda q=query: first_page(q, SortKey.PUBLISHED, True, True))[0]]
            window += runs
            detail("CJK/Thai first page", f"{query} ({library.count(query):,})", runs)
            whole.append(timed(lambda q=query: first_page(q, SortKey.PUBLISHED, True, False))[0])
            ranked = timed(lambda q=query: first_page(q, SortKey.RELEVANCE, False, True))[0]
            relevance.append(ranked)
    table.add("CJK/Thai query → first page, median", ms(median(window)), "ms")
    table.add("CJK/Thai query → first page, p95", ms(percentile(window, 0.95)), "ms", 100)
    table.add("CJK/Thai query → every matching id, p95", ms(percentile(whole, 0.95)), "ms")
    table.add(
        "CJK/Thai query by relevance → first page, p95",
        ms(percentile(relevance, 0.95)),
        "ms",
        100,
    )


def _samples(library: Library) -> dict[str, list[tuple[str, str]]]:
    with library.reading() as session:
        return {
            language: [
                (row[0], row[1])
                for row in session.execute(
                    text("SELECT title, text FROM articles WHERE language = :l LIMIT :n"),
                    {"l": language, "n": SAMPLE},
                )
            ]
            for language in LANGUAGES
        }


def _unchanged(value: str) -> str:
    return value


def _sample_index(rows: list[tuple[str, str]], tokenizer: str, form: Any) -> tuple[float, float]:
    """Bytes per article of an FTS5 index of ``rows`` and seconds per article to build it."""
    connection = sqlite3.connect(":memory:")
    connection.execute(f'CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize="{tokenizer}")')
    started = time.perf_counter()
    connection.executemany(
        "INSERT INTO t (title, text) VALUES (?, ?)",
        [(form(title), form(body)) for title, body in rows],
    )
    connection.execute("INSERT INTO t (t) VALUES ('optimize')")
    seconds = time.perf_counter() - started
    size = connection.execute(
        "SELECT (SELECT coalesce(sum(length(block)), 0) FROM t_data)"
        " + (SELECT coalesce(sum(length(sz)), 0) FROM t_docsize)"
        " + (SELECT count(*) * 16 FROM t_idx)"
    ).fetchone()[0]
    connection.close()
    return size / len(rows), seconds / len(rows)


def measure_index_cost(library: Library, table: Table) -> None:
    """Index bytes and build time per article of each script: earlier index against this one."""
    total = index_size(library)
    table.add("full-text index size", total / MB, "MB")
    for language, rows in _samples(library).items():
        if not rows:
            continue
        before, _ = _sample_index(rows, EARLIER_TOKENIZER, _unchanged)
        trigrams, _ = _sample_index(rows, "trigram", _unchanged)
        after, seconds = _sample_index(rows, TOKENIZER, index_form)
        table.add(
            f"  index per '{language}' article",
            after / 1024,
            "KiB",
            note=f"earlier {before / 1024:.2f} KiB ({after / before:.2f}×), "
            f"trigram {trigrams / 1024:.2f} KiB; indexing {ms(seconds):.2f} ms",
        )


def measure_rebuild(library: Library, table: Table) -> None:
    """Rebuild the whole index as the upgrade to this version does once (same settings)."""
    with library.writing() as session:
        raw = session.connection()
        started = time.perf_counter()
        statement = "INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', ?)"
        raw.exec_driver_sql(statement, (REBUILD_HASHSIZE,))
        raw.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
        raw.exec_driver_sql(statement, (1024 * 1024,))
    table.add("rebuild the full-text index (the upgrade)", time.perf_counter() - started, "s")
