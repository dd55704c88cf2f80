"""Full-text search in every script: Chinese, Japanese, Korean and Thai words inside sentences.

The index is given the text in index form (``corpusdesk.core.fulltext``: unspaced runs cut into
overlapping pairs), computed by the SQL function ``corpusdesk_index_form`` that every corpusdesk
connection registers. The index's external content becomes a view applying that function to the
articles table, so FTS5's rebuild and integrity check see what was indexed; the tokenizer keeps
combining marks inside words. The index is rebuilt, and the word counts of articles in unspaced
scripts are counted again (characters for Chinese and Japanese, dictionary words for Thai).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from corpusdesk.core.scripts import count_words, has_unspaced_script
from corpusdesk.library.migrations.fulltext_index import replace_index

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UPGRADE = (
    """CREATE VIEW articles_fts_content AS
        SELECT id, corpusdesk_index_form(title) AS title, corpusdesk_index_form(text) AS text
        FROM articles""",
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles_fts_content', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co Mn Mc'")""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES
            (new.id, corpusdesk_index_form(new.title), corpusdesk_index_form(new.text));
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES
            ('delete', old.id, corpusdesk_index_form(old.title), corpusdesk_index_form(old.text));
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES
            ('delete', old.id, corpusdesk_index_form(old.title), corpusdesk_index_form(old.text));
        INSERT INTO articles_fts(rowid, title, text) VALUES
            (new.id, corpusdesk_index_form(new.title), corpusdesk_index_form(new.text));
    END""",
)
DOWNGRADE = (
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
def _recount_words() -> None:
    connection = op.get_bind()
    # Only Han, kana and Thai change their counts; SQLite's GLOB compares code points in ranges.
    candidates = connection.execute(
        text("SELECT id, text FROM articles WHERE text GLOB '*[぀-ヿ㐀-鿿豈-﫿ｦ-ﾟ𠀀-𱍏ก-๎]*'")
    )
    counts = [
        {"id": article_id, "words": count_words(body)}
        for article_id, body in candidates
        if has_unspaced_script(body)
    ]
    if counts:
        connection.execute(text("UPDATE articles SET word_count = :words WHERE id = :id"), counts)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # a new PostgreSQL library has no articles yet, and its index comes with 0008
    replace_index(UPGRADE)
    _recount_words()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    replace_index(DOWNGRADE)
