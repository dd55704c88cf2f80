"""Storing a fresh extraction of articles already in the library (``corpusdesk reclean``).

The importing side re-runs the current extraction rules on an article's kept original bytes;
this module writes the result: text, preview and the metadata fields the user has not edited,
with the site template removed and the per-site block counts, near-duplicate signature and band
keys brought up to date. What changed is returned per article, so the caller can report it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from corpusdesk.core.records import ExtractedArticle
from corpusdesk.core.scripts import count_words
from corpusdesk.importing.boilerplate import block_samples, pack_keys, site_key, unpack_keys
from corpusdesk.importing.duplicates import (
    band_keys,
    minhash_signature,
    pack_signature,
    text_sha256,
)
from corpusdesk.library.schema import AUTHOR_SEPARATOR, Article, MinhashBand, Signature
from corpusdesk.library.site_blocks import (
    clean_site_articles,
    forget_blocks,
    record_blocks,
    remove_template,
    template_keys,
)

METADATA_FIELDS = (
    "title",
    "authors",
    "site_name",
    "published",
    "modified",
    "url",
    "description",
    "language",
)


@dataclass(frozen=True, slots=True)
class ArticleChange:
    """What a fresh extraction changed in one article."""

    article_id: int
    fields: tuple[str, ...]
    words_before: int
    words_after: int


def _stored_value(extracted: ExtractedArticle, field: str) -> object:
    value = getattr(extracted, field)
    if field == "authors":
        return AUTHOR_SEPARATOR.join(value)
    if value is None and field not in ("published", "modified"):
        return ""
    return value


def _apply_one(session: Session, article: Article, extracted: ExtractedArticle) -> ArticleChange:
    edited = set(article.edited_fields.split())
    changed: list[str] = []
    for field in METADATA_FIELDS:
        if field in edited:
            continue
        value = _stored_value(extracted, field)
        if getattr(article, field) != value:
            setattr(article, field, value)
            changed.append(field)
    signature = session.get(Signature, article.id)
    old_site = article.site_key
    if signature is not None and signature.blocks:
        forget_blocks(session, old_site, unpack_keys(signature.blocks))
    article.site_key = site_key(article.url, article.site_name)
    samples = block_samples(extracted.text, article.title)
    record_blocks(session, article.site_key, samples)
    template = template_keys(session, article.site_key, samples)
    cleaned = remove_template(extracted.text, extracted.html, article.title, template)
    words_before = article.word_count
    if cleaned.text != article.text:
        article.text = cleaned.text
        article.word_count = count_words(cleaned.text)
        article.text_sha256 = text_sha256(cleaned.text)
        changed.append("text")
        minhash = minhash_signature(cleaned.text)
        session.execute(delete(MinhashBand).where(MinhashBand.article_id == article.id))
        session.add_all(
            MinhashBand(band=key, article_id=article.id) for key in set(band_keys(minhash))
        )
    else:
        minhash = None
    if cleaned.html != article.html:
        article.html = cleaned.html
        changed.append("html")
    article.encoding = extracted.encoding
    if signature is None:
        signature = Signature(article_id=article.id, minhash=b"")
        session.add(signature)
    if minhash is not None:
        signature.minhash = pack_signature(minhash)
    signature.blocks = pack_keys(samples)
    signature.kept_blocks = pack_keys(cleaned.kept_keys)
    return ArticleChange(article.id, tuple(changed), words_before, article.word_count)


def apply_reextraction(
    session: Session, items: Sequence[tuple[int, ExtractedArticle]], extractor_version: str
) -> list[ArticleChange]:
    """Store fresh extractions of existing articles; returns one change record per article."""
    changes: list[ArticleChange] = []
    sites: set[str] = set()
    for article_id, extracted in items:
        article = session.get(Article, article_id)
        if article is None:
            continue
        sites.add(article.site_key)
        changes.append(_apply_one(session, article, extracted))
        article.extractor_version = extractor_version
        sites.add(article.site_key)
        session.flush()
    clean_site_articles(session, sites)
    return changes


def forget_articles_blocks(session: Session, ids: Sequence[int]) -> None:
    """Take articles about to be deleted out of their sites' block counts."""
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Article.site_key, Signature.blocks)
            .join(Signature, Signature.article_id == Article.id)
            .where(Article.id.in_(ids[start : start + 500]))
        )
        for site, blocks in rows:
            forget_blocks(session, site, unpack_keys(blocks))
