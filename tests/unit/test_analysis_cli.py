"""The analysis commands and facade methods over a small library: kwic, freq, keywords, stats."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from corpusdesk.analysis.trends import Split
from corpusdesk.cli import main
from corpusdesk.library.library import Library
from tests.factories import make_draft

ARTICLES = [
    (
        "The ceasefire talks resumed in Cairo. Negotiators said the ceasefire held.",
        "Gazette",
        "en",
        dt.date(2024, 1, 3),
    ),
    (
        "Farmers protested against fuel prices. The protest ended peacefully.",
        "Post",
        "en",
        dt.date(2024, 1, 9),
    ),
    (
        "A new ceasefire was announced after talks with the mediators.",
        "Post",
        "en",
        dt.date(2024, 2, 1),
    ),
    ("北京地铁十七号线北段今天上午正式开通运营。地铁公司表示运营平稳。", "新华", "zh", None),
]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "analysis.db"
    with Library.open(path) as library:
        drafts = [
            make_draft(text, title=f"Story {n}", site=site, language=lang, published=date)
            for n, (text, site, lang, date) in enumerate(ARTICLES)
        ]
        library.add_drafts(drafts)
        library.add_tag(library.search_ids("site:post"), "Protests")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_kwic_lines_in_date_order_sorted_and_as_csv(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "--library", db, "kwic", "", "--term", "ceasefire", "--width", "12"
    )
    assert status == 0
    assert out.splitlines() == [
        "        The  ceasefire  talks resum",
        "rs said the  ceasefire  held.",
        "      A new  ceasefire  was announc",
    ]
    status, out, _ = run(
        capsys,
        "--library",
        db,
        "kwic",
        "",
        "--term",
        "ceasefire",
        "--sort",
        "R1",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["right"][:6] for row in rows] == [" held.", " talks", " was a"]
    status, out, _ = run(
        capsys, "--library", db, "kwic", "site:post", "--term", "ceasefire", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["hit"], r["site"], r["published"]) for r in rows] == [
        ("ceasefire", "Post", "2024-02-01")
    ]
    status, out, _ = run(capsys, "--library", db, "kwic", "", "--term", "地铁", "--width", "8")
    assert out.splitlines() == ["    北京 地铁 十七号线", "通运营。 地铁 公司表示"]
    status, _, err = run(capsys, "--library", db, "kwic", "", "--term", "tag:x")
    assert status == 2 and "concordance term" in err


def test_freq_and_keywords(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "--library", db, "freq", "lang:en", "--top", "3", "--format", "csv"
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # 11 + 9 + 10 words; "the" 4 times in 3 articles, "ceasefire" 3 in 2.
    assert [(r["item"], r["count"], r["documents"]) for r in rows] == [
        ("the", "4", "3"),
        ("ceasefire", "3", "2"),
        ("talks", "2", "2"),
    ]
    assert rows[0]["per_million"] == f"{4 / 30 * 1e6:.2f}"
    status, out, _ = run(
        capsys, "--library", db, "freq", "lang:en", "--stop-words", "en", "--top", "1"
    )
    assert out.splitlines()[0] == "# 30 words in 3 articles; 24 distinct words"
    assert out.splitlines()[2].split() == ["1", "3", "2", "100000.00", "ceasefire"]
    status, out, _ = run(capsys, "--library", db, "freq", "", "--ngram", "2", "--top", "1")
    # 30 English words and 30 Chinese characters; "the ceasefire", 地铁 and 运营 twice each.
    assert out.splitlines()[2].split() == ["1", "2", "1", "33333.33", "the", "ceasefire"]
    status, out, _ = run(
        capsys,
        "--library",
        db,
        "keywords",
        "ceasefire",
        "--min-count",
        "2",
        "--min-ll",
        "0",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["word"] == "ceasefire" and rows[0]["reference_count"] == "0"
    status, out, _ = run(
        capsys, "--library", db, "keywords", "site:post", "--reference", "site:gazette"
    )
    assert status == 0 and "against 'site:gazette' (1 articles)" in out
    # A query of several words, one of them negated, as for the other commands.
    status, out, _ = run(capsys, "--library", db, "freq", "lang:en", "-ceasefire", "--top", "1")
    assert status == 0 and out.splitlines()[0] == "# 9 words in 1 articles; 9 distinct words"
    status, _, err = run(capsys, "--library", db, "freq", "", "--stop-words", "xx")
    assert status == 2 and "no stop-word list for 'xx'" in err


def test_stats_summary(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--library", db, "stats")
    assert status == 0
    assert "published:        2024-01-03 to 2024-02-01 (1 undated)" in out
    languages = out.split("languages:\n")[1].split("top sites:")[0].split()
    assert languages == ["3", "en", "1", "zh"]
    assert "        2  Post" in out


def test_facade_dated_counts_and_candidates(db: str) -> None:
    with Library.open(db) as library:
        ids = library.search_ids("")
        by_tag = {(c.published, c.key): c.count for c in library.dated_counts(ids, Split.TAG)}
        assert by_tag == {
            (dt.date(2024, 1, 3), ""): 1,
            (dt.date(2024, 1, 9), "Protests"): 1,
            (dt.date(2024, 2, 1), "Protests"): 1,
            (None, ""): 1,
        }
        assert library.term_candidates("", "ceasefire") == [ids[0], ids[2]]
        assert library.term_candidates("", "ceasefire", ids=[ids[2], ids[1], ids[0]]) == [
            ids[2],
            ids[0],
        ]
        assert library.term_candidates("", "ceasefire", limit=1) == [ids[0]]
        lines = library.concordance([ids[2], ids[0]], "ceasefire", 10)
        assert [line.article_id for line in lines] == [ids[2], ids[0], ids[0]]
        library.trash([ids[2]])
        assert library.term_candidates("", "ceasefire") == [ids[0]]
        assert library.term_candidates("", "ceasefire", ids=[ids[2]]) == [ids[2]]
