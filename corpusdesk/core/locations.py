"""Where a library lives: a file on this computer, or a database on a PostgreSQL server.

Wherever a library is named (``--library``, ``CORPUSDESK_LIBRARY``, the window's recent list),
the name is either a path or a ``postgresql://`` URL. ``parse_location`` tells them apart;
``ServerAddress`` keeps a server URL with its password apart from it, so that the password
is never shown, logged or remembered: ``str()`` and ``repr()`` leave it out, and ``url`` (what
settings and the recent list keep) has none. The password travels only in memory, to the
processes that open the same library (job processes get the address through a pipe).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from corpusdesk.core.errors import LibraryError, UserError

SERVER_SCHEMES = ("postgresql", "postgres")
DRIVER = "postgresql+psycopg"


@dataclass(frozen=True)
class ServerAddress:
    """A library on a PostgreSQL server: ``postgresql://USER@HOST:PORT/DBNAME?sslmode=…``."""

    url: str
    """The URL without its password (query options such as ``sslmode`` kept)."""
    password: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        """The address a URL names; ``UserError`` for one that is not a PostgreSQL URL."""
        try:
            parsed = make_url(text.strip())
        except ArgumentError as error:
            raise UserError(f"not a library URL: {error}") from error
        backend = parsed.get_backend_name()
        if backend not in SERVER_SCHEMES:
            raise UserError(f"not a PostgreSQL URL: {redacted(text)}")
        if not parsed.database:
            raise UserError(f"the URL names no database: {redacted(text)}")
        bare = parsed.set(drivername="postgresql")._replace(password=None)
        return cls(bare.render_as_string(hide_password=False), parsed.password)

    def sqlalchemy_url(self) -> URL:
        """The URL SQLAlchemy connects with (psycopg, the password put back)."""
        return make_url(self.url).set(drivername=DRIVER, password=self.password)

    def with_password(self, password: str | None) -> ServerAddress:
        return replace(self, password=password)

    @property
    def database(self) -> str:
        return make_url(self.url).database or ""

    @property
    def host(self) -> str:
        return make_url(self.url).host or "localhost"

    @property
    def user(self) -> str:
        return make_url(self.url).username or ""

    @property
    def title(self) -> str:
        """A short name for window titles: ``corpus on db.example.org``."""
        return f"{self.database} on {self.host}"

    def __str__(self) -> str:
        return self.url


LibraryLocation = Path | ServerAddress


def is_server_url(text: str | os.PathLike[str]) -> bool:
    """Whether ``text`` is a server URL rather than a path."""
    if not isinstance(text, str):
        return False
    scheme, separator, _ = text.strip().partition("://")
    return bool(separator) and scheme.split("+")[0].lower() in SERVER_SCHEMES


def parse_location(text: str | os.PathLike[str] | ServerAddress) -> LibraryLocation:
    """A path or a server address from what the user typed (``~`` expanded in paths)."""
    if isinstance(text, ServerAddress):
        return text
    if is_server_url(text):
        return ServerAddress.parse(str(text))
    return Path(text).expanduser()


def library_file(location: LibraryLocation) -> Path:
    """The library file at ``location`` (``LibraryError`` for a team library, which has none)."""
    if isinstance(location, ServerAddress):
        raise LibraryError(f"{location.title} is a team library on a server, not a file")
    return location


class Located:
    """What a library's location tells: its file, if it has one (the library and the
    window's proxy of it both answer these from their ``location``)."""

    location: LibraryLocation

    @property
    def path(self) -> Path:
        """The library file (``LibraryError`` for a team library, which has none)."""
        return library_file(self.location)

    @property
    def is_file(self) -> bool:
        """Whether the library is a file on this computer (not a team library)."""
        return isinstance(self.location, Path)


def location_text(location: LibraryLocation) -> str:
    """How a location is written in settings and messages (never with a password)."""
    return str(location)


def redacted(text: str) -> str:
    """``text`` (a URL, perhaps) with any password in it replaced by ``***``."""
    try:
        return make_url(text.strip()).render_as_string(hide_password=True)
    except ArgumentError:
        return text
