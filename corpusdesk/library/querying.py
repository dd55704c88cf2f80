"""Compiling parsed search queries into SQLAlchemy filters over ``Article``.

Full-text terms become ``articles.id IN (SELECT rowid FROM articles_fts WHERE ... MATCH ...)``
so they combine with field conditions under AND, OR and NOT like any other condition; terms
that sit side by side under one AND (or OR) share a single MATCH. Every term reaches FTS5 as a
quoted string, so nothing typed is read as FTS5 syntax, in the form the index holds text in
(``corpusdesk.core.fulltext``: words of unspaced scripts as phrases of character pairs). Field
conditions are written the same way, ``articles.id IN (…)`` over a subquery that SQLite answers
from an index: tags go through the folded-name index (the value is folded here, as tag names are
when stored: SQLite cannot fold beyond ASCII) and ``ix_article_tags_tag``, dates and word counts
are ranges of their indexes. A whole query thus tests article ids only and never reads an
article's row, which holds its long text. ``site:``, ``author:`` and ``title:`` are ``LIKE``
substrings (a scan of the column's index, case-insensitive for ASCII letters only, as SQLite's
``LIKE`` is).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    column,
    not_,
    or_,
    select,
    table,
    true,
)
from sqlalchemy.orm import aliased

from corpusdesk.core.fulltext import search_form
from corpusdesk.core.query import (
    And,
    DateRange,
    Field,
    MatchAll,
    Node,
    Not,
    NumberRange,
    Or,
    Text,
)
from corpusdesk.core.tagnames import fold_tag_name
from corpusdesk.library.schema import Article, ArticleTag, Tag

FTS_TABLE = table(
    "articles_fts", column("rowid"), column("articles_fts"), column("title"), column("text")
)
"""The FTS5 index of article titles and texts (rowid = ``articles.id``).

``FTS_TABLE.c.articles_fts`` is the hidden column named after the table, the left side of
``MATCH``; ``bm25(articles_fts)`` and ``snippet(articles_fts, ...)`` work in queries over it.
"""


_LIKE_COLUMNS = {"site": "site_name", "author": "authors", "title": "title"}


@dataclass(frozen=True)
class CompiledQuery:
    """A query ready for SQL.

    ``where`` filters ``Article`` rows; it does not exclude deleted articles (the caller adds
    ``Article.deleted_at.is_(None)``). ``match`` is an FTS5 expression over the query's
    positive text terms, for ``bm25()`` ranking and ``snippet()``: the terms are AND-ed as in
    the query, and OR-ed where the query ORs them; fields and negated terms are left out.
    ``None`` when the query has no positive text term. When the query ORs text with a field
    (``a OR tag:x``) some rows pass ``where`` without matching ``match``, so join the FTS
    table with an outer join (or a scalar subquery) when ranking.
    """

    where: ColumnElement[bool]
    match: str | None
    text_only: bool = False
    """True when the query is words and phrases only: ``where`` is the same as ``match``."""


def compile_query(node: Node, ids: SQLColumnExpression[int] | None = None) -> CompiledQuery:
    """Compile a parsed query (see ``corpusdesk.core.query.parse``).

    ``where`` tests ``ids``, a column of article ids (``Article.id`` unless given, e.g. the id
    of an alias of ``Article``): every condition is written over the ids alone.
    """
    column = Article.id if ids is None else ids
    return CompiledQuery(where=_where(node, column), match=_match(node), text_only=_text_only(node))


def _text_only(node: Node) -> bool:
    if isinstance(node, Text):
        return True
    return isinstance(node, And | Or) and all(map(_text_only, node.children))


def fts_phrase(term: Text | str) -> str:
    """One term as an FTS5 string (a phrase of its tokens), with ``*`` for a prefix term.

    The term is put in the index's form first: a Chinese, Japanese, Korean or Thai word becomes
    the phrase of its character pairs, found inside the sentences that hold it.
    """
    if isinstance(term, str):
        term = Text(term, phrase=True)
    form = search_form(term.value.replace("\x00", " "), term.prefix)
    quoted = '"' + form.text.replace('"', '""') + '"'
    return quoted + " *" if form.prefix else quoted


def fts_match_expression(terms: Iterable[Text | str], operator: str = "AND") -> str:
    """A safe FTS5 expression requiring all ``terms`` (or any, with ``operator="OR"``).

    Strings are taken as phrases. Raises ``ValueError`` for no terms or another operator.
    """
    if operator not in ("AND", "OR"):
        raise ValueError(f"operator must be AND or OR, not {operator!r}")
    phrases = [fts_phrase(term) for term in terms]
    if not phrases:
        raise ValueError("no terms to match")
    return f" {operator} ".join(phrases)


def fts_filter(expression: str, ids: SQLColumnExpression[int] | None = None) -> ColumnElement[bool]:
    """Articles whose title or text matches the FTS5 ``expression``.

    ``ids`` is the column of article ids to test (``Article.id`` unless given).
    """
    matching = select(FTS_TABLE.c.rowid).where(
        FTS_TABLE.c.articles_fts.bool_op("MATCH")(expression)
    )
    return (Article.id if ids is None else ids).in_(matching)


def _where(node: Node, ids: SQLColumnExpression[int]) -> ColumnElement[bool]:
    if isinstance(node, MatchAll):
        return true()
    if isinstance(node, Text):
        return fts_filter(fts_phrase(node), ids)
    if isinstance(node, Field):
        return _field(node, ids)
    if isinstance(node, Not):
        return not_(_where(node.child, ids))
    operator = "AND" if isinstance(node, And) else "OR"
    texts = [child for child in node.children if isinstance(child, Text)]
    clauses = [_where(child, ids) for child in node.children if not isinstance(child, Text)]
    if texts:
        clauses.insert(0, fts_filter(fts_match_expression(texts, operator), ids))
    return and_(*clauses) if operator == "AND" else or_(*clauses)


def _match(node: Node) -> str | None:
    parts = _match_parts(node)
    return None if parts is None else parts[0]


def _match_parts(node: Node) -> tuple[str, bool] | None:
    """The FTS5 expression of ``node``'s positive terms, and whether it joins several."""
    if isinstance(node, Text):
        return fts_phrase(node), False
    if not isinstance(node, And | Or):
        return None
    parts = [part for part in map(_match_parts, node.children) if part is not None]
    if len(parts) <= 1:
        return parts[0] if parts else None
    operator = " AND " if isinstance(node, And) else " OR "
    return operator.join(f"({text})" if joined else text for text, joined in parts), True


def single_condition_ids(node: Node) -> Select[Any] | None:
    """The ids matching ``node`` as one select, when ``node`` is a single positive condition.

    That is words and phrases only (one MATCH), or one field other than ``is:untagged``; the
    select reads an index. ``None`` for anything else. Trashed articles are not left out.
    """
    if _text_only(node):
        expression = _match(node)
        assert expression is not None
        return select(FTS_TABLE.c.rowid).where(
            FTS_TABLE.c.articles_fts.bool_op("MATCH")(expression)
        )
    if not isinstance(node, Field) or (node.name == "is" and node.value == "untagged"):
        return None
    return _field_ids(node, node.value.replace("\x00", " "))


def _field_ids(item: Field, value: str) -> Select[Any]:
    if item.name == "tag":
        tag_id = select(Tag.id).where(Tag.folded_name == fold_tag_name(value)).scalar_subquery()
        return select(ArticleTag.article_id).where(ArticleTag.tag_id == tag_id)
    scanned = aliased(Article)
    return select(scanned.id).where(_column_condition(item, item.name, value, scanned))


def _field(item: Field, ids: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """The condition as ``ids IN (…)``: a subquery that reads an index, never article rows."""
    value = item.value.replace("\x00", " ")
    if item.name == "is" and value == "untagged":
        return ids.not_in(select(ArticleTag.article_id))
    return ids.in_(_field_ids(item, value))


def _column_condition(item: Field, name: str, value: str, scanned: Any) -> ColumnElement[bool]:
    if name in _LIKE_COLUMNS:
        column = getattr(scanned, _LIKE_COLUMNS[name])
        return column.contains(value, autoescape=True)  # type: ignore[no-any-return]
    if name == "lang":
        # The parser allows only letters, digits and hyphens here: no LIKE wildcards.
        return or_(scanned.language.like(value), scanned.language.like(f"{value}-%"))
    if name == "is":
        return scanned.duplicate_group.is_not(None)  # type: ignore[no-any-return]
    if isinstance(item.bounds, DateRange):
        dates: list[ColumnElement[bool]] = [scanned.published.is_not(None)]
        if item.bounds.start is not None:
            dates.append(scanned.published >= item.bounds.start)
        if item.bounds.end_exclusive is not None:
            dates.append(scanned.published < item.bounds.end_exclusive)
        return and_(*dates)
    if isinstance(item.bounds, NumberRange):
        counts: list[ColumnElement[bool]] = [true()]
        if item.bounds.low is not None:
            counts.append(scanned.word_count >= item.bounds.low)
        if item.bounds.high is not None:
            counts.append(scanned.word_count <= item.bounds.high)
        return and_(*counts)
    raise ValueError(f"cannot compile field {item!r}")  # Field validation rules this out
