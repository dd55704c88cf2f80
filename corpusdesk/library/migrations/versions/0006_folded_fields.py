"""Field searches ignore case and accents in every script, as word search does.

``title:``, ``author:`` and ``site:`` compared with SQLite's LIKE, which folds ASCII letters
only and no accents; ``tag:`` folded case but not accents. The title, authors and site name
folded by ``corpusdesk_fold`` (``corpusdesk.core.folding``) now live in ``folded_fields``, one
row an article, with an index on each column, written by triggers on ``articles`` so that no
way of adding or changing an article can leave them stale. Tags gain ``search_name``, their
name folded the same way (kept by the model, as ``folded_name`` is).

Existing libraries are filled from their articles in one pass (SQLite reads the three columns
of each row, not the text), before the indexes are built.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_FOLDED = (
    "new.id, corpusdesk_fold(new.title), corpusdesk_fold(new.authors), "
    "corpusdesk_fold(new.site_name)"
)
TRIGGERS = {
    "folded_fields_insert": f"""CREATE TRIGGER folded_fields_insert AFTER INSERT ON articles BEGIN
        INSERT INTO folded_fields (article_id, title, authors, site_name) VALUES ({_FOLDED});
    END""",
    "folded_fields_update": f"""CREATE TRIGGER folded_fields_update
        AFTER UPDATE OF title, authors, site_name ON articles BEGIN
        INSERT OR REPLACE INTO folded_fields (article_id, title, authors, site_name)
            VALUES ({_FOLDED});
    END""",
}
COLUMNS = ("title", "authors", "site_name")


def upgrade() -> None:
    op.create_table(
        "folded_fields",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("site_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    # On PostgreSQL (a new library, with no articles or tags yet) the folded fields are kept
    # by corpusdesk itself (0008), not by triggers calling corpusdesk's Python.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(
            "INSERT INTO folded_fields (article_id, title, authors, site_name) "
            "SELECT id, corpusdesk_fold(title), corpusdesk_fold(authors), "
            "corpusdesk_fold(site_name) FROM articles ORDER BY id"
        )
    for column in COLUMNS:
        op.create_index(f"ix_folded_fields_{column}", "folded_fields", [column])
    if sqlite:
        for statement in TRIGGERS.values():
            op.execute(statement)
    op.add_column("tags", sa.Column("search_name", sa.Text(), nullable=False, server_default=""))
    if sqlite:
        op.execute("UPDATE tags SET search_name = corpusdesk_fold(name)")
    op.create_index("ix_tags_search_name", "tags", ["search_name"])


def downgrade() -> None:
    op.drop_index("ix_tags_search_name", table_name="tags")
    op.execute("ALTER TABLE tags DROP COLUMN search_name")
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for column in COLUMNS:
        op.drop_index(f"ix_folded_fields_{column}", table_name="folded_fields")
    op.drop_table("folded_fields")
