"""SQLAlchemy 2 typed models of the library.

The articles table keeps what the table view and search need; the original bytes (and images
kept beside an original) live in tables of their own so scans over articles stay small. Authors
are stored newline-joined so that they sort, match with LIKE and read back without a JSON round
trip. The full-text index (``articles_fts``)
is an FTS5 table kept in step by triggers; it is created by the migrations, not by these models.
The folded title, authors and site name that field searches compare (``folded_fields``) are
written by triggers too, defined in the migrations: every way of writing an article keeps them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from corpusdesk.core.folding import fold_field
from corpusdesk.core.names import readable_name
from corpusdesk.core.tagnames import fold_tag_name

AUTHOR_SEPARATOR = "\n"


class StoredText(TypeDecorator[str]):
    """Text as each backend can hold it: PostgreSQL's text cannot hold NUL characters, which
    it is given as U+FFFD (SQLite keeps them)."""

    impl: type[String] = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is not None and dialect.name == "postgresql" and "\x00" in value:
            return value.replace("\x00", "\ufffd")
        return value


class StoredString(StoredText):
    """``StoredText`` of a bounded length."""

    impl = String
    cache_ok = True


class FileNameText(StoredText):
    """Text holding a file name or path, stored readable (see ``corpusdesk.core.names``).

    A name that is not valid UTF-8 reaches Python with surrogate escapes, which SQLite cannot
    store; its bytes that are not UTF-8 are stored as U+FFFD, the rest as it is.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return super().process_bind_param(None if value is None else readable_name(value), dialect)


class Base(DeclarativeBase):
    """Declarative base of every corpusdesk table."""


ROW_INDEX = "ix_articles_row"
"""The index holding what the articles table shows of each article (``ROW_COLUMNS``), so that
rows are read without the long text that sits before some of those columns in the table."""
ROW_COLUMNS = (
    "title", "site_name", "authors", "published", "word_count", "duplicate_group", "source_name",
)  # fmt: skip


class Article(Base):
    """One imported page: clean text, preview HTML and metadata."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_name: Mapped[str] = mapped_column(FileNameText)
    source_path: Mapped[str] = mapped_column(FileNameText)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    title: Mapped[str] = mapped_column(StoredText(collation="NOCASE"), default="", index=True)
    authors: Mapped[str] = mapped_column(StoredText(collation="NOCASE"), default="", index=True)
    site_name: Mapped[str] = mapped_column(StoredText(collation="NOCASE"), default="", index=True)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    modified: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str] = mapped_column(StoredText, default="")
    description: Mapped[str] = mapped_column(StoredText, default="")
    language: Mapped[str] = mapped_column(String(16), default="", index=True)
    word_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    text: Mapped[str] = mapped_column(StoredText, default="")
    html: Mapped[str] = mapped_column(StoredText, default="")
    encoding: Mapped[str] = mapped_column(String(32), default="")
    extractor_version: Mapped[str] = mapped_column(String(64), default="")
    original_size: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_group: Mapped[int | None] = mapped_column(Integer, index=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    site_key: Mapped[str] = mapped_column(StoredText, default="", server_default="", index=True)
    """The site for template learning: the URL's host, else the folded site name."""
    edited_fields: Mapped[str] = mapped_column(StoredText, default="", server_default="")
    """Space-separated metadata fields the user edited; re-cleaning leaves them alone."""
    source_member: Mapped[str | None] = mapped_column(FileNameText)
    """Where in the container at ``source_path`` the page was (a zip member's path …); NULL
    for a page that was a file of its own."""
    captured_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """When the page was saved (UTC), as its capture or else its file's time says."""

    __table_args__ = (
        Index(ROW_INDEX, "id", *ROW_COLUMNS),
        Index("ix_articles_group_live", "duplicate_group", "deleted_at"),
    )


class FoldedFields(Base):
    """An article's title, authors and site name as field searches compare them.

    Each is ``fold_field`` of the article's column (``corpusdesk.core.folding``). The rows are
    written by triggers on ``articles`` (migration 0006), never by the application: inserting
    an article adds its row, changing one of the three columns rewrites it, and deleting the
    article deletes it. A table of its own, rather than columns of ``articles``, so that its
    indexes are read without touching article rows, and a trigger's write stays small.
    """

    __tablename__ = "folded_fields"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(StoredText, index=True)
    authors: Mapped[str] = mapped_column(StoredText, index=True)
    site_name: Mapped[str] = mapped_column(StoredText, index=True)


class Original(Base):
    """The original bytes of an article's page, zlib-compressed."""

    __tablename__ = "originals"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StoredResource(Base):
    """An image kept with an article that its original bytes do not hold (a saved page's
    ``NAME_files`` folder), by the location the page refers to it with."""

    __tablename__ = "resources"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    location: Mapped[str] = mapped_column(StoredText, primary_key=True)
    media_type: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Tag(Base):
    """A tag; unique by its folded name, shown under the name it was given."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(StoredString(200))
    folded_name: Mapped[str] = mapped_column(StoredText, unique=True, index=True)
    """``fold_tag_name(name)``, kept in step by the model whenever ``name`` is set."""
    search_name: Mapped[str] = mapped_column(StoredText, index=True, server_default="")
    """``fold_field(name)``: the name without case or accents, for ``tag:`` (kept in step too)."""
    color: Mapped[str | None] = mapped_column(String(16))

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.folded_name = fold_tag_name(name)
        self.search_name = fold_field(name)
        return name


class ArticleTag(Base):
    """The many-to-many link between articles and tags."""

    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_article_tags_tag", "tag_id", "article_id"),)


class TagCount(Base):
    """How many articles carry each tag, trashed ones included, for the tags pane.

    Written by triggers on ``article_tags`` (migration 0009), never by the application: each
    assignment added or removed, however (a tagging, an undo, an article or tag deleted and
    its assignments with it), moves its tag's count, so the pane reads one row a tag instead
    of counting every assignment. The pane subtracts the trashed articles' assignments, which
    are few and found by the ``deleted_at`` index, so trashing and restoring write nothing
    here.
    """

    __tablename__ = "tag_counts"

    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)


class TagOrder(Base):
    """Each tagged article's first tag (the smallest folded name), the key that sorting by
    tags orders by; untagged articles have no row.

    Written by triggers on ``article_tags`` and on renames of ``tags`` (migration 0009), like
    ``tag_counts``, so the table is read in order from its index instead of every assignment
    being read and sorted each time.
    """

    __tablename__ = "tag_order"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    first_tag: Mapped[str] = mapped_column(StoredText)

    __table_args__ = (Index("ix_tag_order_first_tag", "first_tag", "article_id"),)


class MinhashBand(Base):
    """One LSH band key of an article's MinHash signature, for near-duplicate candidates."""

    __tablename__ = "minhash_bands"

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (Index("ix_minhash_bands_article", "article_id"),)


class Signature(Base):
    """An article's full MinHash signature, packed, to confirm LSH candidates."""

    __tablename__ = "signatures"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    blocks: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    """Paragraph keys of the extracted text before template removal (they count per site)."""
    kept_blocks: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    """Paragraph keys still present in the stored text."""


class SiteBlock(Base):
    """How many articles of a site contain a paragraph (by its key): the site's template."""

    __tablename__ = "site_blocks"

    site_key: Mapped[str] = mapped_column(StoredText, primary_key=True)
    block: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    sample: Mapped[str] = mapped_column(StoredText, default="")

    __table_args__ = (Index("ix_site_blocks_site_articles", "site_key", "articles"),)


class SavedSearchRow(Base):
    """A query saved under a name."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(StoredString(200, collation="NOCASE"), unique=True)
    query: Mapped[str] = mapped_column(StoredText)


class ImportRun(Base):
    """A finished import, kept so its report can be opened again."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancelled: Mapped[bool] = mapped_column(default=False)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[str] = mapped_column(StoredText, default="[]")
    """JSON list of per-file results."""
