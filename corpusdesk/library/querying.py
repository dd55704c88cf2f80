"""Compiling parsed search queries into SQLAlchemy filters over ``Article``.

Full-text terms become ``articles.id IN (SELECT rowid FROM articles_fts WHERE ... MATCH ...)``
so they combine with field conditions under AND, OR and NOT like any other condition; terms
that sit side by side under one AND (or OR) share a single MATCH. Every term reaches FTS5 as a
quoted string, so nothing typed is read as FTS5 syntax. Field conditions are written so SQLite
can use the indexes: tags go through the tag-name index and ``ix_article_tags_tag``, dates and
word counts are range comparisons. ``site:``, ``author:`` and ``title:`` are ``LIKE``
substrings (a scan, case-insensitive for ASCII letters only, as SQLite's ``LIKE`` is).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, column, exists, not_, or_, select, table, true

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
from corpusdesk.library.schema import Article, ArticleTag, Tag

FTS_TABLE = table(
    "articles_fts", column("rowid"), column("articles_fts"), column("title"), column("text")
)
"""The FTS5 index of article titles and texts (rowid = ``articles.id``).

``FTS_TABLE.c.articles_fts`` is the hidden column named after the table, the left side of
``MATCH``; ``bm25(articles_fts)`` and ``snippet(articles_fts, ...)`` work in queries over it.
"""


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


def compile_query(node: Node) -> CompiledQuery:
    """Compile a parsed query (see ``corpusdesk.core.query.parse``)."""
    return CompiledQuery(where=_where(node), match=_match(node))


def fts_phrase(term: Text | str) -> str:
    """One term as an FTS5 string (a phrase of its tokens), with ``*`` for a prefix term."""
    if isinstance(term, str):
        term = Text(term, phrase=True)
    quoted = '"' + term.value.replace('"', '""').replace("\x00", " ") + '"'
    return quoted + " *" if term.prefix else quoted


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


def fts_filter(expression: str) -> ColumnElement[bool]:
    """Articles whose title or text matches the FTS5 ``expression``."""
    matching = select(FTS_TABLE.c.rowid).where(
        FTS_TABLE.c.articles_fts.bool_op("MATCH")(expression)
    )
    return Article.id.in_(matching)


def _where(node: Node) -> ColumnElement[bool]:
    if isinstance(node, MatchAll):
        return true()
    if isinstance(node, Text):
        return fts_filter(fts_phrase(node))
    if isinstance(node, Field):
        return _field(node)
    if isinstance(node, Not):
        return not_(_where(node.child))
    operator = "AND" if isinstance(node, And) else "OR"
    texts = [child for child in node.children if isinstance(child, Text)]
    clauses = [_where(child) for child in node.children if not isinstance(child, Text)]
    if texts:
        clauses.insert(0, fts_filter(fts_match_expression(texts, operator)))
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


def _field(item: Field) -> ColumnElement[bool]:
    name, value = item.name, item.value.replace("\x00", " ")
    if name == "tag":
        tag_id = select(Tag.id).where(Tag.name == value).scalar_subquery()
        return Article.id.in_(select(ArticleTag.article_id).where(ArticleTag.tag_id == tag_id))
    if name == "site":
        return Article.site_name.contains(value, autoescape=True)
    if name == "author":
        return Article.authors.contains(value, autoescape=True)
    if name == "title":
        return Article.title.contains(value, autoescape=True)
    if name == "lang":
        # The parser allows only letters, digits and hyphens here: no LIKE wildcards.
        return or_(Article.language.like(value), Article.language.like(f"{value}-%"))
    if name == "is":
        if value == "duplicate":
            return Article.duplicate_group.is_not(None)
        return not_(exists().where(ArticleTag.article_id == Article.id))
    if isinstance(item.bounds, DateRange):
        dates: list[ColumnElement[bool]] = [Article.published.is_not(None)]
        if item.bounds.start is not None:
            dates.append(Article.published >= item.bounds.start)
        if item.bounds.end_exclusive is not None:
            dates.append(Article.published < item.bounds.end_exclusive)
        return and_(*dates)
    if isinstance(item.bounds, NumberRange):
        counts: list[ColumnElement[bool]] = [true()]
        if item.bounds.low is not None:
            counts.append(Article.word_count >= item.bounds.low)
        if item.bounds.high is not None:
            counts.append(Article.word_count <= item.bounds.high)
        return and_(*counts)
    raise ValueError(f"cannot compile field {item!r}")  # Field validation rules this out
