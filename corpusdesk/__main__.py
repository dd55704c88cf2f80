"""``python -m corpusdesk``, the ``corpusdesk`` command and the packaged app's entry point.

With no subcommand the GUI opens, otherwise the CLI runs. The packaged (frozen) app starts its
fork server, resource tracker and spawned workers by running its own executable again:
:func:`multiprocessing.freeze_support` recognises those runs and turns them into the helper
they are meant to be before anything else happens. Outside a frozen app it does nothing.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    """Open the GUI when no subcommand is given, otherwise run the CLI."""
    multiprocessing.freeze_support()
    from corpusdesk import __version__, cli
    from corpusdesk.core.logs import start_logging

    arguments = sys.argv[1:] if argv is None else argv
    start_logging()
    log = logging.getLogger("corpusdesk")
    log.info("corpusdesk %s started: %s", __version__, " ".join(arguments) or "(the app)")
    try:
        return cli.main(arguments)
    except Exception:
        log.exception("corpusdesk stopped on an unexpected error")
        raise


if __name__ == "__main__":
    sys.exit(main())
