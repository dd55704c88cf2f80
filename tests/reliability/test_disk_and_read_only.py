"""A full disk, a file size limit and a read-only library: clear messages, nothing changed.

The full-disk tests put the library (or the export target) on a small tmpfs, fill it to the
last byte and run the real CLI: it must exit with one clear line (no traceback) and leave the
library exactly as it was; once space is freed, the same command succeeds. The file-size
limit (RLIMIT_FSIZE, SIGXFSZ ignored) simulates the same failure without mounting anything.
A library on a read-only file system opens read-only and refuses changes with a clear message.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from corpusdesk.core.errors import LibraryError
from corpusdesk.library.library import Library
from tests.reliability.harness import (
    check_library,
    cli_command,
    fill_up,
    remount,
    run_cli,
    small_filesystem,
    write_pages,
)


def _seeded_library(path: Path, pages: list[Path]) -> None:
    result = run_cli(path, "import", "--quiet", *map(str, pages))
    assert result.returncode == 0, result.stderr
    assert run_cli(path, "tag", "add", "kept", "").returncode == 0


def _one_clear_line(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr


def test_import_and_tag_on_a_full_disk_change_nothing(
    tmp_path: Path, figures: Callable[[str], None]
) -> None:
    pages = write_pages(tmp_path / "pages", 30)
    with small_filesystem(tmp_path / "small", "4M") as disk:
        library = disk / "lib.db"
        _seeded_library(library, pages[:10])
        before = check_library(library)
        filler = fill_up(disk)
        attempts = {
            "import": run_cli(library, "import", "--quiet", str(tmp_path / "pages")),
            "tag": run_cli(library, "tag", "add", "new", ""),
        }
        for result in attempts.values():
            _one_clear_line(result, "disk is full")
        filler.unlink()
        assert check_library(library) == before
        again = run_cli(library, "import", "--quiet", str(tmp_path / "pages"))
        assert again.returncode == 0, again.stderr
        after = check_library(library)
        assert len(after.articles) == 30 and after.tags == before.tags
    figures("import and tag on a full 4 MB tmpfs: exit 2 with 'disk is full', library unchanged")


def test_export_to_a_full_disk_leaves_no_file(tmp_path: Path) -> None:
    library = tmp_path / "lib.db"
    _seeded_library(library, write_pages(tmp_path / "pages", 10))
    with small_filesystem(tmp_path / "small", "1M") as disk:
        (disk / "corpus.jsonl").write_text("previous\n")
        fill_up(disk)
        for name in ("corpus.jsonl", "new.json"):
            _one_clear_line(run_cli(library, "export", "-o", str(disk / name)), "disk is full")
        assert sorted(p.name for p in disk.iterdir()) == ["corpus.jsonl", "filler"]
        assert (disk / "corpus.jsonl").read_text() == "previous\n"


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _run_limited(limit: int, library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(library, *args),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        preexec_fn=_limit_file_size(limit),
    )


def test_file_size_limit_fails_export_cleanly(tmp_path: Path) -> None:
    library = tmp_path / "lib.db"
    _seeded_library(library, write_pages(tmp_path / "pages", 20))
    before = check_library(library)
    target = tmp_path / "corpus.jsonl"
    export = _run_limited(40_000, library, "export", "-o", str(target))
    _one_clear_line(export, "cannot export")
    assert not target.exists() and not list(tmp_path.glob(".corpus.jsonl*"))
    assert check_library(library) == before
    assert run_cli(library, "export", "-o", str(target)).returncode == 0
    assert len(target.read_text().splitlines()) == 20 and target.stat().st_size > 40_000
    assert all(json.loads(line)["tags"] == ["kept"] for line in target.read_text().splitlines())


def test_library_on_a_read_only_file_system_opens_read_only(
    tmp_path: Path, figures: Callable[[str], None]
) -> None:
    with small_filesystem(tmp_path / "small", "8M") as disk:
        library = disk / "lib.db"
        _seeded_library(library, write_pages(tmp_path / "pages", 5))
        before = check_library(library)
        remount(disk, "ro")
        try:
            with Library.open(library) as opened:
                assert opened.read_only
                assert opened.count() == 5 and [t.name for t in opened.tags()] == ["kept"]
                with pytest.raises(LibraryError, match="read-only"):
                    opened.add_tag(opened.search_ids(""), "new")
            listing = run_cli(library, "search", "--count")
            assert listing.returncode == 0 and listing.stdout.strip() == "5", listing.stderr
            _one_clear_line(run_cli(library, "tag", "add", "new", ""), "read-only")
        finally:
            remount(disk, "rw")
        assert check_library(library) == before
    figures("library on a read-only tmpfs: opens read-only, searches work, changes refused")
