"""Compiling parsed search queries into SQLAlchemy filters over ``Article``.

Full-text terms become ``articles.id IN (SELECT rowid FROM articles_fts WHERE ... MATCH ...)``
so they combine with field conditions under AND, OR and NOT like any other condition; terms
that sit side by side under one AND (or OR) share a single MATCH. Every term reaches FTS5 as a
quoted string, so nothing typed is read as FTS5 syntax, in the form the index holds text in
(``corpusdesk.core.fulltext``: words of unspaced scripts as phrases of character pairs). Field
conditions are written the same way, ``articles.id IN (…)`` over a subquery that SQLite answers
from an index: tags go through the folded-name indexes and ``ix_article_tags_tag``, dates and
word counts are ranges of their indexes, and ``site:``, ``author:`` and ``title:`` scan the
index of their column in ``folded_fields`` for the value as a substring. A whole query thus
tests article ids only and never reads an article's row, which holds its long text.

SQLite folds neither case beyond ASCII nor accents, so field values are compared folded: the
stored ones in ``folded_fields`` and ``tags``, the typed ones here, by the same functions
(``corpusdesk.core.folding``, and ``corpusdesk.core.tagnames`` for a tag's identity). The
substring test is ``instr``, not ``LIKE``: nothing typed can act as a wildcard, and folding,
which can lengthen a value, cannot push it past SQLite's limit on LIKE patterns.
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
    exists,
    func,
    not_,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased

from corpusdesk.core.folding import fold_field
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
from corpusdesk.library.dialects import FullTextMatch, FullTextQueries, SubstringPosition
from corpusdesk.library.schema import Article, ArticleTag, FoldedFields, Tag, TagOrder

_NAMED_TAG = Tag.__table__.alias("named_tag")
"""The tags table again, to ask whether a tag has the typed name (made once: cheaper so)."""
_FOLDED_COLUMNS = {
    "site": FoldedFields.site_name,
    "author": FoldedFields.authors,
    "title": FoldedFields.title,
}


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
    fts: str | None = None
    """The whole query as one FTS5 expression, when it is words and phrases only (joined by
    AND, OR, and NOT beside a word): ``where`` is then the same as matching it."""

    @property
    def text_only(self) -> bool:
        """Whether the query is words and phrases only (``fts`` is the whole of it)."""
        return self.fts is not None


def compile_query(node: Node, ids: SQLColumnExpression[int] | None = None) -> CompiledQuery:
    """Compile a parsed query (see ``corpusdesk.core.query.parse``).

    ``where`` tests ``ids``, a column of article ids (``Article.id`` unless given, e.g. the id
    of an alias of ``Article``): every condition is written over the ids alone.
    """
    column = Article.id if ids is None else ids
    return CompiledQuery(where=_where(node, column), match=_match(node), fts=_fts_expression(node))


def _fts_expression(node: Node) -> str | None:
    """``node`` as one FTS5 expression, or ``None`` when it holds a field or a NOT with no
    word beside it (FTS5's NOT only takes away from what the words beside it find)."""
    if isinstance(node, Text):
        return fts_phrase(node)
    if not isinstance(node, And | Or):
        return None
    kept: list[str] = []
    taken_away: list[str] = []
    for child in node.children:
        negated = isinstance(child, Not) and isinstance(node, And)
        part = _fts_expression(child.child if isinstance(child, Not) and negated else child)
        if part is None:
            return None
        (taken_away if negated else kept).append(part)
    if not kept:
        return None
    joined = f" {'AND' if isinstance(node, And) else 'OR'} ".join(f"({part})" for part in kept)
    if not taken_away:
        return joined
    return f"({joined}) NOT ({' OR '.join(f'({part})' for part in taken_away)})"


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
    """Articles whose title or text matches the FTS5 ``expression`` (each backend writes it
    over its own index, see ``corpusdesk.library.dialects``).

    ``ids`` is the column of article ids to test (``Article.id`` unless given).
    """
    return FullTextMatch(Article.id if ids is None else ids, expression)


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


def single_condition_ids(node: Node, fulltext: FullTextQueries) -> Select[Any] | None:
    """The ids matching ``node`` as one select, when ``node`` is a single positive condition.

    That is words and phrases only (one MATCH, NOT included), or one field other than
    ``is:untagged``; the select reads an index. ``None`` for anything else. Trashed articles
    are not left out.
    """
    expression = _fts_expression(node)
    if expression is not None:
        return fulltext.matching_ids(expression)
    if not isinstance(node, Field) or (node.name == "is" and node.value == "untagged"):
        return None
    return _field_ids(node, node.value.replace("\x00", " "))


def _field_ids(item: Field, value: str) -> Select[Any]:
    if item.name == "tag":
        return select(ArticleTag.article_id).where(ArticleTag.tag_id.in_(_tag_ids(value)))
    if item.name == "site":
        return select(FoldedFields.article_id).where(
            FoldedFields.site_name.in_(_site_names_holding(fold_field(value)))
        )
    if item.name in _FOLDED_COLUMNS:
        folded = _FOLDED_COLUMNS[item.name]
        found = SubstringPosition(folded, fold_field(value)) > 0
        return select(FoldedFields.article_id).where(found)
    scanned = aliased(Article)
    return select(scanned.id).where(_column_condition(item, scanned))


def _site_names_holding(needle: str) -> Select[Any]:
    """The distinct folded site names that hold ``needle``.

    A library has many articles from each of few sites: the names are found by stepping
    through the site name index from each name to the next, one lookup a site, and only
    they are tested, not every article's name.
    """
    names = select(func.min(FoldedFields.site_name).label("name")).cte(
        "site_names", recursive=True, nesting=True
    )
    following = aliased(FoldedFields)
    next_name = (
        select(func.min(following.site_name))
        .where(following.site_name > names.c.name)
        .scalar_subquery()
    )
    names = names.union_all(select(next_name).where(names.c.name.is_not(None)))
    return select(names.c.name).where(SubstringPosition(names.c.name, needle) > 0)


def _tag_ids(name: str) -> Any:
    """The tag named ``name`` in any case; failing that, the tags so named in any accents.

    So ``tag:economie`` finds the tag *Économie*, while beside a tag *cafe* ``tag:café`` still
    finds only the tag *café*, as clicking it in the tags pane does.
    """
    key, loose_key = fold_tag_name(name), fold_field(name)
    exact = select(Tag.id).where(Tag.folded_name == key)
    if not loose_key.strip():
        return exact  # a name of vowel points only: every accent-less spelling is empty
    loose = select(Tag.id).where(
        Tag.search_name == loose_key, ~exists().where(_NAMED_TAG.c.folded_name == key)
    )
    return union_all(exact, loose)


def _field(item: Field, ids: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """The condition as ``ids IN (…)``: a subquery that reads an index, never article rows."""
    value = item.value.replace("\x00", " ")
    if item.name == "is" and value == "untagged":
        return ids.not_in(select(TagOrder.article_id))  # one row a tagged article
    return ids.in_(_field_ids(item, value))


def _column_condition(item: Field, scanned: Any) -> ColumnElement[bool]:
    if item.name == "lang":
        return _language_condition(item.value, scanned.language)
    if item.name == "is":
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


def _language_condition(code: str, language: Any) -> ColumnElement[bool]:
    """Languages ``code`` names: itself, its subtags (``en`` finds ``en-us``), and its less
    specific forms (``en-us`` finds ``en``, as imports store only the primary subtag)."""
    # The parser allows only letters, digits and hyphens here: no LIKE wildcards. The case of
    # language codes does not count.
    parts = code.split("-")
    broader = ["-".join(parts[:size]) for size in range(1, len(parts))]
    return or_(*(language.ilike(form) for form in (code, *broader)), language.ilike(f"{code}-%"))
