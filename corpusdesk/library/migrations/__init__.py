"""The library's schema migrations (Alembic), run on both backends: ``alembic_config`` points
Alembic at them; where a step differs between SQLite and PostgreSQL, it branches on the
backend in that step."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent


def alembic_config() -> Config:
    """An Alembic configuration pointing at corpusdesk's migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config
