"""A long import in one go: pages per second and peak memory after 1,000 pages and at the end.

``python benchmarks/long_import.py [--pages 20000] [--keep DIR]`` writes that many distinct
saved pages, imports them with ``corpusdesk import --log`` in a child process and samples the
peak resident memory (VmHWM) of the importing process and of its worker processes. Memory is
flat when the peak at the end is close to the peak after the first 1,000 pages. Prints one
line of figures; the reliability tests call :func:`run` with a CI-sized page count.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.harness import (
    SessionMemory,
    cli_command,
    read_log,
    write_pages,
)

CHECKPOINT = 1000


@dataclass(frozen=True)
class LongRun:
    """What a long import measured."""

    pages: int
    imported: int
    seconds: float
    main_at_checkpoint: int
    workers_at_checkpoint: int
    anon_at_checkpoint: int
    main_at_end: int
    workers_at_end: int
    anon_at_end: int

    def summary(self) -> str:
        mb = 1048576
        return (
            f"{self.imported}/{self.pages} pages imported in {self.seconds:.0f} s "
            f"({self.imported / self.seconds:.0f}/s); peak memory after {CHECKPOINT} pages: "
            f"importer {self.main_at_checkpoint / mb:.0f} MB "
            f"(heap {self.anon_at_checkpoint / mb:.0f} MB), "
            f"worker {self.workers_at_checkpoint / mb:.0f} MB; at {self.pages}: importer "
            f"{self.main_at_end / mb:.0f} MB (heap {self.anon_at_end / mb:.0f} MB), "
            f"worker {self.workers_at_end / mb:.0f} MB"
        )


def run(pages: int, folder: Path) -> LongRun:
    """Write ``pages`` pages in ``folder`` and import them into a new library there."""
    write_pages(folder / "pages", pages)
    library, log = folder / "lib.db", folder / "import.log"
    started = time.monotonic()
    process = subprocess.Popen(
        cli_command(library, "import", "--quiet", "--log", str(log), str(folder / "pages")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    checkpoint = (0, 0, 0)
    with SessionMemory(process.pid, interval=0.2) as memory:
        while process.poll() is None:
            time.sleep(0.5)
            if checkpoint == (0, 0, 0) and len(read_log(log)) >= min(CHECKPOINT, pages):
                memory.sample()
                checkpoint = (memory.main, memory.workers, memory.main_anon)
        memory.sample()
    _, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"the import failed: {err.decode(errors='replace')}")
    imported = sum(line.outcome == "imported" for line in read_log(log))
    return LongRun(
        pages,
        imported,
        time.monotonic() - started,
        *checkpoint,
        memory.main,
        memory.workers,
        memory.main_anon,
    )


def main() -> None:
    """Parse the arguments, run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        print(run(args.pages, args.keep).summary())
    else:
        with tempfile.TemporaryDirectory() as folder:
            print(run(args.pages, Path(folder)).summary())


if __name__ == "__main__":
    main()
