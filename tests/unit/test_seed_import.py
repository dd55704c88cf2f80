"""The seed pages through the whole pipeline: what ../shared/seed/expected.json describes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from corpusdesk.core.records import ArticleDetail
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed"

pytestmark = pytest.mark.skipif(not SEED.is_dir(), reason=f"seed pages not found at {SEED}")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def expected_pages() -> dict[str, dict[str, Any]]:
    """What ``expected.json`` says each seed page imports as, by file name."""
    found: dict[str, dict[str, Any]] = json.loads((SEED / "expected.json").read_text("utf-8"))
    return found


def assert_as_expected(by_name: dict[str, ArticleDetail]) -> None:
    """Each seed page's article (``by_name``: by the seed's file name) is what it should be."""
    for name, want in expected_pages().items():
        got = by_name[name]
        assert got.title == want["title"]
        assert list(got.authors) == want["authors"]
        assert got.site_name == want["site_name"]
        assert got.published is not None and got.published.isoformat() == want["published"]
        assert got.url == want["url"]
        assert got.language == want["language"]
        assert got.encoding == want["encoding"]
        text = _collapse(got.text)
        assert text.startswith(_collapse(want["text_starts_with"]))
        if "text_ends_with" in want:
            assert text.endswith(_collapse(want["text_ends_with"]))
        for passage in want["must_contain"]:
            assert _collapse(passage) in text
        for boilerplate in want["must_not_contain"]:
            assert boilerplate not in got.text
        twin = want["near_duplicate_of"]
        if twin is None:
            assert got.duplicate_group is None
        else:
            assert got.duplicate_group is not None
            assert got.duplicate_group == by_name[twin].duplicate_group


def test_seed_pages_import_as_expected(library: Library) -> None:
    report = run_import(library, sorted(SEED.glob("*.html")))
    assert report.imported == 3, report.results
    assert_as_expected({d.source_name: d for d in library.iter_details(library.search_ids())})
