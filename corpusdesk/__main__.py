"""``python -m corpusdesk`` and the ``corpusdesk`` command: the GUI, or a CLI subcommand."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Open the GUI when no subcommand is given, otherwise run the CLI."""
    from corpusdesk import cli

    return cli.main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
