"""Past imports: each finished import's report, kept so the window can show it again.

A report is stored as one row of counts and a JSON document of its sources (the files and
folders the import was given) and per-file results. Reports saved by earlier versions hold a
bare list of results and no sources; both forms are read.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import FileResult, ImportReport, Outcome, import_summary
from corpusdesk.library.schema import ImportRun


@dataclass(frozen=True, slots=True)
class ImportRunInfo:
    """A past import as listed in the window's report history."""

    id: int
    started_at: dt.datetime | None
    summary: str
    sources: tuple[str, ...] = ()


def save_report(session: Session, report: ImportReport) -> int:
    """Keep a finished import's report in the caller's write session; returns its id."""
    results = [
        {
            "path": r.path,
            "outcome": r.outcome.value,
            "article_id": r.article_id,
            "reason": r.reason,
            "copy_of": r.near_duplicate_of,
        }
        for r in report.results
    ]
    run = ImportRun(
        started_at=report.started_at,
        finished_at=report.finished_at,
        cancelled=report.cancelled,
        imported=report.imported,
        duplicates=report.duplicates,
        failed=len(report.failed),
        # ASCII escapes keep a path that is not valid UTF-8 exact (as its surrogate escapes).
        details=json.dumps({"sources": list(report.sources), "results": results}),
    )
    session.add(run)
    session.flush()
    return run.id


def _details(run: ImportRun) -> tuple[list[str], list[dict[str, Any]]]:
    """The sources and result entries of a stored report, in either stored form."""
    stored = json.loads(run.details or "[]")
    if isinstance(stored, list):
        return [], stored
    return list(stored.get("sources", [])), list(stored.get("results", []))


def list_runs(session: Session) -> list[ImportRunInfo]:
    """Past imports, newest first."""
    runs = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).all()
    listed: list[ImportRunInfo] = []
    for run in runs:
        sources, results = _details(run)
        copies = sum(1 for item in results if item.get("copy_of") is not None)
        summary = import_summary(run.imported, run.duplicates, run.failed, copies, run.cancelled)
        listed.append(ImportRunInfo(run.id, run.started_at, summary, tuple(sources)))
    return listed


def load_report(session: Session, run_id: int) -> ImportReport:
    """A past import's report."""
    run = session.get(ImportRun, run_id)
    if run is None:
        raise UserError(f"there is no import report #{run_id}")
    sources, results = _details(run)
    report = ImportReport(run.started_at, run.finished_at, run.cancelled, sources=tuple(sources))
    for item in results:
        report.results.append(
            FileResult(
                item["path"],
                Outcome(item["outcome"]),
                item["article_id"],
                item["reason"],
                item.get("copy_of"),
            )
        )
    return report
