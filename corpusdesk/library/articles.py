"""Reading articles: search to ids, table rows and full details, in batches.

Repository functions take the caller's ``Session`` and return plain records, never ORM objects,
so results can cross threads and processes. Rows are read with Core selects of the needed
columns only: a table page must not pull article texts.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from corpusdesk.core.errors import UserError
from corpusdesk.core.query import parse
from corpusdesk.core.records import ArticleDetail, ArticleRow
from corpusdesk.library.querying import FTS_TABLE, compile_query
from corpusdesk.library.schema import AUTHOR_SEPARATOR, Article, ArticleTag, Original, Tag

ID_BATCH = 500
"""Ids per ``IN (…)`` list: well under SQLite's variable limit."""


class Scope(StrEnum):
    """Which articles a search looks at: the library, or the trash."""

    LIBRARY = "library"
    TRASH = "trash"


class SortKey(StrEnum):
    """The orders the articles table can show."""

    RELEVANCE = "relevance"
    TITLE = "title"
    SITE = "site"
    AUTHORS = "authors"
    PUBLISHED = "published"
    WORDS = "words"
    TAGS = "tags"
    DUPLICATE = "duplicate"
    IMPORTED = "imported"


_FIRST_TAG = (
    select(func.min(Tag.name))
    .join(ArticleTag, ArticleTag.tag_id == Tag.id)
    .where(ArticleTag.article_id == Article.id)
    .correlate(Article)
    .scalar_subquery()
)

SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.TITLE: Article.title,
    SortKey.SITE: Article.site_name,
    SortKey.AUTHORS: Article.authors,
    SortKey.PUBLISHED: Article.published,
    SortKey.WORDS: Article.word_count,
    SortKey.TAGS: _FIRST_TAG,
    SortKey.DUPLICATE: Article.duplicate_group,
    SortKey.IMPORTED: Article.id,
}


def scope_filter(scope: Scope) -> ColumnElement[bool]:
    """The condition selecting live articles or trashed ones."""
    if scope is Scope.TRASH:
        return Article.deleted_at.is_not(None)
    return Article.deleted_at.is_(None)


def _search_select(query: str, scope: Scope, sort: SortKey, descending: bool) -> Select[Any]:
    compiled = compile_query(parse(query))
    statement = select(Article.id).where(scope_filter(scope), compiled.where)
    if sort is SortKey.RELEVANCE and compiled.match is not None:
        # An outer join: with OR, a row may match through a field and not the text terms.
        ranked = (
            select(
                FTS_TABLE.c.rowid.label("rid"),
                func.bm25(FTS_TABLE.c.articles_fts, 10.0, 1.0).label("rank"),
            )
            .where(FTS_TABLE.c.articles_fts.op("MATCH")(compiled.match))
            .subquery()
        )
        rank = ranked.c.rank
        statement = statement.outerjoin(ranked, ranked.c.rid == Article.id)
        return statement.order_by(rank.is_(None), rank.desc() if descending else rank, Article.id)
    column = SORT_COLUMNS.get(sort, Article.id)
    order = column.desc() if descending else column.asc()
    tiebreak = Article.id.desc() if descending else Article.id.asc()
    return statement.order_by(order, tiebreak)


def search_ids(
    session: Session,
    query: str = "",
    *,
    scope: Scope = Scope.LIBRARY,
    sort: SortKey = SortKey.IMPORTED,
    descending: bool = False,
) -> list[int]:
    """Ids of the articles matching ``query`` in the given order. Raises ``QueryError``."""
    return list(session.scalars(_search_select(query, scope, sort, descending)))


def count_matching(session: Session, query: str = "", *, scope: Scope = Scope.LIBRARY) -> int:
    """How many articles match ``query``."""
    compiled = compile_query(parse(query))
    statement = select(func.count()).select_from(Article).where(scope_filter(scope), compiled.where)
    return int(session.scalar(statement) or 0)


def _chunks(ids: Sequence[int], size: int = ID_BATCH) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def tags_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The tag names of each article (sorted, case-insensitively), for articles that have tags."""
    result: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        statement = (
            select(ArticleTag.article_id, Tag.name)
            .join(Tag, Tag.id == ArticleTag.tag_id)
            .where(ArticleTag.article_id.in_(chunk))
        )
        for article_id, name in session.execute(statement):
            result.setdefault(article_id, []).append(name)
    return {key: tuple(sorted(names, key=str.casefold)) for key, names in result.items()}


def split_authors(value: str) -> tuple[str, ...]:
    """Stored authors back to a tuple of names."""
    return tuple(name for name in value.split(AUTHOR_SEPARATOR) if name)


def fetch_rows(session: Session, ids: Sequence[int]) -> dict[int, ArticleRow]:
    """Table rows for the given ids (missing ids are simply absent)."""
    rows: dict[int, ArticleRow] = {}
    tags = tags_of(session, ids)
    columns = (
        Article.id,
        Article.title,
        Article.site_name,
        Article.authors,
        Article.published,
        Article.word_count,
        Article.duplicate_group,
        Article.source_name,
    )
    for chunk in _chunks(ids):
        for row in session.execute(select(*columns).where(Article.id.in_(chunk))):
            rows[row.id] = ArticleRow(
                id=row.id,
                title=row.title,
                site_name=row.site_name,
                authors=split_authors(row.authors),
                published=row.published,
                word_count=row.word_count,
                tags=tags.get(row.id, ()),
                duplicate_group=row.duplicate_group,
                source_name=row.source_name,
            )
    return rows


_DETAIL_COLUMNS = tuple(
    getattr(Article, name)
    for name in (
        "id title authors site_name published modified url description language text html "
        "word_count duplicate_group source_name source_path sha256 imported_at encoding "
        "extractor_version"
    ).split()
)


def iter_details(session: Session, ids: Sequence[int]) -> Iterator[ArticleDetail]:
    """Full details of the given articles, in the order of ``ids``, read in batches."""
    for chunk in _chunks(ids):
        tags = tags_of(session, chunk)
        found: dict[int, ArticleDetail] = {}
        for row in session.execute(select(*_DETAIL_COLUMNS).where(Article.id.in_(chunk))):
            values = row._asdict()
            values["authors"] = split_authors(values["authors"])
            values["tags"] = tags.get(row.id, ())
            found[row.id] = ArticleDetail(**values)
        for article_id in chunk:
            if article_id in found:
                yield found[article_id]


def fetch_detail(session: Session, article_id: int) -> ArticleDetail:
    """Details of one article; ``UserError`` if it does not exist."""
    for detail in iter_details(session, [article_id]):
        return detail
    raise UserError(f"article #{article_id} is not in the library")


def fetch_original(session: Session, article_id: int) -> bytes:
    """The original bytes of an article's page as imported."""
    data = session.scalar(select(Original.data).where(Original.article_id == article_id))
    if data is None:
        raise UserError(f"article #{article_id} has no stored original")
    return zlib.decompress(data)


def utc_now() -> dt.datetime:
    """The current UTC time without tzinfo, as stored in the library (second precision)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
