"""The layering rule, checked: nothing outside corpusdesk.gui pulls in Qt."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import corpusdesk


def _non_gui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(corpusdesk.__path__, "corpusdesk."):
        if info.name.startswith(("corpusdesk.gui", "corpusdesk.library.migrations")):
            continue
        names.append(info.name)
    return names


def test_core_layers_import_without_qt() -> None:
    modules = _non_gui_modules()
    assert "corpusdesk.cli" in modules and "corpusdesk.importing.pipeline" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_opening_a_library_and_the_window_leave_out_the_worker_libraries() -> None:
    """The signature library pulls in scipy (0.8 s, 60 MB): only import workers need it."""
    script = (
        "import sys\n"
        "import corpusdesk.library.library, corpusdesk.cli, corpusdesk.gui.main_window\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'datasketch', 'scipy'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_window_s_controllers_do_not_import_the_window() -> None:
    """Each controller is given the few methods of the window it calls (a Protocol)."""
    gui = Path(corpusdesk.__file__).parent / "gui"
    for name in ("actions.py", "tagging.py", "transfers.py", "help.py", "editing.py"):
        tree = ast.parse((gui / name).read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module is not None
        } | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "corpusdesk.gui.main_window" not in imported, name
