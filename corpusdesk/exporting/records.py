"""The export record: one article as a JSON-ready dict, following the documented schema.

The schema is ``corpusdesk/resources/article.schema.json`` (shipped with the package, and
described in the README). Dates are ISO 8601 strings; ``imported_at`` and ``captured_at`` are UTC.

This is the reference form of a record. The backends' export readers
(``corpusdesk.library.export_pieces``) join the same lines from pieces the database writes,
much faster; the export tests hold them to the same bytes.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from corpusdesk.core.records import ArticleDetail

SCHEMA_RESOURCE = "article.schema.json"

FIELDS = (
    "id",
    "title",
    "authors",
    "site_name",
    "url",
    "published",
    "modified",
    "language",
    "description",
    "tags",
    "text",
    "word_count",
    "source_file",
    "source_name",
    "source_path",
    "source_member",
    "sha256",
    "imported_at",
    "captured_at",
    "duplicate_group",
    "encoding",
    "extractor_version",
)
"""The record's fields in the order every format writes them."""


def export_record(detail: ArticleDetail) -> dict[str, Any]:
    """The export record of one article."""
    return {
        "id": detail.id,
        "title": detail.title,
        "authors": list(detail.authors),
        "site_name": detail.site_name or None,
        "url": detail.url or None,
        "published": detail.published.isoformat() if detail.published else None,
        "modified": detail.modified.isoformat() if detail.modified else None,
        "language": detail.language or None,
        "description": detail.description or None,
        "tags": list(detail.tags),
        "text": detail.text,
        "word_count": detail.word_count,
        "source_file": _stem(detail.source_name),
        "source_name": detail.source_name,
        "source_path": detail.source_path,
        "source_member": detail.source_member,
        "sha256": detail.sha256,
        "imported_at": detail.imported_at.isoformat() + "Z",
        "captured_at": detail.captured_at.isoformat() + "Z" if detail.captured_at else None,
        "duplicate_group": detail.duplicate_group,
        "encoding": detail.encoding or None,
        "extractor_version": detail.extractor_version,
    }


def export_line(detail: ArticleDetail) -> str:
    """The record as one line of JSON (non-ASCII characters kept as they are)."""
    return json.dumps(export_record(detail), ensure_ascii=False)


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in (".html", ".htm", ".xhtml", ".shtml"):
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def record_schema() -> dict[str, Any]:
    """The JSON Schema every export record follows."""
    text = resources.files("corpusdesk.resources").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
