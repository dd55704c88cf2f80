"""Initial schema: articles, originals, tags, LSH bands, saved searches, import runs, FTS5.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 16:22:50.061453
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        # SQLite's NOCASE, as PostgreSQL spells it: equal and sorted regardless of case.
        op.execute(
            'CREATE COLLATION IF NOT EXISTS "NOCASE" '
            "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
        )
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('source_name', sa.Text(), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.Text(collation='NOCASE'), nullable=False),
    sa.Column('authors', sa.Text(collation='NOCASE'), nullable=False),
    sa.Column('site_name', sa.Text(collation='NOCASE'), nullable=False),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('modified', sa.Date(), nullable=True),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('encoding', sa.String(length=32), nullable=False),
    sa.Column('extractor_version', sa.String(length=64), nullable=False),
    sa.Column('original_size', sa.Integer(), nullable=False),
    sa.Column('duplicate_group', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_authors'), ['authors'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_duplicate_group'), ['duplicate_group'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_imported_at'), ['imported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_site_name'), ['site_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_text_sha256'), ['text_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_title'), ['title'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_word_count'), ['word_count'], unique=False)

    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200, collation='NOCASE'), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200, collation='NOCASE'), nullable=False),
    sa.Column('color', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('article_tags',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'tag_id')
    )
    with op.batch_alter_table('article_tags', schema=None) as batch_op:
        batch_op.create_index('ix_article_tags_tag', ['tag_id', 'article_id'], unique=False)

    op.create_table('minhash_bands',
    sa.Column('band', sa.BigInteger(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('band', 'article_id')
    )
    with op.batch_alter_table('minhash_bands', schema=None) as batch_op:
        batch_op.create_index('ix_minhash_bands_article', ['article_id'], unique=False)

    op.create_table('originals',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id')
    )
    op.create_table('signatures',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('minhash', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id')
    )

    if op.get_bind().dialect.name == 'sqlite':  # PostgreSQL's index comes with 0008
        for statement in FTS_UPGRADE:
            op.execute(statement)


FTS_UPGRADE = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
)


def downgrade() -> None:
    for name in ('articles_fts_insert', 'articles_fts_delete', 'articles_fts_update'):
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.execute('DROP TABLE IF EXISTS articles_fts')
    op.drop_table('signatures')
    op.drop_table('originals')
    with op.batch_alter_table('minhash_bands', schema=None) as batch_op:
        batch_op.drop_index('ix_minhash_bands_article')

    op.drop_table('minhash_bands')
    with op.batch_alter_table('article_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_article_tags_tag')

    op.drop_table('article_tags')
    op.drop_table('tags')
    op.drop_table('saved_searches')
    op.drop_table('import_runs')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_word_count'))
        batch_op.drop_index(batch_op.f('ix_articles_title'))
        batch_op.drop_index(batch_op.f('ix_articles_text_sha256'))
        batch_op.drop_index(batch_op.f('ix_articles_site_name'))
        batch_op.drop_index(batch_op.f('ix_articles_published'))
        batch_op.drop_index(batch_op.f('ix_articles_language'))
        batch_op.drop_index(batch_op.f('ix_articles_imported_at'))
        batch_op.drop_index(batch_op.f('ix_articles_duplicate_group'))
        batch_op.drop_index(batch_op.f('ix_articles_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_articles_authors'))

    op.drop_table('articles')
