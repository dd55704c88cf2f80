"""How each article was captured: when, and where in its container; images kept beside it.

``articles`` gains ``captured_at`` (when the page was saved, UTC) and ``source_member`` (the
member or record of the container at ``source_path`` the page came from; NULL for a page that
was a file of its own). Articles imported before keep NULL in both: their capture time was
never recorded. The ``resources`` table holds images kept with an article that its original
bytes do not hold.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: a batch (copy-and-move) migration would drop the FTS triggers.
    op.add_column("articles", sa.Column("source_member", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("captured_at", sa.DateTime(), nullable=True))
    op.create_table(
        "resources",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "location"),
    )


def downgrade() -> None:
    op.drop_table("resources")
    # SQLite drops a column in place (3.35+) as long as no index or trigger names it.
    op.drop_column("articles", "captured_at")
    op.drop_column("articles", "source_member")
