"""Opening a team library on a PostgreSQL server, and setting one up for a team.

A database is opened as a library when it holds one (its ``alembic_version``) or nothing yet;
a database of another program is refused before anything is written. Migrations run in one
transaction under an advisory lock, so two desktops opening a library that needs an upgrade
at the same moment upgrade it once, and a failed upgrade leaves it as it was (PostgreSQL's
schema changes are transactional, so no backup copy is needed as on SQLite).

``init_team`` is ``corpusdesk team init``: the schema, and two roles for the team's members,
``<database>_editors`` (import, tag, edit, delete) and ``<database>_readers`` (browse, search,
export), enforced by the server's grants.
"""

from __future__ import annotations

from dataclasses import dataclass

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import OperationalError

from corpusdesk.core.errors import LibraryError, UserError
from corpusdesk.core.locations import ServerAddress
from corpusdesk.library.migrations import alembic_config

MIGRATION_LOCK = 0x636F7271
"""The advisory lock key held while a library's schema is checked and upgraded."""
EDITOR_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _user_tables(connection: Connection) -> int:
    return int(
        connection.scalar(
            text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        )
        or 0
    )


def can_write(connection: Connection) -> bool:
    """Whether the connected role may add articles (a reader may not)."""
    allowed = connection.scalar(
        select(func.has_table_privilege(func.current_user(), "articles", "INSERT"))
    )
    return bool(allowed)


def migrate_server_library(
    engine: Engine, address: ServerAddress, *, read_only: bool, create: bool
) -> bool:
    """Check the database is a library (or empty), bring its schema up to date; whether it
    is open read-only (asked, or the role may not write)."""
    config = alembic_config()
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    known = {script.revision for script in scripts.walk_revisions()}
    with engine.connect() as connection:
        revision = _revision(connection)
        if revision is None and _user_tables(connection):
            raise LibraryError(f"{address.title} is a database of another program, not a library")
        if revision is None and (read_only or not create):
            raise LibraryError(f"no library in {address.title}")
        if revision is not None and revision not in known:
            raise LibraryError(
                f"{address.title} was written by a newer corpusdesk (schema {revision}); "
                "please upgrade"
            )
        if revision == head:
            return read_only or not can_write(connection)
    if read_only:
        raise LibraryError(f"{address.title} needs a schema upgrade but is opened read-only")
    with engine.begin() as connection:
        connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
        if _revision(connection) != head:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    with engine.connect() as connection:
        return not can_write(connection)


@dataclass(frozen=True)
class TeamRoles:
    """The two group roles of a team library."""

    editors: str
    readers: str


def team_roles(database: str) -> TeamRoles:
    """The roles ``team init`` makes for ``database``."""
    stem = "".join(c if c.isalnum() or c == "_" else "_" for c in database.lower())
    return TeamRoles(editors=f"{stem}_editors", readers=f"{stem}_readers")


def init_team(address: ServerAddress) -> TeamRoles:
    """Create the library's schema (if it has none) and its editor and reader roles.

    Run by the database's owner (or a superuser); members are then granted a role:
    ``GRANT <database>_editors TO alice``. Raises ``UserError`` when the server refuses.
    """
    from corpusdesk.library.dialects.postgresql import create_server_engine

    engine = create_server_engine(address)
    try:
        migrate_server_library(engine, address, read_only=False, create=True)
        roles = team_roles(address.database)
        with engine.begin() as connection:
            for role in (roles.editors, roles.readers):
                exists = connection.scalar(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": role}
                )
                if not exists:
                    connection.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
            grant_team_rights(connection, roles)
        return roles
    except OperationalError as error:
        from corpusdesk.library.dialects.postgresql import connection_failure

        raise UserError(connection_failure(error, address)) from error
    finally:
        engine.dispose()


def grant_team_rights(connection: Connection, roles: TeamRoles) -> None:
    """Grant the roles their rights on every table and sequence of the library."""
    database = connection.scalar(select(func.current_database()))
    editors, readers = f'"{roles.editors}"', f'"{roles.readers}"'
    statements = [
        f'GRANT CONNECT ON DATABASE "{database}" TO {editors}, {readers}',
        f"GRANT USAGE ON SCHEMA public TO {editors}, {readers}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {readers}",
        f"GRANT {EDITOR_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {editors}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {editors}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {editors}",
        # Tables a later upgrade (run by the owner) adds get the same rights.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {readers}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {EDITOR_PRIVILEGES} ON TABLES "
        f"TO {editors}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES "
        f"TO {editors}",
    ]
    for statement in statements:
        connection.execute(text(statement))
