"""Pages out of WARC files and WACZ archives, built with warcio's own writer."""

from __future__ import annotations

import gzip
import io
import random
import re
import tracemalloc
import zipfile
from functools import partial
from pathlib import Path

import brotli
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpusdesk.importing.sources import (
    SNIFF_BYTES,
    CapturedPage,
    CaptureMetadata,
    PageFailure,
    claiming_source,
    http_payload,
)
from corpusdesk.importing.sources.warc import SOURCE, iter_warc_pages
from corpusdesk.importing.sources.warc_reader import SkippedRecords
from tests.web_archives import Archive, warc_date, write_wacz
from tests.web_archives import warc_time as _at

STORY = (
    b"<!DOCTYPE html><html><head><title>Story</title></head><body><p>Harbour news</p></body></html>"
)
GZIPPED = b"<html><body><p>Sent gzip-encoded</p></body></html>"
CHUNKED = b"<html><body><p>Sent in chunks, several of them</p></body></html>"
CYRILLIC = "<html><head><title>Новости</title></head><body><p>Порт открыт</p></body></html>"
XHTML = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>'
BROTLI = b"<html><body><p>Sent br-encoded</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _chunked(body: bytes, size: int = 10) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def _full_archive(gzipped: bool) -> Archive:
    archive = Archive(gzipped)
    archive.warcinfo()
    archive.request("https://example.com/news/story.html")
    archive.response("https://example.com/news/story.html", STORY, second=1)
    archive.response(
        "https://example.com/old",
        b"",
        status="301 Moved Permanently",
        headers=(("Location", "/news/story.html"),),
    )
    archive.response("https://example.com/missing", b"<html>gone</html>", status="404 Not Found")
    archive.response("https://example.com/logo.png", PNG, headers=(("Content-Type", "image/png"),))
    archive.response(
        "https://example.com/app.js", b"var a;", headers=(("Content-Type", "text/javascript"),)
    )
    archive.revisit("https://example.com/news/story.html")
    # The same payload again (same digest), and the same page sent compressed (same bytes).
    archive.response("https://example.com/news/story.html?from=home", STORY, second=2)
    archive.response(
        "https://example.com/news/story-amp.html",
        gzip.compress(STORY),
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
    )
    archive.response(
        "https://example.com/news/gz.html",
        gzip.compress(GZIPPED),
        second=3,
        headers=(("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip")),
    )
    archive.response(
        "https://example.com/news/chunked",
        _chunked(CHUNKED),
        second=4,
        headers=(("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")),
    )
    archive.response(
        "https://example.ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/",
        CYRILLIC.encode("cp1251"),
        second=5,
        headers=(("Content-Type", 'text/html; charset="windows-1251"'),),
    )
    archive.record("https://example.com/news/story.html", "metadata", b"outlinks: x", "text/plain")
    archive.response(
        "https://example.com/page.xhtml",
        XHTML,
        second=6,
        headers=(("Content-Type", "application/xhtml+xml"),),
    )
    archive.response(
        "https://example.com/br",
        brotli.compress(BROTLI),
        second=7,
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "br")),
    )
    return archive


EXPECTED = [
    ("https://example.com/news/story.html", _at(1), STORY, "utf-8", "story.html"),
    ("https://example.com/news/gz.html", _at(3), GZIPPED, "UTF-8", "gz.html"),
    ("https://example.com/news/chunked", _at(4), CHUNKED, None, "chunked"),
    (
        "https://example.ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/",
        _at(5),
        CYRILLIC.encode("cp1251"),
        "windows-1251",
        "новости",
    ),
    ("https://example.com/page.xhtml", _at(6), XHTML, None, "page.xhtml"),
    ("https://example.com/br", _at(7), BROTLI, None, "br"),
]


def _read(
    path: Path, skipped: SkippedRecords | None = None
) -> tuple[list[CapturedPage], list[PageFailure]]:
    outcomes = list(iter_warc_pages(path, skipped=skipped))
    pages = [item for item in outcomes if isinstance(item, CapturedPage)]
    failures = [item for item in outcomes if isinstance(item, PageFailure)]
    assert len(pages) + len(failures) == len(outcomes)
    return pages, failures


def _summary(page: CapturedPage) -> tuple[object, ...]:
    return (page.url, page.captured_at, page.data, page.charset, page.name)


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_takes_html_pages_and_counts_what_it_skips(tmp_path: Path, gzipped: bool) -> None:
    path = _full_archive(gzipped).save(tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc"))
    skipped = SkippedRecords()
    pages, failures = _read(path, skipped=skipped)
    assert failures == []
    assert [_summary(page) for page in pages] == EXPECTED
    assert all(page.metadata == CaptureMetadata() for page in pages)
    assert {page.source_path for page in pages} == {str(path)}
    assert skipped == SkippedRecords(
        not_response=3, revisit=1, redirect=1, error_status=1, not_html=2, duplicate=2
    )
    assert skipped.total == 10


def test_member_names_the_record_and_its_offset(tmp_path: Path) -> None:
    path = _full_archive(True).save(tmp_path / "crawl.warc.gz")
    pages, _ = _read(path)
    for page in pages:
        match = re.fullmatch(r"record (<urn:uuid:[0-9a-f-]+>) at offset (\d+)", page.member)
        assert match is not None
        with path.open("rb") as handle:
            handle.seek(int(match.group(2)))
            record = next(iter(ArchiveIterator(handle)))
            assert record.rec_headers.get_header("WARC-Record-ID") == match.group(1)
            assert record.rec_headers.get_header("WARC-Target-URI") == page.url


def test_a_truncated_gzip_file_gives_the_earlier_pages_and_a_failure(tmp_path: Path) -> None:
    archive = Archive()
    for number in range(3):
        archive.response(f"https://example.com/{number}", b"<html>page %d</html>" % number)
    data = archive.data()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 30])
    pages, failures = _read(path)
    assert [page.url for page in pages] == ["https://example.com/0", "https://example.com/1"]
    assert len(failures) == 1
    assert failures[0].member.startswith("record at offset ")
    assert "truncated" in failures[0].reason


def test_a_truncated_plain_file_gives_the_earlier_pages_and_a_failure(tmp_path: Path) -> None:
    archive = Archive(gzipped=False)
    for number in range(3):
        archive.response(f"https://example.com/{number}", b"<html>page %d</html>" % number)
    path = tmp_path / "cut.warc"
    path.write_bytes(archive.data()[:-20])
    pages, failures = _read(path)
    assert [page.url for page in pages] == ["https://example.com/0", "https://example.com/1"]
    assert [failure.reason for failure in failures] == [
        "the record is cut short (the file is truncated or damaged)"
    ]


def test_reading_resumes_after_a_damaged_gzip_member(tmp_path: Path) -> None:
    archive = Archive()
    offsets = []
    for number in range(4):
        offsets.append(archive.buffer.tell())
        archive.response(f"https://example.com/{number}", b"<html>page %d</html>" % number * 20)
    data = bytearray(archive.data())
    middle = (offsets[1] + offsets[2]) // 2
    data[middle : middle + 8] = b"\xff" * 8
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(data))
    pages, failures = _read(path)
    assert [page.url for page in pages] == [f"https://example.com/{n}" for n in (0, 2, 3)]
    assert len(failures) == 1 and failures[0].member == f"record at offset {offsets[1]}"


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_the_next_record_is_found_far_past_the_damage(tmp_path: Path, gzipped: bool) -> None:
    archive = Archive(gzipped)
    archive.response("https://example.com/0", b"<html>first</html>")
    damaged_at = archive.buffer.tell()
    noise = random.Random(7).randbytes(300_000)
    png = (("Content-Type", "image/png"),)
    archive.response("https://example.com/noise.bin", noise, headers=png)
    archive.response("https://example.com/2", b"<html>last</html>")
    data = bytearray(archive.data())
    # Bytes inside the gzip member; the version line of the plain record.
    spoiled = damaged_at + 12 if gzipped else damaged_at
    data[spoiled : spoiled + 4] = b"\xff" * 4
    path = tmp_path / ("far.warc.gz" if gzipped else "far.warc")
    path.write_bytes(bytes(data))
    pages, failures = _read(path)
    assert [page.url for page in pages] == ["https://example.com/0", "https://example.com/2"]
    assert [failure.member for failure in failures] == [f"record at offset {damaged_at}"]


def test_reading_resumes_after_a_malformed_record(tmp_path: Path) -> None:
    archive = Archive(gzipped=False)
    for number in range(3):
        archive.response(f"https://example.com/{number}", b"<html>page %d</html>" % number)
    data = archive.data()
    second = data.index(b"WARC/1.", 10)
    path = tmp_path / "malformed.warc"
    path.write_bytes(data[:second] + b"XARC" + data[second + 4 :])
    pages, failures = _read(path)
    assert [page.url for page in pages] == ["https://example.com/0", "https://example.com/2"]
    assert len(failures) == 1
    assert failures[0].member == f"record at offset {second}"
    assert failures[0].reason.startswith("damaged record: ")


def test_a_wrong_content_length_costs_only_its_record(tmp_path: Path) -> None:
    archive = Archive(gzipped=False)
    for number in range(3):
        archive.response(f"https://example.com/{number}", b"<html>page %d</html>" % number)
    data = archive.data()
    length = re.search(rb"Content-Length: (\d+)", data)
    assert length is not None
    wrong = str(int(length.group(1)) + 5000).encode()
    path = tmp_path / "long.warc"
    path.write_bytes(data[: length.start(1)] + wrong + data[length.end(1) :])
    pages, failures = _read(path)
    assert [page.url for page in pages] == ["https://example.com/1", "https://example.com/2"]
    assert [failure.member for failure in failures] == ["record at offset 0"]


def test_a_file_gzipped_as_a_whole_is_read(tmp_path: Path) -> None:
    plain = _full_archive(gzipped=False).data()
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain))
    pages, failures = _read(path)
    assert failures == []
    assert [_summary(page) for page in pages] == EXPECTED
    path.write_bytes(gzip.compress(plain)[:-40])
    pages, failures = _read(path)
    assert [_summary(page) for page in pages] == EXPECTED[:-1]
    assert len(failures) == 1 and "truncated" in failures[0].reason


def test_an_undecodable_payload_fails_alone(tmp_path: Path) -> None:
    archive = Archive()
    archive.response(
        "https://example.com/a",
        b"\x1f\x8b\x08\x00garbage-not-gzip",
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
    )
    archive.response(
        "https://example.com/b",
        b"\x28\xb5\x2f\xfd",
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "zstd")),
    )
    # Stored already decoded although the header still names the encoding.
    archive.response(
        "https://example.com/c",
        STORY,
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
    )
    pages, failures = _read(archive.save(tmp_path / "enc.warc.gz"))
    assert [(page.url, page.data) for page in pages] == [("https://example.com/c", STORY)]
    assert [failure.reason.split(" (")[0] for failure in failures] == [
        "the page's gzip encoding is damaged",
        "the page is sent in an unsupported encoding",
    ]
    assert failures[1].reason.endswith("(zstd)")
    assert failures[0].member.startswith("record <urn:uuid:")


def test_pages_over_the_size_limit_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_payload, "MAX_PAGE_BYTES", 1000)
    archive = Archive()
    archive.response("https://example.com/big", b"<html>" + b"x" * 2000 + b"</html>")
    archive.response(
        "https://example.com/bomb",
        gzip.compress(b"<html>" + b" " * 100_000),
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
    )
    archive.response("https://example.com/small", b"<html>small</html>")
    pages, failures = _read(archive.save(tmp_path / "big.warc.gz"))
    assert [page.url for page in pages] == ["https://example.com/small"]
    assert [failure.reason for failure in failures] == ["the page is larger than 0 MB"] * 2


def test_missing_content_type_is_sniffed_and_resources_are_taken(tmp_path: Path) -> None:
    archive = Archive()
    archive.response("https://example.com/bare", b"<!doctype html><p>bare</p>", headers=())
    archive.response("https://example.com/blob", b"\x00\x01binary", headers=())
    archive.record("https://example.com/res.html", "resource", b"<html>res</html>", "text/html")
    archive.record("https://example.com/res.css", "resource", b"p{}", "text/css")
    skipped = SkippedRecords()
    pages, failures = _read(archive.save(tmp_path / "bare.warc.gz"), skipped=skipped)
    assert failures == []
    assert [(page.url, page.data) for page in pages] == [
        ("https://example.com/bare", b"<!doctype html><p>bare</p>"),
        ("https://example.com/res.html", b"<html>res</html>"),
    ]
    assert skipped == SkippedRecords(not_html=2)


def test_wacz_takes_the_listed_pages_from_every_warc(tmp_path: Path) -> None:
    first = Archive()
    first.response("https://example.com/news/story.html", STORY, second=1)
    first.response("https://ads.example.net/frame.html", b"<html>ad</html>", second=2)
    first.response(
        "http://example.com/short",
        b"",
        status="302 Found",
        headers=(("Location", "https://example.com/news/moved"),),
    )
    first.response("https://example.com/news/moved", GZIPPED, second=3)
    second = Archive(gzipped=False)
    second.response("https://example.com/news/second#top", CHUNKED, second=4)
    path = write_wacz(
        tmp_path / "capture.wacz",
        {
            "archive/data.warc.gz": first.data(),
            "archive/more.warc": second.data(),
        },
        [
            {
                "url": "https://example.com/news/story.html",
                "title": "Story title",
                "ts": warc_date(1),
            },
            {"url": "http://example.com/short", "title": "Moved story"},
            {"url": "https://example.com/news/second/", "title": ""},
        ],
    )
    assert SOURCE.claims(path, None)
    skipped = SkippedRecords()
    pages, failures = _read(path, skipped=skipped)
    assert failures == []
    assert [(page.url, page.metadata.title, page.data, page.captured_at) for page in pages] == [
        ("https://example.com/news/story.html", "Story title", STORY, _at(1)),
        ("https://example.com/news/moved", "Moved story", GZIPPED, _at(3)),
        ("https://example.com/news/second#top", None, CHUNKED, _at(4)),
    ]
    assert [page.member.split("#")[0] for page in pages] == [
        "archive/data.warc.gz",
        "archive/data.warc.gz",
        "archive/more.warc",
    ]
    assert pages[0].member == "archive/data.warc.gz#0"
    assert skipped == SkippedRecords(redirect=1, not_a_page=1)


def test_wacz_without_page_list_takes_every_html_page(tmp_path: Path) -> None:
    path = write_wacz(
        tmp_path / "nolist.wacz",
        {"archive/data.warc.gz": _full_archive(True).data()},
        None,
    )
    pages, failures = _read(path)
    assert failures == []
    assert [_summary(page) for page in pages] == EXPECTED
    offset = int(pages[1].member.removeprefix("archive/data.warc.gz#"))
    with zipfile.ZipFile(path) as archive, archive.open("archive/data.warc.gz") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_headers.get_header("WARC-Target-URI") == pages[1].url


def test_a_damaged_wacz_member_does_not_stop_the_others(tmp_path: Path) -> None:
    good = Archive()
    good.response("https://example.com/good", STORY)
    cut = Archive()
    cut.response("https://example.com/cut", GZIPPED)
    path = write_wacz(
        tmp_path / "mixed.wacz",
        {
            "archive/a.warc.gz": cut.data()[:-25],
            "archive/b.warc.gz": good.data(),
        },
        None,
    )
    pages, failures = _read(path)
    assert [page.url for page in pages] == ["https://example.com/good"]
    assert [failure.member for failure in failures] == ["archive/a.warc.gz#0"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.wacz", b"PK\x03\x04 not really a zip", "not a readable WACZ archive"),
        ("empty.wacz", None, "the WACZ archive holds no WARC file in archive/"),
        ("noise.warc", b"this is not a web archive at all", "damaged record: "),
    ],
)
def test_files_that_are_not_archives_fail_without_raising(
    tmp_path: Path, name: str, data: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if data is None:
        write_wacz(path, {}, [])
    else:
        path.write_bytes(data)
    pages, failures = _read(path)
    assert pages == []
    assert len(failures) == 1 and failures[0].reason.startswith(reason)


def test_a_missing_file_fails_without_raising(tmp_path: Path) -> None:
    pages, failures = _read(tmp_path / "absent.warc.gz")
    assert pages == []
    assert (failures[0].source_path, failures[0].member) == (str(tmp_path / "absent.warc.gz"), None)
    assert failures[0].reason.startswith("the file cannot be read: ")


def test_web_archives_are_claimed_by_name_or_content(tmp_path: Path) -> None:
    gz = _full_archive(True).data()
    plain = _full_archive(False).data()
    cases = {
        "a.warc.gz": gz,
        "b.WARC": plain,
        "c.gz": gz,  # a name that says "no page" is not looked into
        "d.bin": plain,
        "e.warc": b"damaged",
        "f.html": b"<html></html>",
        "g.gz": gzip.compress(b"<html></html>"),
        "h.zip": b"PK\x03\x04",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    write_wacz(tmp_path / "i.wacz", {}, None)

    def head(path: Path) -> bytes:
        return path.read_bytes()[:SNIFF_BYTES]

    claimed = sorted(
        path.name
        for path in tmp_path.iterdir()
        if claiming_source(path, partial(head, path)) is SOURCE
    )
    assert claimed == ["a.warc.gz", "b.WARC", "d.bin", "e.warc", "i.wacz"]


def test_thousands_of_records_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number in range(3000):
            body = b"<html><body><p>%d</p>%s</body></html>" % (number, b"word " * 2000)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://example.com/{number}",
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
            )
            writer.write_record(record)
    pages = iter_warc_pages(path)
    tracemalloc.start()
    try:
        count = 0
        for outcome in pages:
            assert isinstance(outcome, CapturedPage)
            count += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 3000  # 30 MB of pages in all
    # Far below what holding the pages would take; the margin is for what other threads of
    # the test process (left by earlier tests) allocate meanwhile, which tracemalloc counts too.
    assert peak < 10 * 1024 * 1024
