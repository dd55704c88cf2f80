"""The log file: where it is, what goes in, rotation, reading its end; the version everywhere."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import corpusdesk
from corpusdesk.core import logs, paths


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary log folder; handlers added to the root logger are removed afterwards."""
    folder = tmp_path / "log"
    monkeypatch.setenv(paths.LOG_DIR_ENV, str(folder))
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield folder
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_log_lives_in_the_platform_log_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.LOG_DIR_ENV, raising=False)
    monkeypatch.setattr("platformdirs.user_log_dir", lambda name, appauthor: f"/logs/{name}")
    assert logs.log_file() == Path("/logs/corpusdesk/corpusdesk.log")


def test_corpusdesk_notes_and_warnings_from_anywhere_are_logged_once(log_dir: Path) -> None:
    path = logs.start_logging()
    assert path == log_dir / "corpusdesk.log"
    assert logs.start_logging() == path  # a second start adds no second handler
    logging.getLogger("corpusdesk.cli").info("imported 3 files")
    logging.getLogger("somelibrary").info("chatter nobody needs")
    logging.getLogger("somelibrary").warning("a warning worth keeping")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f"{os.getpid()} INFO corpusdesk.cli: imported 3 files")
    assert lines[1].endswith("WARNING somelibrary: a warning worth keeping")


def test_the_log_rotates_and_keeps_a_few_old_files(
    log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.start_logging()
    assert path is not None
    for number in range(200):
        logging.getLogger("corpusdesk").info("line %d %s", number, "x" * 40)
    names = sorted(p.name for p in log_dir.iterdir())
    assert names == ["corpusdesk.log", *(f"corpusdesk.log.{n}" for n in range(1, logs.BACKUPS + 1))]
    assert all(p.stat().st_size <= 2000 for p in log_dir.iterdir())
    assert logs.last_lines(1)[0].endswith(f"line 199 {'x' * 40}")


def test_a_log_that_cannot_be_written_is_done_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(paths.LOG_DIR_ENV, str(blocker / "log"))
    assert logs.start_logging() is None
    assert logs.last_lines(10) == []


def test_last_lines_reads_only_the_end_of_a_long_log(tmp_path: Path) -> None:
    path = tmp_path / "long.log"
    path.write_text("".join(f"entry {n:06d}\n" for n in range(100_000)), encoding="utf-8")
    assert logs.last_lines(3, path) == ["entry 099997", "entry 099998", "entry 099999"]
    everything = logs.last_lines(1_000_000, path)
    assert len(everything) < 10_000 and all(line.startswith("entry ") for line in everything)
    assert logs.last_lines(0, path) == []


def test_the_command_line_logs_each_run_and_its_errors(log_dir: Path, tmp_path: Path) -> None:
    environment = dict(os.environ, CORPUSDESK_LOG_DIR=str(log_dir))
    missing = tmp_path / "nowhere" / "x.db"
    command = [sys.executable, "-m", "corpusdesk", "--library", str(missing), "search", "("]
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert result.returncode == 2
    text = (log_dir / "corpusdesk.log").read_text(encoding="utf-8")
    assert f"corpusdesk {corpusdesk.__version__} started: --library {missing} search (" in text
    assert "WARNING corpusdesk.cli: search: " in text


def test_one_version_for_the_package_metadata_and_the_command() -> None:
    from importlib.metadata import version

    result = subprocess.run(
        [sys.executable, "-m", "corpusdesk", "--version"], capture_output=True, text=True
    )
    assert result.stdout.strip() == f"corpusdesk {corpusdesk.__version__}"
    changelog = (Path(__file__).parents[2] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {corpusdesk.__version__}" in changelog
    assert version("corpusdesk") == corpusdesk.__version__  # pyproject takes it from the package


def test_names_that_are_not_utf8_are_logged_not_refused(log_dir: Path) -> None:
    path = logs.start_logging()
    assert path is not None
    logging.getLogger("corpusdesk.test").warning("importing %s", os.fsdecode(b"caf\xe9.html"))
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "importing caf\\udce9.html" in path.read_text(encoding="utf-8")
