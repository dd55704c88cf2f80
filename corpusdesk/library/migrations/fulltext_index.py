"""Replacing the SQLite full-text index in a migration: its triggers, table and content view
dropped, the new definitions made, and the index rebuilt from the articles with a large term
buffer. Steps that change the index's definition (0005, 0011) share it; what they define is
in each step."""

from __future__ import annotations

from alembic import op

TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")
REBUILD_HASHSIZE = 64 * 1024 * 1024
"""FTS5's in-memory term buffer while rebuilding (the default, 1 MB, flushes far more often)."""
DEFAULT_HASHSIZE = 1024 * 1024


def replace_index(statements: tuple[str, ...]) -> None:
    """Drop the index and what keeps it, run ``statements`` (which define the new ones), and
    rebuild the index from the articles."""
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute("DROP VIEW IF EXISTS articles_fts_content")
    for statement in statements:
        op.execute(statement)
    setting = "INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', {})"
    op.execute(setting.format(REBUILD_HASHSIZE))
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    op.execute(setting.format(DEFAULT_HASHSIZE))
