"""The exact bytes of exported records, for articles whose every field is awkward.

``export_tricky.jsonl`` holds the lines the record builder in ``exporting.records``
(``json.dumps`` of ``export_record``) writes for the library built below: quotes,
backslashes, every ASCII control character, NUL, DEL, line separators, BOMs, astral
characters, empty fields, empty and odd author names, tags that sort by ``str.casefold``,
every kind of .html ending and unusual stored times. The library's own export
reader assembles lines in SQL; both must give exactly these bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ArticleDetail, ArticleDraft
from corpusdesk.exporting import writer
from corpusdesk.exporting.records import _stem, record_schema
from corpusdesk.exporting.writer import ExportFormat, export_articles
from corpusdesk.library.articles import split_authors
from corpusdesk.library.dialects import sqlite_export
from corpusdesk.library.dialects.sqlite_engine import register_functions
from corpusdesk.library.export_pieces import authors_json, quoted_stem
from corpusdesk.library.library import Library
from tests.factories import make_draft, paragraph

pytestmark = pytest.mark.sqlite_only(
    "checks SQLite's own export reader against values written straight into the file"
)

EXPECTED = Path(__file__).with_name("export_tricky.jsonl")
CONTROLS = "".join(chr(code) for code in range(32))
ODD = 'q"uote b\\ack \x7f \u2028\u2029 é 😀 中文 \ufeff \ud7ff \U0010fffd'
TAGS = (
    "Zeta",
    "alpha",
    "Beta",
    "straße",
    '"quoted" tag',
    "back\\slash",
    "ctrl\x01tag",
    "Émile",
    "emile",
    "😀",
    "ǅ",
)


def _draft(
    seed: int,
    source_name: str,
    *,
    member: str | None = None,
    captured: dt.datetime | None = None,
    **changes: Any,
) -> ArticleDraft:
    text = changes.pop("text", paragraph(seed, 30))
    base = make_draft(text, source_name=source_name, title=f"Title {seed}")
    article = dataclasses.replace(base.article, **changes)
    return dataclasses.replace(base, article=article, source_member=member, captured_at=captured)


def tricky_drafts() -> list[ArticleDraft]:
    """Drafts whose every field is awkward, in the order of ``export_tricky.jsonl``."""
    return [
        _draft(
            1,
            'Ünï "q" \\ name.HTML',
            title='Odd "title" \\ ' + CONTROLS + ODD,
            authors=('Ann "Quote" O\\Brien', "back\\nslash", "Émile Zola", "ctrl\x01\x1f\x7f"),
            site_name=ODD,
            url='https://example.org/a?b="c"&d=\\',
            description="desc " + CONTROLS + ODD,
            language="pt-BR",
            modified=dt.date(2024, 1, 31),
            text=paragraph(1, 30) + "\n\n" + CONTROLS + ODD + "\n\nend",
            encoding="windows-1252",
            member='in "q" \\ dir/' + CONTROLS + ODD + ".html",
            captured=dt.datetime(2023, 12, 17, 6, 30, 15),
        ),
        _draft(
            2,
            "plain name",
            title="",
            authors=(),
            site_name="",
            url="",
            description="",
            language="",
            published=None,
            modified=None,
            encoding="",
        ),
        _draft(
            3,
            "x.xhtml",
            authors=("", "A", "", "B", ""),
            published=dt.date(999, 1, 2),
            member="",
            captured=dt.datetime(999, 1, 2, 3, 4, 5),
        ),
        _draft(4, "z.htm", authors=("Solo",), member="pages/z.htm"),
        _draft(5, "Q.HTM"),
        _draft(6, "İ.HTML"),
        _draft(7, "y.shtml"),
        _draft(8, ".html"),
        _draft(9, "a.html.html"),
        _draft(10, "nul\x00byte.html", title="nul\x00title", text=paragraph(10, 30) + "\x00"),
        _draft(11, "K.html\u212a"),
        _draft(12, "Kelvin \u212a.html"),
    ]


def add_tricky(library: Library) -> list[int]:
    """The tricky drafts added, with tags that sort by ``str.casefold``; their ids."""
    ids = [result.article_id for result in library.add_drafts(tricky_drafts())]
    for name in TAGS:
        library.add_tag(ids[:1], name)
    library.add_tag(ids[2:4], "shared")
    return ids


def _build(library: Library) -> list[int]:
    ids = add_tricky(library)
    # Values the application would not write itself, set as they could be found on disk.
    with sqlite3.connect(library.path) as connection:
        register_functions(connection)
        connection.execute("UPDATE articles SET imported_at = '2024-03-01 12:00:00.000000'")
        for article_id, imported_at in zip(
            ids,
            (
                "2024-02-29 23:59:59.000001",
                "2024-02-29 23:59:59.000000",
                "2023-12-17T08:09:10",
                "2023-12-17 08:09:10.5",
            ),
            strict=False,
        ):
            connection.execute(
                "UPDATE articles SET imported_at = ? WHERE id = ?", (imported_at, article_id)
            )
        connection.execute(
            "UPDATE articles SET authors = ?, duplicate_group = 7 WHERE id = ?",
            ("\nTrailing\n", ids[5]),
        )
        connection.execute("UPDATE articles SET duplicate_group = 7 WHERE id = ?", (ids[6],))
        connection.execute(
            "UPDATE articles SET captured_at = '2024-02-29 23:59:59.000001' WHERE id = ?",
            (ids[4],),
        )
        connection.execute("UPDATE articles SET authors = ? WHERE id = ?", ("X\\\nY\\", ids[7]))
    connection.close()
    return ids


class _DetailsOnly:
    """The library seen only through ``iter_details``: lines built by ``export_line``."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def iter_details(self, ids: Sequence[int]) -> Iterator[ArticleDetail]:
        yield from self.library.iter_details(ids)


@pytest.fixture
def tricky(library: Library) -> tuple[Library, list[int]]:
    return library, _build(library)


@pytest.mark.parametrize("through", ["export reader", "details"])
def test_jsonl_lines_are_byte_exact(
    tricky: tuple[Library, list[int]], tmp_path: Path, through: str
) -> None:
    library, ids = tricky
    source = library if through == "export reader" else _DetailsOnly(library)
    target = tmp_path / "out.jsonl"
    assert export_articles(source, ids, target) == len(ids)
    assert target.read_bytes() == EXPECTED.read_bytes()


@pytest.mark.parametrize("through", ["export reader", "details"])
def test_json_array_holds_the_same_records(
    tricky: tuple[Library, list[int]], tmp_path: Path, through: str
) -> None:
    library, ids = tricky
    source = library if through == "export reader" else _DetailsOnly(library)
    target = tmp_path / "out.json"
    export_articles(source, ids, target)
    lines = EXPECTED.read_bytes().split(b"\n")[:-1]
    assert target.read_bytes() == b"[\n" + b",\n".join(lines) + b"\n]\n"


def test_ids_order_is_kept_and_unknown_ids_skipped(
    tricky: tuple[Library, list[int]], tmp_path: Path
) -> None:
    library, ids = tricky
    wanted = [ids[3], 999_999, ids[0], ids[11], ids[3]]
    target = tmp_path / "out.jsonl"
    assert export_articles(library, wanted, target) == 4
    lines = EXPECTED.read_bytes().split(b"\n")
    assert target.read_bytes().split(b"\n") == [lines[3], lines[0], lines[11], lines[3], b""]


def test_tricky_records_follow_the_schema_and_keep_their_values(
    tricky: tuple[Library, list[int]], tmp_path: Path
) -> None:
    library, ids = tricky
    target = tmp_path / "out.jsonl"
    export_articles(library, ids, target)
    records = [json.loads(line) for line in target.read_bytes().split(b"\n")[:-1]]
    schema = record_schema()
    for record in records:
        jsonschema.validate(record, schema)
        assert list(record) == list(schema["properties"])
    first, empty, gaps = records[0], records[1], records[2]
    assert first["title"] == 'Odd "title" \\ ' + CONTROLS + ODD
    assert first["authors"] == [
        'Ann "Quote" O\\Brien',
        "back\\nslash",
        "Émile Zola",
        "ctrl\x01\x1f\x7f",
    ]
    assert first["tags"] == sorted(TAGS, key=str.casefold)
    assert first["text"].endswith(CONTROLS + ODD + "\n\nend")
    assert first["source_file"] == 'Ünï "q" \\ name'
    assert first["imported_at"] == "2024-02-29T23:59:59.000001Z"
    assert empty["imported_at"] == "2024-02-29T23:59:59Z"
    assert [empty[key] for key in ("site_name", "url", "language", "description", "encoding")] == [
        None
    ] * 5
    assert (empty["authors"], empty["tags"], empty["published"]) == ([], [], None)
    assert gaps["authors"] == ["A", "B"] and gaps["published"] == "0999-01-02"
    assert [record["source_file"] for record in records[3:]] == [
        "z",
        "Q",
        "İ",
        "y",
        "",
        "a.html",
        "nul\x00byte",
        "K.html\u212a",
        "Kelvin \u212a",
    ]
    assert records[5]["authors"] == ["Trailing"] and records[7]["authors"] == ["X\\", "Y\\"]


def _quoted(value: str) -> bytes:
    with sqlite3.connect(":memory:") as connection:
        quoted: bytes = connection.execute(
            "SELECT CAST(json_quote(?) AS BLOB)", (value,)
        ).fetchone()[0]
    connection.close()
    return quoted


_PIECES = st.sampled_from(["\n", "\\", '"', "\\n", "n", "\x00", "\x1f", "é", "😀", " ", "A"])
_AWKWARD = st.lists(_PIECES | st.text(max_size=3), max_size=8).map("".join)
_ENDINGS = st.sampled_from(
    ["", ".html", ".HTM", ".htm", ".xHtml", ".shtml", "html", ".ht", "\u212a"]
)


@given(_AWKWARD)
def test_authors_list_from_the_quoted_string_matches_split_authors(stored: str) -> None:
    expected = json.dumps(list(split_authors(stored)), ensure_ascii=False).encode()
    assert authors_json(_quoted(stored)) == expected


@given(_AWKWARD, _ENDINGS)
def test_quoted_stem_matches_the_record_stem(name: str, ending: str) -> None:
    expected = json.dumps(_stem(name + ending), ensure_ascii=False).encode()
    assert quoted_stem(_quoted(name + ending)) == expected


@given(st.text())
def test_sqlite_quotes_strings_as_json_dumps_does(value: str) -> None:
    assert _quoted(value) == json.dumps(value, ensure_ascii=False).encode()


class _Paced:
    """The library's export lines; from the third on, each waits for ``flushed`` (up to 5 s).

    With two lines to a batch, a flush is due once two lines are written: waiting for it
    makes the background flush happen while the export is still running.
    """

    def __init__(self, library: Library, flushed: threading.Event) -> None:
        self.library = library
        self.flushed = flushed

    def iter_export(self, ids: Sequence[int]) -> Iterator[bytes]:
        for index, line in enumerate(self.library.iter_export(ids)):
            if index >= 2:
                self.flushed.wait(5)
            yield line


@pytest.fixture
def flushing(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[str]]:
    """Flushes after every batch of two lines; the names of the threads that call fsync."""
    monkeypatch.setattr(writer, "WRITE_BATCH", 4)
    monkeypatch.setattr(writer, "FLUSH_EVERY", 1)
    return threading.Event(), []


def test_background_flushes_keep_the_file_the_same(
    tricky: tuple[Library, list[int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flushing: tuple[threading.Event, list[str]],
) -> None:
    library, ids = tricky
    flushed, callers = flushing
    fsync = writer.os.fsync

    def recording_fsync(descriptor: int) -> None:
        callers.append(threading.current_thread().name)
        fsync(descriptor)
        flushed.set()

    monkeypatch.setattr(writer.os, "fsync", recording_fsync)
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 5)
    target = tmp_path / "out.jsonl"
    progress: list[int] = []
    export_articles(_Paced(library, flushed), ids, target, progress=progress.append)
    assert target.read_bytes() == EXPECTED.read_bytes()
    assert callers[0] == "export-flush" and callers[-1] == threading.current_thread().name
    assert progress == [5, 10, 12]
    assert all(thread.name != "export-flush" for thread in threading.enumerate())


def test_failed_background_flush_leaves_no_file(
    tricky: tuple[Library, list[int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flushing: tuple[threading.Event, list[str]],
) -> None:
    library, ids = tricky
    flushed, _callers = flushing
    fsync = writer.os.fsync

    def failing_fsync(descriptor: int) -> None:
        if threading.current_thread().name == "export-flush":
            flushed.set()
            raise OSError(5, "Input/output error")
        fsync(descriptor)

    monkeypatch.setattr(writer.os, "fsync", failing_fsync)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.jsonl"
    target.write_bytes(b"previous export\n")
    with pytest.raises(UserError, match="Input/output error"):
        export_articles(_Paced(library, flushed), ids, target, ExportFormat.JSONL)
    assert flushed.is_set()
    assert target.read_bytes() == b"previous export\n"
    assert [path.name for path in folder.iterdir()] == ["out.jsonl"]
    assert all(thread.name != "export-flush" for thread in threading.enumerate())


def record_snapshots(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each export of a library file from now on got its readers' shared snapshot."""
    got: list[bool] = []
    shared = sqlite_export.shared_snapshot

    def recording(path: Path, count: int) -> list[sqlite3.Connection] | None:
        readers = shared(path, count)
        got.append(readers is not None)
        return readers

    monkeypatch.setattr(sqlite_export, "shared_snapshot", recording)
    return got


@pytest.fixture
def threaded(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Exports of the tricky library read in threads, two articles a batch; records whether
    each export got its shared snapshot."""
    monkeypatch.setattr(sqlite_export, "EXPORT_BATCH", 2)
    monkeypatch.setattr(sqlite_export, "PARALLEL_FROM_BATCHES", 2)
    monkeypatch.setattr(sqlite_export, "BATCHES_AHEAD", 1)
    return record_snapshots(monkeypatch)


def _export_readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("export-read")]


def test_threaded_export_lines_are_byte_exact(
    tricky: tuple[Library, list[int]], tmp_path: Path, threaded: list[bool]
) -> None:
    library, ids = tricky
    target = tmp_path / "out.jsonl"
    wanted = [*ids, 999_999, ids[3]]
    assert export_articles(library, wanted, target) == len(ids) + 1
    lines = EXPECTED.read_bytes().split(b"\n")
    assert target.read_bytes().split(b"\n") == [*lines[:-1], lines[3], b""]
    assert threaded == [True]
    assert _export_readers() == []


def test_threaded_export_reads_one_state_while_the_library_changes(
    tricky: tuple[Library, list[int]], threaded: list[bool]
) -> None:
    library, ids = tricky
    lines = library.iter_export(ids)
    first = next(lines)
    with Library.open(library.location) as other:  # another window saving meanwhile
        other.update_metadata(ids[-1], {"title": "Changed while exporting"})
        other.rename_tag("Zeta", "Omega")
        other.empty_trash()
        other.trash([ids[-2]])
        other.empty_trash()
    rest = list(lines)
    assert [first, *rest] == EXPECTED.read_bytes().split(b"\n")[:-1]
    assert threaded == [True]
    assert b"Changed while exporting" in next(library.iter_export(ids[-1:]))


def test_export_waits_for_no_writer_and_reads_alone_while_one_is_busy(
    tricky: tuple[Library, list[int]], threaded: list[bool]
) -> None:
    library, ids = tricky
    assert isinstance(library.location, Path)
    writer_connection = sqlite3.connect(library.location, isolation_level=None)
    writer_connection.execute("BEGIN IMMEDIATE")
    try:
        exported = list(library.iter_export(ids))
    finally:
        writer_connection.execute("ROLLBACK")
        writer_connection.close()
    assert exported == EXPECTED.read_bytes().split(b"\n")[:-1]
    assert threaded == [False]


def test_an_export_stopped_early_leaves_no_reader_behind(
    tricky: tuple[Library, list[int]], threaded: list[bool]
) -> None:
    library, ids = tricky
    lines = library.iter_export(ids)
    next(lines)
    assert _export_readers()
    lines.close()
    assert _export_readers() == []
    with library.writing() as session:  # nothing keeps the library from being written
        session.execute(text("UPDATE articles SET title = 'x' WHERE id = :id"), {"id": ids[0]})
    assert threaded == [True]
