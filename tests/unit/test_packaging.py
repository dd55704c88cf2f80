"""The packaging files: desktop entry and metainfo valid, names agreeing, the wheel complete."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from corpusdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / "corpusdesk.desktop"
METAINFO = PACKAGING / "io.github.corpusdesk.corpusdesk.metainfo.xml"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return path


def test_the_desktop_entry_is_valid_and_opens_web_pages_and_archives() -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    entry = DESKTOP.read_text(encoding="utf-8")
    assert "Exec=corpusdesk %F" in entry
    mime_types = re.search(r"^MimeType=(.*)$", entry, re.M)
    assert mime_types is not None
    assert set(mime_types.group(1).strip(";").split(";")) == {
        "text/html",
        "application/xhtml+xml",
        "multipart/related",
        "application/x-mimearchive",
    }


def test_the_metainfo_is_valid_and_describes_this_version() -> None:
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "I:" not in result.stdout and "W:" not in result.stdout, result.stdout
    metainfo = METAINFO.read_text(encoding="utf-8")
    assert f'<release version="{__version__}"' in metainfo
    assert '<launchable type="desktop-id">corpusdesk.desktop</launchable>' in metainfo
    assert '<screenshot type="default">' in metainfo


def test_one_identifier_for_appstream_and_the_macos_bundle() -> None:
    identifier = METAINFO.name.removesuffix(".metainfo.xml")
    assert f"<id>{identifier}</id>" in METAINFO.read_text(encoding="utf-8")
    assert f'BUNDLE_ID = "{identifier}"' in (PACKAGING / "corpusdesk.spec").read_text("utf-8")
    for script in ("install.sh", "uninstall.sh", "build_dist.py"):
        assert identifier in (PACKAGING / script).read_text(encoding="utf-8"), script


def test_the_install_scripts_are_posix_shell() -> None:
    for script in ("install.sh", "uninstall.sh"):
        subprocess.run(["sh", "-n", str(PACKAGING / script)], check=True)
        assert (PACKAGING / script).stat().st_mode & 0o111, f"{script} is not executable"


def test_the_wheel_holds_the_migrations_resources_and_user_guide(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), ROOT],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("corpusdesk-*.whl")
    assert wheel.name.startswith(f"corpusdesk-{__version__}-py3-none-any")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "corpusdesk/__main__.py",
        "corpusdesk/library/migrations/env.py",
        "corpusdesk/library/migrations/script.py.mako",
        "corpusdesk/resources/manual.html",
        "corpusdesk/resources/article.schema.json",
        "corpusdesk/resources/corpusdesk.svg",
        "corpusdesk/resources/corpusdesk.png",
    ):
        assert needed in names, needed
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "corpusdesk").rglob("*.py")}
    assert modules <= names, f"modules left out of the wheel: {sorted(modules - names)}"
    migrations = [n for n in names if n.startswith("corpusdesk/library/migrations/versions/")]
    assert len([n for n in migrations if n.endswith(".py") and "/0" in n]) >= 4
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "corpusdesk = corpusdesk.__main__:main" in text
