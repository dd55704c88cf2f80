"""A real PostgreSQL server for the test session, started in a temporary folder and stopped
at the end.

The server binaries are found with ``pg_config`` or in Debian's ``/usr/lib/postgresql/N/bin``.
``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` system user
(Debian's package creates it). The superuser ``postgres`` connects without a password from
this machine; every other role needs its password, so password handling is tested for real.
Each test gets a database of its own, copied from a template library migrated once.
A small watcher stops the server when the test process ends without doing so (killed or
aborted). ``CORPUSDESK_TEST_POSTGRES_URL`` (a superuser URL) uses an existing server instead.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg

from corpusdesk.core.locations import ServerAddress

URL_ENV = "CORPUSDESK_TEST_POSTGRES_URL"
TEMPLATE = "corpusdesk_template"
SUPERUSER = "postgres"


def _binaries() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        result = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(result.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return versions[0].parent if versions else None


def why_unavailable() -> str | None:
    """Why no server can be started here (None when one can)."""
    if os.environ.get(URL_ENV):
        return None
    if _binaries() is None:
        return "no PostgreSQL server binaries (install Debian's postgresql package)"
    if os.geteuid() == 0 and not _user_exists(SUPERUSER):
        return "running as root and there is no postgres system user to run the server"
    return None


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TestServer:
    """A running server and the databases made on it for tests."""

    __test__ = False

    def __init__(self, host: str, port: int, folder: Path | None, run_as: list[str]) -> None:
        self.host = host
        self.port = port
        self.folder = folder
        self._run_as = run_as
        self._numbers = itertools.count(1)

    @classmethod
    def start(cls) -> TestServer:
        existing = os.environ.get(URL_ENV)
        if existing:
            address = ServerAddress.parse(existing)
            url = address.sqlalchemy_url()
            return cls(url.host or "127.0.0.1", url.port or 5432, None, [])
        binaries = _binaries()
        assert binaries is not None
        folder = Path(tempfile.mkdtemp(prefix="corpusdesk-pg-"))
        run_as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(folder, SUPERUSER)
            folder.chmod(0o700)
            run_as = ["runuser", "-u", SUPERUSER, "--"]
        data = folder / "data"
        subprocess.run(
            [*run_as, str(binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8",
             "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256"],
            check=True, capture_output=True,
        )  # fmt: skip
        hba = data / "pg_hba.conf"
        rules = hba.read_text()
        trusted = f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
        (folder / "hba").write_text(trusted + rules)
        subprocess.run([*run_as, "cp", str(folder / "hba"), str(hba)], check=True)
        port = _free_port()
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
             "-l", str(folder / "server.log"), "-w", "start"],
            check=True, capture_output=True,
        )  # fmt: skip
        server = cls("127.0.0.1", port, folder, run_as)
        server._binaries = binaries
        server._stop_when_gone(os.getpid())
        return server

    def _stop_when_gone(self, owner: int) -> None:
        """Stop the server and remove its folder once the process ``owner`` has ended, even
        when it ends without stopping the server itself (killed, or aborted by a crash)."""
        assert self.folder is not None and self._binaries is not None
        stop = [*self._run_as, str(self._binaries / "pg_ctl"), "-D", str(self.folder / "data")]
        script = (
            f"while kill -0 {owner} 2>/dev/null; do sleep 1; done; "
            f"{shlex.join([*stop, '-m', 'immediate', '-w', 'stop'])} >/dev/null 2>&1; "
            f"rm -rf {shlex.quote(str(self.folder))}"
        )
        subprocess.Popen(
            ["sh", "-c", script],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    _binaries: Path | None = None

    def stop(self) -> None:
        if self.folder is None or self._binaries is None:
            return
        subprocess.run(
            [*self._run_as, str(self._binaries / "pg_ctl"), "-D", str(self.folder / "data"),
             "-m", "immediate", "-w", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{database}"

    def address(
        self, database: str, user: str = SUPERUSER, password: str | None = None
    ) -> ServerAddress:
        return ServerAddress.parse(self.url(database, user)).with_password(password)

    @contextlib.contextmanager
    def admin(self, database: str = "postgres") -> Iterator[psycopg.Connection]:
        """A superuser connection (autocommit)."""
        with psycopg.connect(
            host=self.host, port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as connection:
            yield connection

    def prepare_template(self) -> None:
        """The template every test library is copied from: a migrated, empty library."""
        from corpusdesk.library.library import Library

        with self.admin() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
        Library.open(self.address(TEMPLATE)).close()

    def new_database(self, *, library: bool = True) -> str:
        """A new database: a fresh empty library (from the template), or empty."""
        name = f"test_{os.getpid()}_{next(self._numbers)}_{int(time.time() * 1000) % 100000}"
        with self.admin() as connection:
            if library:
                connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
            else:
                connection.execute(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def create_login(self, name: str, password: str) -> None:
        """A login role with a password (dropped and made again if it exists)."""
        with self.admin() as connection:
            connection.execute(f'DROP ROLE IF EXISTS "{name}"')
            connection.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
