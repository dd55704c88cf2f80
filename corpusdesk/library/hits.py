"""Snippets of each article's hits and groups of copies: what the window shows beside a
search result, and the one article of each group an export may keep.

Snippets are made in Python from the stored title and text (``corpusdesk.core.snippets``), a
page of the table at a time: the full-text index keeps some scripts as character pairs, which
FTS5's ``snippet()`` would show as they are indexed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpusdesk.core.query import parse
from corpusdesk.core.records import ArticleRow
from corpusdesk.core.snippets import Snippet, make_snippet, positive_terms
from corpusdesk.library.articles import fetch_rows, id_chunks
from corpusdesk.library.schema import Article


def snippets(session: Session, ids: Sequence[int], query: str) -> dict[int, Snippet]:
    """A snippet of each article's hits of ``query``'s words (``QueryError`` if malformed).

    Articles that are gone are left out; with no words in the query, there are no snippets.
    """
    terms = positive_terms(parse(query))
    if not terms:
        return {}
    found: dict[int, Snippet] = {}
    for chunk in id_chunks(ids):
        statement = select(Article.id, Article.title, Article.text).where(Article.id.in_(chunk))
        for article_id, title, text in session.execute(statement):
            found[article_id] = make_snippet(title or "", text or "", terms)
    return found


def copies_of(session: Session, article_id: int) -> list[ArticleRow]:
    """The articles in ``article_id``'s group of copies (itself included), oldest first.

    Only live articles count; an article in no group has no copies but itself.
    """
    group = session.scalar(select(Article.duplicate_group).where(Article.id == article_id))
    if group is None:
        return list(fetch_rows(session, [article_id]).values())
    ids = session.scalars(
        select(Article.id).where(Article.duplicate_group == group, Article.deleted_at.is_(None))
    ).all()
    rows = fetch_rows(session, ids)
    return sorted(rows.values(), key=lambda row: (row.published is None, row.published, row.id))


def one_per_group(session: Session, ids: Sequence[int], *, longest: bool) -> list[int]:
    """``ids`` with one article kept of each duplicate group among them, in their order.

    The one kept is the earliest (first published, articles with a date before those without,
    then first captured, then first imported) or, with ``longest``, the one with the most
    words (then the first imported). Articles in no group are all kept; only the grouped ones
    are read, so memory grows with them, not with the selection.
    """
    best: dict[int, tuple[Any, ...]] = {}
    grouped: set[int] = set()
    for chunk in id_chunks(ids):
        statement = select(
            Article.id,
            Article.duplicate_group,
            Article.published,
            Article.captured_at,
            Article.imported_at,
            Article.word_count,
        ).where(Article.id.in_(chunk), Article.duplicate_group.is_not(None))
        for article_id, group, published, captured, imported, words in session.execute(statement):
            if group is None:
                continue
            grouped.add(article_id)
            if longest:
                key: tuple[Any, ...] = (-words, imported, article_id)
            else:
                key = (published is None, published or dt.date.min, captured or imported)
                key += (imported, article_id)
            if group not in best or key < best[group]:
                best[group] = key
    kept = {key[-1] for key in best.values()}
    return [article_id for article_id in ids if article_id not in grouped or article_id in kept]


__all__ = ["Snippet", "copies_of", "id_chunks", "one_per_group", "snippets"]
