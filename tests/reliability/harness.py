"""Helpers shared by the reliability tests: pages, the CLI in a child process, library checks.

Everything here works on real files and real processes: the CLI runs as ``python -m
corpusdesk`` in its own session so that it, its worker processes and anything they leave
behind can be found (and, in a failing test, cleaned up) by session id.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sqlalchemy import text as sql

from corpusdesk.core.locations import LibraryLocation, ServerAddress
from corpusdesk.core.names import unescape_field
from corpusdesk.library.dialects.sqlite import FTS_ID_MASK
from corpusdesk.library.dialects.sqlite_engine import register_functions
from corpusdesk.library.querying import fts_phrase
from corpusdesk.library.transfer import MISCOUNTED_TAGS, MISORDERED_ARTICLES
from tests.factories import article_page

FULL_ENV = "CORPUSDESK_FULL_RELIABILITY"
SITES = ("Harbour Gazette", "Valley Courier", "Northern Ledger", "The Daily Lantern")


def full_size() -> bool:
    """Whether the full-size variants were asked for through the environment."""
    return os.environ.get(FULL_ENV, "") not in ("", "0")


def write_pages(folder: Path, count: int, start: int = 0) -> list[Path]:
    """``count`` distinct, realistic saved news pages from a few sites."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(start, start + count):
        path = folder / f"page-{seed:05d}.html"
        path.write_text(article_page(seed, site=SITES[seed % len(SITES)]), encoding="utf-8")
        paths.append(path)
    return paths


def cli_command(library: LibraryLocation, *args: str) -> list[str]:
    """The command line running the corpusdesk CLI on ``library``."""
    return [sys.executable, "-m", "corpusdesk", "--library", str(library), *args]


def run_cli(
    library: LibraryLocation, *args: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the CLI to completion and return its exit status and output."""
    return subprocess.run(
        cli_command(library, *args), capture_output=True, text=True, timeout=timeout, check=False
    )


@dataclass(frozen=True)
class LogLine:
    """One line of ``corpusdesk import --log``."""

    outcome: str
    article_id: int | None
    path: str
    reason: str


def read_log(path: Path) -> list[LogLine]:
    """The complete lines of an import log (a line cut short by a kill is ignored), with the
    path and reason unescaped: the path is the file's exact name."""
    if not path.exists():
        return []
    lines = []
    for raw in path.read_text(encoding="utf-8").split("\n")[:-1]:
        outcome, article, source, reason = raw.split("\t")
        lines.append(
            LogLine(
                outcome,
                int(article) if article else None,
                unescape_field(source),
                unescape_field(reason),
            )
        )
    return lines


@dataclass(frozen=True)
class LibraryState:
    """What a consistency check of a library file found."""

    articles: dict[int, str]
    """Article id → source path."""
    tags: dict[str, set[int]]


def check_library(location: LibraryLocation) -> LibraryState:
    """Check a library the way a careful user would, raising AssertionError on a problem."""
    if isinstance(location, ServerAddress):
        return check_team_library(location)
    return _check_library_file(location)


def check_team_library(address: ServerAddress) -> LibraryState:
    """Check a team library: the server keeps its own integrity and foreign keys; its search
    tables must cover every article as corpusdesk would write them, nothing may be left
    marked stale, every article is found by its title, no file is stored twice and every
    article keeps its original."""
    from corpusdesk.library.dialects.pg_search import document
    from corpusdesk.library.library import Library

    with Library.open(address) as library, library.reading() as session:
        rows = session.execute(
            sql("SELECT id, source_path, title, sha256, text FROM articles")
        ).all()
        stale = session.execute(sql("SELECT count(*) FROM stale_articles")).scalar_one()
        assert stale == 0, f"{stale} articles left out of the search tables"
        documents = dict(
            session.execute(sql("SELECT article_id, document::text FROM article_search")).all()
        )
        folded = session.execute(sql("SELECT count(*) FROM folded_fields")).scalar_one()
        assert len(documents) == folded == len(rows), (
            f"{len(documents)} index entries, {folded} folded rows for {len(rows)} articles"
        )
        for article_id, _source, title, _sha, body in rows:
            expected = session.execute(
                sql("SELECT CAST(:d AS tsvector)::text"), {"d": document(title, body)}
            ).scalar_one()
            assert documents[article_id] == expected, f"article #{article_id} indexed wrongly"
        originals = session.execute(sql("SELECT count(*) FROM originals")).scalar_one()
        assert originals == len(rows), f"{originals} originals for {len(rows)} articles"
        miscounted = session.execute(sql(MISCOUNTED_TAGS)).scalar_one()
        assert miscounted == 0, f"{miscounted} tags' kept article counts are wrong"
        misordered = session.execute(sql(MISORDERED_ARTICLES)).scalar_one()
        assert misordered == 0, f"{misordered} articles' kept first tags are wrong"
        tags: dict[str, set[int]] = {}
        for name, article_id in session.execute(
            sql(
                "SELECT tags.name, article_tags.article_id FROM tags "
                "JOIN article_tags ON article_tags.tag_id = tags.id"
            )
        ):
            tags.setdefault(name, set()).add(article_id)
    for article_id, _source, title, _sha, _body in rows:
        if re.search(r"\w", title):
            with Library.open(address) as library:
                assert article_id in library.search_ids(f'title:"{title}"'), (
                    f"article #{article_id} not found by its title"
                )
            break  # one search per check: the index itself was compared above
    hashes = [sha for *_rest, sha, _body in rows]
    assert len(set(hashes)) == len(hashes), "a file is stored twice"
    return LibraryState({a: s for a, s, *_ in rows}, tags)


def _check_library_file(path: Path) -> LibraryState:
    """Check a library file the way a careful user would, raising AssertionError on a problem.

    The file must pass SQLite's integrity and foreign-key checks; the full-text index must pass
    FTS5's own integrity check against the articles table, hold one entry per article and find
    every article by its title; no file may be stored twice; every article keeps its original.
    The index's content is a view computed by corpusdesk's SQL function, which the check needs.
    """
    connection = sqlite3.connect(path, timeout=30)
    register_functions(connection)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        assert integrity == [("ok",)], f"integrity_check: {integrity}"
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        assert not problems, f"foreign_key_check: {problems}"
        connection.execute(
            "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)"
        )
        rows = connection.execute("SELECT id, source_path, title, sha256 FROM articles").fetchall()
        indexed = connection.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
        assert indexed == len(rows), f"{indexed} index entries for {len(rows)} articles"
        for article_id, _source, title, _sha in rows:
            if not re.search(r"\w", title):
                continue
            found = connection.execute(
                f"SELECT rowid & {FTS_ID_MASK} FROM articles_fts WHERE articles_fts MATCH ?",
                (f"title : {fts_phrase(title)}",),
            ).fetchall()
            assert (article_id,) in found, f"article #{article_id} not found by its title"
        hashes = [sha for *_rest, sha in rows]
        assert len(set(hashes)) == len(hashes), "a file is stored twice"
        originals = connection.execute("SELECT count(*) FROM originals").fetchone()[0]
        assert originals == len(rows), f"{originals} originals for {len(rows)} articles"
        miscounted = connection.execute(MISCOUNTED_TAGS).fetchone()[0]
        assert miscounted == 0, f"{miscounted} tags' kept article counts are wrong"
        misordered = connection.execute(MISORDERED_ARTICLES).fetchone()[0]
        assert misordered == 0, f"{misordered} articles' kept first tags are wrong"
        tags: dict[str, set[int]] = {}
        for name, article_id in connection.execute(
            "SELECT tags.name, article_tags.article_id FROM tags "
            "JOIN article_tags ON article_tags.tag_id = tags.id"
        ):
            tags.setdefault(name, set()).add(article_id)
        return LibraryState({a: s for a, s, _t, _h in rows}, tags)
    finally:
        connection.close()


def session_processes(session: int) -> list[int]:
    """Live processes (not zombies) whose session id is ``session``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, sid = fields[0], int(fields[3])
        if sid == session and state != "Z":
            found.append(int(entry.name))
    return found


def wait_until_gone(session: int, timeout: float) -> list[int]:
    """Wait up to ``timeout`` s for every process of ``session`` to end; those still alive."""
    deadline = time.monotonic() + timeout
    left = session_processes(session)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = session_processes(session)
    return left


def kill_all(pids: Sequence[int]) -> None:
    """SIGKILL these processes (ones a test started), ignoring those already gone."""
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class SessionMemory:
    """Samples the peak resident memory (VmHWM) of every process of a session while it runs.

    ``main`` is the peak of the session leader (the importing process), ``workers`` the
    highest peak of any other process of the session (the parsing workers).
    """

    def __init__(self, session: int, interval: float = 0.05) -> None:
        self.session = session
        self.interval = interval
        self.main = 0
        self.workers = 0
        self.main_anon = 0
        """Highest anonymous (heap) memory of the importing process seen while sampling."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SessionMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        """Read the peaks now."""
        for pid in session_processes(self.session):
            peak = _status_kb(pid, "VmHWM:")
            if pid == self.session:
                self.main = max(self.main, peak)
                self.main_anon = max(self.main_anon, _status_kb(pid, "RssAnon:"))
            else:
                self.workers = max(self.workers, peak)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


def _status_kb(pid: int, field: str) -> int:
    """A memory figure of ``pid`` from /proc in bytes, e.g. VmHWM (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class ConnectionTrap:
    """A local TCP server that records every connection attempt made to it (and answers none).

    Hostile pages point their remote resources at ``url``; a test then proves that nothing
    was fetched by finding ``attempts`` empty.
    """

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self.attempts: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ConnectionTrap:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._server.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, address = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1.0)
                try:
                    first = connection.recv(200).split(b"\r\n")[0]
                except OSError:
                    first = b""
                self.attempts.append(f"{address[0]}: {first.decode('latin-1')}")


PREVIEW_TAGS = frozenset(
    "p h2 h3 h4 h5 h6 ul ol li blockquote a em strong b i u sub sup code pre br "
    "table thead tbody tr th td figure figcaption".split()
)


def unsafe_preview_parts(fragment: str, *, markers: bool = True) -> list[str]:
    """What in stored preview HTML could run code or load anything (empty when safe).

    Only plain text markup may appear, attributes only as ``href`` on links, and links only to
    http(s) or mailto addresses. With ``markers`` the text may not even mention ``url(`` or
    ``javascript:`` (right for pages whose article text does not; a fuzzed page's may).
    """
    problems = []
    lowered = fragment.lower()
    for marker in ("url(", "javascript:", "vbscript:", "<script", "<iframe", "<img", "<meta"):
        if markers and marker in lowered:
            problems.append(f"contains {marker!r}")
    if not fragment.strip():
        return problems
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if element is root:
            continue
        if not isinstance(element.tag, str) or element.tag not in PREVIEW_TAGS:
            problems.append(f"element {element.tag!r}")
        for name, value in element.attrib.items():
            if element.tag != "a" or name != "href":
                problems.append(f"attribute {name}={value!r} on {element.tag}")
            elif not value.strip().lower().startswith(("http://", "https://", "mailto:")):
                problems.append(f"link to {value!r}")
    return problems


@contextmanager
def small_filesystem(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``folder`` (the test is skipped where mounting is denied)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def remount(folder: Path, mode: str) -> None:
    """Remount the file system at ``folder`` read-only (``ro``) or read-write (``rw``)."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def fill_up(folder: Path) -> Path:
    """Fill the file system holding ``folder`` to the last byte; returns the filler file."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
    return filler
