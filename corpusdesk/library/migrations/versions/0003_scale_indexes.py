"""Indexes for large libraries: per-site template lookups by count.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The site's template is the blocks with a high count: read them without a scan of the site.
    op.create_index("ix_site_blocks_site_articles", "site_blocks", ["site_key", "articles"])


def downgrade() -> None:
    op.drop_index("ix_site_blocks_site_articles", table_name="site_blocks")
