"""The seed pages shared with the project: each must import exactly as ``expected.json`` says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from corpusdesk.importing.extract import extract_article

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed"

pytestmark = pytest.mark.skipif(
    not (SEED / "expected.json").is_file(), reason=f"seed pages folder {SEED} is absent"
)


def _collapse(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", text).strip()


def _expected() -> dict[str, Any]:
    if not (SEED / "expected.json").is_file():
        return {}
    data: dict[str, Any] = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", sorted(_expected()))
def test_seed_page(name: str) -> None:
    expected = _expected()[name]
    article = extract_article((SEED / name).read_bytes(), name)
    assert article.title == expected["title"]
    assert list(article.authors) == expected["authors"]
    assert article.site_name == expected["site_name"]
    assert article.published is not None
    assert article.published.isoformat() == expected["published"]
    assert article.url == expected["url"]
    assert article.language == expected["language"]
    assert article.encoding == expected["encoding"]
    text = _collapse(article.text)
    assert text.startswith(_collapse(expected["text_starts_with"]))
    if "text_ends_with" in expected:
        assert text.endswith(_collapse(expected["text_ends_with"]))
    for passage in expected["must_contain"]:
        assert _collapse(passage) in text
    for boilerplate in expected["must_not_contain"]:
        assert boilerplate not in article.text
    assert "\n\n\n" not in article.text
