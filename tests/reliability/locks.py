"""Seeing from outside whether a library is still held by the processes that have it open.

Every connection to a library in WAL mode holds a shared lock on two places: a range of the
database file (SQLite's "shared" bytes) and one byte of the ``-shm`` index (its "dead man
switch"). A process closing its last connection tries to take both exclusively; if it can, it
believes it is the last user and deletes the log and the index. So while any process has the
library open, no other process may be able to lock either place exclusively.

The probe runs in a process of its own, because opening and closing the files here would drop
this test process's own SQLite locks, which is the very thing being tested.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SHARED_FIRST = 0x40000000 + 2
"""SQLite's lock bytes in the database file: from the pending byte + 2, 510 of them."""
SHARED_SIZE = 510
DEAD_MAN_SWITCH = 128
"""The byte of the ``-shm`` file every connection holds a shared lock on."""

_PROBE = """
import fcntl, os, sys

def free(path, start, length):
    descriptor = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start)
        except OSError:
            return False
        fcntl.lockf(descriptor, fcntl.LOCK_UN, length, start)
        return True
    finally:
        os.close(descriptor)

database = sys.argv[1]
shm = database + "-shm"
print(int(free(database, int(sys.argv[2]), int(sys.argv[3]))))
print(int(free(shm, int(sys.argv[4]), 1)) if os.path.exists(shm) else 2)
"""


def held_by_others(database: Path) -> tuple[bool, bool]:
    """Whether another process holds the database's shared lock, and the index's switch.

    The second value is False when the ``-shm`` file is gone altogether.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            str(database),
            str(SHARED_FIRST),
            str(SHARED_SIZE),
            str(DEAD_MAN_SWITCH),
        ],
        capture_output=True,
        text=True,
        check=True,
        errors="surrogateescape",
    )
    database_free, shm_state = result.stdout.split()
    return database_free == "0", shm_state == "0"


def assert_still_held(database: Path, step: str) -> None:
    """Fail unless some process still holds both of the library's shared locks."""
    database_held, index_held = held_by_others(database)
    assert database_held, f"after {step}: nobody holds the library's shared lock any more"
    assert index_held, f"after {step}: nobody holds the library index's shared lock any more"
