"""Reading what the analysis tools need: texts, concordance sources, dated counts, a summary.

Repository functions taking the caller's ``Session``, returning plain records. Articles are read
in batches of ids, and only the columns asked for; the summary reads the indexes of the sites,
authors, languages and dates and never the articles' rows, which hold their long texts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, func, select
from sqlalchemy.orm import Session, aliased

from corpusdesk.analysis.concordance import ConcordanceSource
from corpusdesk.analysis.trends import DatedCount, Split
from corpusdesk.library.articles import id_chunks, split_authors
from corpusdesk.library.schema import Article, ArticleTag, Tag

TEXT_BATCH = 200
"""Articles whose texts are read per statement (about a megabyte of text)."""

_TRASHED = aliased(Article)


def _live() -> ColumnElement[bool]:
    """Live articles, tested by id against the few trashed ones (never reading a row)."""
    return Article.id.not_in(select(_TRASHED.id).where(_TRASHED.deleted_at.is_not(None)))


def iter_texts(session: Session, ids: Sequence[int]) -> Iterator[str]:
    """The texts of the articles ``ids`` (in no particular order)."""
    for chunk in id_chunks(ids, TEXT_BATCH):
        yield from session.scalars(select(Article.text).where(Article.id.in_(chunk)))


def iter_concordance_sources(session: Session, ids: Sequence[int]) -> Iterator[ConcordanceSource]:
    """What a concordance reads of each article, in the order of ``ids``."""
    columns = (Article.id, Article.text, Article.title, Article.site_name, Article.published)
    for chunk in id_chunks(ids, TEXT_BATCH):
        found = {
            row.id: ConcordanceSource(row.id, row.text, row.title, row.site_name, row.published)
            for row in session.execute(select(*columns).where(Article.id.in_(chunk)))
        }
        yield from (found[i] for i in chunk if i in found)


def dated_counts(session: Session, ids: Sequence[int], split: Split) -> list[DatedCount]:
    """Articles of ``ids`` per publication day and per site, tag or language (``split``).

    With ``Split.TAG`` an article counts once for each of its tags, and untagged ones under
    the key ``""``; with ``Split.NONE`` every key is ``""``.
    """
    totals: Counter[tuple[dt.date | None, str]] = Counter()
    for chunk in id_chunks(ids):
        if split is Split.TAG:
            statement = (
                select(Article.published, Tag.name, func.count())
                .select_from(Article)
                .outerjoin(ArticleTag, ArticleTag.article_id == Article.id)
                .outerjoin(Tag, Tag.id == ArticleTag.tag_id)
                .where(Article.id.in_(chunk))
                .group_by(Article.published, Tag.id)
            )
        else:
            key = {
                Split.NONE: None,
                Split.SITE: Article.site_name,
                Split.LANGUAGE: Article.language,
            }[split]
            keys = (Article.published,) if key is None else (Article.published, key)
            statement = select(*keys, func.count()).where(Article.id.in_(chunk)).group_by(*keys)
        for row in session.execute(statement):
            name = "" if len(row) == 2 else (row[1] or "")
            totals[(row[0], name)] += row[-1]
    return [DatedCount(published, name, count) for (published, name), count in totals.items()]


@dataclass(frozen=True, slots=True)
class LibrarySummary:
    """What ``corpusdesk stats`` shows beyond the counts."""

    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    languages: tuple[tuple[str, int], ...]
    sites: tuple[tuple[str, int], ...]
    """The sites with the most articles, most first."""
    authors: tuple[tuple[str, int], ...]
    duplicate_groups: int
    articles_in_duplicate_groups: int


def summary(session: Session, top: int = 10) -> LibrarySummary:
    """Date range, articles per language, the top sites and authors, duplicate groups."""
    live = _live()
    first, last = session.execute(
        select(func.min(Article.published), func.max(Article.published)).where(live)
    ).one()
    undated = session.scalar(select(func.count()).where(live, Article.published.is_(None)))

    def grouped(column: SQLColumnExpression[str]) -> list[tuple[str, int]]:
        rows = session.execute(select(column, func.count()).where(live).group_by(column))
        return [(value or "", count) for value, count in rows]

    languages = sorted(grouped(Article.language), key=lambda pair: (-pair[1], pair[0]))
    sites = sorted(
        ((name, count) for name, count in grouped(Article.site_name) if name),
        key=lambda pair: (-pair[1], pair[0].casefold()),
    )
    authors: Counter[str] = Counter()
    for joined, count in grouped(Article.authors):
        for name in split_authors(joined):
            authors[name] += count
    groups, grouped_articles = session.execute(
        select(func.count(func.distinct(Article.duplicate_group)), func.count()).where(
            live, Article.duplicate_group.is_not(None)
        )
    ).one()
    return LibrarySummary(
        first_date=first,
        last_date=last,
        undated=int(undated or 0),
        languages=tuple(languages),
        sites=tuple(sites[:top]),
        authors=tuple(sorted(authors.items(), key=lambda pair: (-pair[1], pair[0]))[:top]),
        duplicate_groups=int(groups or 0),
        articles_in_duplicate_groups=int(grouped_articles or 0),
    )
