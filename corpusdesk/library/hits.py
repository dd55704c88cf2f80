"""What the window shows beside a search result: snippets of each article's hits, its copies.

Snippets are made in Python from the stored title and text (``corpusdesk.core.snippets``), a
page of the table at a time: the full-text index keeps some scripts as character pairs, which
FTS5's ``snippet()`` would show as they are indexed.
"""

from __future__ import annotations

from collections.abc import Sequence

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


__all__ = ["Snippet", "copies_of", "id_chunks", "snippets"]
