"""Tags unique by their Unicode case-folded name; tags that only differed in case merge.

Before, tag names were unique under SQLite's NOCASE collation, which folds ASCII letters only:
``Ärger`` and ``ärger`` (or ``Straße`` and ``STRASSE``, or a composed and a decomposed ``É``)
could be two tags. Each group of such tags becomes one: the lowest id survives with its name
(composed to NFC) and its colour (or, when it had none, the colour of the first duplicate that
had one), and every article of a duplicate gets the survivor. Saved searches are not touched:
their ``tag:`` terms fold when they run.

The tags table gains ``folded_name`` (unique) and loses the unique NOCASE name. SQLite changes
a constraint only by rebuilding the table, and with foreign keys on (they cannot be switched
off inside the migration's transaction) dropping ``tags`` would delete every tag assignment
through ``ON DELETE CASCADE``; so the assignments are set aside in a plain table and
``article_tags`` is rebuilt after ``tags``, keeping the tag ids.

Downgrading rebuilds the old table without ``folded_name``; merged tags stay merged.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_LINKS_ASIDE = "migration_0004_tag_links"


def _fold(name: str) -> str:
    # The key of corpusdesk.core.tagnames.fold_tag_name as of this revision, kept here so that
    # the migration does the same thing whatever that function becomes.
    spaced = " ".join(name.split())
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", spaced).casefold())


def upgrade() -> None:
    bind = op.get_bind()
    survivors: dict[str, dict[str, Any]] = {}
    duplicates: list[tuple[int, int]] = []
    for tag_id, name, color in bind.execute(
        sa.text("SELECT id, name, color FROM tags ORDER BY id")
    ):
        key = _fold(name)
        survivor = survivors.get(key)
        if survivor is None:
            survivors[key] = {
                "id": tag_id,
                "name": unicodedata.normalize("NFC", name),
                "folded_name": key,
                "color": color,
            }
            continue
        duplicates.append((tag_id, survivor["id"]))
        survivor["color"] = survivor["color"] or color
    for duplicate, survivor_id in duplicates:
        bind.execute(
            sa.text(
                "INSERT OR IGNORE INTO article_tags (article_id, tag_id) "
                "SELECT article_id, :survivor FROM article_tags WHERE tag_id = :duplicate"
            ),
            {"survivor": survivor_id, "duplicate": duplicate},
        )
        bind.execute(
            sa.text("DELETE FROM article_tags WHERE tag_id = :duplicate"), {"duplicate": duplicate}
        )

    def folded_tags() -> sa.Table:
        table = op.create_table(
            "tags",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=200), nullable=False),
            sa.Column("folded_name", sa.Text(), nullable=False),
            sa.Column("color", sa.String(length=16), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_tags_folded_name", "tags", ["folded_name"], unique=True)
        return table

    _rebuild_tags(folded_tags, list(survivors.values()))


def downgrade() -> None:
    bind = op.get_bind()
    rows = [
        {"id": tag_id, "name": name, "color": color}
        for tag_id, name, color in bind.execute(sa.text("SELECT id, name, color FROM tags"))
    ]

    def nocase_tags() -> sa.Table:
        return op.create_table(
            "tags",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=200, collation="NOCASE"), nullable=False),
            sa.Column("color", sa.String(length=16), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("name"),
        )

    _rebuild_tags(nocase_tags, rows)


def _rebuild_tags(create_tags: Callable[[], sa.Table], rows: Sequence[dict[str, Any]]) -> None:
    """Replace the tags table by ``create_tags()`` holding ``rows``; keep every assignment."""
    op.execute(f"CREATE TABLE {_LINKS_ASIDE} AS SELECT article_id, tag_id FROM article_tags")
    # article_tags goes first: once nothing refers to tags, dropping it cascades nowhere.
    op.drop_index("ix_article_tags_tag", table_name="article_tags")
    op.drop_table("article_tags")
    op.drop_table("tags")
    op.bulk_insert(create_tags(), list(rows))
    op.create_table(
        "article_tags",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "tag_id"),
    )
    op.execute(
        "INSERT INTO article_tags (article_id, tag_id) "
        f"SELECT article_id, tag_id FROM {_LINKS_ASIDE} ORDER BY article_id, tag_id"
    )
    op.create_index("ix_article_tags_tag", "article_tags", ["tag_id", "article_id"])
    op.drop_table(_LINKS_ASIDE)
