"""Run ``extract_article`` over a labelled evaluation set and score it with the set's score.py.

Usage::

    python benchmarks/extraction_quick.py ../shared/eval/wcxb-dev-articles [more sets…]
        [--jobs 2] [--out /tmp/corpusdesk-eval] [--limit N]

For each set, every ``pages/<id>.html.gz`` is extracted in a process pool, one JSONL record per
page is written (``source_file``, ``title``, ``authors``, ``published``, ``site_name``,
``language``, ``url``, ``text``; failures give an empty record with ``error``), and
``score.py score`` (found next to the set) prints the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

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
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path, help="evaluation set folders")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/corpusdesk-eval"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    for root in args.sets:
        output = run_set(root.resolve(), args.out, args.jobs, args.limit)
        score = root.resolve().parent / "score.py"
        subprocess.run([sys.executable, str(score), "score", str(root), str(output)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
