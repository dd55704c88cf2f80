"""Team libraries: PostgreSQL's full-text index, derived-table upkeep and change notices.

On SQLite nothing changes (FTS5 and the triggers of 0005 and 0006 already do this work). On
PostgreSQL: ``article_search`` holds each article's ``tsvector`` under a GIN index; a trigger
notes in ``stale_articles`` every article whose title, authors, site or text is written, and
corpusdesk brings ``article_search`` and ``folded_fields`` up to date for them before each
write transaction commits (``corpusdesk.library.dialects.postgresql``); statement triggers
send ``NOTIFY corpusdesk_changes`` on every change, so open windows refresh.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NOTIFIED_TABLES = ("articles", "article_tags", "tags", "saved_searches", "import_runs")
UPGRADE = (
    """CREATE FUNCTION corpusdesk_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO stale_articles (article_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER articles_mark_stale
        AFTER INSERT OR UPDATE OF title, text, authors, site_name ON articles
        FOR EACH ROW EXECUTE FUNCTION corpusdesk_mark_stale()""",
    """CREATE FUNCTION corpusdesk_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('corpusdesk_changes', TG_TABLE_NAME);
        RETURN NULL;
    END $$""",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "article_search",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.dialects.postgresql.TSVECTOR(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_index(
        "ix_article_search_document", "article_search", ["document"], postgresql_using="gin"
    )
    op.create_table(
        "stale_articles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    for statement in UPGRADE:
        op.execute(statement)
    for name in NOTIFIED_TABLES:
        op.execute(
            f"CREATE TRIGGER {name}_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION corpusdesk_notify()"
        )
    # Undated articles and those in no group of copies sort first, as on SQLite; indexes in
    # that order let a first page be read without sorting every article.
    op.execute("CREATE INDEX ix_articles_published_sorted ON articles (published NULLS FIRST, id)")
    op.execute(
        "CREATE INDEX ix_articles_duplicate_group_sorted "
        "ON articles (duplicate_group NULLS FIRST, id)"
    )
    op.execute("INSERT INTO stale_articles (article_id) SELECT id FROM articles")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in NOTIFIED_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}_notify ON {name}")
    op.execute("DROP TRIGGER IF EXISTS articles_mark_stale ON articles")
    op.execute("DROP INDEX IF EXISTS ix_articles_published_sorted")
    op.execute("DROP INDEX IF EXISTS ix_articles_duplicate_group_sorted")
    op.execute("DROP FUNCTION IF EXISTS corpusdesk_notify()")
    op.execute("DROP FUNCTION IF EXISTS corpusdesk_mark_stale()")
    op.drop_table("stale_articles")
    op.drop_table("article_search")
