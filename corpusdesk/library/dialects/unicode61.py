"""The words SQLite's full-text tokenizer finds in a text, found in Python.

A library on PostgreSQL must find exactly the articles the same library finds on SQLite, so
its index is given the tokens SQLite's ``unicode61`` tokenizer (with corpusdesk's settings,
``corpusdesk.core.fulltext.TOKENIZER``) would make of the text in index form. Which characters
belong to words and how each is folded (case, Latin diacritics) come from SQLite itself: once
per process, every character outside the large blocks whose characters are words of their own
as they are (CJK ideographs, Hangul syllables, private use) is put through an FTS5 table, and
what comes out is kept as a separator set and a translation table (and in the user's cache
folder, so that later runs read them instead). The tokenizer folds one character at a time, so
those two tables are all of its behaviour.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import threading
from functools import cache
from pathlib import Path

from corpusdesk.core.fulltext import TOKENIZER
from corpusdesk.core.paths import cache_dir

_UNCHANGED_BLOCKS = (
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xD800, 0xF8FF),  # surrogates and private use
    (0x20000, 0xDFFFF),  # supplementary ideographs, unassigned planes
    (0xE1000, 0x10FFFF),  # private use planes
)
_PROBED = (range(0x20000), range(0xE0000, 0xE1000))
"""The basic and supplementary multilingual planes, and the tags and variation selectors of
plane 14 (tags separate words, variation selectors belong to them)."""


def _probed() -> list[int]:
    return [
        code
        for codes in _PROBED
        for code in codes
        if not any(low <= code <= high for low, high in _UNCHANGED_BLOCKS)
    ]


_LEARNING = threading.Lock()
TABLES_VERSION = 2
"""Changes when the characters probed do, so tables kept from before are learnt again."""


def _tables() -> tuple[frozenset[str], dict[int, str]]:
    """Separator characters, and the characters the tokenizer changes (to what it makes);
    learnt once per process (a second caller waits for the first)."""
    with _LEARNING:
        return _learnt()


@cache
def _learnt() -> tuple[frozenset[str], dict[int, str]]:
    kept = _cache_file()
    try:
        saved = json.loads(kept.read_text(encoding="utf-8"))
        return frozenset(saved["separators"]), {int(k): v for k, v in saved["folds"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    separators, folds = _probe()
    with contextlib.suppress(OSError):
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f".{kept.name}.{os.getpid()}")
        partial.write_text(
            json.dumps({"separators": "".join(sorted(separators)), "folds": folds}),
            encoding="utf-8",
        )
        partial.replace(kept)
    return separators, folds


def _cache_file() -> Path:
    """Where the learnt tables are kept between runs: one file per SQLite version."""
    return cache_dir() / f"unicode61-{TABLES_VERSION}-{sqlite3.sqlite_version}.json"


def _probe() -> tuple[frozenset[str], dict[int, str]]:
    codes = _probed()
    with sqlite3.connect(":memory:") as connection:
        connection.execute(f"CREATE VIRTUAL TABLE probe USING fts5(x, tokenize = {TOKENIZER!r})")
        # Each character between two markers: one token if it belongs to words, two if not.
        connection.executemany(
            "INSERT INTO probe (rowid, x) VALUES (?, ?)",
            ((code + 1, f"q{chr(code)}q") for code in codes if chr(code) != "q"),
        )
        connection.execute("CREATE VIRTUAL TABLE words USING fts5vocab(probe, 'instance')")
        found: dict[int, list[str]] = {}
        for term, row in connection.execute("SELECT term, doc FROM words"):
            found.setdefault(row - 1, []).append(term)
    separators: set[str] = set()
    folds: dict[int, str] = {ord("Q"): "q"}
    for code in codes:
        if code == ord("q"):
            continue
        terms = found.get(code, [])
        if len(terms) != 1:
            separators.add(chr(code))
        elif terms[0][1:-1] != chr(code):
            folds[code] = terms[0][1:-1]
    return frozenset(separators), folds


@cache
def _splitter() -> re.Pattern[str]:
    separators, _ = _tables()
    codes = sorted(ord(character) for character in separators)
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = (
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )
    return re.compile(f"[{''.join(parts)}]+")


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` (in index form), folded as SQLite's index folds them.

    A word of nothing but diacritics folds to an empty token, which SQLite keeps: it takes a
    position (a phrase does not run across it) though no search finds it.
    """
    _, folds = _tables()
    return [piece.translate(folds) for piece in _splitter().split(text) if piece]
