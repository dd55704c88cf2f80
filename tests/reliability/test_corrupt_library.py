"""Damaged library files: a clear error, the file never written to, a backup to go back to.

Garbage, truncated and partly overwritten files are opened by the library and the CLI: each
gives one clear message, exit status 2 and no traceback, and the file's bytes stay exactly as
they were (no journal or index files are left beside it). A library damaged in a page that
opening does not read fails later with the same kind of message. The automatic backup taken
before a schema migration is listed and restored, keeping the damaged file aside.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command

from corpusdesk.core.errors import LibraryError
from corpusdesk.library.dialects.sqlite_backups import list_backups, restore_backup
from corpusdesk.library.dialects.sqlite_engine import create_library_engine
from corpusdesk.library.library import Library
from corpusdesk.library.migrations import alembic_config
from tests.reliability.harness import check_library, run_cli, write_pages


@pytest.fixture(scope="module")
def sound_library(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a small, healthy library of 30 tagged articles."""
    folder = tmp_path_factory.mktemp("sound")
    path = folder / "lib.db"
    assert run_cli(path, "import", "--quiet", str(folder / "none")).returncode == 1
    write_pages(folder / "pages", 30)
    assert run_cli(path, "import", "--quiet", str(folder / "pages")).returncode == 0
    assert run_cli(path, "tag", "add", "kept", "").returncode == 0
    return path.read_bytes()


def _damaged(sound: bytes) -> dict[str, bytes]:
    half = len(sound) // 2
    return {
        "garbage": os.urandom(200_000),
        "text": b"These are my notes, not a library.\n" * 100,
        "truncated-half": sound[:half],
        "truncated-first-page": sound[:4096],
        "header-only": sound[:100],
        "overwritten-start": b"\0" * 4096 + sound[4096:],
        "overwritten-middle": sound[:8192] + os.urandom(half - 8192) + sound[half:],
    }


def _fingerprint(path: Path) -> tuple[str, list[str]]:
    siblings = sorted(p.name for p in path.parent.iterdir())
    return hashlib.sha256(path.read_bytes()).hexdigest(), siblings


@pytest.mark.parametrize(
    "kind",
    [
        "garbage",
        "text",
        "truncated-half",
        "truncated-first-page",
        "header-only",
        "overwritten-start",
        "overwritten-middle",
    ],
)
def test_damaged_file_gives_a_clear_error_and_is_never_written(
    sound_library: bytes, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "lib.db"
    path.write_bytes(_damaged(sound_library)[kind])
    before = _fingerprint(path)
    with pytest.raises(LibraryError, match="damaged or is not a corpusdesk library"):
        Library.open(path)
    for args in (["stats"], ["tag", "add", "x", ""]):
        result = run_cli(path, *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "damaged" in result.stderr
    assert _fingerprint(path) == before


def test_damage_found_after_opening_is_a_clear_error(sound_library: bytes, tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    damaged = bytearray(sound_library)
    pages = len(damaged) // 4096
    for page in range(pages // 2, pages - 2):  # article and original pages, not the schema
        damaged[page * 4096 : page * 4096 + 12] = b"\xff" * 12
    path.write_bytes(bytes(damaged))
    failures = []
    for args in (
        ["export", "-o", str(tmp_path / "out.jsonl")],
        ["search", "council", "--limit", "0"],
    ):
        result = run_cli(path, *args)
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode != 0:
            failures.append(result.stderr)
            assert result.returncode == 2 and "damaged" in result.stderr, result.stderr
    assert failures, "the damage went unnoticed"
    assert not (tmp_path / "out.jsonl").exists()


def test_backup_taken_before_a_migration_can_be_restored(
    tmp_path: Path, figures: Callable[[str], None]
) -> None:
    path = tmp_path / "lib.db"
    engine = create_library_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    with Library.open(path) as library:  # migrates to the current schema, after a backup
        assert library.count() == 0
    [backup] = list_backups(path)
    write_pages(tmp_path / "pages", 5)
    assert run_cli(path, "import", "--quiet", str(tmp_path / "pages")).returncode == 0
    path.write_bytes(path.read_bytes()[:4096])  # the disk fails
    damaged = path.read_bytes()
    with pytest.raises(LibraryError):
        Library.open(path)
    kept = restore_backup(path, backup)
    assert kept is not None and kept.read_bytes() == damaged
    with Library.open(path) as library:
        assert library.count() == 0 and not library.read_only
    check_library(path)
    figures("7 kinds of damaged file refused unchanged; backup listed and restored")


def test_a_damaged_backup_is_not_restored(tmp_path: Path) -> None:
    path, backup = tmp_path / "lib.db", tmp_path / "backup.db"
    path.write_bytes(b"current")
    backup.write_bytes(os.urandom(8192))
    with pytest.raises(LibraryError):
        restore_backup(path, backup)
    assert path.read_bytes() == b"current"
