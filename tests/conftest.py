"""Fixtures shared by every test: no test ever touches the user's real library, settings or log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corpusdesk.core.paths import DATA_DIR_ENV, LIBRARY_ENV, LOG_DIR_ENV
from corpusdesk.library.library import Library


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.setenv(LIBRARY_ENV, str(data / "library.corpusdesk.db"))
    monkeypatch.setenv(LOG_DIR_ENV, str(data / "log"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    """A fresh, empty library in a temporary folder."""
    with Library.open(tmp_path / "test.corpusdesk.db") as opened:
        yield opened


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--run-slow``: also run the full-size reliability tests (marked ``slow``)."""
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="run the full-size reliability variants marked slow "
        "(or set CORPUSDESK_FULL_RELIABILITY=1)",
    )
