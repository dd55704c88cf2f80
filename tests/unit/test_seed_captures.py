"""The seed pages saved in each capture format import exactly as ``expected.json`` describes:
the same title, authors, site, date, address, language, encoding and text as the plain pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.captures import gzipped, mhtml, webarchive, write_zip
from tests.unit.test_seed_import import SEED, assert_as_expected, expected_pages

pytestmark = pytest.mark.skipif(not SEED.is_dir(), reason=f"seed pages not found at {SEED}")


def _wrap(kind: str, folder: Path) -> list[Path]:
    """The seed pages saved as ``kind`` in ``folder``."""
    folder.mkdir()
    pages = {name: (SEED / name).read_bytes() for name in expected_pages()}
    if kind == "zip":
        members = {f"seed/saved-{n}/{name}": data for n, (name, data) in enumerate(pages.items())}
        return [write_zip(folder / "seed.zip", members)]
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


@pytest.mark.parametrize("kind", ["mhtml", "webarchive", "gz", "zip"])
def test_seed_pages_in_capture_formats_import_as_expected(
    library: Library, tmp_path: Path, kind: str
) -> None:
    paths = _wrap(kind, tmp_path / kind)
    report = run_import(library, paths)
    assert report.imported == 3, report.results
    details = list(library.iter_details(library.search_ids()))
    assert_as_expected({f"{Path(d.source_name).stem}.html": d for d in details})
    assert run_import(library, paths).duplicates == 3
    assert library.count() == 3
