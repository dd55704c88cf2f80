"""Build the self-contained app: ``make dist`` runs ``python packaging/build_dist.py``.

1. Builds corpusdesk's wheel and unpacks it into ``build/dist-source``: the app is made from
   the package exactly as ``pip install`` gets it (see the spec for why).
2. Runs PyInstaller on ``packaging/corpusdesk.spec``: ``dist/corpusdesk/`` (on macOS also
   ``dist/corpusdesk.app``).
3. On Linux, makes ``dist/corpusdesk-VERSION-linux-ARCH.tar.gz``: the app folder with
   ``install.sh``, ``uninstall.sh``, the desktop entry, the AppStream metainfo and the icons.
   Elsewhere, a zip of the app.

Prints the build time and the app folder's size, and fails when the folder is larger than
:data:`MAX_APP_MB`.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
SOURCE = BUILD / "dist-source"
APP_NAME = "corpusdesk"
MAX_APP_MB = 400
METAINFO = "io.github.corpusdesk.corpusdesk.metainfo.xml"


def version() -> str:
    """The version in ``corpusdesk/__init__.py``, read without importing the package."""
    for line in (ROOT / "corpusdesk" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("no __version__ in corpusdesk/__init__.py")


def run(command: list[str], **kwargs: object) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def unpacked_wheel() -> Path:
    """Build the wheel and unpack it into :data:`SOURCE`; returns the wheel."""
    wheels = BUILD / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)]
    )
    (wheel,) = wheels.glob("corpusdesk-*.whl")
    shutil.rmtree(SOURCE, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(SOURCE)
    return wheel


def pyinstaller() -> None:
    environment = dict(os.environ, CORPUSDESK_SOURCE=str(SOURCE), PYTHONPATH=str(SOURCE))
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(PACKAGING / "corpusdesk.spec"),
        ],
        env=environment,
    )


def folder_size(folder: Path) -> int:
    """Bytes in the files under ``folder`` (links not followed)."""
    return sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file())


def glibc_needed(app: Path) -> str:
    """The newest glibc symbol version any program or library in the app asks for (Linux).

    The app runs on systems whose glibc is at least this: build on the oldest one to support.
    """
    newest = (0, 0)
    for path in app.rglob("*"):
        if not path.is_file() or not (
            path.suffix == ".so" or ".so." in path.name or path == app / APP_NAME
        ):
            continue
        symbols = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True)
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", symbols.stdout):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}"


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Files in the tarball belong to nobody in particular (the user unpacking it)."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def linux_tarball(app: Path, release: str) -> Path:
    """The tarball users download: the app, its install scripts and desktop files."""
    top = f"{APP_NAME}-{release}"
    tarball = DIST / f"{top}.tar.gz"
    shared = {
        "install.sh": PACKAGING / "install.sh",
        "uninstall.sh": PACKAGING / "uninstall.sh",
        "README.txt": PACKAGING / "README.txt",
        "share/applications/corpusdesk.desktop": PACKAGING / "corpusdesk.desktop",
        f"share/metainfo/{METAINFO}": PACKAGING / METAINFO,
        "share/icons/hicolor/scalable/apps/corpusdesk.svg": ROOT / "resources/corpusdesk.svg",
        "share/icons/hicolor/256x256/apps/corpusdesk.png": ROOT / "resources/corpusdesk.png",
    }
    with tarfile.open(tarball, "w:gz", compresslevel=6) as archive:
        for name, source in shared.items():
            archive.add(source, f"{top}/{name}", filter=_anonymous)
        archive.add(app, f"{top}/{APP_NAME}", filter=_anonymous)
    return tarball


def main() -> int:
    release = version()
    arch = platform.machine().lower() or "unknown"
    started = time.monotonic()
    wheel = unpacked_wheel()
    print(f"wheel: {wheel.relative_to(ROOT)}")
    pyinstaller()
    built = time.monotonic() - started
    app = DIST / APP_NAME
    size_mb = folder_size(app) / 1e6
    if sys.platform.startswith("linux"):
        print(f"runs on Linux with glibc {glibc_needed(app)} or newer")
        archive = linux_tarball(app, f"{release}-linux-{arch}")
    else:
        bundle = DIST / f"{APP_NAME}.app" if sys.platform == "darwin" else app
        system = "macos" if sys.platform == "darwin" else "windows"
        base = DIST / f"{APP_NAME}-{release}-{system}-{arch}"
        archive = Path(shutil.make_archive(str(base), "zip", DIST, bundle.name))
    total = time.monotonic() - started
    print(f"build time: {built:.0f} s (with the archive: {total:.0f} s)")
    print(f"app folder: {app.relative_to(ROOT)}, {size_mb:.0f} MB (limit {MAX_APP_MB} MB)")
    print(f"archive: {archive.relative_to(ROOT)}, {archive.stat().st_size / 1e6:.0f} MB")
    if size_mb > MAX_APP_MB:
        print(f"the app folder is larger than {MAX_APP_MB} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
