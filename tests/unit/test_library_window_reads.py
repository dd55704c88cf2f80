"""Library reads and writes the window relies on: snippets, copies, tags and searches that
undo needs to put back, and import reports with what they imported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import update

from corpusdesk.core.records import FileResult, ImportReport, Outcome
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from corpusdesk.library.schema import ImportRun
from tests.factories import article_page, make_draft, paragraph


def _body(seed: int) -> str:
    return "\n\n".join(paragraph(seed * 10 + i) for i in range(4))


def test_snippets_mark_the_query_words_and_count_them(library: Library) -> None:
    text = "The harbour ferry runs at night.\n\n" + _body(1) + "\n\nThe ferry is cheap."
    [result] = library.add_drafts([make_draft(text, title="Ferry news")])
    assert result.article_id is not None
    found = library.snippets([result.article_id, 999], "ferry -winter")
    assert set(found) == {result.article_id}
    snippet = found[result.article_id]
    assert snippet.hits == 3
    assert [snippet.text[a:b] for a, b in snippet.marks][:1] == ["ferry"]
    assert library.snippets([result.article_id], "tag:news") == {}


def test_copies_are_the_live_articles_of_a_group(library: Library) -> None:
    body = _body(2)
    drafts = [
        make_draft(body, site="Original Site", published=dt.date(2023, 1, 2)),
        make_draft("Shared.\n\n" + body, site="Mirror", published=dt.date(2023, 1, 1)),
        make_draft(_body(3), site="Other"),
    ]
    first, second, third = (r.article_id for r in library.add_drafts(drafts))
    assert first is not None and second is not None and third is not None
    assert [row.id for row in library.copies(first)] == [second, first]  # oldest first
    assert [row.copies for row in library.copies(first)] == [2, 2]
    assert [row.id for row in library.copies(third)] == [third]
    assert library.rows([third])[third].copies == 0
    library.trash([second])
    assert [row.id for row in library.copies(first)] == [first]
    assert library.rows([first])[first].copies == 1


def test_a_tag_that_was_created_can_be_removed_again_unless_used(library: Library) -> None:
    [result] = library.add_drafts([make_draft(_body(4))])
    assert result.article_id is not None
    assert not library.tag_exists("Fresh")
    assert library.create_tag("Fresh") and library.tag_exists("fresh")
    assert not library.create_tag("FRESH")
    library.add_tag([result.article_id], "fresh")
    assert not library.delete_unused_tag("fresh")
    library.remove_tag([result.article_id], "fresh")
    assert library.delete_unused_tag("fresh") and not library.tag_exists("Fresh")


def test_a_saved_search_is_found_by_name(library: Library) -> None:
    assert library.saved_search("Ferries") is None
    saved = library.save_search("Ferries", "ferry")
    assert library.saved_search(" Ferries ") == saved


def test_import_reports_keep_what_was_imported(library: Library, tmp_path: Path) -> None:
    started = dt.datetime(2024, 5, 1, 14, 30)
    report = ImportReport(started, started + dt.timedelta(seconds=75), sources=(str(tmp_path),))
    report.results += [
        FileResult("/p/a.html", Outcome.IMPORTED, 1),
        FileResult("/p/b.html", Outcome.IMPORTED, 2, near_duplicate_of=1),
        FileResult("/p/c.html", Outcome.DUPLICATE, reason="same file as article #1"),
    ]
    run_id = library.save_import_report(report)
    again = library.import_report(run_id)
    assert again.sources == (str(tmp_path),) and again.results == report.results
    [listed] = library.import_runs()
    assert listed.sources == (str(tmp_path),)
    assert listed.summary == (
        "2 imported (1 of them a copy of a stored article), 1 already in the library, 0 failed"
    )


def test_import_reports_of_earlier_versions_still_open(library: Library) -> None:
    report = ImportReport(dt.datetime(2024, 5, 1), sources=("/p",))
    report.results.append(FileResult("/p/a.html", Outcome.IMPORTED, 1))
    run_id = library.save_import_report(report)
    old_form = [{"path": "/p/a.html", "outcome": "imported", "article_id": 1, "reason": ""}]
    with library.writing() as session:
        session.execute(
            update(ImportRun).where(ImportRun.id == run_id).values(details=json.dumps(old_form))
        )
    again = library.import_report(run_id)
    assert again.sources == () and again.results == [FileResult("/p/a.html", Outcome.IMPORTED, 1)]
    assert library.import_runs()[0].sources == ()


def test_an_import_records_the_files_and_folders_it_was_given(
    library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for seed in range(2):
        (folder / f"story-{seed}.html").write_text(article_page(seed), encoding="utf-8")
    single = tmp_path / "single.html"
    single.write_text(article_page(5), encoding="utf-8")
    report = run_import(library, [folder, single], workers=1)
    assert report.sources == (str(folder), str(single)) and report.imported == 3
