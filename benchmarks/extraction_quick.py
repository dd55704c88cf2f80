"""Run ``extract_article`` over a labelled evaluation set and score it with the set's score.py.

Usage::

    python benchmarks/extraction_quick.py ../shared/eval/wcxb-dev-articles [more sets…]
        [--jobs 2] [--out /tmp/corpusdesk-eval] [--limit N]

For each set, every ``pages/<id>.html.gz`` is extracted in a process pool, one JSONL record per
page is written (``source_file``, ``title``, ``authors``, ``published``, ``site_name``,
``language``, ``url``, ``text``; failures give an empty record with ``error``), and
``score.py score`` (found next to the set) prints the figures, after the glue rate (the share
of output tokens that join words the page shows apart; see ``extraction_glue.py``).
``--worst N`` also lists the N pages with the lowest body F1 (with precision and recall) and,
for each metadata field, the pages whose value does not match the label, to find what a
general rule could fix.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from extraction_glue import page_glue, summarise

from corpusdesk.core.errors import ImportFailure
from corpusdesk.importing.extract import extract_article


def _extract_one(path: str) -> dict[str, Any]:
    page_id = Path(path).name.removesuffix(".gz").removesuffix(".html")
    record: dict[str, Any] = {"source_file": page_id}
    started = time.perf_counter()
    with gzip.open(path) as handle:
        data = handle.read()
    try:
        article = extract_article(data, f"{page_id}.html")
    except ImportFailure as failure:
        record.update(text="", error=str(failure))
    else:
        record.update(
            title=article.title,
            authors=list(article.authors),
            published=article.published.isoformat() if article.published else None,
            site_name=article.site_name,
            language=article.language,
            url=article.url,
            text=article.text,
        )
    record["seconds"] = round(time.perf_counter() - started, 4)
    if record["text"]:
        record["tokens"], record["glued"] = page_glue(path, record["text"])
    return record


def run_set(root: Path, out_dir: Path, jobs: int, limit: int | None) -> Path:
    """Extract every page of the set at ``root``; return the path of the JSONL written."""
    pages = sorted(str(p) for p in (root / "pages").glob("*.html.gz"))[:limit]
    started = time.perf_counter()
    with Pool(jobs) as pool:
        records = pool.map(_extract_one, pages, chunksize=8)
    wall = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / f"{root.name}.jsonl"
    glue = summarise((r["source_file"], r.pop("tokens", 0), r.pop("glued", [])) for r in records)
    with output.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    failures = [r for r in records if "error" in r]
    slowest = max(records, key=lambda r: r["seconds"], default=None)
    print(f"{root.name}: {len(records)} pages in {wall:.2f} s wall with {jobs} processes")
    print(f"{root.name}: {len(failures)} import failures")
    for failure in failures[:10]:
        print(f"  {failure['source_file']}: {failure['error']}")
    if slowest:
        print(f"{root.name}: slowest page {slowest['source_file']} {slowest['seconds']:.2f} s")
    print(glue.line(root.name))
    return output


def _scorer(root: Path) -> Any:
    spec = importlib.util.spec_from_file_location("eval_score", root.parent / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py next to {root}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def diagnose(root: Path, output: Path, worst: int) -> None:
    """Print the ``worst`` pages by body F1 and the metadata misses of the set at ``root``."""
    score = _scorer(root)
    rows = score.load_set(root)
    predictions = score.read_export(output)
    losses = []
    for row in rows:
        if row.get("text"):
            pred = (predictions.get(row["id"]) or {}).get("text") or ""
            tp, fp, fn = score.tp_fp_fn(row["text"], pred)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            losses.append((f1, tp / (tp + fp) if tp else 0.0, tp / (tp + fn) if tp else 0.0, row))
    print(f"{root.name}: {worst} lowest body F1")
    for f1, precision, recall, row in sorted(losses, key=lambda x: x[0])[:worst]:
        print(f"  {row['id']}  F1 {f1:.2f}  P {precision:.2f}  R {recall:.2f}")
    for field in score.FIELDS:
        values = [(row, (predictions.get(row["id"]) or {}).get(field)) for row in rows]
        misses = [
            (row, value)
            for row, value in values
            if row.get(field) and not score.field_match(field, row[field], value)
        ]
        if misses:
            print(f"{root.name}: {len(misses)} {field} misses")
        for row, value in misses[:worst]:
            print(f"  {row['id']}  truth {row[field]!r:.80}  ours {value!r:.80}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path, help="evaluation set folders")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/corpusdesk-eval"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages and misses")
    args = parser.parse_args(argv)
    for root in args.sets:
        output = run_set(root.resolve(), args.out, args.jobs, args.limit)
        score = root.resolve().parent / "score.py"
        subprocess.run([sys.executable, str(score), "score", str(root), str(output)], check=False)
        if args.worst:
            diagnose(root.resolve(), output, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
