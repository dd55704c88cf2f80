"""The command line: import, search, tag, export and stats without the GUI.

``corpusdesk [--library PATH] SUBCOMMAND …``; with no subcommand the desktop app opens on the
library, and ``corpusdesk FILE…`` (what a file manager's "Open with" runs) opens it and imports
those files. A query may be given as several arguments (they are joined with spaces), and its
words may begin with ``-`` as in the filter bar: ``corpusdesk search war -ceasefire``. Errors
the user can act on print one line and exit with status 2; an import exits 1 when any file
failed. ``backups`` and ``restore`` work on the file without opening it, so they
also serve a library that no longer opens.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from corpusdesk import __version__, cli_analysis
from corpusdesk.core.errors import UserError
from corpusdesk.core.locations import LibraryLocation, ServerAddress, parse_location
from corpusdesk.core.names import escape_field
from corpusdesk.core.paths import LIBRARY_ENV, default_library_path
from corpusdesk.core.records import FileResult, ImportProgress, ImportReport, Outcome
from corpusdesk.core.wording import plural
from corpusdesk.exporting.formats import ExportFormat, ExportOptions, OnePerGroup, parse_fields
from corpusdesk.exporting.records import FIELDS
from corpusdesk.exporting.target import is_stream
from corpusdesk.exporting.writer import export_articles
from corpusdesk.importing.pipeline import run_import
from corpusdesk.importing.reclean import reclean
from corpusdesk.library.articles import SortKey
from corpusdesk.library.dialects.sqlite_backups import list_backups, restore_backup
from corpusdesk.library.library import Library
from corpusdesk.library.server import init_team
from corpusdesk.library.transfer import CopyProgress, copy_library

EXIT_USER_ERROR = 2
STANDARD_OUTPUT = Path("/dev/stdout")
"""Where ``-o -`` writes: the exporter takes this name for the process's own descriptor 1."""
VALUE_OPTIONS = ("--library", "--quit-after")
"""Options before the subcommand that take a value (the next argument)."""
QUERY_COMMANDS = ("search", "tag", "export", "reclean", *cli_analysis.QUERY_COMMANDS)
"""Subcommands whose last arguments are a query."""
QUERY_COMMAND_OPTIONS = {"-h": False, "-o": True}
"""The short options of those subcommands, and whether each takes a value. Any other argument
starting with a single ``-`` is a word of the query (``-war``, ``-tag:x``)."""
QUERY_COMMAND_VALUE_OPTIONS = (
    "--limit",
    "--sort",
    "--format",
    "--output",
    "--library",
    "--fields",
    "--one-per-group",
    *cli_analysis.VALUE_OPTIONS,
)
"""Their long options that take a value (the next argument, unless given as ``--name=value``)."""

log = logging.getLogger(__name__)


QUERY_HELP = """\
query language (words and phrases search titles and texts; AND is implied):
  ceasefire talks              both words
  "war council"  "war coun*"   the phrase; the phrase with its last word a prefix
  negotiat*                    words starting with negotiat
  tag:gaza  tag:"op-ed"        articles with that tag (any letter case)
  site:chronicle  author:farook  title:hamas
                               part of the site name, an author, the title
  lang:en                      language (en also matches en-US)
  date:2023  date:2023-12  date:>=2023-12-01  date:2023-01-01..2023-06-30
                               published that year or month, from, before, between
  words:>500  words:100..300   word count
  is:duplicate  is:untagged    in a group of copies (republications); without tags
  a OR b   NOT a   -a   (a OR b) c
                               boolean logic: NOT binds tighter than AND, AND than OR
Words and fields ignore letter case and the accents of Latin letters. An empty query (or
none) means every article.
"""


def location_argument(text: str) -> LibraryLocation:
    """A library file's path or a team library's ``postgresql://`` URL, from the command line."""
    try:
        return parse_location(text)
    except UserError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def server_argument(text: str) -> ServerAddress:
    """A team library's ``postgresql://`` URL, from the command line."""
    location = location_argument(text)
    if not isinstance(location, ServerAddress):
        raise argparse.ArgumentTypeError(f"not a postgresql:// URL: {text}")
    return location


def _library_option(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """``--library``, accepted before the subcommand and after it."""
    parser.add_argument(
        "--library",
        type=location_argument,
        metavar="PATH|URL",
        # After the subcommand, an option left out must not undo one given before it.
        default=argparse.SUPPRESS if suppress else None,
        help="library file, or team library as postgresql://USER@HOST[:PORT]/DATABASE "
        f"(default: ${LIBRARY_ENV} or {default_library_path()})",
    )


def _add_query(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "query",
        nargs="+" if required else "*",
        metavar="QUERY",
        help="the query; several arguments are joined with spaces, and a word starting "
        "with - leaves out what it matches (-war, -tag:x)"
        + ("" if required else "; leave it out for every article"),
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``corpusdesk`` command."""
    parser = argparse.ArgumentParser(
        prog="corpusdesk",
        description="A desktop corpus manager for saved news articles. "
        "Run without a subcommand to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"corpusdesk {__version__}")
    _library_option(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _library_option(common, suppress=True)
    # For automated checks of the app, the packaged one included: close the window after
    # SECONDS, once no import or export is running.
    parser.add_argument("--quit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")

    def command(name: str, help_text: str, **options: Any) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, parents=[common], **options)

    importer = command("import", "import saved pages, archives and folders (recursively)")
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    importer.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: all cores)"
    )
    importer.add_argument("--quiet", action="store_true", help="no progress bar")
    importer.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="append a line per file to FILE as soon as its outcome is saved "
        "(outcome, article id, path, reason; tab-separated)",
    )

    search = command(
        "search",
        "list the articles matching a query",
        description="List the articles matching QUERY: id, date, site and title.",
        epilog=QUERY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_query(search)
    search.add_argument("--limit", type=int, default=50, help="at most this many (0: all)")
    search.add_argument(
        "--sort",
        choices=[key.value for key in SortKey],
        default=SortKey.RELEVANCE.value,
        help="order: relevance (best first, the default), published (newest first), "
        "or by a column, A to Z",
    )
    search.add_argument("--reverse", action="store_true", help="the other way round")
    search.add_argument("--count", action="store_true", help="print only the number of matches")

    tag = command("tag", "add or remove a tag on the articles matching a query")
    tag.add_argument("action", choices=["add", "remove"])
    tag.add_argument("tag")
    _add_query(tag, required=True)

    command("tags", "list tags with their article counts")
    command("stats", "summarise the library")

    reclean = command(
        "reclean", "re-extract matching articles from their originals with current rules"
    )
    _add_query(reclean)
    reclean.add_argument("--quiet", action="store_true", help="no progress bar")

    export = command("export", "export matching articles to JSON, JSONL, CSV, Parquet or CSL-JSON")
    _add_query(export)
    export.add_argument(
        "--format",
        choices=[f.value for f in ExportFormat],
        default=None,
        help="default: from the file's extension (.json, .csv, .parquet, .csl.json; else jsonl)",
    )
    export.add_argument(
        "--bom", action="store_true", help="begin a CSV file with a byte order mark, for Excel"
    )
    export.add_argument(
        "--fields",
        metavar="A,B,C",
        help=f"write only these fields, in this order (of: {', '.join(FIELDS)})",
    )
    export.add_argument(
        "--one-per-group",
        choices=[keep.value for keep in OnePerGroup],
        default=None,
        help="keep one article of each duplicate group: the earliest or the longest",
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="the file to write (replaced when complete), or - for standard output",
    )

    cli_analysis.add_parsers(command, _add_query)

    copy = commands.add_parser(
        "copy",
        help="copy a whole library into a new file or an empty team library, and verify it",
        description="Copy everything a library holds (articles and their originals, tags, "
        "saved searches, groups of copies, template counts, import history) into a new "
        "library file or an empty database on a PostgreSQL server, between any two kinds, "
        "then check that the copy reads back the same. A server's database must exist.",
    )
    copy.add_argument("source", type=location_argument, metavar="SRC", help="path or URL")
    copy.add_argument("destination", type=location_argument, metavar="DST", help="path or URL")
    copy.add_argument("--quiet", action="store_true", help="no progress bar")

    team = commands.add_parser("team", help="set up a team library on a PostgreSQL server")
    team_commands = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    team_init = team_commands.add_parser(
        "init",
        help="create the library's schema and its editor and reader roles",
        description="Create a team library in an existing database (run as its owner or a "
        "superuser) and two roles: DATABASE_editors (import, tag, edit, delete) and "
        "DATABASE_readers (browse, search, export). Colleagues are given one of them.",
    )
    team_init.add_argument(
        "url", type=server_argument, metavar="URL", help="postgresql://USER@HOST/DATABASE"
    )

    command("backups", "list the library's automatic backups, newest first")
    restore = command(
        "restore", "put an automatic backup in place of the library (the current file is kept)"
    )
    restore.add_argument(
        "backup", nargs="?", type=Path, help="a file listed by 'backups' (default: the newest)"
    )
    return parser


class ProgressBar:
    """A one-line progress bar on a terminal; silent when the stream is not a terminal."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()

    def __call__(self, progress: ImportProgress) -> None:
        if not self.enabled or progress.total == 0:
            return
        width = max(10, min(40, shutil.get_terminal_size().columns - 50))
        filled = width * progress.done // progress.total
        bar = "#" * filled + "." * (width - filled)
        name = escape_field(progress.current)[-30:]
        self.stream.write(f"\r[{bar}] {progress.done}/{progress.total} {name:<30}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def print_report(report: ImportReport, out: TextIO) -> None:
    """The end-of-import summary with one line per failed file (names escaped as in the log)."""
    for result in report.results:
        if result.outcome is Outcome.FAILED:
            out.write(f"failed: {escape_field(result.path)}: {escape_field(result.reason)}\n")
    out.write(f"{report.summary()}\n")


class ImportLog:
    """The ``--log`` file: one tab-separated line per file, written once its outcome is saved.

    The path and the reason are escaped (``corpusdesk.core.names.escape_field``), so a name
    holding tabs, newlines or bytes that are not UTF-8 still makes one line of four fields.

    Imported files are logged batch by batch right after their batch is committed, so after a
    crash or a kill every ``imported`` line names an article that is in the library. Files that
    failed or were skipped as duplicates before reaching the library are logged at the end.
    """

    def __init__(self, path: Path | None) -> None:
        self.stream: TextIO | None = None
        self.logged: set[int] = set()
        if path is not None:
            try:
                self.stream = path.open("a", encoding="utf-8")
            except OSError as error:
                raise UserError(f"cannot write the log {path}: {error.strerror or error}") from None

    def write(self, results: Sequence[FileResult]) -> None:
        """Append these results and hand them to the operating system at once."""
        if self.stream is None:
            return
        for result in results:
            if id(result) in self.logged:
                continue
            self.logged.add(id(result))
            reason = escape_field(" ".join(result.reason.split()))
            article = "" if result.article_id is None else str(result.article_id)
            path = escape_field(result.path)
            self.stream.write(f"{result.outcome.value}\t{article}\t{path}\t{reason}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def _import(library: Library, args: argparse.Namespace) -> int:
    bar = ProgressBar(sys.stderr, not args.quiet)
    log = ImportLog(args.log)
    try:
        report = run_import(
            library, args.paths, progress=bar, workers=args.workers, on_committed=log.write
        )
        log.write(report.results)
    finally:
        bar.close()
        log.close()
    library.save_import_report(report)
    print_report(report, sys.stdout)
    return 1 if report.failed else 0


def _search(library: Library, args: argparse.Namespace) -> int:
    if args.count:
        print(library.count(args.query))
        return 0
    limit = args.limit if args.limit > 0 else None
    # Newest first by date; best first by relevance (which is the library's ascending order).
    descending = (args.sort == SortKey.PUBLISHED) != args.reverse
    shown = library.search_ids(
        args.query, sort=SortKey(args.sort), descending=descending, limit=limit
    )
    rows = library.rows(shown)
    for article_id in shown:
        row = rows[article_id]
        date = row.published.isoformat() if row.published else "----------"
        print(f"{row.id:>7}  {date}  {row.site_name[:24]:<24}  {row.title}")
    more = library.count(args.query) - len(shown) if len(shown) == limit else 0
    if more > 0:
        print(f"… {more} more (use --limit 0 to list all)")
    return 0


def _tag(library: Library, args: argparse.Namespace) -> int:
    ids = library.search_ids(args.query)
    if args.action == "add":
        changed = library.add_tag(ids, args.tag)
        print(f"tagged {plural(len(changed), 'article')} with {args.tag!r} ({len(ids)} matched)")
    else:
        changed = library.remove_tag(ids, args.tag)
        print(f"removed {args.tag!r} from {plural(len(changed), 'article')} ({len(ids)} matched)")
    return 0


def _tags(library: Library, _args: argparse.Namespace) -> int:
    tags = library.tags()
    if not tags:
        print("there are no tags yet; add one with: corpusdesk tag add TAG QUERY")
    for tag in tags:
        print(f"{tag.count:>7}  {tag.name}")
    return 0


def shown(path: Path) -> str:
    """``path`` for printing: bytes of its name that are not UTF-8 are shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def shown_location(location: LibraryLocation) -> str:
    """A library's location for printing (a server URL never shows a password)."""
    return shown(location) if isinstance(location, Path) else str(location)


def _stats(library: Library, _args: argparse.Namespace) -> int:
    stats = library.stats()
    print(f"library:          {shown_location(library.location)}")
    print(f"articles:         {stats.articles}")
    print(f"in trash:         {stats.trashed}")
    print(f"words:            {stats.words}")
    print(f"sites:            {stats.sites}")
    print(f"tags:             {stats.tags}")
    print(f"groups of copies: {stats.duplicate_groups}")
    size_label = "file size:" if library.is_file else "size on server:"
    print(f"{size_label:<18}{stats.file_size / 1048576:.1f} MB")
    cli_analysis.print_summary(library.summary(), sys.stdout)
    return 0


def _export(library: Library, args: argparse.Namespace) -> int:
    ids = library.search_ids(args.query)
    output = STANDARD_OUTPUT if str(args.output) == "-" else args.output
    if not ids:
        what = f"nothing matches {args.query!r}" if args.query else "the library is empty"
        print(f"corpusdesk: {what}; nothing was exported", file=sys.stderr)
        return 1
    fmt = ExportFormat(args.format) if args.format else None
    options = ExportOptions(
        fields=parse_fields(args.fields) if args.fields is not None else None,
        bom=args.bom,
        one_per_group=OnePerGroup(args.one_per_group) if args.one_per_group else None,
    )
    own_file = library.path if library.is_file else None
    count = export_articles(library, ids, output, fmt, library=own_file, options=options)
    # Exported onto standard output, the summary must not end up among the records.
    summary = sys.stderr if is_stream(output) else sys.stdout
    where = "standard output" if output == STANDARD_OUTPUT else shown(output)
    print(f"exported {plural(count, 'article')} to {where}", file=summary)
    return 0


def _reclean(library: Library, args: argparse.Namespace) -> int:
    ids = library.search_ids(args.query)
    bar = ProgressBar(sys.stderr, not args.quiet)
    try:
        report = reclean(library, ids, progress=bar)
    finally:
        bar.close()
    print(report.summary())
    return 1 if report.failures else 0


def _backups(path: Path, _args: argparse.Namespace) -> int:
    backups = list_backups(path)
    if not backups and not path.exists():
        raise UserError(f"no library at {path}")
    if not backups:
        print(f"no automatic backups of {shown(path)}")
    for backup in backups:
        size = backup.stat().st_size / 1048576
        print(f"{shown(backup)}  ({size:.1f} MB)")
    return 0


def _restore(path: Path, args: argparse.Namespace) -> int:
    backups = list_backups(path)
    backup = args.backup or (backups[0] if backups else None)
    if backup is None:
        raise UserError(f"there is no automatic backup of {path} to restore")
    if not Path(backup).is_file():
        raise UserError(f"no backup file at {backup}")
    kept = restore_backup(path, backup)
    print(f"restored {shown(path)} from {shown(backup)}")
    if kept is not None:
        print(f"the file it replaced is kept as {shown(kept)}")
    return 0


def _copy(args: argparse.Namespace) -> int:
    source_location: LibraryLocation = args.source
    destination_location: LibraryLocation = args.destination
    if _same_library(source_location, destination_location):
        raise UserError("the source and the destination are the same library")
    with (
        Library.open(source_location, create=False) as source,
        Library.open(destination_location) as destination,
    ):
        bar = ProgressBar(sys.stderr, not args.quiet)

        def show(progress: CopyProgress) -> None:
            bar(ImportProgress(progress.done, progress.total, progress.stage))

        try:
            report = copy_library(source, destination, progress=show)
        finally:
            bar.close()
    print(f"copied {shown_location(source_location)} to {shown_location(destination_location)}")
    for table, rows in report.rows.items():
        print(f"  {table.replace('_', ' '):<16} {rows:>9,}")
    if report.nul_replaced:
        print(
            f"{plural(report.nul_replaced, 'text field')} held NUL characters, which the server "
            "cannot store: they were stored as U+FFFD"
        )
    print(f"verified: row counts and contents match (SHA-256 {report.digest[:16]}…)")
    return 0


def _same_library(first: LibraryLocation, second: LibraryLocation) -> bool:
    if isinstance(first, Path) and isinstance(second, Path):
        return first.exists() and second.exists() and first.samefile(second)
    return first == second


def _team(args: argparse.Namespace) -> int:
    address: ServerAddress = args.url
    roles = init_team(address)
    print(f"{address.title} is a team library; its roles:")
    print(f"  {roles.editors:<24} import, tag, edit and delete")
    print(f"  {roles.readers:<24} browse, search and export")
    print("Give a colleague access with one of (as the database's owner, e.g. in psql):")
    print(f"  GRANT {roles.editors} TO alice;")
    print(f"  GRANT {roles.readers} TO bob;")
    print("A colleague without a login yet: CREATE ROLE alice LOGIN PASSWORD '…';")
    return 0


LIBRARY_PAIR_COMMANDS = {"copy": _copy, "team": _team}
"""Commands that name the libraries they work on themselves (not through ``--library``)."""

FILE_COMMANDS = {"backups": _backups, "restore": _restore}
"""Commands that work on the library file without opening it."""

COMMANDS = {
    "import": _import,
    "search": _search,
    "tag": _tag,
    "tags": _tags,
    "stats": _stats,
    "export": _export,
    "reclean": _reclean,
    **cli_analysis.COMMANDS,
}


def _first_positional(arguments: Sequence[str]) -> int:
    """Where the first argument that is not a global option (nor its value) stands."""
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        if argument in VALUE_OPTIONS:
            index += 2
        elif argument.startswith("-"):
            index += 1
        else:
            break
    return index


def split_files_to_open(argv: Sequence[str]) -> tuple[list[str], list[Path]]:
    """``corpusdesk [OPTIONS] FILE…``: the options, and the files to open in the app.

    Files are existing paths where a subcommand would stand; a subcommand's name always
    means the subcommand. Anything else is left for the parser (and its error messages).
    """
    arguments = list(argv)
    index = _first_positional(arguments)
    rest = arguments[index:]
    if (
        not rest
        or rest[0] in COMMANDS
        or rest[0] in FILE_COMMANDS
        or rest[0] in LIBRARY_PAIR_COMMANDS
    ):
        return arguments, []
    if not all(Path(name).exists() for name in rest):
        return arguments, []
    return arguments[:index], [Path(name).absolute() for name in rest]


def shield_query_words(arguments: Sequence[str]) -> list[str]:
    """``arguments`` with the query words that begin with ``-`` kept from being read as options.

    argparse takes any argument starting with ``-`` for an option, so ``corpusdesk search
    -war`` would be refused. After a query subcommand, every argument starting with a single
    ``-`` that is not one of its short options (nor the value of an option) gets a leading
    space, which argparse leaves alone and the query language skips. After ``--`` nothing is
    changed; long options (``--limit``) stay options, so a mistyped one is still an error.
    """
    shielded = list(arguments)
    index = _first_positional(shielded)
    if index >= len(shielded) or shielded[index] not in QUERY_COMMANDS:
        return shielded
    takes_value = False
    for position in range(index + 1, len(shielded)):
        argument = shielded[position]
        if takes_value:
            takes_value = False
        elif argument == "--":
            break
        elif argument.startswith("--"):
            takes_value = argument in QUERY_COMMAND_VALUE_OPTIONS
        elif argument in QUERY_COMMAND_OPTIONS:
            takes_value = QUERY_COMMAND_OPTIONS[argument]
        elif argument.startswith("-") and len(argument) > 1:
            shielded[position] = " " + argument
    return shielded


def _open_gui(
    library: LibraryLocation | None, files: list[Path], quit_after: float | None = None
) -> int:
    try:
        from corpusdesk.gui.app import run_app
    except ImportError as error:
        print(f"corpusdesk: error: the desktop app cannot start: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    status: int = run_app(library, files_to_import=files, quit_after=quit_after)
    return status


def _chosen_library(args: argparse.Namespace) -> LibraryLocation | None:
    """The library ``--library`` or ``$CORPUSDESK_LIBRARY`` names (None: the default one)."""
    if args.library is not None:
        chosen: LibraryLocation = args.library
        return chosen
    named = os.environ.get(LIBRARY_ENV)
    return parse_location(named) if named else None


def main(argv: Sequence[str]) -> int:
    """Run the CLI; returns the process exit status."""
    options, files = split_files_to_open(argv)
    args = build_parser().parse_args(shield_query_words(options))
    if isinstance(getattr(args, "query", None), list):
        args.query = " ".join(args.query)
    try:
        location = _chosen_library(args)
        if args.command is None:
            return _open_gui(location, files, args.quit_after)
        if args.command in LIBRARY_PAIR_COMMANDS:
            return LIBRARY_PAIR_COMMANDS[args.command](args)
        if args.command in FILE_COMMANDS:
            if location is not None and not isinstance(location, Path):
                raise UserError(
                    f"{args.command} works on library files; {location} is a team library, "
                    "backed up by its server (pg_dump)"
                )
            return FILE_COMMANDS[args.command](location or default_library_path(), args)
        # Only an import makes a new library: a mistyped path to anything else is an error.
        create = args.command == "import"
        with Library.open(location, create=create) as library:
            return COMMANDS[args.command](library, args)
    except UserError as error:
        log.warning("%s: %s", args.command, error)
        print(f"corpusdesk: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("corpusdesk: interrupted", file=sys.stderr)
        return 130
