"""Pages in awkward charsets through the whole import: the stored text is right and searchable."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.factories import NEWS_PARAGRAPHS, news_page


def _import_one(library: Library, tmp_path: Path, data: bytes) -> int:
    page = tmp_path / "pages" / "story.html"
    page.parent.mkdir()
    page.write_bytes(data)
    report = run_import(library, [page.parent], workers=1)
    assert report.imported == 1, [result.reason for result in report.failed]
    [article_id] = library.search_ids()
    return article_id


def test_koi8_r_page_claiming_windows_1251(library: Library, tmp_path: Path) -> None:
    data = news_page("ru", head='<meta charset="windows-1251">').encode("koi8-r")
    article_id = _import_one(library, tmp_path, data)
    stored = library.detail(article_id)
    assert stored.encoding == "koi8-r"
    assert stored.text == "\n\n".join(NEWS_PARAGRAPHS["ru"])
    assert library.search_ids("бассейны") == [article_id]


def test_utf8_page_with_a_stray_byte(library: Library, tmp_path: Path) -> None:
    html = news_page("fr", head='<meta charset="utf-8">')
    data = html.encode("utf-8").replace(b"des piscines", b"des \xffpiscines")
    article_id = _import_one(library, tmp_path, data)
    stored = library.detail(article_id)
    assert stored.encoding == "utf-8"
    first, second = NEWS_PARAGRAPHS["fr"]
    assert stored.text == first.replace("des piscines", "des \ufffdpiscines") + "\n\n" + second
    assert library.search_ids("bibliothèques") == [article_id]
    assert library.search_ids("jusqu’à minuit") == [article_id]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_russian_utf16_page_without_byte_order_mark(
    library: Library, tmp_path: Path, codec: str
) -> None:
    article_id = _import_one(library, tmp_path, news_page("ru").encode(codec))
    stored = library.detail(article_id)
    assert stored.encoding == codec.replace("-le", "le").replace("-be", "be")
    assert stored.text == "\n\n".join(NEWS_PARAGRAPHS["ru"])
    assert library.search_ids("читальные залы") == [article_id]
