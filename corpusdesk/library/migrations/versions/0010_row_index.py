"""The articles table's rows read from an index, not from the articles themselves.

SQLite stores an article's columns in order, and its long text and HTML come before the
duplicate group and the trash mark: reading those for a row of the table meant reading every
page of the article, a second a page of rows at a million articles when they were not in
memory. ``ix_articles_row`` holds every column the table shows, and
``ix_articles_group_live`` the group and trash mark that counting a group's copies needs.
Building them reads every article once (about a minute a million articles from disk).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ROW_COLUMNS = (
    "title", "site_name", "authors", "published", "word_count", "duplicate_group", "source_name",
)  # fmt: skip
"""As ``corpusdesk.library.schema.ROW_COLUMNS`` says now (migrations keep their own copy)."""


def upgrade() -> None:
    op.create_index("ix_articles_row", "articles", ["id", *ROW_COLUMNS])
    op.create_index("ix_articles_group_live", "articles", ["duplicate_group", "deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_group_live", table_name="articles")
    op.drop_index("ix_articles_row", table_name="articles")
