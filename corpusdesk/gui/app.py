"""Starting the desktop app: the QApplication, the crash hook and the first library.

The application uses the Fusion style with the system's light or dark palette
(:mod:`corpusdesk.gui.theme`); Qt scales it to the screen's pixel density by itself, and
the window sizes what it draws from its fonts, so it scales with them.

``run_app`` is what ``corpusdesk`` with no subcommand calls. An exception that escapes a slot
reaches :func:`install_excepthook`'s hook, which shows the crash dialog (with the traceback
and a Copy button) and lets the app go on running.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from corpusdesk.core.errors import UserError
from corpusdesk.core.locations import LibraryLocation
from corpusdesk.core.paths import LIBRARY_ENV, default_library_path
from corpusdesk.gui import settings, startup, theme
from corpusdesk.gui.icons import app_icon
from corpusdesk.gui.library_client import LibraryProcess
from corpusdesk.gui.main_window import MainWindow

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook(window: MainWindow) -> ExceptHook:
    """Route uncaught exceptions to the window's crash dialog; returns the previous hook."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        if isinstance(error, UserError):
            window.show_user_error(error)
        else:  # the crash dialog writes the details to the log
            window.show_crash(f"{kind.__name__}: {error}", details)

    sys.excepthook = hook
    return previous


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, named for QSettings, with the Fusion style and the app icon."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    settings.configure()
    QApplication.setApplicationDisplayName("corpusdesk")
    QApplication.setDesktopFileName("corpusdesk")
    app.setStyle("Fusion")
    app.setWindowIcon(app_icon())
    theme.follow_color_scheme()
    return app


def run_app(
    library: LibraryLocation | None,
    *,
    files_to_import: Sequence[Path] = (),
    quit_after: float | None = None,
) -> int:
    """Open the main window on ``library`` (a file or a team library; by default the last
    or the default library); the exit code.

    ``files_to_import`` are imported once the library is open; ``quit_after`` closes the
    window after that many seconds (see :mod:`corpusdesk.gui.startup`).
    """
    # Before the QApplication exists no thread runs, so the library process can be forked.
    library_process = LibraryProcess.started_early()
    app = create_application()
    window = MainWindow(library_process=library_process)
    previous_hook = install_excepthook(window)
    first_run = startup.is_first_run(window.store)
    location = library
    if location is None and not os.environ.get(LIBRARY_ENV):
        location = settings.last_library(window.store)
    location = location or default_library_path()
    if isinstance(location, Path):
        with contextlib.suppress(OSError):
            location.parent.mkdir(parents=True, exist_ok=True)
    window.show()
    if window.open_library_path(location):
        if first_run and isinstance(location, Path):
            startup.show_first_run_banner(window, location)
        startup.import_files(window, files_to_import)
    if quit_after is not None:
        startup.quit_after(window, quit_after)
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
