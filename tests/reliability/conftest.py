"""Fixtures of the reliability tests: sizes, the full-size switch and the printed figures.

Each test runs a CI-sized variant by default; its full-size variant is marked ``slow`` and
runs only with ``pytest --run-slow`` or ``CORPUSDESK_FULL_RELIABILITY=1``. What every test
tried (kills, fuzz inputs, peak memory …) is printed in a "reliability figures" section at
the end of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.harness import full_size

HERE = Path(__file__).parent
FIGURES = pytest.StashKey[list[str]]()


def _run_slow(config: pytest.Config) -> bool:
    return bool(config.getoption("--run-slow", default=False)) or full_size()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder's full-size variants unless they were asked for."""
    if _run_slow(config):
        return
    skip = pytest.mark.skip(
        reason="full-size variant: use --run-slow or CORPUSDESK_FULL_RELIABILITY=1"
    )
    for item in items:
        if HERE in Path(str(item.path)).parents and item.get_closest_marker("slow"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the reliability tests recorded."""
    lines = terminalreporter.config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record a line of figures (what the test tried) for the end-of-run summary."""
    lines = request.config.stash.setdefault(FIGURES, [])

    def record(text: str) -> None:
        line = f"{request.node.name}: {text}"
        lines.append(line)
        print(line)

    return record
