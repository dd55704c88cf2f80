"""The window's library process, without a window: calls, errors, and its end.

Each case runs in a fresh interpreter with no thread but its main one, as the app is when it
forks the library process at start-up.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from corpusdesk.core.errors import QueryError
    from corpusdesk.gui.library_client import LibraryProcess

    if __name__ == "__main__":
        process = LibraryProcess.started_early()
        print(process._process._popen.method if process._process else None)
        library = process.open(Path(sys.argv[1]))
        print(library.count(""), library.read_only)
        try:
            library.count("(")
        except QueryError as error:
            print("query error at", error.position)
        pid = process.pid
        library.close()
        started = time.monotonic()
        process.stop()
        print("stopped in under a second", time.monotonic() - started < 1.0)
    """
)


def test_forked_library_process_answers_and_ends_as_soon_as_let_go(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path / "forked.corpusdesk.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "fork",
        "0 False",
        "query error at 0",
        "stopped in under a second True",
    ]
