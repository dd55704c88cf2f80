"""Pages under awkward names go through import, search, export and re-clean like any other.

Every name of ``tests.awkward.PAGE_NAMES`` (bytes that are not UTF-8, newlines, tabs, control
characters, a leading dash, both Unicode normal forms, 255 bytes …) holds a small valid article
page, once in the imported folder and once in one of its sub-folders, named from
``FOLDER_NAMES`` (each holds two or three). The real CLI imports the folder with its worker
processes and a ``--log``, then searches, exports to JSONL and re-cleans. Every page must be
imported, the log must hold exactly one record of four fields per file giving back its exact
name, the export must be valid UTF-8 JSON naming each page recognisably, and the re-clean must
take every article.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from corpusdesk.core.names import readable_name
from tests.awkward import FOLDER_NAMES, PAGE_NAMES
from tests.factories import article_page
from tests.reliability.harness import check_library, read_log, run_cli


def _write_pages(folder: Path) -> list[Path]:
    """Each page name in ``folder`` and again in one of its sub-folders, taken in turn."""
    sub_folders = [folder / name for name in FOLDER_NAMES.values()]
    for place in (folder, *sub_folders):
        place.mkdir(parents=True)
    written = []
    for index, name in enumerate(PAGE_NAMES.values()):
        for place in (folder, sub_folders[index % len(sub_folders)]):
            path = place / name
            path.write_text(article_page(len(written)), encoding="utf-8")
            written.append(path)
    return written


def _records(log: Path) -> list[list[str]]:
    """The log's records as written: one line each, four tab-separated fields."""
    text = log.read_text(encoding="utf-8")
    assert text.endswith("\n")
    records = [line.split("\t") for line in text[:-1].split("\n")]
    assert all(len(fields) == 4 for fields in records), "a record is not four fields"
    return records


def test_awkward_names_import_search_export_and_reclean(
    tmp_path: Path, figures: Callable[[str], None]
) -> None:
    written = _write_pages(tmp_path / "pages")
    count = len(written)
    library, log = tmp_path / "lib.db", tmp_path / "import.log"
    started = time.monotonic()

    imported = run_cli(library, "import", "--quiet", "--log", str(log), str(tmp_path / "pages"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert imported.stdout == f"{count} imported, 0 already in the library, 0 failed\n"
    assert len(_records(log)) == count
    lines = read_log(log)
    assert sorted(line.path for line in lines) == sorted(map(str, written))
    assert {line.outcome for line in lines} == {"imported"}
    state = check_library(library)
    assert sorted(state.articles) == sorted(line.article_id for line in lines)
    for line in lines:
        assert state.articles[line.article_id] == readable_name(line.path)

    found = run_cli(library, "search", "--limit", "0", "council winter")
    assert found.returncode == 0 and len(found.stdout.splitlines()) == count, found.stderr

    target = tmp_path / "export.jsonl"
    exported = run_cli(library, "export", "-o", str(target))
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in target.read_bytes().decode("utf-8").splitlines()]
    by_id = {record["id"]: record for record in records}
    assert sorted(by_id) == sorted(state.articles)
    for line in lines:
        record = by_id[line.article_id]
        name = Path(line.path).name
        assert record["source_name"] == readable_name(name)
        assert record["source_path"] == readable_name(line.path)
        assert record["source_file"] == readable_name(name).removesuffix(".html")

    recleaned = run_cli(library, "reclean", "--quiet")
    assert recleaned.returncode == 0, recleaned.stdout + recleaned.stderr
    assert recleaned.stdout.startswith(f"{count} articles re-cleaned, 0 changed")
    check_library(library)
    figures(
        f"{len(PAGE_NAMES)} page names in {len(FOLDER_NAMES) + 1} folders: {count} pages "
        f"imported, logged, searched, exported and re-cleaned in "
        f"{time.monotonic() - started:.1f} s"
    )
