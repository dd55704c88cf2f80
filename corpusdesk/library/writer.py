"""Writing import drafts: exact and near-duplicate checks, then the insert.

This is the single place articles enter the library. It runs inside the caller's write
transaction, one draft after another, so duplicates inside one batch are caught as well as
duplicates of articles already stored. A file already stored (same bytes) is skipped; the same
or nearly the same text from another file joins a duplicate group. Paragraphs the site's other
articles share (its template) are removed on the way in, and once a batch is written, articles
stored earlier lose the template blocks the batch made known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from corpusdesk.core.records import ArticleDraft, FileResult, Outcome
from corpusdesk.importing.boilerplate import pack_keys, site_key
from corpusdesk.importing.duplicates import (
    NEAR_DUPLICATE_THRESHOLD,
    band_keys,
    estimated_similarity,
    pack_signature,
    unpack_signature,
)
from corpusdesk.library.articles import utc_now
from corpusdesk.library.schema import (
    AUTHOR_SEPARATOR,
    Article,
    MinhashBand,
    Original,
    Signature,
)
from corpusdesk.library.site_blocks import (
    block_samples,
    clean_site_articles,
    record_blocks,
    remove_template,
    template_keys,
)


def _same_file(session: Session, draft: ArticleDraft) -> int | None:
    return session.scalar(select(Article.id).where(Article.sha256 == draft.sha256))


def _same_text(session: Session, draft: ArticleDraft) -> int | None:
    return session.scalar(
        select(Article.id).where(Article.text_sha256 == draft.text_sha256).limit(1)
    )


def _near_duplicate(session: Session, signature: tuple[int, ...], keys: list[int]) -> int | None:
    """The id of the most similar stored article above the threshold, if any."""
    if not keys:
        return None
    candidates = session.scalars(
        select(MinhashBand.article_id).where(MinhashBand.band.in_(keys)).distinct().limit(200)
    ).all()
    best_id, best_score = None, NEAR_DUPLICATE_THRESHOLD
    for candidate_id, packed in session.execute(
        select(Signature.article_id, Signature.minhash).where(Signature.article_id.in_(candidates))
    ):
        score = estimated_similarity(signature, unpack_signature(packed))
        if score >= best_score:
            best_id, best_score = candidate_id, score
    return best_id


def write_draft(session: Session, draft: ArticleDraft, now: dt.datetime) -> FileResult:
    """Store one draft unless it duplicates an article exactly; link near duplicates."""
    existing = _same_file(session, draft)
    if existing is not None:
        reason = f"same file as article #{existing}"
        return FileResult(draft.source_path, Outcome.DUPLICATE, reason=reason)
    keys = band_keys(draft.minhash)
    # The same text from another file (another site, another saving of the page) is kept and
    # grouped like a republication: its metadata is what tells the copies apart.
    near_id = _same_text(session, draft) or _near_duplicate(session, draft.minhash, keys)
    group: int | None = None
    if near_id is not None:
        group = session.scalar(select(Article.duplicate_group).where(Article.id == near_id))
        if group is None:
            group = near_id
            session.execute(
                update(Article).where(Article.id == near_id).values(duplicate_group=group)
            )
    extracted = draft.article
    site = site_key(extracted.url, extracted.site_name)
    samples = block_samples(extracted.text, extracted.title)
    template = template_keys(session, site, samples, extra=1)
    cleaned = remove_template(extracted.text, extracted.html, extracted.title, template)
    article = Article(
        sha256=draft.sha256,
        text_sha256=draft.text_sha256,
        source_name=draft.source_name,
        source_path=draft.source_path,
        imported_at=now,
        title=extracted.title or "",
        authors=AUTHOR_SEPARATOR.join(extracted.authors),
        site_name=extracted.site_name or "",
        published=extracted.published,
        modified=extracted.modified,
        url=extracted.url or "",
        description=extracted.description or "",
        language=extracted.language or "",
        word_count=len(cleaned.text.split()) if cleaned.removed else draft.word_count,
        text=cleaned.text,
        html=cleaned.html,
        encoding=extracted.encoding,
        extractor_version=draft.extractor_version,
        original_size=draft.original_size,
        duplicate_group=group,
        site_key=site,
    )
    session.add(article)
    session.flush()
    session.add(Original(article_id=article.id, data=draft.original_compressed))
    session.add(
        Signature(
            article_id=article.id,
            minhash=pack_signature(draft.minhash),
            blocks=pack_keys(samples),
            kept_blocks=pack_keys(cleaned.kept_keys),
        )
    )
    session.add_all(MinhashBand(band=key, article_id=article.id) for key in set(keys))
    record_blocks(session, site, samples)
    return FileResult(
        draft.source_path, Outcome.IMPORTED, article_id=article.id, near_duplicate_of=near_id
    )


def write_drafts(session: Session, drafts: Sequence[ArticleDraft]) -> list[FileResult]:
    """Store a batch of drafts in the caller's transaction; one result per draft, in order."""
    now = utc_now()
    results = []
    sites: set[str] = set()
    for draft in drafts:
        results.append(write_draft(session, draft, now))
        sites.add(site_key(draft.article.url, draft.article.site_name))
        session.flush()
    clean_site_articles(session, sites)
    return results
