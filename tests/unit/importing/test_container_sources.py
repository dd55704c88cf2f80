"""Containers read page by page: gzip files, zip archives (with their limits) and pages saved
with a folder of their files; and which source an import gives each file."""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing import files
from corpusdesk.importing.sources import (
    CapturedPage,
    PageFailure,
    complete,
    gzipped,
    single,
    zipped,
)
from tests.captures import CAPTURED, mhtml, tiny_png, write_zip
from tests.captures import gzipped as gz

PAGE = b"<!DOCTYPE html><html><body><p>A page.</p></body></html>"


def _pages(source: object, path: Path) -> list[CapturedPage | PageFailure]:
    return list(source.pages(path, ()))  # type: ignore[attr-defined]


def test_gzip_page_is_decompressed_with_its_inner_name(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gz(PAGE))
    [page] = _pages(gzipped.SOURCE, path)
    assert isinstance(page, CapturedPage)
    assert (page.data, page.name, page.source_path, page.member) == (
        PAGE,
        "story.html",
        str(path),
        None,
    )
    # the time in the gzip header, as UTC
    assert page.file_time == CAPTURED.astimezone(dt.UTC).replace(tzinfo=None)


def test_gzip_bomb_and_damage_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (zipped.MAX_PAGE_BYTES + 10)))
    with pytest.raises(ImportFailure, match="the page inside is larger than 20 MB"):
        _pages(gzipped.SOURCE, bomb)
    damaged = tmp_path / "cut.html.gz"
    damaged.write_bytes(gz(PAGE * 50)[:40])
    with pytest.raises(ImportFailure, match="gzip data is damaged"):
        _pages(gzipped.SOURCE, damaged)


def test_zip_pages_in_nested_folders_with_their_members(tmp_path: Path) -> None:
    archive = write_zip(
        tmp_path / "pages.zip",
        {
            "one.html": PAGE,
            "news/2023/two.htm": PAGE.replace(b"A page", b"Two"),
            "news/three.html.gz": gz(PAGE.replace(b"A page", b"Three")),
            "news/four.mhtml": mhtml(PAGE, url="https://a.example/four"),
            "news/no-extension": PAGE.replace(b"A page", b"Five"),
            "news/notes.txt": b"plain notes, not a page",
            "news/style.css": b"p { color: red }",
            "news/old.zip": b"PK\x05\x06" + b"\0" * 18,
            ".hidden.html": PAGE,
            "__MACOSX/news/._two.htm": b"\0\5\26\7",
        },
    )
    items = _pages(zipped.SOURCE, archive)
    pages = [i for i in items if isinstance(i, CapturedPage)]
    failures = [i for i in items if isinstance(i, PageFailure)]
    assert [(p.member, p.name) for p in pages] == [
        ("one.html", "one.html"),
        ("news/2023/two.htm", "two.htm"),
        ("news/three.html.gz", "three.html"),
        ("news/four.mhtml", "four.mhtml"),
        ("news/no-extension", "no-extension"),
    ]
    assert {p.source_path for p in pages} == {str(archive)}
    assert pages[2].data == PAGE.replace(b"A page", b"Three")
    assert [(f.member, f.reason) for f in failures] == [
        ("news/old.zip", "an archive inside the archive is not opened")
    ]
    assert failures[0].label == f"{archive}/news/old.zip"
    assert zipped.SOURCE.count(archive) == 6  # the text file is looked at, then passed over


def test_zip_members_too_large_or_damaged_fail_alone(tmp_path: Path) -> None:
    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writing:
        writing.writestr("huge.html", b"<p>" + b" " * (zipped.MAX_PAGE_BYTES + 1))
        writing.writestr("damaged.html", PAGE * 20)
        writing.writestr("fine.html", PAGE)
        writing.writestr("locked.html", PAGE)
    raw = bytearray(archive.read_bytes())
    at = raw.index(b"damaged.html") + len(b"damaged.html") + 5  # inside its compressed data
    raw[at : at + 8] = b"\xff" * 8
    for header, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # mark it encrypted
        start = raw.rindex(header, 0, raw.rindex(b"locked.html"))
        raw[start + flags] |= 1
    archive.write_bytes(bytes(raw))

    items = _pages(zipped.SOURCE, archive)

    reasons = {i.member: i.reason for i in items if isinstance(i, PageFailure)}
    assert reasons["huge.html"].startswith("file is too large")
    assert reasons["damaged.html"].startswith("cannot read the member:")
    assert reasons["locked.html"] == "the member is encrypted"
    assert [i.member for i in items if isinstance(i, CapturedPage)] == ["fine.html"]


def test_zip_bombs_are_refused_before_anything_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = write_zip(tmp_path / "many.zip", {f"p{n}.html": PAGE for n in range(5)})
    monkeypatch.setattr(zipped, "MAX_MEMBERS", 4)
    with pytest.raises(ImportFailure, match="the archive has 5 members; at most 4 are read"):
        _pages(zipped.SOURCE, archive)
    monkeypatch.setattr(zipped, "MAX_MEMBERS", 50_000)
    monkeypatch.setattr(zipped, "MAX_TOTAL_BYTES", 4 * len(PAGE))
    with pytest.raises(ImportFailure, match=r"would unpack to .* GB; .* \(a zip bomb\?\)"):
        _pages(zipped.SOURCE, archive)


def test_not_a_zip_archive(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"these are not the bytes of a zip archive")
    with pytest.raises(ImportFailure, match="not a zip archive, or a damaged one"):
        _pages(zipped.SOURCE, fake)
    future = write_zip(tmp_path / "future.zip", {"a.html": PAGE})
    raw = bytearray(future.read_bytes())
    raw[raw.index(b"PK\x01\x02") + 6] = 64  # needs a zip version this reader does not know
    future.write_bytes(bytes(raw))
    with pytest.raises(ImportFailure, match=r"damaged one: zip file version 6\.4"):
        _pages(zipped.SOURCE, future)


def test_page_saved_complete_takes_the_images_of_its_folder(tmp_path: Path) -> None:
    page = tmp_path / "Story.html"
    page.write_bytes(PAGE)
    folder = tmp_path / "Story_files"
    (folder / "deep").mkdir(parents=True)
    (folder / "a.png").write_bytes(tiny_png())
    (folder / "deep" / "b.JPG").write_bytes(b"jpeg bytes")
    (folder / "style.css").write_bytes(b"p {}")
    (folder / "frame.html").write_bytes(PAGE)

    assert complete.SOURCE.claims(page, None)
    [captured] = _pages(complete.SOURCE, page)

    assert isinstance(captured, CapturedPage) and captured.data == PAGE
    assert [(r.location, r.media_type) for r in captured.resources] == [
        ("Story_files/a.png", "image/png"),
        ("Story_files/deep/b.JPG", "image/jpeg"),
    ]


def test_zip_page_saved_complete_takes_its_images(tmp_path: Path) -> None:
    archive = write_zip(
        tmp_path / "saved.zip",
        {
            "site/Story.html": PAGE,
            "site/Story-Dateien/a.png": tiny_png(),
            "site/Story-Dateien/frame.html": PAGE,
            "site/Story-Dateien/app.js": b"x()",
        },
    )
    [captured] = _pages(zipped.SOURCE, archive)
    assert isinstance(captured, CapturedPage) and captured.member == "site/Story.html"
    assert [(r.location, r.data) for r in captured.resources] == [
        ("Story-Dateien/a.png", tiny_png())
    ]


def test_discover_gives_each_file_its_source(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "b.mht").write_bytes(mhtml(PAGE, url="https://a.example/b"))
    (tmp_path / "c.htm.gz").write_bytes(gz(PAGE))
    write_zip(tmp_path / "d.zip", {"x.html": PAGE})
    (tmp_path / "e").write_bytes(mhtml(PAGE, url="https://a.example/e"))  # sniffed
    (tmp_path / "f.html").write_bytes(PAGE)
    (tmp_path / "f_files").mkdir()
    (tmp_path / "f_files" / "inner.html").write_bytes(PAGE)  # a saved frame: not a page
    (tmp_path / "f_files" / "pic.png").write_bytes(tiny_png())
    (tmp_path / "notes.gz").write_bytes(gz(b"not a page"))

    claims, problems = files.discover([tmp_path])

    assert problems == []
    assert [(c.path.name, c.source) for c in claims] == [
        ("a.html", single.SOURCE),
        ("b.mht", single.SOURCE),
        ("c.htm.gz", gzipped.SOURCE),
        ("d.zip", zipped.SOURCE),
        ("e", single.SOURCE),
        ("f.html", complete.SOURCE),
    ]


@settings(max_examples=80, deadline=None, database=None)
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.integers(0, 200),
)
def test_damaged_zip_archives_give_failures_never_errors(
    tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[int, int]], cut: int
) -> None:
    folder = tmp_path_factory.mktemp("zips")
    archive = write_zip(
        folder / "pages.zip",
        {"a.html": PAGE * 30, "b/c.htm.gz": gz(PAGE), "d": PAGE, "e_files/x.png": tiny_png()},
    )
    raw = bytearray(archive.read_bytes()[: -cut or None])
    for at, value in flips:
        raw[at % len(raw)] = value
    archive.write_bytes(bytes(raw))
    try:
        items = _pages(zipped.SOURCE, archive)
    except ImportFailure:
        return
    for item in items:
        assert isinstance(item, CapturedPage) or item.reason
