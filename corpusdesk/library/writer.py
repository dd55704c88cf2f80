"""Writing import drafts: exact and near-duplicate checks, then the insert.

This is the single place articles enter the library. It runs inside the caller's write
transaction, one draft after another, so duplicates inside one batch are caught as well as
duplicates of articles already stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from corpusdesk.core.records import ArticleDraft, FileResult, Outcome
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


def _exact_duplicate(session: Session, draft: ArticleDraft) -> str | None:
    same_bytes = session.scalar(select(Article.id).where(Article.sha256 == draft.sha256))
    if same_bytes is not None:
        return f"same file as article #{same_bytes}"
    same_text = session.scalar(
        select(Article.id).where(Article.text_sha256 == draft.text_sha256).limit(1)
    )
    if same_text is not None:
        return f"same text as article #{same_text}"
    return None


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
    reason = _exact_duplicate(session, draft)
    if reason is not None:
        return FileResult(draft.source_path, Outcome.DUPLICATE, reason=reason)
    keys = band_keys(draft.minhash)
    near_id = _near_duplicate(session, draft.minhash, keys)
    group: int | None = None
    if near_id is not None:
        group = session.scalar(select(Article.duplicate_group).where(Article.id == near_id))
        if group is None:
            group = near_id
            session.execute(
                update(Article).where(Article.id == near_id).values(duplicate_group=group)
            )
    extracted = draft.article
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
        word_count=draft.word_count,
        text=extracted.text,
        html=extracted.html,
        encoding=extracted.encoding,
        extractor_version=draft.extractor_version,
        original_size=draft.original_size,
        duplicate_group=group,
    )
    session.add(article)
    session.flush()
    session.add(Original(article_id=article.id, data=draft.original_compressed))
    if draft.minhash:
        session.add(Signature(article_id=article.id, minhash=pack_signature(draft.minhash)))
        session.add_all(MinhashBand(band=key, article_id=article.id) for key in set(keys))
    return FileResult(
        draft.source_path, Outcome.IMPORTED, article_id=article.id, near_duplicate_of=near_id
    )


def write_drafts(session: Session, drafts: Sequence[ArticleDraft]) -> list[FileResult]:
    """Store a batch of drafts in the caller's transaction; one result per draft, in order."""
    now = utc_now()
    results = []
    for draft in drafts:
        results.append(write_draft(session, draft, now))
        session.flush()
    return results
