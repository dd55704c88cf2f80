"""Corpus-aware cleaning, the storage half: per-site paragraph counts and template removal.

Every stored article adds one to the count of each distinct paragraph key of its extracted
text, under its site. A key counts as the site's template when it occurs in at least
``MIN_REPEATS`` articles and in at least ``MIN_SHARE`` of the site's articles; so a block that
occurs once is never removed, and a line that only some articles share (an attribution, a
series name) is kept. When a site's template grows, articles stored before are cleaned too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from corpusdesk.core.scripts import count_words
from corpusdesk.importing.boilerplate import (
    SAMPLE_CHARACTERS,
    pack_keys,
    strip_html,
    strip_text,
    text_block_keys,
    unpack_keys,
)
from corpusdesk.library.dialects import insert_or_update
from corpusdesk.library.schema import Article, Signature, SiteBlock

MIN_REPEATS = 3
MIN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class CleanedText:
    """Text and preview HTML after template removal, with what was removed."""

    text: str
    html: str
    removed: tuple[str, ...]
    kept_keys: tuple[int, ...]


def site_articles(session: Session, site_key: str) -> int:
    """How many articles (live or trashed) the library holds for the site."""
    return int(session.scalar(select(func.count()).where(Article.site_key == site_key)) or 0)


def template_keys(session: Session, site_key: str, keys: Iterable[int], extra: int = 0) -> set[int]:
    """Which of ``keys`` are the site's template, counting ``extra`` unstored articles with them."""
    keys = list(keys)
    if not site_key or not keys:
        return set()
    total = site_articles(session, site_key) + extra
    if total < MIN_REPEATS:
        return set()
    needed = max(MIN_REPEATS, MIN_SHARE * total)
    found: set[int] = set()
    for start in range(0, len(keys), 500):
        rows = session.execute(
            select(SiteBlock.block, SiteBlock.articles).where(
                SiteBlock.site_key == site_key, SiteBlock.block.in_(keys[start : start + 500])
            )
        )
        found.update(block for block, count in rows if count + extra >= needed)
    return found


def record_blocks(session: Session, site_key: str, samples: dict[int, str]) -> None:
    """Count one more article of the site containing each of these paragraph keys."""
    if not site_key or not samples:
        return
    statement = insert_or_update(session, SiteBlock).values(
        [
            {"site_key": site_key, "block": key, "articles": 1, "sample": text[:SAMPLE_CHARACTERS]}
            for key, text in samples.items()
        ]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[SiteBlock.site_key, SiteBlock.block],
            set_={"articles": SiteBlock.articles + 1},
        )
    )


def forget_blocks(session: Session, site_key: str, keys: Sequence[int]) -> None:
    """Count one article fewer for each key (the article is being deleted or re-extracted)."""
    for start in range(0, len(keys), 500):
        session.execute(
            update(SiteBlock)
            .where(SiteBlock.site_key == site_key, SiteBlock.block.in_(keys[start : start + 500]))
            .values(articles=SiteBlock.articles - 1)
        )


def remove_template(text: str, html: str, title: str | None, template: set[int]) -> CleanedText:
    """The text and HTML without the template paragraphs."""
    removed: list[str] = []
    if template:
        stripped, removed = strip_text(text, title, template)
        if stripped.strip():
            text = stripped
            html = strip_html(html, title, template) if removed else html
        else:
            removed = []  # a page that is all template keeps its text: nothing to judge by
    return CleanedText(text, html, tuple(removed), tuple(text_block_keys(text, title)))


def clean_site_articles(session: Session, site_keys: Iterable[str]) -> list[int]:
    """Remove each site's current template from its stored articles; returns the changed ids."""
    changed: list[int] = []
    for site_key in set(site_keys):
        if not site_key or site_articles(session, site_key) < MIN_REPEATS:
            continue
        needed = max(MIN_REPEATS, MIN_SHARE * site_articles(session, site_key))
        template = set(
            session.scalars(
                select(SiteBlock.block).where(
                    SiteBlock.site_key == site_key, SiteBlock.articles >= needed
                )
            )
        )
        if not template:
            continue
        rows = session.execute(
            select(Signature.article_id, Signature.kept_blocks)
            .join(Article, Article.id == Signature.article_id)
            .where(Article.site_key == site_key)
        ).all()
        for article_id, kept in rows:
            if template.isdisjoint(unpack_keys(kept)):
                continue
            article = session.get(Article, article_id)
            if article is None:
                continue
            cleaned = remove_template(article.text, article.html, article.title, template)
            if not cleaned.removed or not cleaned.text.strip():
                continue
            article.text, article.html = cleaned.text, cleaned.html
            article.word_count = count_words(cleaned.text)
            session.execute(
                update(Signature)
                .where(Signature.article_id == article_id)
                .values(kept_blocks=pack_keys(cleaned.kept_keys))
            )
            changed.append(article_id)
    return changed
