"""Re-cleaning stored articles from their originals with the current rules."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from corpusdesk.cli import main
from corpusdesk.importing.pipeline import run_import
from corpusdesk.importing.reclean import reclean
from corpusdesk.library.library import Library
from corpusdesk.library.schema import Article
from tests.factories import article_page


def _import_pages(library: Library, folder: Path, count: int) -> list[int]:
    folder.mkdir()
    for seed in range(count):
        (folder / f"p{seed}.html").write_text(article_page(seed, site=f"Site {seed}"), "utf-8")
    run_import(library, [folder])
    return library.search_ids()


def test_reclean_restores_current_extraction_and_reports_changes(
    library: Library, tmp_path: Path
) -> None:
    ids = _import_pages(library, tmp_path / "pages", 2)
    good = library.detail(ids[0])
    with library.writing() as session:  # as if stored by older, worse rules
        session.execute(
            update(Article)
            .where(Article.id == ids[0])
            .values(text="Share this!\n\n" + good.text, title="Old title | Site 0", word_count=1)
        )
    report = reclean(library, ids)
    assert report.examined == 2 and report.changed == 1
    assert report.fields["text"] == 1 and report.fields["title"] == 1
    after = library.detail(ids[0])
    assert after.text == good.text and after.title == good.title
    assert after.word_count == len(good.text.split())
    assert library.search_ids('"share this"') == []


def test_reclean_keeps_fields_the_user_edited(library: Library, tmp_path: Path) -> None:
    [article_id] = _import_pages(library, tmp_path / "pages", 1)
    library.update_metadata(article_id, {"title": "My own title", "authors": ["A. Person"]})
    report = reclean(library, [article_id])
    detail = library.detail(article_id)
    assert detail.title == "My own title" and detail.authors == ("A. Person",)
    assert report.changed == 0


def test_reclean_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "r.db"
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(article_page(1), "utf-8")
    assert main(["--library", str(db), "import", "--quiet", str(pages)]) == 0
    capsys.readouterr()
    assert main(["--library", str(db), "reclean", "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("1 article re-cleaned, 0 changed")
