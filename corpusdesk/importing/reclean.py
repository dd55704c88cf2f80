"""Re-cleaning: run the current extraction rules again on stored originals.

Articles keep their original bytes, so when the extraction rules improve (or a site's template
becomes known) every stored article can be brought up to date without the files. Extraction
runs in worker processes for large selections; the library stores the results in batches and
reports per article which fields changed. Fields the user edited by hand are never overwritten.
Worker processes end by themselves when the re-cleaning process ends, even by SIGKILL.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from corpusdesk.core.errors import ImportFailure
from corpusdesk.core.records import ExtractedArticle, ImportProgress, StoredOriginal
from corpusdesk.importing.capture import extract_capture
from corpusdesk.importing.extract import EXTRACTOR_VERSION
from corpusdesk.importing.prepare import watch_parent

BATCH = 200
POOL_FROM = 50
"""Selections at least this large are extracted in worker processes."""


class ChangeRecord(Protocol):
    """What the library reports for one re-extracted article."""

    @property
    def fields(self) -> tuple[str, ...]: ...

    @property
    def words_before(self) -> int: ...

    @property
    def words_after(self) -> int: ...


class RecleanTarget(Protocol):
    """The library operations re-cleaning needs."""

    def originals(self, ids: Sequence[int]) -> dict[int, StoredOriginal]: ...

    def apply_reextraction(
        self, items: Sequence[tuple[int, ExtractedArticle]], extractor_version: str
    ) -> Sequence[ChangeRecord]: ...


@dataclass
class RecleanReport:
    """What a re-clean changed."""

    examined: int = 0
    changed: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    words_removed: int = 0
    words_added: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        """A few lines for the CLI or a dialog."""
        noun = "article" if self.examined == 1 else "articles"
        lines = [f"{self.examined} {noun} re-cleaned, {self.changed} changed"]
        if self.fields:
            lines.append(
                "changed fields: " + ", ".join(f"{n} {k}" for k, n in self.fields.most_common())
            )
        if self.words_removed or self.words_added:
            lines.append(f"words removed: {self.words_removed}, words added: {self.words_added}")
        lines.extend(f"failed: article #{i}: {reason}" for i, reason in self.failures)
        if self.cancelled:
            lines.append("cancelled: the rest were left as they were")
        return "\n".join(lines)


def _extract(item: tuple[int, StoredOriginal]) -> tuple[int, ExtractedArticle | str]:
    article_id, original = item
    try:
        found = extract_capture(original.data, original.name, stored_images=original.images)
        return article_id, found.article
    except ImportFailure as error:
        return article_id, str(error)
    except Exception as error:  # keep going: one bad page must not stop a re-clean
        return article_id, f"unexpected error: {type(error).__name__}: {error}"


def reclean(
    target: RecleanTarget,
    ids: Sequence[int],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> RecleanReport:
    """Re-extract the articles ``ids`` from their originals and store what changed."""
    report = RecleanReport()
    workers = max(1, workers or os.cpu_count() or 1)
    pool = None
    if len(ids) >= POOL_FROM and workers > 1:
        # The workers end with this process however it ends, as the import's workers do.
        pool = futures.ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )
    try:
        for start in range(0, len(ids), BATCH):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            originals = target.originals(ids[start : start + BATCH])
            items = list(originals.items())
            results = list(pool.map(_extract, items, chunksize=8) if pool else map(_extract, items))
            fresh = [(i, r) for i, r in results if isinstance(r, ExtractedArticle)]
            report.failures.extend((i, r) for i, r in results if isinstance(r, str))
            for change in target.apply_reextraction(fresh, EXTRACTOR_VERSION):
                if change.fields:
                    report.changed += 1
                    report.fields.update(change.fields)
                delta = change.words_after - change.words_before
                report.words_added += max(0, delta)
                report.words_removed += max(0, -delta)
            report.examined += len(results)
            if progress is not None:
                progress(ImportProgress(report.examined, len(ids), ""))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return report
