"""A process with a library open lets nothing but SQLite open the library's files.

Each case runs in a fresh interpreter: the guard is an audit hook, which stays for the life
of the process that installs it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.reliability.locks import assert_still_held

_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from corpusdesk.library.file_guard import LibraryFileProtected
    from corpusdesk.library.library import Library

    folder = Path(sys.argv[1])
    database = folder / "guarded library.corpusdesk.db"
    os.symlink(database.name, folder / "another name.db")
    library = Library.open(database)
    library.count("")
    os.link(database, folder / "hard link.db")
    attempts = {
        "the file": lambda: open(database, "rb"),
        "its log": lambda: open(str(database) + "-wal", "rb"),
        "its index": lambda: os.open(str(database) + "-shm", os.O_RDONLY),
        "a relative path": lambda: open(os.path.relpath(database), "rb"),
        "a symbolic link": lambda: open(folder / "another name.db", "rb"),
        "a hard link": lambda: open(folder / "hard link.db", "rb"),
        "bytes": lambda: open(os.fsencode(database), "rb"),
    }
    for what, attempt in attempts.items():
        try:
            attempt()
        except LibraryFileProtected:
            print("refused", what)
        else:
            print("opened", what)
    (folder / "page.html").write_text("<p>an ordinary file</p>")
    print("ordinary", open(folder / "page.html").read())
    sys.stdout.flush()
    input()  # the test looks at the locks from outside now
    library.close()
    with open(database, "rb") as closed:
        print("after closing", len(closed.read(16)))
    """
)


def test_library_files_are_refused_under_every_name_while_open(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(tmp_path)],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    lines = [child.stdout.readline().strip() for _ in range(8)]
    assert_still_held(tmp_path / "guarded library.corpusdesk.db", "refused opens")
    child.stdin.write("\n")
    child.stdin.flush()
    rest, errors = child.communicate(timeout=60)
    assert child.returncode == 0, errors
    assert lines[:7] == [
        f"refused {what}"
        for what in (
            "the file",
            "its log",
            "its index",
            "a relative path",
            "a symbolic link",
            "a hard link",
            "bytes",
        )
    ]
    assert lines[7] == "ordinary <p>an ordinary file</p>"
    assert rest.strip() == "after closing 16"
