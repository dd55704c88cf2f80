"""Fixtures shared by every test: no test ever touches the user's real library, settings or log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corpusdesk.core.locations import LibraryLocation, ServerAddress
from corpusdesk.core.paths import CACHE_DIR_ENV, DATA_DIR_ENV, LIBRARY_ENV, LOG_DIR_ENV
from corpusdesk.library.library import Library
from tests.postgres import TestServer, why_unavailable


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.setenv(LIBRARY_ENV, str(data / "library.corpusdesk.db"))
    monkeypatch.setenv(LOG_DIR_ENV, str(data / "log"))
    monkeypatch.setenv(CACHE_DIR_ENV, str(data / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TestServer]:
    """A PostgreSQL server of the test session's own (skips when none can be started)."""
    reason = why_unavailable()
    if reason is not None:
        pytest.skip(reason)
    server = TestServer.start()
    try:
        server.prepare_template()
        yield server
    finally:
        server.stop()


@pytest.fixture
def team_address(postgres_server: TestServer) -> Iterator[ServerAddress]:
    """A fresh, empty library on the test server (its own database)."""
    name = postgres_server.new_database()
    try:
        yield postgres_server.address(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def library_location(request: pytest.FixtureRequest, tmp_path: Path) -> LibraryLocation:
    """Where a fresh, empty library is: a file, and a database on the test server."""
    if request.param == "sqlite":
        return tmp_path / "test.corpusdesk.db"
    marker = request.node.get_closest_marker("sqlite_only")
    if marker is not None:
        pytest.skip(f"SQLite only: {marker.args[0] if marker.args else 'reads SQLite internals'}")
    address: ServerAddress = request.getfixturevalue("team_address")
    return address


@pytest.fixture
def library(library_location: LibraryLocation) -> Iterator[Library]:
    """A fresh, empty library: a file in a temporary folder, and a team library on the test
    server (each test that uses it runs on both backends)."""
    with Library.open(library_location) as opened:
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
