"""Schema migrations on real library files: the models agree with them, the tag folding
migration merges the tags that only differed in case or accent encoding, losing nothing, and
the folded fields migration makes field searches of earlier libraries ignore case and accents."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from corpusdesk.core.errors import LibraryError
from corpusdesk.library.articles import SortKey
from corpusdesk.library.dialects import sqlite_backups
from corpusdesk.library.dialects.sqlite import fts_key
from corpusdesk.library.dialects.sqlite_backups import list_backups
from corpusdesk.library.dialects.sqlite_engine import create_library_engine, open_engine
from corpusdesk.library.library import Library
from corpusdesk.library.migrations import alembic_config
from corpusdesk.library.schema import Base
from corpusdesk.library.transfer import MISCOUNTED_TAGS, MISORDERED_ARTICLES

BEFORE_FOLDING = "0003"
"""The last revision whose tags were unique by SQLite's ASCII-only NOCASE collation."""

NFD_ELECTION = "E\u0301lection"

# id: (name, colour, tagged article ids). NOCASE folded ASCII letters only, so these could
# all be told apart before; "ÄRGER" could not have been there beside "Ärger".
OLD_TAGS: dict[int, tuple[str, str | None, list[int]]] = {
    1: ("Ärger", "#ff0000", [1, 2]),
    2: ("ärger", None, [2, 3, 4]),
    3: ("Straße", None, [1]),
    4: ("STRASSE", "#0000ff", [5]),
    5: ("STRA\u1e9eE", "#00ff00", [5, 6]),
    6: (NFD_ELECTION, None, [6]),
    7: ("ÉLECTION", None, [1]),
    8: ("other", "#123456", [1, 2]),
}

_ARTICLE = text(
    "INSERT INTO articles (id, sha256, text_sha256, source_name, source_path, imported_at, "
    "title, authors, site_name, url, description, language, word_count, text, html, encoding, "
    "extractor_version, original_size) VALUES (:id, :digest, :digest, 'a.html', '/a.html', "
    "'2024-01-01 00:00:00.000000', :title, '', '', '', '', 'de', 2, :title, '', 'utf-8', "
    "'test', 0)"
)


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _library_before_folding(path: Path) -> None:
    """A library at the previous schema with tags colliding under Unicode case folding."""
    engine = create_library_engine(path)
    _migrate(engine, BEFORE_FOLDING)
    with engine.begin() as connection:
        for article_id in range(1, 8):
            connection.execute(
                _ARTICLE, {"id": article_id, "digest": f"{article_id:064}", "title": "Artikel"}
            )
        for tag_id, (name, color, article_ids) in OLD_TAGS.items():
            connection.execute(
                text("INSERT INTO tags (id, name, color) VALUES (:id, :name, :color)"),
                {"id": tag_id, "name": name, "color": color},
            )
            for article_id in article_ids:
                connection.execute(
                    text("INSERT INTO article_tags (article_id, tag_id) VALUES (:a, :t)"),
                    {"a": article_id, "t": tag_id},
                )
        connection.execute(
            text("INSERT INTO saved_searches (name, query) VALUES ('Angry', 'tag:ärger')")
        )
    engine.dispose()


def _check_file(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_models_match_the_migrated_schema(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "fresh.db")
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    # The full-text index is made by the migrations alone and has no model.
    assert [d for d in differences if not d[1].name.startswith("articles_fts")] == []


def test_opening_merges_tags_that_differ_only_in_case_or_accent_encoding(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.corpusdesk.db"
    _library_before_folding(path)

    with Library.open(path) as library:  # the real open path: backup, then migration
        tags = {t.name: (t.id, t.color, t.count) for t in library.tags()}
        assert tags == {
            "Ärger": (1, "#ff0000", 4),
            "Straße": (3, "#0000ff", 3),  # no colour of its own: the first duplicate's is kept
            "Élection": (6, None, 2),  # stored composed (NFC) from now on
            "other": (8, "#123456", 2),
        }
        for query, expected in [
            ("tag:ärger", [1, 2, 3, 4]),
            ("tag:ÄRGER", [1, 2, 3, 4]),
            ("tag:Ärger", [1, 2, 3, 4]),
            ("tag:strasse", [1, 5, 6]),
            ("tag:STRA\u1e9eE", [1, 5, 6]),
            (f"tag:{NFD_ELECTION}", [1, 6]),
            ("tag:élection", [1, 6]),
        ]:
            assert sorted(library.search_ids(query)) == expected, query
        assert library.rows([1])[1].tags == ("other", "Straße", "Ärger", "Élection")
        [saved] = library.saved_searches()
        assert (saved.name, saved.query) == ("Angry", "tag:ärger")
        library.add_tag([7], "ärger")
        assert len(library.tags()) == 4

    _check_file(path)
    [backup] = list_backups(path)
    with closing(sqlite3.connect(backup)) as connection:
        assert connection.execute("SELECT count(*) FROM tags").fetchone() == (len(OLD_TAGS),)


def test_downgrade_keeps_the_merged_tags_and_upgrading_again_works(tmp_path: Path) -> None:
    path = tmp_path / "old.corpusdesk.db"
    _library_before_folding(path)
    open_engine(path).dispose()

    engine = create_library_engine(path)
    _migrate(engine, BEFORE_FOLDING, down=True)
    with engine.connect() as connection:
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(tags)")]
        links = connection.exec_driver_sql(
            "SELECT tag_id, count(*) FROM article_tags GROUP BY tag_id ORDER BY tag_id"
        ).fetchall()
    engine.dispose()
    assert columns == ["id", "name", "color"]
    assert links == [(1, 4), (3, 3), (6, 2), (8, 2)]
    _check_file(path)

    with Library.open(path) as library:
        counts = {t.name: t.count for t in library.tags()}
        assert counts == {"Ärger": 4, "Straße": 3, "Élection": 2, "other": 2}


BEFORE_FOLDED_FIELDS = "0005"
"""The last revision whose field searches folded ASCII letters only."""

_OLD_ARTICLES = [
    (1, "Café Straße", "Çelik Nimani\nAnna Weiß", "Nescafé INDIA"),
    (2, "ΣΊΣΥΦΟΣ", "", "Η Καθημερινή"),
    (3, "Plain title", "Bob", "Gazette"),
]


def test_opening_an_earlier_library_folds_its_fields(tmp_path: Path) -> None:
    path = tmp_path / "old.corpusdesk.db"
    engine = create_library_engine(path)
    _migrate(engine, BEFORE_FOLDED_FIELDS)
    with engine.begin() as connection:
        for article_id, title, authors, site in _OLD_ARTICLES:
            connection.execute(
                _ARTICLE, {"id": article_id, "digest": f"{article_id:064}", "title": title}
            )
            connection.execute(
                text("UPDATE articles SET authors = :authors, site_name = :site WHERE id = :id"),
                {"authors": authors, "site": site, "id": article_id},
            )
        connection.execute(
            text("INSERT INTO tags (id, name, folded_name) VALUES (1, 'Économie', 'économie')")
        )
        connection.execute(text("INSERT INTO article_tags (article_id, tag_id) VALUES (3, 1)"))
    engine.dispose()

    with Library.open(path) as library:
        for query, expected in [
            ("title:cafe", [1]),
            ("title:STRASSE", [1]),
            ("author:celik", [1]),
            ('author:"anna weiss"', [1]),
            ("site:NESCAFE", [1]),
            ("title:σίσυφος", [2]),
            ("site:καθημερινή", [2]),
            ("tag:economie", [3]),
        ]:
            assert library.search_ids(query) == expected, query
        library.update_metadata(3, {"site_name": "Ünlü"})
        assert library.search_ids("site:unlu") == [3]
    _check_file(path)

    engine = create_library_engine(path)
    _migrate(engine, BEFORE_FOLDED_FIELDS, down=True)
    with engine.connect() as connection:
        tables = {row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(tags)")]
    engine.dispose()
    assert not {name for name in tables if "folded_fields" in name}
    assert columns == ["id", "name", "folded_name", "color"]
    _check_file(path)
    with Library.open(path) as library:
        assert library.search_ids("site:unlu") == [3]
        assert library.search_ids("tag:ECONOMIE") == [3]


def test_capture_provenance_columns_come_and_go_with_articles_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.corpusdesk.db"
    _library_before_folding(path)  # seven articles at an earlier revision
    with Library.open(path) as library:
        [detail] = library.iter_details([1])
        assert (detail.captured_at, detail.source_member) == (None, None)
        assert library.search_ids("artikel") == [1, 2, 3, 4, 5, 6, 7]
        assert library.preview_html(1) == ""

    engine = create_library_engine(path)
    _migrate(engine, "0006", down=True)
    with engine.connect() as connection:
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(articles)")]
        tables = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name = 'resources'"
        ).fetchall()
    engine.dispose()
    assert "captured_at" not in columns and "source_member" not in columns and tables == []
    _check_file(path)
    with Library.open(path) as library:
        assert library.count() == 7


def test_tag_counts_are_made_for_an_earlier_library_and_go_on_a_downgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.corpusdesk.db"
    _library_before_folding(path)  # tags written before the counts were kept
    with Library.open(path) as library:
        counts = {tag.name: tag.count for tag in library.tags()}
        on_first = set(library.detail(1).tags)
        library.trash([1])
        assert {tag.name: tag.count for tag in library.tags()} == {
            name: count - (name in on_first) for name, count in counts.items()
        }
        with library.reading() as session:
            assert session.scalar(text(MISCOUNTED_TAGS)) == 0
            assert session.scalar(text(MISORDERED_ARTICLES)) == 0
    engine = create_library_engine(path)
    _migrate(engine, "0008", down=True)
    with engine.connect() as connection:
        left = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name GLOB 'tag_[co]*'"
        ).fetchall()
    engine.dispose()
    assert left == []
    _check_file(path)
    with Library.open(path) as library, library.reading() as session:
        assert session.scalar(text(MISCOUNTED_TAGS)) == 0


def test_an_upgrade_without_room_for_its_backup_changes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.corpusdesk.db"
    _library_before_folding(path)
    before = path.read_bytes()
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(
        sqlite_backups.shutil, "disk_usage", lambda _folder: usage._replace(free=1_000_000)
    )
    with pytest.raises(LibraryError, match=r"needs \d+ MB free.*has 1 MB.*nothing was changed"):
        Library.open(path)
    assert path.read_bytes() == before
    assert list_backups(path) == []
    monkeypatch.undo()
    with Library.open(path) as library:
        assert library.count() == 7
    assert len(list_backups(path)) == 1


def test_the_fulltext_index_is_put_in_date_order_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.corpusdesk.db"
    engine = create_library_engine(path)
    _migrate(engine, "0010")
    days = {1: "2024-05-01", 2: None, 3: "1999-01-31", 4: "2024-05-01"}
    with engine.begin() as connection:
        for article_id, day in days.items():
            connection.execute(
                _ARTICLE, {"id": article_id, "digest": f"{article_id:064}", "title": "Hafen"}
            )
            connection.execute(
                text("UPDATE articles SET published = :day WHERE id = :id"),
                {"day": day, "id": article_id},
            )
    engine.dispose()
    with Library.open(path) as library:
        assert library.search_ids("hafen", sort=SortKey.PUBLISHED, descending=True) == [4, 1, 3, 2]
        assert library.search_ids("hafen", sort=SortKey.PUBLISHED, limit=2) == [2, 3]
        with library.reading() as session:
            keys = set(session.scalars(text("SELECT id FROM articles_fts_docsize")))
    dates = {i: None if day is None else dt.date.fromisoformat(day) for i, day in days.items()}
    assert keys == {fts_key(day, article_id) for article_id, day in dates.items()}
    engine = create_library_engine(path)
    _migrate(engine, "0010", down=True)
    with engine.connect() as connection:
        assert set(connection.scalars(text("SELECT id FROM articles_fts_docsize"))) == set(days)
        connection.execute(text("UPDATE articles SET title = 'Kai', text = 'Kai' WHERE id = 3"))
        found = connection.scalars(
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'hafen' ORDER BY rowid")
        )
        assert list(found) == [1, 2, 4]
    engine.dispose()
    _check_file(path)
