"""Writing import drafts: the single place articles enter the library, a batch at a time.

``bulk_write`` stores a whole batch with a handful of set-wise statements: exact duplicates
(same file bytes) are skipped, the same or nearly the same text (shared LSH band keys confirmed
on the MinHash signature) joins a duplicate group, per-site paragraph counts are recorded and
the site templates are removed once the batch is in, from the new articles and from those stored
before. Rows go in with ``executemany``; the full-text index is kept in step by its triggers in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from corpusdesk.core.errors import UserError
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
from corpusdesk.library.dialects import backend_of
from corpusdesk.library.schema import (
    AUTHOR_SEPARATOR,
    Article,
    MinhashBand,
    Signature,
    StoredText,
)
from corpusdesk.library.site_blocks import clean_site_articles
from corpusdesk.library.tags import add_tag

CHUNK = 500
"""Values per ``IN (…)`` list."""
MAX_CANDIDATES = 200
"""Stored articles compared with one draft at most (as in the one-by-one writer)."""
FTS_BULK_SETTINGS = {"hashsize": 64 * 1024 * 1024, "automerge": 16}
"""FTS5 settings while a bulk batch is written: a larger in-memory term buffer and less
eager segment merging make indexing several times faster; the previous values come back at the
end of the batch."""
FTS_DEFAULTS = {"hashsize": 1024 * 1024, "automerge": 4}


def _chunks(values: Sequence[object], size: int = CHUNK) -> Iterator[Sequence[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _Pending:
    """A draft that will be stored, with what the batch computed for it."""

    draft: ArticleDraft
    article_id: int
    keys: list[int]
    site: str
    samples: dict[int, str]
    group: int | None = None
    near_id: int | None = None


def _stored_hashes(session: Session, hashes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(hashes):
        statement = select(Article.sha256, Article.id).where(Article.sha256.in_(chunk))
        found.update((digest, article_id) for digest, article_id in session.execute(statement))
    return found


def _stored_texts(session: Session, hashes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(hashes):
        statement = (
            select(Article.text_sha256, func.min(Article.id))
            .where(Article.text_sha256.in_(chunk))
            .group_by(Article.text_sha256)
        )
        found.update((digest, article_id) for digest, article_id in session.execute(statement))
    return found


def _stored_bands(session: Session, keys: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for chunk in _chunks(keys):
        statement = select(MinhashBand.band, MinhashBand.article_id).where(
            MinhashBand.band.in_(chunk)
        )
        for band, article_id in session.execute(statement):
            found.setdefault(band, []).append(article_id)
    return found


def _stored_signatures(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    found: dict[int, tuple[int, ...]] = {}
    for chunk in _chunks(ids):
        statement = select(Signature.article_id, Signature.minhash).where(
            Signature.article_id.in_(chunk)
        )
        found.update((i, unpack_signature(packed)) for i, packed in session.execute(statement))
    return found


def _stored_groups(session: Session, ids: Sequence[int]) -> dict[int, int | None]:
    found: dict[int, int | None] = {}
    for chunk in _chunks(ids):
        statement = select(Article.id, Article.duplicate_group).where(Article.id.in_(chunk))
        found.update((i, group) for i, group in session.execute(statement))
    return found


def _find_copies(session: Session, pending: list[_Pending]) -> list[int]:
    """Set each pending draft's near-duplicate and group; returns stored ids to start a group."""
    stored_text = _stored_texts(session, list({p.draft.text_sha256 for p in pending}))
    stored_band = _stored_bands(session, sorted({key for p in pending for key in p.keys}))
    candidates: dict[int, list[int]] = {}
    for item in pending:
        if item.draft.text_sha256 in stored_text:
            continue
        found: dict[int, None] = {}
        for key in item.keys:
            for article_id in stored_band.get(key, ()):
                found.setdefault(article_id)
        candidates[item.article_id] = list(found)[:MAX_CANDIDATES]
    wanted = sorted({i for ids in candidates.values() for i in ids})
    signatures = _stored_signatures(session, wanted)
    batch_text: dict[str, _Pending] = {}
    batch_band: dict[int, list[_Pending]] = {}
    near: dict[int, int] = {}
    for item in pending:
        draft = item.draft
        copy = batch_text.get(draft.text_sha256)
        near_id = stored_text.get(draft.text_sha256) if copy is None else copy.article_id
        if near_id is None:
            near_id = _closest(item, candidates.get(item.article_id, []), signatures, batch_band)
        batch_text.setdefault(draft.text_sha256, item)
        for key in set(item.keys):
            batch_band.setdefault(key, []).append(item)
        if near_id is not None:
            item.near_id = near_id
            near[item.article_id] = near_id
    stored_near = sorted({i for i in near.values() if i < pending[0].article_id})
    groups = _stored_groups(session, stored_near)
    by_id = {item.article_id: item for item in pending}
    start_groups: list[int] = []
    for item in pending:
        if item.near_id is None:
            continue
        if item.near_id in by_id:
            source = by_id[item.near_id]
            if source.group is None:
                source.group = source.article_id
            item.group = source.group
        else:
            group = groups.get(item.near_id)
            if group is None:
                group = groups[item.near_id] = item.near_id
                start_groups.append(item.near_id)
            item.group = group
    return start_groups


def _closest(
    item: _Pending,
    stored: list[int],
    signatures: dict[int, tuple[int, ...]],
    batch_band: dict[int, list[_Pending]],
) -> int | None:
    """The most similar candidate (stored first, then earlier drafts of the batch), if any."""
    signature = item.draft.minhash
    best_id, best_score = None, NEAR_DUPLICATE_THRESHOLD
    for candidate_id in stored:
        score = estimated_similarity(signature, signatures.get(candidate_id, ()))
        if score >= best_score:
            best_id, best_score = candidate_id, score
    seen: set[int] = set()
    for key in item.keys:
        for other in batch_band.get(key, ()):
            if other.article_id in seen:
                continue
            seen.add(other.article_id)
            score = estimated_similarity(signature, other.draft.minhash)
            if score >= best_score:
                best_id, best_score = other.article_id, score
    return best_id


def _article_row(item: _Pending, now: dt.datetime) -> dict[str, object]:
    draft, extracted = item.draft, item.draft.article
    return {
        "id": item.article_id,
        "sha256": draft.sha256,
        "text_sha256": draft.text_sha256,
        "source_name": draft.source_name,
        "source_path": draft.source_path,
        "imported_at": now,
        "title": extracted.title or "",
        "authors": AUTHOR_SEPARATOR.join(extracted.authors),
        "site_name": extracted.site_name or "",
        "published": extracted.published,
        "modified": extracted.modified,
        "url": extracted.url or "",
        "description": extracted.description or "",
        "language": extracted.language or "",
        "word_count": draft.word_count,
        "text": extracted.text,
        "html": extracted.html,
        "encoding": extracted.encoding,
        "extractor_version": draft.extractor_version,
        "original_size": draft.original_size,
        "duplicate_group": item.group,
        "site_key": item.site,
        "edited_fields": "",
        "source_member": draft.source_member,
        "captured_at": draft.captured_at,
    }


def _add_container_tags(session: Session, pending: list[_Pending]) -> None:
    """Tag the new articles with the tags their containers gave them."""
    by_tag: dict[str, list[int]] = {}
    for item in pending:
        for name in item.draft.tags:
            by_tag.setdefault(name, []).append(item.article_id)
    for name, ids in by_tag.items():
        try:
            add_tag(session, ids, name)
        except UserError:
            continue  # a name no tag can have (empty, too long): the article stays untagged


def _record_site_blocks(session: Session, pending: list[_Pending]) -> None:
    counts: Counter[tuple[str, int]] = Counter()
    samples: dict[tuple[str, int], str] = {}
    for item in pending:
        if not item.site:
            continue
        for key, paragraph in item.samples.items():
            counts[item.site, key] += 1
            samples.setdefault((item.site, key), paragraph)
    if counts:
        session.execute(
            text(
                "INSERT INTO site_blocks (site_key, block, articles, sample) "
                "VALUES (:site, :block, :articles, :sample) ON CONFLICT (site_key, block) "
                "DO UPDATE SET articles = site_blocks.articles + excluded.articles"
            ).bindparams(bindparam("sample", type_=StoredText)),
            [
                {"site": site, "block": key, "articles": n, "sample": samples[site, key]}
                for (site, key), n in counts.items()
            ],
        )


def bulk_write(session: Session, drafts: Sequence[ArticleDraft]) -> list[FileResult]:
    """Store a batch of drafts in the caller's write transaction; one result per draft, in order.

    Files already stored (or repeated in the batch) are skipped as duplicates and copies join
    duplicate groups; each touched site's template is removed from its articles once the whole
    batch is in.
    """
    now = utc_now()
    stored = _stored_hashes(session, [draft.sha256 for draft in drafts])
    next_id = int(session.scalar(select(func.max(Article.id))) or 0) + 1
    results: list[FileResult | None] = []
    pending: list[_Pending] = []
    seen: dict[str, int] = dict(stored)
    for draft in drafts:
        if draft.sha256 in seen:
            reason = f"same file as article #{seen[draft.sha256]}"
            results.append(FileResult(draft.label, Outcome.DUPLICATE, reason=reason))
            continue
        extracted = draft.article
        item = _Pending(
            draft=draft,
            article_id=next_id,
            keys=band_keys(draft.minhash),
            site=site_key(extracted.url, extracted.site_name),
            samples=draft.block_samples,
        )
        seen[draft.sha256] = next_id
        next_id += 1
        pending.append(item)
        results.append(None)
    if pending:
        start_groups = _find_copies(session, pending)
        for chunk in _chunks(start_groups):
            session.execute(
                update(Article)
                .where(Article.id.in_(chunk), Article.duplicate_group.is_(None))
                .values(duplicate_group=Article.id)
            )
        _insert(session, pending, now)
        clean_site_articles(session, {item.site for item in pending})
    stored_results = iter(pending)
    final: list[FileResult] = []
    for result in results:
        if result is None:
            item = next(stored_results)
            result = FileResult(
                item.draft.label,
                Outcome.IMPORTED,
                article_id=item.article_id,
                near_duplicate_of=item.near_id,
            )
        final.append(result)
    return final


def _insert(session: Session, pending: list[_Pending], now: dt.datetime) -> None:
    rows = [_article_row(item, now) for item in pending]
    if backend_of(session) == "sqlite":
        from corpusdesk.library.dialects.sqlite import bulk_settings

        with bulk_settings(session, FTS_BULK_SETTINGS, FTS_DEFAULTS):
            session.execute(insert(Article), rows)
            _insert_related(session, pending)
        return
    session.execute(insert(Article), rows)
    _insert_related(session, pending)


def _insert_related(session: Session, pending: list[_Pending]) -> None:
    session.execute(
        text("INSERT INTO originals (article_id, data) VALUES (:id, :data)"),
        [{"id": item.article_id, "data": item.draft.original_compressed} for item in pending],
    )
    session.execute(
        text(
            "INSERT INTO signatures (article_id, minhash, blocks, kept_blocks) "
            "VALUES (:id, :minhash, :blocks, :kept)"
        ),
        [
            {
                "id": item.article_id,
                "minhash": pack_signature(item.draft.minhash),
                "blocks": pack_keys(item.samples),
                "kept": pack_keys(item.samples),
            }
            for item in pending
        ],
    )
    resources = [
        {
            "id": item.article_id,
            "location": resource.location,
            "media_type": resource.media_type,
            "data": resource.data,
        }
        for item in pending
        for resource in {r.location: r for r in item.draft.resources}.values()
    ]
    if resources:
        session.execute(
            text(
                "INSERT INTO resources (article_id, location, media_type, data) "
                "VALUES (:id, :location, :media_type, :data)"
            ),
            resources,
        )
    _add_container_tags(session, pending)
    bands = [{"band": key, "id": item.article_id} for item in pending for key in set(item.keys)]
    if bands:
        session.execute(
            text("INSERT INTO minhash_bands (band, article_id) VALUES (:band, :id)"), bands
        )
    _record_site_blocks(session, pending)
