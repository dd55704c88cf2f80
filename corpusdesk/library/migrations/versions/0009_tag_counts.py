"""The tags pane's counts kept by the writes themselves.

``tag_counts`` holds, for each tag, how many articles carry it (trashed ones included); the
tags pane used to count every assignment of every tag each time it was shown, which grows with
the library (130 ms at a million articles). Triggers on ``article_tags`` move a tag's count
whenever one of its assignments is added or removed, including those removed with a deleted
article or tag. SQLite counts row by row; PostgreSQL once a statement, from the statement's
transition table, so tagging ten thousand articles updates each tag's row once.

Existing libraries are counted once, from the ``article_tags`` index.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = {
    "tag_counts_added": """CREATE TRIGGER tag_counts_added AFTER INSERT ON article_tags BEGIN
        INSERT INTO tag_counts (tag_id, articles) VALUES (new.tag_id, 1)
            ON CONFLICT (tag_id) DO UPDATE SET articles = articles + 1;
    END""",
    "tag_counts_removed": """CREATE TRIGGER tag_counts_removed AFTER DELETE ON article_tags BEGIN
        UPDATE tag_counts SET articles = articles - 1 WHERE tag_id = old.tag_id;
    END""",
}
POSTGRESQL_FUNCTIONS = {
    "corpusdesk_count_added": """CREATE FUNCTION corpusdesk_count_added() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO tag_counts (tag_id, articles)
            SELECT tag_id, count(*) FROM added GROUP BY tag_id
        ON CONFLICT (tag_id) DO UPDATE SET articles = tag_counts.articles + excluded.articles;
        RETURN NULL;
    END $$""",
    "corpusdesk_count_removed": """CREATE FUNCTION corpusdesk_count_removed() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tag_counts SET articles = tag_counts.articles - gone.n
            FROM (SELECT tag_id, count(*) AS n FROM removed GROUP BY tag_id) AS gone
            WHERE tag_counts.tag_id = gone.tag_id;
        RETURN NULL;
    END $$""",
}
POSTGRESQL_TRIGGERS = {
    "tag_counts_added": """CREATE TRIGGER tag_counts_added AFTER INSERT ON article_tags
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION corpusdesk_count_added()""",
    "tag_counts_removed": """CREATE TRIGGER tag_counts_removed AFTER DELETE ON article_tags
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION corpusdesk_count_removed()""",
}


def upgrade() -> None:
    op.create_table(
        "tag_counts",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tag_id"),
    )
    op.execute(
        "INSERT INTO tag_counts (tag_id, articles) "
        "SELECT tag_id, count(*) FROM article_tags GROUP BY tag_id"
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*POSTGRESQL_FUNCTIONS.values(), *POSTGRESQL_TRIGGERS.values()):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON article_tags" if postgresql else ""))
    if postgresql:
        for name in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("tag_counts")
