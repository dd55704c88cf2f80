"""Corpus-aware cleaning: per-site block counts, article site keys and edited fields.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_blocks",
        sa.Column("site_key", sa.Text(), nullable=False),
        sa.Column("block", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("sample", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("site_key", "block"),
    )
    # Plain ALTER TABLE ADD COLUMN: a batch (copy-and-move) migration would drop the FTS triggers.
    op.add_column("articles", sa.Column("site_key", sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "articles", sa.Column("edited_fields", sa.Text(), nullable=False, server_default="")
    )
    op.create_index("ix_articles_site_key", "articles", ["site_key"])
    # An empty BLOB, as each backend spells it.
    empty = "x''" if op.get_bind().dialect.name == "sqlite" else "''::bytea"
    for column in ("blocks", "kept_blocks"):
        op.add_column(
            "signatures",
            sa.Column(column, sa.LargeBinary(), nullable=False, server_default=sa.text(empty)),
        )


def downgrade() -> None:
    with op.batch_alter_table("signatures") as batch:
        batch.drop_column("kept_blocks")
        batch.drop_column("blocks")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_site_key")
        batch.drop_column("edited_fields")
        batch.drop_column("site_key")
    op.drop_table("site_blocks")
