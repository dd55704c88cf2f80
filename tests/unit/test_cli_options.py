"""Command-line conveniences: options after the subcommand, ``-o -``, empty exports, the
order of search results, the query language in ``search --help``, and counts in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpusdesk.cli import main
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.factories import article_page


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for seed, site in enumerate(["Harbour Gazette", "Harbour Gazette", "Valley Post"]):
        (folder / f"story-{seed}.html").write_text(article_page(seed, site=site), encoding="utf-8")
    return folder


@pytest.fixture
def db(tmp_path: Path, pages: Path) -> Path:
    path = tmp_path / "cli.db"
    with Library.open(path) as library:
        run_import(library, [pages], workers=1)
    return path


def test_the_library_option_is_taken_after_the_subcommand(
    tmp_path: Path, pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "after.db"
    assert main(["import", "--library", str(db), "--quiet", str(pages)]) == 0
    assert "3 imported" in capsys.readouterr().out
    assert main(["search", "--library", str(db), "--count"]) == 0
    assert capsys.readouterr().out == "3\n"
    other = tmp_path / "other.db"
    # After the subcommand it wins over one given before; left out there, the first stands.
    assert main(["--library", str(other), "stats", "--library", str(db)]) == 0
    assert "articles:         3" in capsys.readouterr().out
    assert main(["--library", str(db), "stats"]) == 0
    assert not other.exists()


def test_dash_exports_to_standard_output(db: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--library", str(db), "site:valley", "-o", "-"]) == 0
    out, err = capfd.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["site_name"] for r in records] == ["Valley Post"]
    assert err == "exported 1 article to standard output\n"
    assert not Path("-").exists()


def test_an_export_that_matches_nothing_says_so_and_writes_nothing(
    db: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    target = db.parent / "none.jsonl"
    assert main(["export", "--library", str(db), "site:nowhere", "-o", str(target)]) == 1
    out, err = capfd.readouterr()
    assert out == "" and err == "corpusdesk: nothing matches 'site:nowhere'; nothing was exported\n"
    assert not target.exists()
    assert main(["export", "--library", str(db), "site:nowhere", "-o", "-"]) == 1
    assert capfd.readouterr().out == ""


def test_search_reverse_turns_the_order_round(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def ids(*options: str) -> list[str]:
        assert main(["search", "--library", str(db), *options]) == 0
        return [line.split()[0] for line in capsys.readouterr().out.splitlines()]

    for sort in ("published", "title", "relevance"):
        forward = ids("--sort", sort, "")
        assert ids("--sort", sort, "--reverse", "") == forward[::-1]


def test_search_help_summarises_the_query_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    for example in ('"war council"', "negotiat*", "tag:", "date:2023", "words:>500", " OR "):
        assert example in out
    assert "--reverse" in out


def test_tags_on_a_library_without_tags_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tags", "--library", str(db)]) == 0
    assert capsys.readouterr().out.startswith("there are no tags yet")


def test_counts_are_in_the_singular_for_one(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tag", "--library", str(db), "add", "valley", "site:valley"]) == 0
    assert capsys.readouterr().out == "tagged 1 article with 'valley' (1 matched)\n"
    assert main(["tag", "--library", str(db), "remove", "valley", "site:valley"]) == 0
    assert capsys.readouterr().out == "removed 'valley' from 1 article (1 matched)\n"


def test_the_library_option_after_a_query_command_is_no_query_word(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--library", str(db), "--count", "-site:valley"]) == 0
    assert capsys.readouterr().out == "2\n"
