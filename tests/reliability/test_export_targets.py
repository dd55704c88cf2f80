"""Where ``corpusdesk export -o`` writes: never over the library, streams as streams.

Through the real CLI: the library's own files (under any spelling, a symbolic or hard link),
its backups and kept copies are refused with one clear line and stay as they were; a named
pipe and standard output are written to as streams and stay what they are; a symbolic link is
followed and stays a link; a folder that cannot be written is one clear line; the file gets the
permissions of any new file under the umask, and a replaced file keeps its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpusdesk.cli import main
from corpusdesk.library.dialects.sqlite_backups import backup_library
from tests.factories import article_page
from tests.reliability.harness import check_library, cli_command, remount, small_filesystem


@pytest.fixture
def library(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in range(3):
        (pages / f"story-{seed}.html").write_text(article_page(seed), encoding="utf-8")
    path = tmp_path / "shelf" / "lib.db"
    assert main(["--library", str(path), "import", "--quiet", str(pages)]) == 0
    return path


def _export(
    capsys: pytest.CaptureFixture[str], library: Path, target: Path | str
) -> tuple[int, str, str]:
    status = main(["--library", str(library), "export", "-o", str(target)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _records(data: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_library_its_files_and_backups_are_refused(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = backup_library(library, "test")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "link.db").symlink_to(library)
    os.link(library, elsewhere / "hard.db")
    targets = [
        library,
        library.parent / ".." / "shelf" / "lib.db",
        elsewhere / "link.db",
        elsewhere / "hard.db",
        library.with_name("lib.db-wal"),
        library.with_name("lib.db-shm"),
        library.with_name("lib.db-journal"),
        backup,
        backup.with_name("new-file.jsonl"),
    ]
    before = _digest(library), _digest(backup)
    for target in targets:
        status, out, err = _export(capsys, library, target)
        assert status == 2 and out == "", (target, out, err)
        assert len(err.strip().splitlines()) == 1 and "the library itself" in err, err
        assert (_digest(library), _digest(backup)) == before, target
    assert len(check_library(library).articles) == 3
    assert not library.with_name("lib.db-journal").exists()
    assert not backup.with_name("new-file.jsonl").exists()


def test_a_named_pipe_is_written_to_as_a_stream(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = tmp_path / "received"
    with received.open("wb") as sink:
        reader = subprocess.Popen(["cat", str(pipe)], stdout=sink)
    try:
        status, _out, err = _export(capsys, library, pipe)
        reader.wait(timeout=10)
    finally:
        reader.kill()
    assert status == 0, err
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert len(_records(received.read_bytes())) == 3


@pytest.mark.parametrize("target", ["/dev/stdout", "/dev/fd/1"])
@pytest.mark.parametrize("into", ["pipe", "file"])
def test_standard_output_is_written_to_as_a_stream(
    library: Path, tmp_path: Path, target: str, into: str
) -> None:
    output = tmp_path / "output.jsonl"
    output.write_bytes(b"")
    command = cli_command(library, "export", "-o", target)
    if into == "pipe":
        result = subprocess.run(command, capture_output=True, check=False)
        written = result.stdout
    else:
        with output.open("ab") as sink:
            result = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, check=False)
        written = output.read_bytes()
    assert result.returncode == 0, result.stderr
    assert len(_records(written)) == 3  # the summary line went to standard error
    assert b"exported 3 articles" in result.stderr
    assert Path("/dev/stdout").is_symlink()


def test_a_symbolic_link_is_followed_and_stays_a_link(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "exports" / "corpus.jsonl"
    real.parent.mkdir()
    real.write_text("an older export\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    dangling = tmp_path / "next.jsonl"
    dangling.symlink_to(tmp_path / "exports" / "next-corpus.jsonl")
    for target in (link, dangling):
        status, _out, err = _export(capsys, library, target)
        assert status == 0, err
        assert target.is_symlink()
        assert len(_records(target.read_bytes())) == 3
    assert sorted(p.name for p in real.parent.iterdir()) == ["corpus.jsonl", "next-corpus.jsonl"]


@pytest.fixture(params=["no permission", "read-only file system"])
def unwritable_folder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "locked"
    if request.param == "no permission":
        if os.geteuid() == 0:
            pytest.skip("permissions do not bind root")
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
    else:
        with small_filesystem(folder, "1m"):
            remount(folder, "ro")
            yield folder


def test_a_folder_that_cannot_be_written_is_one_clear_line(
    library: Path, unwritable_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = unwritable_folder / "out.jsonl"
    status, out, err = _export(capsys, library, target)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and f"cannot export to {target}" in err, err
    assert list(unwritable_folder.iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_an_exported_file_has_the_permissions_of_a_new_file(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], umask: int
) -> None:
    previous = os.umask(umask)
    try:
        new = tmp_path / "new.jsonl"
        assert _export(capsys, library, new)[0] == 0
        replaced = tmp_path / "replaced.jsonl"
        replaced.write_text("an older export\n")
        replaced.chmod(0o640)
        assert _export(capsys, library, replaced)[0] == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE(replaced.stat().st_mode) == 0o640
    assert len(_records(replaced.read_bytes())) == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not bind root")
def test_a_read_only_file_is_not_replaced(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kept.jsonl"
    target.write_text("an export to keep\n")
    target.chmod(0o444)
    status, _out, err = _export(capsys, library, target)
    assert status == 2 and "read-only" in err
    assert target.read_text() == "an export to keep\n"
