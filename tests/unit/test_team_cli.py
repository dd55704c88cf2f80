"""``corpusdesk team init`` and team libraries named on the command line, against the test
session's server: the roles it makes are enforced by the server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest

from corpusdesk.core.errors import LibraryError
from corpusdesk.core.locations import ServerAddress
from corpusdesk.library.library import Library
from corpusdesk.library.server import team_roles
from tests.factories import make_draft, paragraph
from tests.postgres import TestServer

PASSWORD = "not-shown-anywhere"


def _corpusdesk(
    *arguments: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corpusdesk", *arguments],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


@pytest.fixture
def empty_database(postgres_server: TestServer) -> Iterator[str]:
    """A database with nothing in it, as a server's administrator makes one for a team."""
    name = postgres_server.new_database(library=False)
    try:
        yield name
    finally:
        postgres_server.drop_database(name)


def _member(server: TestServer, database: str, role: str, kind: str) -> ServerAddress:
    """A login for a colleague, granted the team's ``kind`` role; their library address."""
    login = f"{kind}_{database}"
    server.create_login(login, PASSWORD)
    with server.admin(database) as connection:
        connection.execute(f'GRANT "{role}" TO "{login}"')
    return server.address(database, login, PASSWORD)


def test_team_init_makes_a_library_and_two_roles(
    postgres_server: TestServer, empty_database: str
) -> None:
    url = postgres_server.url(empty_database).replace("postgres@", f"postgres:{PASSWORD}@")
    result = _corpusdesk("team", "init", url)
    assert result.returncode == 0, result.stderr
    roles = team_roles(empty_database)
    assert f"GRANT {roles.editors} TO" in result.stdout
    assert f"GRANT {roles.readers} TO" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr

    # Run again (a new version's upgrade, say), it keeps what is there.
    assert _corpusdesk("team", "init", url).returncode == 0
    with postgres_server.admin(empty_database) as connection:
        found = connection.execute(
            "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(%s) ORDER BY 1",
            ([roles.editors, roles.readers],),
        ).fetchall()
    assert found == [(roles.editors, False), (roles.readers, False)]


def test_readers_read_and_the_server_refuses_their_writes(
    postgres_server: TestServer, empty_database: str
) -> None:
    owner = postgres_server.address(empty_database)
    assert _corpusdesk("team", "init", str(owner)).returncode == 0
    roles = team_roles(empty_database)
    with Library.open(owner) as library:
        library.add_drafts(
            [make_draft(paragraph(seed), title=f"Story {seed}") for seed in range(3)]
        )
    reader = _member(postgres_server, empty_database, roles.readers, "reader")

    with Library.open(reader) as library:
        assert library.read_only
        assert library.count() == 3
        assert library.search_ids("council")
        with pytest.raises(LibraryError, match="read-only"):
            library.add_tag([1], "mine")
        # Even when the app is talked out of its read-only state, the server says no.
        library.read_only = False
        with pytest.raises(LibraryError, match="allows you to read this library but not"):
            library.add_tag([1], "mine")
    with (
        psycopg.connect(
            host=postgres_server.host,
            port=postgres_server.port,
            dbname=empty_database,
            user=reader.user,
            password=PASSWORD,
        ) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(
            "INSERT INTO tags (name, folded_name, search_name) VALUES ('x', 'x', 'x')"
        )

    # The password from libpq's environment, the URL without one.
    environment = {**os.environ, "PGPASSWORD": PASSWORD}
    listed = _corpusdesk("--library", str(reader), "search", "council", env=environment)
    assert listed.returncode == 0, listed.stderr
    assert "Story" in listed.stdout
    refused = _corpusdesk(
        "--library", str(reader), "tag", "add", "mine", "council", env=environment
    )
    assert refused.returncode == 2
    assert "read-only" in refused.stderr


def test_editors_import_and_tag(postgres_server: TestServer, empty_database: str) -> None:
    owner = postgres_server.address(empty_database)
    assert _corpusdesk("team", "init", str(owner)).returncode == 0
    editor = _member(postgres_server, empty_database, team_roles(empty_database).editors, "editor")
    with Library.open(editor) as library:
        assert not library.read_only
        results = library.add_drafts([make_draft(paragraph(7), title="Harbour council")])
        article_id = results[0].article_id
        assert article_id is not None
        assert library.add_tag([article_id], "Reviewed") == [article_id]
        library.update_metadata(article_id, {"title": "Harbour council, edited"})
        assert library.search_ids('title:"edited"') == [article_id]
        library.save_search("Mine", "tag:reviewed")
        library.trash([article_id])
        assert library.empty_trash() == 1


def test_team_init_explains_a_missing_database(postgres_server: TestServer) -> None:
    result = _corpusdesk("team", "init", postgres_server.url("no_such_database"))
    assert result.returncode == 2
    assert "no database 'no_such_database'" in result.stderr
    assert "Traceback" not in result.stderr


def test_stats_names_a_team_library_by_its_url(
    postgres_server: TestServer, team_address: ServerAddress
) -> None:
    environment = {**os.environ, "CORPUSDESK_LIBRARY": str(team_address)}
    result = _corpusdesk("stats", env=environment)
    assert result.returncode == 0, result.stderr
    assert f"library:          {team_address}" in result.stdout
    assert "size on server:" in result.stdout
    backups = _corpusdesk("--library", str(team_address), "backups")
    assert backups.returncode == 2
    assert "team library" in backups.stderr
