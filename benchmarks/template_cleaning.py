"""Corpus-aware cleaning, measured both ways: template removed, article text kept.

Builds saved pages for a number of made-up sites, each wrapping real article texts (the
labelled texts of ``../shared/eval/wcxb-dev-articles``) in a site template whose lines sit
inside the article body, where single-page extraction keeps them. The pages are imported twice:
once as sites (the template repeats, so corpusdesk can learn it) and once with every page on a
host of its own (nothing to learn). For each run it prints how much template text remains and
the body precision and recall against the labelled texts; article text lost to template
removal shows as a recall drop between the two runs.

    python benchmarks/template_cleaning.py [--sites 20] [--per-site 8]
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import random
import sys
import tempfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from corpusdesk.importing.pipeline import run_import  # noqa: E402
from corpusdesk.library.library import Library  # noqa: E402

EVAL_SET = REPO.parent / "shared" / "eval" / "wcxb-dev-articles"
TEMPLATE_LINES = (
    "Support independent reporting at {site}: become a member for the price of a coffee a month.",
    "Follow {site} on your favourite podcast app for a weekly round-up of the stories above.",
    "The views expressed here are the author's own and do not necessarily reflect those of {site}.",
    "Corrections and tips can be sent to the {site} newsroom at any hour of the day or night.",
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", EVAL_SET.parent / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(site: str, host: str, index: int, row: dict[str, str], lines: list[str]) -> str:
    title = html.escape(row.get("title") or f"Article {index}")
    body = "\n".join(
        f"<p>{html.escape(part)}</p>" for part in row["text"].split("\n") if part.strip()
    )
    top, bottom = (html.escape(line.format(site=site)) for line in lines)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} - {site}</title><meta property="og:site_name" content="{site}">
<link rel="canonical" href="https://{host}/article-{index}/"></head><body>
<article><h1>{title}</h1><p>{top}</p>
{body}
<p>{bottom}</p></article></body></html>"""


def _write_pages(
    folder: Path, rows: list[dict[str, str]], sites: int, per_site: int, own_hosts: bool
) -> dict[str, tuple[dict[str, str], list[str]]]:
    rng = random.Random(5)
    folder.mkdir(parents=True)
    written: dict[str, tuple[dict[str, str], list[str]]] = {}
    for site_number in range(sites):
        site = f"The Example Ledger {site_number}"
        lines = rng.sample(TEMPLATE_LINES, 2)
        for offset in range(per_site):
            index = site_number * per_site + offset
            row = rows[index]
            host = f"page{index}.example" if own_hosts else f"ledger{site_number}.example"
            name = f"{index:04d}"
            (folder / f"{name}.html").write_text(_page(site, host, index, row, lines), "utf-8")
            written[name] = (row, [line.format(site=site) for line in lines])
    return written


def measure(
    rows: list[dict[str, str]], sites: int, per_site: int, own_hosts: bool
) -> dict[str, float]:
    """Import the pages once; template residue and body scores against the labels."""
    score = _scorer()
    with tempfile.TemporaryDirectory(prefix="corpusdesk-template-") as folder:
        pages = Path(folder) / "pages"
        written = _write_pages(pages, rows, sites, per_site, own_hosts)
        with Library.open(Path(folder) / "t.db") as library:
            run_import(library, [pages])
            stored = {
                Path(d.source_name).stem: d.text for d in library.iter_details(library.search_ids())
            }
    left = sum(
        line in stored.get(name, "") for name, (_row, lines) in written.items() for line in lines
    )
    total_lines = sum(len(lines) for _row, lines in written.values())
    pairs = [(row["text"], stored.get(name, "")) for name, (row, _lines) in written.items()]
    body = score.body_scores(pairs)
    return {
        "template_left": left / total_lines,
        "precision": body["precision"],
        "recall": body["recall"],
        "f1": body["f1"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--per-site", type=int, default=8)
    args = parser.parse_args()
    lines = (EVAL_SET / "truth.jsonl").read_text("utf-8").split("\n")
    rows = [json.loads(line) for line in lines if line.strip()]
    rows = [row for row in rows if row.get("text") and len(row["text"].split()) > 150]
    needed = args.sites * args.per_site
    print(f"{args.sites} sites × {args.per_site} pages, 2 template lines per page")
    print("| import | template lines left | body P | body R | body F1 |")
    print("|---|---|---|---|---|")
    for label, own_hosts in (
        ("one host per page (nothing to learn)", True),
        ("as sites (template learned)", False),
    ):
        result = measure(rows[:needed], args.sites, args.per_site, own_hosts)
        print(
            f"| {label} | {result['template_left']:.1%} | {result['precision']:.3f} | "
            f"{result['recall']:.3f} | {result['f1']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
