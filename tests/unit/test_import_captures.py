"""Capture formats through the whole import: MHTML, Safari web archives, gzip, zip archives and
pages saved with their files. Each article keeps its text, address, capture time and place in
its container, shows the capture's images from the stored copy, and a second import adds
nothing; a broken container fails alone."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpusdesk.core.records import ArticleDetail, ImportProgress, Outcome
from corpusdesk.exporting.writer import export_articles
from corpusdesk.importing import prepare, sources
from corpusdesk.importing.pipeline import run_import
from corpusdesk.importing.reclean import reclean
from corpusdesk.importing.sources import CapturedPage, CaptureMetadata, PageFailure
from corpusdesk.library.library import Library
from tests.captures import (
    CAPTURED,
    gzipped,
    mhtml,
    page_with_image,
    tiny_png,
    webarchive,
    write_zip,
)
from tests.factories import article_page, paragraph

URL = "https://gazette.example/2023/12/crane.html"
IMAGE_URL = "https://gazette.example/2023/12/img/crane.png"
CAPTURED_UTC = dt.datetime(2023, 12, 17, 6, 30, 15)


def _details(library: Library) -> dict[str, ArticleDetail]:
    return {d.source_name: d for d in library.iter_details(library.search_ids(""))}


def _png_uri() -> str:
    return "data:image/png;base64," + base64.b64encode(tiny_png()).decode()


def test_mhtml_is_decoded_and_keeps_its_address_date_and_images(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "crane.mhtml"
    data = mhtml(
        page_with_image("Quiet morning.", "img/crane.png"), url=URL, images={IMAGE_URL: tiny_png()}
    )
    path.write_bytes(data)

    report = run_import(library, [path])

    assert report.imported == 1, report.results
    detail = _details(library)["crane.mhtml"]
    assert "the bridge’s last span — café owners on the quay" in detail.text
    assert "=E2" not in detail.text and "= " not in detail.text
    assert (detail.url, detail.title, detail.encoding) == (URL, "Harbour crane returns", "utf-8")
    assert detail.authors == ("Mara Quill",)
    assert detail.captured_at == CAPTURED_UTC
    assert (detail.source_path, detail.source_member) == (str(path), None)
    assert library.original(detail.id) == data
    assert "base64" not in detail.html and 'src="embedded:' in detail.html
    assert _png_uri() in library.preview_html(detail.id)

    recleaned = reclean(library, [detail.id])  # from the stored MHTML, as at import
    assert (recleaned.failures, recleaned.changed) == ([], 0)
    assert _png_uri() in library.preview_html(detail.id)


def test_mhtml_part_charset_decides_the_encoding(library: Library, tmp_path: Path) -> None:
    html = article_page(3).replace('<meta charset="utf-8">', "").replace("Council", "Ärger im Rat")
    path = tmp_path / "legacy.mht"
    path.write_bytes(mhtml(html.encode("windows-1252"), url=URL, charset="windows-1252"))
    assert run_import(library, [path]).imported == 1
    detail = _details(library)["legacy.mht"]
    assert detail.encoding == "windows-1252"
    assert detail.title.startswith("Ärger im Rat")


def test_webarchive_page_encoding_address_and_images(library: Library, tmp_path: Path) -> None:
    html = page_with_image("Loud morning.", "img/crane.png").replace(b'<meta charset="utf-8">', b"")
    legacy = html.decode("utf-8").encode("windows-1252")
    path = tmp_path / "crane.webarchive"
    path.write_bytes(
        webarchive(legacy, url=URL, charset="windows-1252", images={IMAGE_URL: tiny_png()})
    )
    os.utime(path, (CAPTURED.timestamp(), CAPTURED.timestamp()))

    assert run_import(library, [path]).imported == 1

    detail = _details(library)["crane.webarchive"]
    assert "the bridge’s last span — café owners" in detail.text
    assert (detail.url, detail.encoding) == (URL, "windows-1252")
    assert detail.captured_at == CAPTURED_UTC  # no date inside: the file's time
    assert library.page_source(detail.id) == legacy  # the Source tab's page, not the plist
    assert _png_uri() in library.preview_html(detail.id)


def test_compressed_pages(library: Library, tmp_path: Path) -> None:
    (tmp_path / "a.html.gz").write_bytes(gzipped(article_page(1).encode()))
    (tmp_path / "b.mhtml.gz").write_bytes(gzipped(mhtml(article_page(2).encode(), url=URL)))
    report = run_import(library, [tmp_path])
    assert report.imported == 2, report.results
    details = _details(library)
    assert details["a.html"].source_path == str(tmp_path / "a.html.gz")
    assert details["a.html"].captured_at == CAPTURED_UTC  # the gzip header's time
    assert (
        details["b.mhtml"].url
        == "https://gazette.example/council-weighs-the-cost-of-winter-services-part-2/"
    )
    assert library.original(details["a.html"].id) == article_page(1).encode()


def test_pages_saved_as_the_server_sent_them_gzip_compressed(
    library: Library, tmp_path: Path
) -> None:
    """A page saved with the server's gzip encoding left on (``curl -o page.html`` with
    ``Accept-Encoding: gzip``, some download tools) keeps its page name; it is read like the
    same page saved plain, on its own and in a zip archive, and a damaged one fails alone."""
    (tmp_path / "sent.html").write_bytes(gzipped(article_page(1).encode()))
    (tmp_path / "cut.htm").write_bytes(gzipped(article_page(2).encode())[:60])
    write_zip(tmp_path / "saved.zip", {"member.html": gzipped(article_page(3).encode())})
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "sent.html").write_text(article_page(1), encoding="utf-8")

    report = run_import(library, [tmp_path / "sent.html", tmp_path / "cut.htm"])
    report_zip = run_import(library, [tmp_path / "saved.zip"])
    again = run_import(library, [tmp_path / "plain"])

    assert (report.imported, report_zip.imported) == (1, 1)
    assert [(Path(r.path).name, r.reason) for r in report.failed] == [
        (
            "cut.htm",
            "the gzip data is damaged: Compressed file ended before the end-of-stream "
            "marker was reached",
        )
    ]
    details = _details(library)
    assert library.original(details["sent.html"].id) == article_page(1).encode()
    assert details["member.html"].source_member == "member.html"
    assert "part 3" in details["member.html"].title.lower()
    assert again.duplicates == 1  # the plain copy is the same page


def test_zip_of_pages_imports_each_member_and_reimports_nothing(
    library: Library, tmp_path: Path
) -> None:
    archive = write_zip(
        tmp_path / "collected.zip",
        {
            "2024/march/one.html": article_page(1).encode(),
            "2024/two.html.gz": gzipped(article_page(2).encode()),
            "three.mhtml": mhtml(article_page(3).encode(), url=URL),
            "broken.html": b"\x00\x01\x02 not a page at all \x00",
            "saved/Crane.html": page_with_image("Windy.", "Crane_files/c.png"),
            "saved/Crane_files/c.png": tiny_png(),
            "saved/Crane_files/site.css": b"p {}",
        },
    )
    progress: list[ImportProgress] = []

    report = run_import(library, [archive], progress=progress.append)

    assert report.imported == 4
    [failed] = report.failed
    assert failed.path == f"{archive}/broken.html"
    assert failed.reason == "binary data, not a text file"
    assert progress[-1].done == progress[-1].total == 5
    details = _details(library)
    assert details["one.html"].source_member == "2024/march/one.html"
    assert details["two.html"].source_member == "2024/two.html.gz"
    assert details["three.mhtml"].captured_at == CAPTURED_UTC
    assert {d.source_path for d in details.values()} == {str(archive)}
    assert _png_uri() in library.preview_html(details["Crane.html"].id)

    again = run_import(library, [archive])
    assert (again.imported, again.duplicates, len(again.failed)) == (0, 4, 1)
    assert library.count() == 4


def test_broken_containers_fail_alone_and_the_batch_goes_on(
    library: Library, tmp_path: Path
) -> None:
    (tmp_path / "good.html").write_text(article_page(1), encoding="utf-8")
    (tmp_path / "not-a.zip").write_bytes(b"PK\x03\x04 cut short")
    (tmp_path / "cut.html.gz").write_bytes(gzipped(article_page(2).encode())[:60])
    (tmp_path / "damaged.webarchive").write_bytes(b"bplist00" + b"\xff" * 30)
    (tmp_path / "empty.mhtml").write_bytes(
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b--\r\n'
    )
    write_zip(tmp_path / "images.zip", {"a.png": tiny_png()})

    report = run_import(library, [tmp_path])

    assert report.imported == 1
    reasons = {Path(r.path).name: r.reason for r in report.failed}
    assert reasons == {
        "not-a.zip": "not a zip archive, or a damaged one: File is not a zip file",
        "cut.html.gz": "the gzip data is damaged: Compressed file ended before the "
        "end-of-stream marker was reached",
        "damaged.webarchive": "the web archive is damaged: InvalidFileException",
        "empty.mhtml": "the MHTML file holds no HTML page",
        "images.zip": "the zip archive holds no pages",
    }


def test_zip_import_can_be_cancelled_and_completed_later(library: Library, tmp_path: Path) -> None:
    archive = write_zip(
        tmp_path / "many.zip", {f"p{n}.html": article_page(n).encode() for n in range(12)}
    )
    seen: list[ImportProgress] = []

    def cancel_soon() -> bool:
        return len(seen) >= 3

    first = run_import(library, [archive], progress=seen.append, cancelled=cancel_soon, workers=1)
    assert first.cancelled and library.count() < 12
    rest = run_import(library, [archive])
    assert library.count() == 12
    assert rest.imported == 12 - first.imported


def test_page_saved_complete_is_one_article_with_its_images(
    library: Library, tmp_path: Path
) -> None:
    page = tmp_path / "Crane.html"
    page.write_bytes(page_with_image("Sunny.", "Crane_files/crane.png"))
    folder = tmp_path / "Crane_files"
    folder.mkdir()
    (folder / "crane.png").write_bytes(tiny_png())
    (folder / "unused.png").write_bytes(tiny_png(1, 2, 3))
    (folder / "site.css").write_bytes(b"body {}")
    (folder / "app.js").write_bytes(b"track()")
    (folder / "saved_resource.html").write_text(article_page(9), encoding="utf-8")

    report = run_import(library, [tmp_path])

    assert (report.imported, report.failed) == (1, [])
    detail = _details(library)["Crane.html"]
    assert _png_uri() in library.preview_html(detail.id)
    assert library.original(detail.id) == page.read_bytes()

    changed = reclean(library, [detail.id])
    assert changed.failures == []
    assert _png_uri() in library.preview_html(detail.id)
    assert run_import(library, [tmp_path]).duplicates == 1


def test_capture_time_from_singlefile_else_the_file(library: Library, tmp_path: Path) -> None:
    comment = (
        "<!--\n Page saved with SingleFile \n url: https://gazette.example/single/ \n"
        " saved date: Sun Dec 17 2023 08:30:15 GMT+0200 (Eastern European Standard Time)\n-->"
    )
    single = tmp_path / "single.html"
    single.write_text(article_page(1).replace("<html", comment + "<html", 1), encoding="utf-8")
    plain = tmp_path / "plain.html"
    plain.write_text(article_page(2), encoding="utf-8")
    os.utime(plain, (1_700_000_000, 1_700_000_000))

    assert run_import(library, [tmp_path]).imported == 2

    details = _details(library)
    assert details["single.html"].captured_at == CAPTURED_UTC
    assert details["plain.html"].captured_at == dt.datetime(2023, 11, 14, 22, 13, 20)


def test_export_records_capture_time_and_member(library: Library, tmp_path: Path) -> None:
    archive = write_zip(
        tmp_path / "a.zip", {"in/three.mhtml": mhtml(article_page(3).encode(), url=URL)}
    )
    (tmp_path / "loose.html").write_text(article_page(4), encoding="utf-8")
    run_import(library, [archive, tmp_path / "loose.html"])
    target = tmp_path / "out.jsonl"
    export_articles(library, library.search_ids(""), target)
    records = {r["source_name"]: r for r in map(json.loads, target.read_text("utf-8").splitlines())}
    assert records["three.mhtml"]["source_member"] == "in/three.mhtml"
    assert records["three.mhtml"]["source_path"] == str(archive)
    assert records["three.mhtml"]["captured_at"] == "2023-12-17T06:30:15Z"
    assert records["loose.html"]["source_member"] is None
    assert records["loose.html"]["captured_at"].endswith("Z")


def test_stored_original_is_the_capture(library: Library, tmp_path: Path) -> None:
    """The zip member's bytes (not the archive's) are what is stored and hashed."""
    page = article_page(5).encode()
    archive = write_zip(tmp_path / "one.zip", {"p.html": page})
    run_import(library, [archive])
    [detail] = library.iter_details(library.search_ids(""))
    assert library.original(detail.id) == page
    loose = tmp_path / "p.html"
    loose.write_bytes(page)
    report = run_import(library, [loose])
    assert [r.outcome for r in report.results] == [Outcome.DUPLICATE]


@pytest.mark.parametrize("name", ["page.html", "page"])
def test_plain_pages_are_unchanged(library: Library, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(article_page(7), encoding="utf-8")
    assert run_import(library, [path]).imported == 1
    [detail] = library.iter_details(library.search_ids(""))
    assert "<img" not in detail.html
    assert detail.source_member is None


def test_what_a_container_records_fills_the_gaps_and_tags_the_article(
    library: Library, tmp_path: Path
) -> None:
    """A container that knows more than the page (a web archive record, a reference
    manager's item) hands it over in the captured page."""
    body = "".join(f"<p>{paragraph(n, 40)} Ärger über Café.</p>" for n in range(3))
    page = CapturedPage(
        data=f"<html><body>{body}</body></html>".encode("windows-1252"),
        name="record.html",
        source_path=str(tmp_path / "crawl.warc.gz"),
        member="<urn:uuid:0001>",
        url="https://gazette.example/record",
        captured_at=dt.datetime(2024, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        charset="windows-1252",
        metadata=CaptureMetadata(
            title="From the record",
            authors=("Ann Record",),
            published=dt.date(2024, 1, 1),
            tags=("climate", "Reading list"),
        ),
    )
    prepare.init_worker(str(tmp_path / "no-library.db"), with_time_limit=False)
    draft = prepare.prepare_page(page)

    [result] = library.add_drafts([draft])

    assert result.path == f"{tmp_path / 'crawl.warc.gz'}/<urn:uuid:0001>"
    detail = library.detail(result.article_id or 0)
    assert (detail.title, detail.authors) == ("From the record", ("Ann Record",))
    assert detail.published == dt.date(2024, 1, 1)
    assert detail.url == "https://gazette.example/record"
    assert detail.encoding == "windows-1252" and "Ärger über Café" in detail.text
    assert detail.captured_at == dt.datetime(2024, 1, 2, 3, 4, 5)
    assert detail.source_member == "<urn:uuid:0001>"
    assert detail.tags == ("climate", "Reading list")


class _Collection:
    """A folder container of the kind a reference manager keeps: an index of saved items."""

    label = "collection"
    folders = True

    def claims(self, path: Path, head: bytes | None) -> bool:
        return (path / "items.json").is_file()

    def count(self, path: Path) -> int | None:
        return None  # unknown up front, as for a large web archive

    def pages(self, path: Path, skip: object) -> Iterator[CapturedPage | PageFailure]:
        for item in json.loads((path / "items.json").read_text("utf-8")):
            snapshot = path / item["file"]
            if not snapshot.is_file():
                yield PageFailure(str(path), "the snapshot is missing", item["key"])
                continue
            yield CapturedPage(
                snapshot.read_bytes(),
                snapshot.name,
                str(path),
                member=item["key"],
                metadata=CaptureMetadata(tags=tuple(item["tags"])),
            )


def test_a_source_of_folders_reads_its_folder_whole(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "SOURCES", (_Collection(), *sources.SOURCES))
    collection = tmp_path / "pages" / "collection"
    (collection / "storage").mkdir(parents=True)
    for n in (1, 2):
        (collection / "storage" / f"s{n}.html").write_text(article_page(n), encoding="utf-8")
    items = [
        {"key": "ITEM1", "file": "storage/s1.html", "tags": ["climate"]},
        {"key": "ITEM2", "file": "storage/s2.html", "tags": []},
        {"key": "ITEM3", "file": "storage/gone.html", "tags": []},
    ]
    (collection / "items.json").write_text(json.dumps(items), encoding="utf-8")
    (tmp_path / "pages" / "loose.html").write_text(article_page(3), encoding="utf-8")
    seen: list[ImportProgress] = []

    report = run_import(library, [tmp_path / "pages"], progress=seen.append)

    assert report.imported == 3  # the collection's two snapshots (not again as files) and one
    assert [(r.path, r.reason) for r in report.failed] == [
        (f"{collection}/ITEM3", "the snapshot is missing")
    ]
    assert seen[-1].done == seen[-1].total == 4
    details = _details(library)
    assert (details["s1.html"].source_member, details["s1.html"].tags) == ("ITEM1", ("climate",))
    assert details["s2.html"].source_path == str(collection)
