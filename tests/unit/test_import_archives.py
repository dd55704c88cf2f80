"""Web archives (WARC, WACZ) and Zotero data folders through the whole import: each captured
page becomes an article with its text, address, capture time and place in the container, what
the container records fills in what the page does not say, a second import adds nothing, and a
damaged record or a missing snapshot fails alone."""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import re
from pathlib import Path

import pytest

from corpusdesk.cli import main
from corpusdesk.core.records import ArticleDetail, ImportProgress, Outcome
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.factories import article_page, paragraph
from tests.reliability.harness import read_log
from tests.web_archives import Archive, write_wacz
from tests.zotero_folders import ZoteroFolder

NAKED_TEXT = "Ärger über das Café am Hafen"


def _naked_page(seed: int, charset: str | None = "utf-8") -> bytes:
    """An article with no title, author, date or address of its own."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{paragraph(seed * 10 + n, 50)} {NAKED_TEXT}.</p>" for n in range(4))
    html = f"<!DOCTYPE html><html><head>{meta}</head><body><main>{body}</main></body></html>"
    return html.encode(charset or "windows-1252")


def _details(library: Library) -> dict[str, ArticleDetail]:
    return {d.url or "": d for d in library.iter_details(library.search_ids(""))}


def _crawl(path: Path) -> Path:
    archive = Archive()
    archive.warcinfo()
    archive.request("https://gazette.example/one")
    archive.response("https://gazette.example/one", _naked_page(1), second=1)
    archive.response(
        "https://gazette.example/two",
        gzip.compress(_naked_page(2, charset=None)),
        second=2,
        headers=(
            ("Content-Type", "text/html; charset=windows-1252"),
            ("Content-Encoding", "gzip"),
        ),
    )
    archive.response("https://gazette.example/logo.png", b"\x89PNG", headers=())
    archive.response("https://gazette.example/old", b"", status="301 Moved Permanently")
    archive.revisit("https://gazette.example/one")
    archive.response("https://gazette.example/three", article_page(3).encode(), second=3)
    return archive.save(path)


def test_warc_pages_import_with_their_address_time_charset_and_record(
    library: Library, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _crawl(tmp_path / "crawl.warc.gz")

    with caplog.at_level(logging.INFO, logger="corpusdesk"):
        report = run_import(library, [path])

    assert (report.imported, report.failed) == (3, [])
    assert len(report.results) == 3  # the records that hold no page are left out
    assert caplog.messages == [
        f"{path}: 5 records passed over "
        "(other record type: 2, revisit: 1, redirect: 1, not HTML: 1)"
    ]
    details = _details(library)
    one, two = details["https://gazette.example/one"], details["https://gazette.example/two"]
    assert NAKED_TEXT in one.text and NAKED_TEXT in two.text
    assert (one.source_name, one.source_path, two.source_path) == ("one", str(path), str(path))
    assert re.fullmatch(r"record <urn:uuid:[0-9a-f-]+> at offset \d+", one.source_member or "")
    assert one.captured_at == dt.datetime(2024, 3, 5, 10, 20, 1)
    assert two.captured_at == dt.datetime(2024, 3, 5, 10, 20, 2)
    assert two.encoding == "windows-1252"  # from the HTTP header
    assert library.original(two.id) == _naked_page(2, charset=None)  # stored decoded
    three = details["https://gazette.example/council-weighs-the-cost-of-winter-services-part-3/"]
    assert three.title == "Council weighs the cost of winter services, part 3"

    again = run_import(library, [path])
    assert (again.imported, again.duplicates, again.failed) == (0, 3, [])
    assert library.count() == 3


def test_a_truncated_warc_imports_its_complete_records(library: Library, tmp_path: Path) -> None:
    archive = Archive()
    for seed in range(3):
        archive.response(f"https://gazette.example/{seed}", _naked_page(seed), second=seed)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(archive.data()[:-30])

    report = run_import(library, [path])

    assert report.imported == 2
    [failed] = report.failed
    assert failed.path.startswith(f"{path}/record at offset ")
    assert "truncated" in failed.reason
    assert sorted(_details(library)) == ["https://gazette.example/0", "https://gazette.example/1"]


def test_thousands_of_records_import_with_progress_and_failures_of_their_own(
    library: Library, tmp_path: Path
) -> None:
    archive = Archive()
    for seed in range(1000):
        archive.response(f"https://gazette.example/{seed}", _naked_page(seed))
        archive.response(f"https://gazette.example/{seed}.css", b"p {}", headers=())
    for seed in range(2):
        archive.response(
            f"https://gazette.example/broken-{seed}",
            b"\x1f\x8b\x08\x00 not gzip at all",
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        )
    path = archive.save(tmp_path / "large.warc.gz")
    seen: list[ImportProgress] = []

    report = run_import(library, [path], progress=seen.append)

    assert (report.imported, len(report.failed)) == (1000, 2)
    assert {r.reason.split(" (")[0] for r in report.failed} == {
        "the page's gzip encoding is damaged"
    }
    assert seen[-1].done == seen[-1].total == 1002
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert all(p.done <= p.total for p in seen)


def test_warc_import_can_be_cancelled_and_completed_later(library: Library, tmp_path: Path) -> None:
    archive = Archive()
    for seed in range(12):
        archive.response(f"https://gazette.example/{seed}", _naked_page(seed))
    path = archive.save(tmp_path / "many.warc")
    seen: list[ImportProgress] = []

    def cancel_soon() -> bool:
        return len(seen) >= 3

    first = run_import(library, [path], progress=seen.append, cancelled=cancel_soon, workers=1)
    assert first.cancelled and library.count() < 12
    rest = run_import(library, [path])
    assert library.count() == 12
    assert rest.imported == 12 - first.imported


def test_wacz_pages_take_the_page_list_titles(library: Library, tmp_path: Path) -> None:
    archive = Archive()
    archive.response("https://gazette.example/listed", _naked_page(1), second=1)
    archive.response("https://ads.example/frame.html", _naked_page(2), second=2)
    archive.response("https://gazette.example/own-title", article_page(3).encode(), second=3)
    path = write_wacz(
        tmp_path / "capture.wacz",
        {"archive/data.warc.gz": archive.data()},
        [
            {"url": "https://gazette.example/listed", "title": "From the page list"},
            {"url": "https://gazette.example/own-title", "title": "Not this one"},
        ],
    )

    report = run_import(library, [path])

    assert (report.imported, report.failed) == (2, [])
    details = _details(library)
    listed = details["https://gazette.example/listed"]
    assert listed.title == "From the page list"
    assert listed.source_member == "archive/data.warc.gz#0"
    assert listed.captured_at == dt.datetime(2024, 3, 5, 10, 20, 1)
    own = {d.title for d in details.values()} - {"From the page list"}
    assert own == {"Council weighs the cost of winter services, part 3"}


def _zotero(folder: Path) -> ZoteroFolder:
    zotero = ZoteroFolder(folder)
    zotero.item(
        1,
        "NEWSART1",
        "newspaperArticle",
        title="Harbour café reopens",
        url="https://gazette.example/cafe",
        date="2023-12-17 December 17, 2023",
    )
    zotero.creator(1, 0, "author", "Jeanne", "Dupont")
    zotero.creator(1, 1, "author", "", "Harbour Desk")
    zotero.tag(1, "ports")
    zotero.collection(1, "Reading list", 1)
    zotero.attachment(
        2, "SNAPAAAA", 1, "Harbour café.html", _naked_page(1), accessDate="2023-12-18 09:30:00"
    )
    zotero.item(3, "WEBPAGE1", "webpage", title="Zotero's title", date="2023-12-00 December 2023")
    zotero.tag(3, "council")
    zotero.attachment(4, "SNAPBBBB", 3, "council.html", article_page(4).encode())
    zotero.attachment(5, "PDFCCCCC", 3, "council.pdf", b"%PDF-1.4", content_type="application/pdf")
    zotero.item(6, "MISSING1", "webpage", title="Lost page")
    zotero.attachment(7, "SNAPDDDD", 6, "lost.html", None)
    zotero.db.close()
    return zotero


def test_zotero_snapshots_import_with_their_items_record(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "papers" / "Zotero"
    _zotero(folder)
    (tmp_path / "papers" / "loose.html").write_text(article_page(9), encoding="utf-8")
    seen: list[ImportProgress] = []

    report = run_import(library, [tmp_path / "papers"], progress=seen.append)

    assert report.imported == 3  # the two snapshots (not again as files) and the loose page
    assert [(r.path, r.reason) for r in report.failed] == [
        (
            f"{folder}/storage/SNAPDDDD/lost.html",
            "the snapshot of “Lost page” (MISSING1) is missing: storage/SNAPDDDD/lost.html",
        )
    ]
    assert seen[-1].done == seen[-1].total == 4
    details = {d.source_name: d for d in library.iter_details(library.search_ids(""))}
    cafe = details["Harbour café.html"]
    assert NAKED_TEXT in cafe.text
    assert cafe.title == "Harbour café reopens"  # the page has none: the item's
    assert cafe.authors == ("Jeanne Dupont", "Harbour Desk")
    assert cafe.published == dt.date(2023, 12, 17)
    assert cafe.url == "https://gazette.example/cafe"
    assert cafe.captured_at == dt.datetime(2023, 12, 18, 9, 30)
    assert (cafe.source_path, cafe.source_member) == (
        str(folder),
        "storage/SNAPAAAA/Harbour café.html",
    )
    assert cafe.tags == ("ports", "Reading list")
    council = details["council.html"]
    assert council.title == "Council weighs the cost of winter services, part 4"  # the page's
    assert council.published == dt.date(2024, 3, 5)
    assert council.tags == ("council",)
    assert council.captured_at == dt.datetime(2023, 12, 18, 9, 30, 5)  # added to Zotero

    again = run_import(library, [folder])
    assert (again.imported, again.duplicates, len(again.failed)) == (0, 2, 1)
    assert library.count() == 3


def test_the_command_line_imports_a_web_archive_and_logs_each_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _crawl(tmp_path / "crawl.warc.gz")
    log = tmp_path / "import.log"
    db = str(tmp_path / "cli.db")

    status = main(["--library", db, "import", "--log", str(log), str(path)])

    assert status == 0
    assert "3 imported, 0 already in the library, 0 failed" in capsys.readouterr().out
    lines = read_log(log)
    assert {line.outcome for line in lines} == {Outcome.IMPORTED.value}
    assert all(line.path.startswith(f"{path}/record <urn:uuid:") for line in lines)
