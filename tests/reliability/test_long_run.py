"""A long import in one go keeps its memory flat (``benchmarks/long_import.py``).

The CI variant imports 2,000 pages, the full one 20,000. Between the first 1,000 pages and the
end, the importing process may grow only by what SQLite's page cache (64 MB) and the mapped
library file account for; the worker processes not at all beyond a small margin.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from long_import import run

MB = 1048576
IMPORTER_GROWTH = 150 * MB
"""The page cache (64 MB of heap) plus pages of the memory-mapped library file."""
WORKER_GROWTH = 60 * MB


@pytest.mark.parametrize(
    "pages", [pytest.param(2000, id="ci"), pytest.param(20_000, id="full", marks=pytest.mark.slow)]
)
def test_long_import_keeps_memory_flat(
    tmp_path: Path, pages: int, figures: Callable[[str], None]
) -> None:
    result = run(pages, tmp_path)
    figures(result.summary())
    assert result.imported == pages
    assert result.main_at_checkpoint and result.workers_at_checkpoint
    assert result.main_at_end - result.main_at_checkpoint < IMPORTER_GROWTH
    assert result.anon_at_end - result.anon_at_checkpoint < 64 * MB + 30 * MB
    assert result.workers_at_end - result.workers_at_checkpoint < WORKER_GROWTH
