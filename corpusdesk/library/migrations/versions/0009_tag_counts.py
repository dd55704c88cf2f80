"""The tags pane's counts and the order by tags, kept by the writes themselves.

``tag_counts`` holds, for each tag, how many articles carry it (trashed ones included), and
``tag_order`` each tagged article's first tag (the smallest folded name), the key of sorting by
tags. Both used to be worked out from every assignment each time they were needed, which grows
with the library (130 ms for the pane and over a second for the sort at a million articles).
Triggers on ``article_tags`` move a tag's count and an article's first tag whenever one of its
assignments is added or removed, including those removed with a deleted article or tag, and a
renamed tag's articles get their first tag again. SQLite does this row by row; PostgreSQL once
a statement, from the statement's transition table, so tagging ten thousand articles updates
each tag's count once.

Existing libraries are filled once, from the ``article_tags`` index.

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

_FIRST_TAG = """SELECT min(tags.folded_name) AS smallest FROM article_tags
    JOIN tags ON tags.id = article_tags.tag_id WHERE article_tags.article_id = {article}"""
SQLITE_TRIGGERS = {
    "tag_counts_added": """CREATE TRIGGER tag_counts_added AFTER INSERT ON article_tags BEGIN
        INSERT INTO tag_counts (tag_id, articles) VALUES (new.tag_id, 1)
            ON CONFLICT (tag_id) DO UPDATE SET articles = articles + 1;
        INSERT INTO tag_order (article_id, first_tag)
            SELECT new.article_id, folded_name FROM tags WHERE id = new.tag_id
            ON CONFLICT (article_id) DO UPDATE SET first_tag = min(first_tag, excluded.first_tag);
    END""",
    "tag_counts_removed": f"""CREATE TRIGGER tag_counts_removed AFTER DELETE ON article_tags BEGIN
        UPDATE tag_counts SET articles = articles - 1 WHERE tag_id = old.tag_id;
        DELETE FROM tag_order WHERE article_id = old.article_id;
        INSERT INTO tag_order (article_id, first_tag)
            SELECT old.article_id, smallest FROM ({_FIRST_TAG.format(article="old.article_id")})
            WHERE smallest IS NOT NULL AND EXISTS (SELECT 1 FROM articles WHERE id = old.article_id);
    END""",
    "tag_order_renamed": f"""CREATE TRIGGER tag_order_renamed
        AFTER UPDATE OF folded_name ON tags BEGIN
        UPDATE tag_order SET first_tag = ({_FIRST_TAG.format(article="tag_order.article_id")})
            WHERE article_id IN (SELECT article_id FROM article_tags WHERE tag_id = new.id);
    END""",
}
POSTGRESQL_FUNCTIONS = {
    "corpusdesk_count_added": """CREATE FUNCTION corpusdesk_count_added() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO tag_counts (tag_id, articles)
            SELECT tag_id, count(*) FROM added GROUP BY tag_id
        ON CONFLICT (tag_id) DO UPDATE SET articles = tag_counts.articles + excluded.articles;
        INSERT INTO tag_order (article_id, first_tag)
            SELECT added.article_id, min(tags.folded_name) FROM added
                JOIN tags ON tags.id = added.tag_id GROUP BY added.article_id
        ON CONFLICT (article_id)
            DO UPDATE SET first_tag = LEAST(tag_order.first_tag, excluded.first_tag);
        RETURN NULL;
    END $$""",
    "corpusdesk_count_removed": """CREATE FUNCTION corpusdesk_count_removed() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tag_counts SET articles = tag_counts.articles - gone.n
            FROM (SELECT tag_id, count(*) AS n FROM removed GROUP BY tag_id) AS gone
            WHERE tag_counts.tag_id = gone.tag_id;
        DELETE FROM tag_order WHERE article_id IN (SELECT article_id FROM removed);
        INSERT INTO tag_order (article_id, first_tag)
            SELECT article_tags.article_id, min(tags.folded_name) FROM article_tags
                JOIN tags ON tags.id = article_tags.tag_id
                WHERE article_tags.article_id IN (SELECT article_id FROM removed)
                GROUP BY article_tags.article_id;
        RETURN NULL;
    END $$""",
    "corpusdesk_order_renamed": f"""CREATE FUNCTION corpusdesk_order_renamed() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tag_order SET first_tag = ({_FIRST_TAG.format(article="tag_order.article_id")})
            WHERE article_id IN (SELECT article_id FROM article_tags WHERE tag_id = NEW.id);
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
    "tag_order_renamed": """CREATE TRIGGER tag_order_renamed AFTER UPDATE OF folded_name ON tags
        FOR EACH ROW EXECUTE FUNCTION corpusdesk_order_renamed()""",
}
TRIGGER_TABLES = {
    "tag_counts_added": "article_tags",
    "tag_counts_removed": "article_tags",
    "tag_order_renamed": "tags",
}


def upgrade() -> None:
    op.create_table(
        "tag_counts",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tag_id"),
    )
    op.create_table(
        "tag_order",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("first_tag", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.execute(
        "INSERT INTO tag_counts (tag_id, articles) "
        "SELECT tag_id, count(*) FROM article_tags GROUP BY tag_id"
    )
    op.execute(
        "INSERT INTO tag_order (article_id, first_tag) "
        "SELECT article_tags.article_id, min(tags.folded_name) FROM article_tags "
        "JOIN tags ON tags.id = article_tags.tag_id GROUP BY article_tags.article_id"
    )
    op.create_index("ix_tag_order_first_tag", "tag_order", ["first_tag", "article_id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*POSTGRESQL_FUNCTIONS.values(), *POSTGRESQL_TRIGGERS.values()):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table in TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        for name in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_tag_order_first_tag", table_name="tag_order")
    op.drop_table("tag_order")
    op.drop_table("tag_counts")
