"""The analysis subcommands: ``kwic``, ``freq`` and ``keywords``, and the ``stats`` summary.

``corpusdesk kwic QUERY --term TERM`` prints a concordance of the articles matching QUERY that
hold TERM (found by the full-text index), ``freq [QUERY]`` a word or n-gram list and
``keywords QUERY`` the words characteristic of QUERY's articles against the rest of the library
or ``--reference`` another query's. Text goes to standard output, as aligned columns or CSV;
progress of long counts goes to standard error on a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from corpusdesk.analysis import frequency, keyness
from corpusdesk.analysis.concordance import (
    DEFAULT_WIDTH,
    MAX_WIDTH,
    SORT_KEYS,
    ConcordanceLine,
    format_line,
    parse_sort,
    sort_lines,
    write_csv,
)
from corpusdesk.analysis.frequency import MAX_NGRAM, FrequencyList
from corpusdesk.analysis.keyness import SIGNIFICANT, KeywordList
from corpusdesk.analysis.runs import (
    REFERENCE_SAMPLE,
    FrequencyRequest,
    KeywordRequest,
    rest_of_library,
    run_frequency,
    run_keywords,
)
from corpusdesk.analysis.stopwords import primary_language, stop_words
from corpusdesk.library.analysis_reader import LibrarySummary
from corpusdesk.library.library import Library

KWIC_BATCH = 200
"""Articles read per concordance call: lines are printed as each batch is done."""


def _width(text: str) -> int:
    value = int(text)
    if not 0 <= value <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"the width is 0 to {MAX_WIDTH} columns")
    return value


QUERY_COMMANDS = ("kwic", "freq", "keywords")
"""The analysis subcommands: their last arguments are a query, as ``search``'s are."""
VALUE_OPTIONS = (
    "--term",
    "--width",
    "--sort",
    "--format",
    "--limit",
    "--ngram",
    "--top",
    "--stop-words",
    "--min-count",
    "--reference",
    "--reference-sample",
    "--min-ll",
)
"""Their long options that take a value."""


def add_parsers(
    command: Callable[[str, str], argparse.ArgumentParser], add_query: Callable[..., None]
) -> None:
    """Add the analysis subcommands through ``command`` (name, help → a subcommand's parser
    taking the global options); ``add_query`` adds a query argument as other commands have it."""
    kwic = command("kwic", "concordance: every occurrence of a term in context")
    add_query(kwic)
    kwic.add_argument("--term", required=True, help='a word, a "phrase" or a prefix*')
    kwic.add_argument("--width", type=_width, default=DEFAULT_WIDTH, help="context columns")
    kwic.add_argument(
        "--sort",
        default="",
        help=f"sort keys, e.g. R1,R2 ({', '.join(SORT_KEYS)}); default: by date",
    )
    kwic.add_argument("--format", choices=["text", "csv"], default="text")
    kwic.add_argument("--limit", type=int, default=0, help="at most this many lines (0: all)")

    freq = command("freq", "word or n-gram frequency list")
    add_query(freq)
    _list_options(freq)
    freq.add_argument("--ngram", type=int, default=1, choices=range(1, MAX_NGRAM + 1))
    freq.add_argument("--min-count", type=int, default=1)

    keywords = command("keywords", "words characteristic of a query's articles (log-likelihood)")
    add_query(keywords, required=True)
    keywords.add_argument(
        "--reference", default=None, help="compare with this query (default: the other articles)"
    )
    keywords.add_argument(
        "--reference-sample",
        type=int,
        default=REFERENCE_SAMPLE,
        help="count a random sample of this many articles of the rest of the library (0: all)",
    )
    _list_options(keywords)
    keywords.add_argument("--min-count", type=int, default=3)
    keywords.add_argument("--min-ll", type=float, default=SIGNIFICANT, help="log-likelihood floor")
    keywords.add_argument("--negative", action="store_true", help="list the negative keywords")


def _list_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--top", type=int, default=50, help="list this many (0: all)")
    parser.add_argument(
        "--stop-words",
        default="",
        metavar="LANGS",
        help="leave out the stop words of these languages (en,de) or of the library's ('auto')",
    )
    parser.add_argument("--format", choices=["text", "csv"], default="text")


def _languages(library: Library, option: str) -> tuple[str, ...]:
    if option.strip().lower() == "auto":
        return tuple(code for code, _ in library.summary().languages if code)
    codes = tuple(primary_language(part) for part in option.split(",") if part.strip())
    stop_words(codes)  # an unknown language is an error before anything is counted
    return codes


class _Progress:
    """Progress of a count on standard error, on a terminal only."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()

    def __call__(self, done: int, total: int, note: str) -> None:
        if self.enabled and total:
            self.stream.write(f"\r{note}: {done:,} of {total:,} articles ")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def kwic(library: Library, args: argparse.Namespace) -> int:
    """``corpusdesk kwic``: lines are printed batch by batch unless they are sorted."""
    keys = parse_sort(args.sort)
    ids = library.term_candidates(args.query, args.term)
    limit = args.limit if args.limit > 0 else None
    emit = _CsvLines(sys.stdout) if args.format == "csv" else _TextLines(sys.stdout, args.width)
    batches = (ids[start : start + KWIC_BATCH] for start in range(0, len(ids), KWIC_BATCH))
    if keys:
        found = [
            line for batch in batches for line in library.concordance(batch, args.term, args.width)
        ]
        emit(sort_lines(found, keys)[:limit])
        return 0
    printed = 0
    for batch in batches:
        lines = library.concordance(batch, args.term, args.width)
        if limit is not None:
            lines = lines[: limit - printed]
        emit(lines)
        printed += len(lines)
        if limit is not None and printed >= limit:
            break
    return 0


class _TextLines:
    def __init__(self, stream: TextIO, width: int) -> None:
        self.stream = stream
        self.width = width

    def __call__(self, lines: Sequence[ConcordanceLine]) -> None:
        for line in lines:
            self.stream.write(format_line(line, self.width) + "\n")


class _CsvLines:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.header = True

    def __call__(self, lines: Sequence[ConcordanceLine]) -> None:
        write_csv(lines, self.stream, header=self.header)
        self.header = False


def freq(library: Library, args: argparse.Namespace) -> int:
    """``corpusdesk freq``."""
    request = FrequencyRequest(
        tuple(library.search_ids(args.query)),
        ngram=args.ngram,
        top=args.top or None,
        stop_languages=_languages(library, args.stop_words),
        min_count=args.min_count,
    )
    progress = _Progress(sys.stderr)
    try:
        result = run_frequency(request, library.iter_analysis_texts, progress)
    finally:
        progress.close()
    print_frequencies(result, args.format, sys.stdout)
    return 0


def print_frequencies(result: FrequencyList, form: str, out: TextIO) -> None:
    """A frequency list as aligned text (with its totals first) or CSV."""
    if form == "csv":
        frequency.write_csv(enumerate(result.rows, 1), out)
        return
    kind = "words" if result.ngram == 1 else f"{result.ngram}-grams"
    out.write(
        f"# {result.tokens:,} words in {result.documents:,} articles; "
        f"{result.types:,} distinct {kind}"
        + (" (rare ones left out: counts are approximate)" if result.approximate else "")
        + "\n"
    )
    out.write(f"{'rank':>5} {'count':>9} {'docs':>7} {'per million':>12}  {kind[:-1]}\n")
    for rank, row in enumerate(result.rows, 1):
        out.write(
            f"{rank:>5} {row.count:>9} {row.documents:>7} {row.per_million:>12.2f}  {row.item}\n"
        )


def keywords(library: Library, args: argparse.Namespace) -> int:
    """``corpusdesk keywords``."""
    target = library.search_ids(args.query)
    if args.reference is None:
        reference, others = rest_of_library(
            library.search_ids(""), target, args.reference_sample or None
        )
        described = f"the rest of the library ({others:,} articles" + (
            f", a random sample of {len(reference):,})" if len(reference) < others else ")"
        )
    else:
        reference = tuple(library.search_ids(args.reference))
        described = f"'{args.reference}' ({len(reference):,} articles)"
    request = KeywordRequest(
        tuple(target),
        reference,
        top=args.top or None,
        stop_languages=_languages(library, args.stop_words),
        min_count=args.min_count,
        min_log_likelihood=args.min_ll,
        negative=args.negative,
    )
    progress = _Progress(sys.stderr)
    try:
        result = run_keywords(request, library.iter_analysis_texts, progress)
    finally:
        progress.close()
    print_keywords(result, described, args.format, sys.stdout)
    return 0


def print_keywords(result: KeywordList, reference: str, form: str, out: TextIO) -> None:
    """A keyword list as aligned text (with what it compares first) or CSV."""
    if form == "csv":
        keyness.write_csv(enumerate(result.rows, 1), out)
        return
    kind = "negative" if result.negative else "positive"
    out.write(
        f"# {kind} keywords of {result.documents:,} articles ({result.tokens:,} words) against "
        f"{reference}, {result.reference_tokens:,} words\n"
    )
    out.write(f"{'rank':>5} {'LL':>10} {'log ratio':>9} {'count':>8} {'ref count':>9}  word\n")
    for rank, row in enumerate(result.rows, 1):
        out.write(
            f"{rank:>5} {row.log_likelihood:>10.2f} {row.log_ratio:>9.2f} {row.count:>8} "
            f"{row.reference_count:>9}  {row.item}\n"
        )


def print_summary(summary: LibrarySummary, out: TextIO) -> None:
    """The lines ``corpusdesk stats`` adds to the counts."""
    first = summary.first_date.isoformat() if summary.first_date else "-"
    last = summary.last_date.isoformat() if summary.last_date else "-"
    out.write(f"published:        {first} to {last} ({summary.undated:,} undated)\n")
    out.write(
        f"in duplicate groups: {summary.articles_in_duplicate_groups:,} articles "
        f"in {summary.duplicate_groups:,} groups\n"
    )
    for title, pairs in (
        ("languages", summary.languages),
        ("top sites", summary.sites),
        ("top authors", summary.authors),
    ):
        out.write(f"{title}:\n")
        for name, count in pairs:
            out.write(f"  {count:>9,}  {name or '(unknown)'}\n")


COMMANDS: dict[str, Callable[[Library, argparse.Namespace], int]] = {
    "kwic": kwic,
    "freq": freq,
    "keywords": keywords,
}
