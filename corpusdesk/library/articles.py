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

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, select
from sqlalchemy.orm import Session, aliased

from corpusdesk.core.errors import UserError
from corpusdesk.core.query import And, DateRange, Field, MatchAll, Node, parse
from corpusdesk.core.records import ArticleDetail, ArticleRow
from corpusdesk.library.dialects import (
    FullTextQueries,
    covering_select,
    fetch_ids,
    fulltext_of,
)
from corpusdesk.library.querying import (
    CompiledQuery,
    compile_query,
    single_condition_ids,
)
from corpusdesk.library.schema import (
    AUTHOR_SEPARATOR,
    ROW_COLUMNS,
    ROW_INDEX,
    Article,
    ArticleTag,
    Original,
    Tag,
    TagOrder,
)

ID_BATCH = 500
"""Ids per ``IN (…)`` list: well under SQLite's variable limit."""
RANKED_CANDIDATES = 20_000
"""Matches of a search ordered by relevance that are ranked: the newest this many."""
SQLITE_MAX_INTEGER = 2**63 - 1
"""The largest integer SQLite takes; a larger ``limit`` leaves nothing out, so it is none."""


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


# Sorting by tags reads the kept ``tag_order`` (``_ids_by_tag``, ``_by_first_tag``).
SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.TITLE: Article.title,
    SortKey.SITE: Article.site_name,
    SortKey.AUTHORS: Article.authors,
    SortKey.PUBLISHED: Article.published,
    SortKey.WORDS: Article.word_count,
    SortKey.DUPLICATE: Article.duplicate_group,
    SortKey.IMPORTED: Article.id,
}


def scope_filter(scope: Scope) -> ColumnElement[bool]:
    """The condition selecting live articles or trashed ones."""
    if scope is Scope.TRASH:
        return Article.deleted_at.is_not(None)
    return Article.deleted_at.is_(None)


_TRASHED = aliased(Article)


def _scope_condition(scope: Scope, *, by_deleted_index: bool = False) -> ColumnElement[bool]:
    """``scope_filter`` written so SQLite never reads article rows to apply it.

    ``deleted_at`` sits after the long text columns, so testing it on a row reads the whole
    row. Trashed articles are few: as an id list from the ``deleted_at`` index they combine
    with any other index (a sort column's, a filter's). ``by_deleted_index`` reads the live ids
    from the ``deleted_at`` index instead, in id order (where the query's other conditions
    test ids only, as compiled queries do).
    """
    if by_deleted_index and scope is Scope.LIBRARY:
        return Article.deleted_at.is_(None)
    return _in_scope(Article.id, scope)


def _in_scope(article_id: SQLColumnExpression[int], scope: Scope) -> ColumnElement[bool]:
    """``article_id`` (a column holding article ids) is in the scope's articles."""
    trashed = select(_TRASHED.id).where(_TRASHED.deleted_at.is_not(None))
    return article_id.in_(trashed) if scope is Scope.TRASH else article_id.not_in(trashed)


def _search_select(
    fulltext: FullTextQueries,
    query: str,
    scope: Scope,
    sort: SortKey,
    descending: bool,
    *,
    first_page: bool = False,
) -> Select[Any]:
    """The ids matching ``query`` in order; ``first_page``: a plan for reading the start only."""
    node = parse(query)
    compiled = compile_query(node)
    if sort is SortKey.RELEVANCE and compiled.match is not None:
        return _ranked_select(fulltext, compiled, scope, descending)
    column = SORT_COLUMNS.get(sort, Article.id)
    tiebreak = Article.id.desc() if descending else Article.id.asc()
    if column is Article.id:
        if compiled.text_only:
            # Words and phrases only: the full-text index gives the matching ids in order.
            assert compiled.fts is not None
            statement = fulltext.matching_ids(compiled.fts)
            rowid = fulltext.id_column(statement)
            statement = statement.where(_in_scope(rowid, scope))
            return statement.order_by(rowid.desc() if descending else rowid)
        # Live ids come in order from the deleted_at index; each condition probes an id set.
        condition = _scope_condition(scope, by_deleted_index=True)
        return select(Article.id).where(condition, compiled.where).order_by(tiebreak)
    order = column.desc() if descending else column.asc()
    if fulltext.nulls_sort_last:
        # As SQLite sorts: an empty value before every other (undated articles first when
        # oldest first, last when newest first).
        order = order.nulls_last() if descending else order.nulls_first()
    if isinstance(node, MatchAll):
        return select(Article.id).where(_in_scope(Article.id, scope)).order_by(order, tiebreak)
    # Another order: the matching ids are found first, then the sort column's index is read
    # in order and each id tested against them (``+ 0`` keeps SQLite from looking the ids up
    # one by one in the table, whose rows are large, and sorting afterwards).
    if compiled.text_only:
        # The ids straight from the full-text index, without a lookup per match.
        assert compiled.fts is not None
        found = fulltext.matching_ids(compiled.fts)
        found = found.where(_in_scope(fulltext.id_column(found), scope))
        key = fulltext.date_key()
        if sort is SortKey.PUBLISHED and key is not None:
            # The index holds the matches in date order: read them so, stopping after a page.
            return found.order_by(key.desc() if descending else key)
        return select(Article.id).where((Article.id + 0).in_(found)).order_by(order, tiebreak)
    if first_page:
        # Only the start is wanted: read the sort column's index in order and test each id
        # against the conditions' id sets (each built once), stopping at the end of the page.
        conditions = [_in_scope(Article.id + 0, scope)]
        if sort is SortKey.PUBLISHED:
            dates, node = _date_ranges(node)
            conditions += dates
        conditions.append(compile_query(node, Article.id + 0).where)
        return select(Article.id).where(*conditions).order_by(order, tiebreak)
    matched = aliased(Article)
    inner = compile_query(node, matched.id)
    live = matched.deleted_at.is_not(None) if scope is Scope.TRASH else matched.deleted_at.is_(None)
    matching = select(matched.id).where(live, inner.where)
    return select(Article.id).where((Article.id + 0).in_(matching)).order_by(order, tiebreak)


def _date_ranges(node: Node) -> tuple[list[ColumnElement[bool]], Node]:
    """The ``date:`` ranges every match of ``node`` must be in, as conditions on
    ``published``, and the rest of ``node``.

    Stated on the column, they let SQLite read just that stretch of the date index when the
    order is by date, rather than gather the ids of every article in range first.
    """
    conditions: list[ColumnElement[bool]] = []
    rest: list[Node] = []
    for child in node.children if isinstance(node, And) else (node,):
        if not (isinstance(child, Field) and isinstance(child.bounds, DateRange)):
            rest.append(child)
            continue
        conditions.append(Article.published.is_not(None))
        if child.bounds.start is not None:
            conditions.append(Article.published >= child.bounds.start)
        if child.bounds.end_exclusive is not None:
            conditions.append(Article.published < child.bounds.end_exclusive)
    if len(rest) > 1:
        return conditions, And(tuple(rest))
    return conditions, rest[0] if rest else MatchAll()


def _ranked_select(
    fulltext: FullTextQueries, compiled: CompiledQuery, scope: Scope, descending: bool
) -> Select[Any]:
    """Ids by relevance (best first, unless ``descending``)."""
    assert compiled.match is not None
    ranked = fulltext.scored(compiled.fts or compiled.match).subquery()
    rank = ranked.c.rank
    if compiled.text_only:
        # Words and phrases only: one pass over the index ranks and filters at once.
        return (
            select(ranked.c.rid)
            .where(_in_scope(ranked.c.rid, scope))
            .order_by(rank.desc() if descending else rank, ranked.c.rid)
        )
    # An outer join: with OR, a row may match through a field and not the text terms.
    statement = (
        select(Article.id)
        .where(_scope_condition(scope, by_deleted_index=True), compiled.where)
        .outerjoin(ranked, ranked.c.rid == Article.id)
    )
    return statement.order_by(rank.is_(None), rank.desc() if descending else rank, Article.id)


def search_ids(
    session: Session,
    query: str = "",
    *,
    scope: Scope = Scope.LIBRARY,
    sort: SortKey = SortKey.IMPORTED,
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of the articles matching ``query`` in the given order. Raises ``QueryError``.

    With ``limit``, only the first ``limit`` of them: the first page of a long result comes
    back without the rest being gathered.
    """
    if limit is not None and limit > SQLITE_MAX_INTEGER:
        limit = None
    if sort is SortKey.TAGS:
        if isinstance(parse(query), MatchAll):
            return _ids_by_tag(session, scope, descending, limit)
        fulltext = fulltext_of(session)
        ids = fetch_ids(session, _search_select(fulltext, query, scope, SortKey.IMPORTED, False))
        return _by_first_tag(session, ids, descending)[:limit]
    fulltext = fulltext_of(session)
    if sort is SortKey.RELEVANCE:
        ranked = _newest_ranked(session, fulltext, query, scope, descending, limit)
        if ranked is not None:
            return ranked
    if limit is None:
        return fetch_ids(session, _search_select(fulltext, query, scope, sort, descending))
    statement = _search_select(fulltext, query, scope, sort, descending, first_page=True)
    return fetch_ids(session, statement.limit(limit))


def _newest_ranked(
    session: Session,
    fulltext: FullTextQueries,
    query: str,
    scope: Scope,
    descending: bool,
    limit: int | None,
) -> list[int] | None:
    """Ids by relevance, ranking the newest ``RANKED_CANDIDATES`` matches (best first, unless
    ``descending``); older matches follow them in date order, newest first.

    Scoring every match of a common word takes most of a second at a million articles;
    scoring the newest twenty thousand, read from the index in date order, takes tens of
    milliseconds. ``None`` where the query is not words and phrases alone, or the index is not
    in date order: every match is ranked then.
    """
    key = fulltext.date_key()
    if key is None:
        return None
    compiled = compile_query(parse(query))
    if compiled.fts is None:
        return None
    scored = fulltext.scored(compiled.fts)
    in_scope = _in_scope(fulltext.id_column(scored), scope)
    newest = scored.where(in_scope).order_by(key.desc()).limit(RANKED_CANDIDATES).subquery()
    by_rank = select(newest.c.rid).order_by(
        newest.c.rank.desc() if descending else newest.c.rank, newest.c.rid
    )
    if not descending and limit is not None and limit <= RANKED_CANDIDATES:
        return fetch_ids(session, by_rank.limit(limit))
    ranked = fetch_ids(session, by_rank)
    if len(ranked) < RANKED_CANDIDATES:
        return ranked[:limit]
    matching = fulltext.matching_ids(compiled.fts).where(in_scope)
    oldest_ranked = session.scalar(
        matching.with_only_columns(key).order_by(key.desc()).offset(len(ranked) - 1).limit(1)
    )
    older = matching.where(key < oldest_ranked).order_by(key if descending else key.desc())
    if not descending:
        rest = older if limit is None else older.limit(limit - len(ranked))
        return ranked + fetch_ids(session, rest)
    found = fetch_ids(session, older.limit(limit) if limit is not None else older)
    return (found + ranked)[:limit]


def _by_first_tag(session: Session, ids: list[int], descending: bool) -> list[int]:
    """``ids`` (in id order) ordered by their first tag name: untagged first, then by id.

    The tagged articles come in that order from the index of ``tag_order``, which the writes
    keep; the untagged are those it does not hold.
    """
    wanted = set(ids)
    in_order = select(TagOrder.article_id).order_by(TagOrder.first_tag, TagOrder.article_id)
    first_tagged = [i for i in fetch_ids(session, in_order) if i in wanted]
    tagged = set(first_tagged)
    ordered = [i for i in ids if i not in tagged] + first_tagged
    return ordered[::-1] if descending else ordered


def _ids_by_tag(session: Session, scope: Scope, descending: bool, limit: int | None) -> list[int]:
    """The scope's articles by first tag (the first ``limit`` of them), read from the indexes
    in order: the untagged by id, then the tagged by first tag and id (the other way round,
    each reversed, when ``descending``). No set of ids is built: at a million articles that
    took 150 MB more than the list itself."""
    untagged = (
        select(Article.id)
        .where(
            _in_scope(Article.id, scope),
            ~select(TagOrder.article_id).where(TagOrder.article_id == Article.id).exists(),
        )
        .order_by(Article.id.desc() if descending else Article.id)
    )
    tagged = select(TagOrder.article_id).where(_in_scope(TagOrder.article_id, scope))
    if descending:
        tagged = tagged.order_by(TagOrder.first_tag.desc(), TagOrder.article_id.desc())
    else:
        tagged = tagged.order_by(TagOrder.first_tag, TagOrder.article_id)
    found: list[int] = []
    for part in (tagged, untagged) if descending else (untagged, tagged):
        if limit is None:
            found += fetch_ids(session, part)
            continue
        found += fetch_ids(session, part.limit(limit - len(found)))
        if len(found) >= limit:
            break
    return found


def count_matching(session: Session, query: str = "", *, scope: Scope = Scope.LIBRARY) -> int:
    """How many articles match ``query``."""
    node = parse(query)
    if isinstance(node, MatchAll):
        return _scope_count(session, Article.id, scope)
    if isinstance(node, Field) and (node.name, node.value) == ("is", "untagged"):
        # Every article less the tagged ones: counts of whole indexes, not a set of ids.
        tagged = _scope_count(session, TagOrder.article_id, scope)
        return _scope_count(session, Article.id, scope) - tagged
    compiled = compile_query(node)
    single = single_condition_ids(node, fulltext_of(session))
    if single is not None:
        # One condition: count its own id set (read from an index) rather than every article.
        found = single.subquery()
        statement = select(func.count()).where(_in_scope(found.c[0], scope))
    else:
        condition = _scope_condition(scope, by_deleted_index=True)
        statement = select(func.count()).select_from(Article).where(condition, compiled.where)
    return int(session.scalar(statement) or 0)


def _scope_count(session: Session, article_id: Any, scope: Scope) -> int:
    """How many rows of ``article_id``'s table are of articles in ``scope``.

    A whole table's rows are counted from its smallest index without testing each; the
    trashed articles, which are few, are counted apart and taken away (or are the count).
    """
    trashed_ids = select(_TRASHED.id).where(_TRASHED.deleted_at.is_not(None))
    trashed = int(session.scalar(select(func.count()).where(article_id.in_(trashed_ids))) or 0)
    if scope is Scope.TRASH:
        return trashed
    every = int(session.scalar(select(func.count()).select_from(article_id.table)) or 0)
    return every - trashed


def id_chunks(ids: Sequence[int], size: int = ID_BATCH) -> Iterator[Sequence[int]]:
    """``ids`` in slices of ``size``: one SQL statement each, under SQLite's variable limit."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def tags_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The tag names of each article (sorted, case-insensitively), for articles that have tags."""
    result: dict[int, list[str]] = {}
    for chunk in id_chunks(ids):
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
    columns = (Article.id, *(getattr(Article, name) for name in ROW_COLUMNS))
    rows_select = covering_select(session, columns, ROW_INDEX)
    identity = rows_select.selected_columns[0]
    found: list[Any] = []
    for chunk in id_chunks(ids):
        found.extend(session.execute(rows_select.where(identity.in_(chunk))))
    sizes = _group_sizes(session, {row.duplicate_group for row in found} - {None})
    for row in found:
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
            copies=sizes.get(row.duplicate_group, 0),
        )
    return rows


def _group_sizes(session: Session, groups: set[int]) -> dict[int | None, int]:
    """How many live articles each group of copies holds."""
    sizes: dict[int | None, int] = {}
    for chunk in id_chunks(sorted(groups)):
        statement = (
            select(Article.duplicate_group, func.count())
            .where(Article.duplicate_group.in_(chunk), Article.deleted_at.is_(None))
            .group_by(Article.duplicate_group)
        )
        sizes.update((group, int(count)) for group, count in session.execute(statement))
    return sizes


_DETAIL_COLUMNS = tuple(
    getattr(Article, name)
    for name in (
        "id title authors site_name published modified url description language text html "
        "word_count duplicate_group source_name source_path sha256 imported_at encoding "
        "extractor_version source_member captured_at"
    ).split()
)


_EXPORT_COLUMNS = tuple(column for column in _DETAIL_COLUMNS if column.key != "html")


def iter_details(
    session: Session, ids: Sequence[int], *, with_html: bool = True, batch: int = ID_BATCH
) -> Iterator[ArticleDetail]:
    """Full details of the given articles, in the order of ``ids``, read ``batch`` at a time;
    without ``with_html``, the preview HTML (which exports leave out) is not read."""
    columns = _DETAIL_COLUMNS if with_html else _EXPORT_COLUMNS
    for chunk in id_chunks(ids, batch):
        tags = tags_of(session, chunk)
        found: dict[int, ArticleDetail] = {}
        for row in session.execute(select(*columns).where(Article.id.in_(chunk))):
            values = row._asdict()
            values.setdefault("html", "")
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
