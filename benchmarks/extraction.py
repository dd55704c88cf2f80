"""Extraction quality and speed: corpusdesk's real import against trafilatura alone.

For each labelled set in ``../shared/eval`` this writes the pages out, imports them into a fresh
temporary library with the real pipeline, exports JSONL, scores it with the set's scorer, then
runs trafilatura alone on the same pages with the same number of processes, and prints both rows
and their wall times side by side, with corpusdesk's glue rate (``extraction_glue.py``).

    python benchmarks/extraction.py                       # both sets, all cores
    python benchmarks/extraction.py --set mozilla-readability --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extraction_glue import glue_rate  # noqa: E402

from corpusdesk.exporting.writer import export_articles  # noqa: E402
from corpusdesk.importing.pipeline import run_import  # noqa: E402
from corpusdesk.library.library import Library  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval"
SETS = ("wcxb-dev-articles", "mozilla-readability")
FIELDS = ("title", "authors", "published", "site_name", "language")
TARGETS = {
    "body": 0.96,
    "title": 0.90,
    "authors": 0.85,
    "published": 0.93,
    "site_name": 0.93,
    "language": 0.97,
}


def _scorer(eval_dir: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(eval_dir / "score.py"), *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measure_set(eval_dir: Path, name: str, workers: int) -> dict[str, dict[str, object]]:
    """Score corpusdesk and trafilatura on one set; returns both results with timings."""
    set_dir = eval_dir / name
    with tempfile.TemporaryDirectory(prefix="corpusdesk-eval-") as folder:
        work = Path(folder)
        _scorer(eval_dir, "pages", str(set_dir), str(work / "pages"))
        with Library.open(work / "eval.db") as library:
            started = time.perf_counter()
            report = run_import(library, [work / "pages"], workers=workers)
            seconds = time.perf_counter() - started
            export_articles(library, library.search_ids(), work / "export.jsonl")
        _scorer(
            eval_dir,
            "score",
            str(set_dir),
            str(work / "export.jsonl"),
            "--json",
            str(work / "ours.json"),
        )
        ours = json.loads((work / "ours.json").read_text("utf-8"))
        exported = [
            json.loads(line)
            for line in (work / "export.jsonl").read_text("utf-8").split("\n")
            if line.strip()
        ]
        texts = {Path(str(r["source_file"])).stem: r.get("text") or "" for r in exported}
        glue = glue_rate(set_dir, texts, workers)
        ours["glue"] = glue.rate
        print(glue.line(name))
        ours["seconds"] = round(seconds, 2)
        ours["imported"] = report.imported
        ours["failed"] = len(report.failed)
        ours["duplicates"] = report.duplicates
        _scorer(
            eval_dir,
            "baseline",
            str(set_dir),
            "--jobs",
            str(workers),
            "--json",
            str(work / "baseline.json"),
        )
        baseline = json.loads((work / "baseline.json").read_text("utf-8"))
    return {"corpusdesk": ours, "trafilatura": baseline}


def _cell(result: dict[str, object], field: str) -> str:
    value = result.get(field)
    if isinstance(value, dict) and "accuracy" in value:
        return f"{value['accuracy']:.3f}"
    return "–"


def print_rows(name: str, results: dict[str, dict[str, object]]) -> None:
    """One table per set: a row per tool, body F1 with precision/recall, metadata, time."""
    print(f"\n{name}")
    header = ["tool", "body F1 (P / R)", "glue", "title", "authors", "date", "site", "lang"]
    header.append("seconds")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for tool, result in results.items():
        body = result.get("body")
        body_cell = (
            f"{body['f1']:.3f} ({body['precision']:.3f} / {body['recall']:.3f})"
            if isinstance(body, dict)
            else "–"
        )
        glue = result.get("glue")
        glue_cell = f"{glue:.5f}" if isinstance(glue, float) else "–"
        cells = [tool, body_cell, glue_cell, *(_cell(result, f) for f in FIELDS)]
        cells.append(f"{result['seconds']}")
        print("| " + " | ".join(cells) + " |")
    ours, theirs = results["corpusdesk"], results["trafilatura"]
    ratio = float(ours["seconds"]) / float(theirs["seconds"])  # type: ignore[arg-type]
    print(
        f"time ratio corpusdesk / trafilatura: {ratio:.2f} "
        f"(corpusdesk also stores, indexes and finds duplicates; "
        f"{ours['imported']} imported, {ours['duplicates']} duplicates, {ours['failed']} failed)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    names = SETS if args.set == "all" else (args.set,)
    print(
        f"workers: {args.workers}; targets: " + ", ".join(f"{k} ≥ {v}" for k, v in TARGETS.items())
    )
    for name in names:
        print_rows(name, measure_set(args.eval_dir, name, args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
