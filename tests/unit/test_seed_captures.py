"""The seed pages saved in each capture format import exactly as ``expected.json`` describes:
the same title, authors, site, date, address, language, encoding and text as the plain pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusdesk.core.records import ArticleDetail
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.captures import gzipped, mhtml, webarchive, write_zip
from tests.unit.test_seed_import import SEED, assert_as_expected, expected_pages
from tests.web_archives import Archive, write_wacz

WEB_ARCHIVES = ("warc", "wacz")

pytestmark = pytest.mark.skipif(not SEED.is_dir(), reason=f"seed pages not found at {SEED}")


def _wrap(kind: str, folder: Path) -> list[Path]:
    """The seed pages saved as ``kind`` in ``folder``."""
    folder.mkdir()
    pages = {name: (SEED / name).read_bytes() for name in expected_pages()}
    if kind == "zip":
        members = {f"seed/saved-{n}/{name}": data for n, (name, data) in enumerate(pages.items())}
        return [write_zip(folder / "seed.zip", members)]
    if kind in WEB_ARCHIVES:
        return [_web_archive(kind, folder, pages)]
    written = []
    for name, page in pages.items():
        want, stem = expected_pages()[name], name.removesuffix(".html")
        if kind == "mhtml":
            path = folder / f"{stem}.mhtml"
            path.write_bytes(mhtml(page, url=want["url"], charset=want["encoding"]))
        elif kind == "webarchive":
            path = folder / f"{stem}.webarchive"
            path.write_bytes(webarchive(page, url=want["url"], charset=want["encoding"]))
        else:
            path = folder / f"{name}.gz"
            path.write_bytes(gzipped(page))
        written.append(path)
    return written


def _web_archive(kind: str, folder: Path, pages: dict[str, bytes]) -> Path:
    """The seed pages as an archiving crawler saves them: one response record each, among
    records that hold no page, in a WARC file or in a WACZ archive listing them."""
    archive = Archive()
    archive.warcinfo()
    for second, (name, page) in enumerate(pages.items()):
        want = expected_pages()[name]
        archive.request(want["url"])
        content_type = f"text/html; charset={want['encoding']}"
        archive.response(want["url"], page, second, headers=(("Content-Type", content_type),))
        archive.response(
            f"{want['url']}logo.png", b"\x89PNG", headers=(("Content-Type", "image/png"),)
        )
    if kind == "warc":
        return archive.save(folder / "seed.warc.gz")
    listed = [{"url": want["url"], "title": "Saved page"} for want in expected_pages().values()]
    return write_wacz(folder / "seed.wacz", {"archive/seed.warc.gz": archive.data()}, listed)


def _by_seed_name(kind: str, details: list[ArticleDetail]) -> dict[str, ArticleDetail]:
    """The articles by the name of the seed page each came from."""
    if kind in WEB_ARCHIVES:  # a record is named by its address, and two seeds end alike
        seeds = {want["url"]: name for name, want in expected_pages().items()}
        return {seeds.get(d.url or "", d.source_name): d for d in details}
    return {f"{Path(d.source_name).stem}.html": d for d in details}


@pytest.mark.parametrize("kind", ["mhtml", "webarchive", "gz", "zip", *WEB_ARCHIVES])
def test_seed_pages_in_capture_formats_import_as_expected(
    library: Library, tmp_path: Path, kind: str
) -> None:
    paths = _wrap(kind, tmp_path / kind)
    report = run_import(library, paths)
    assert report.imported == 3, report.results
    assert len(report.results) == 3, report.results
    details = list(library.iter_details(library.search_ids()))
    assert_as_expected(_by_seed_name(kind, details))
    assert run_import(library, paths).duplicates == 3
    assert library.count() == 3
