"""The packaged app as a user gets it: unpacked, installed and run with no Python around.

``make dist`` builds ``dist/corpusdesk-VERSION-linux-ARCH.tar.gz``; these tests unpack it in a
temporary folder outside the source tree, run its ``install.sh`` for a made-up home folder (with
a space in its name), and run the installed app with a clean environment (``env -i``: only
HOME, PATH=/usr/bin:/bin and, for the window, QT_QPA_PLATFORM), so nothing of the development
environment can stand in for something missing from the bundle. ``make dist-test`` (part of
``make test``) runs them; without the tarball they are skipped.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import tarfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from corpusdesk import __version__
from tests.mhtml import web_archive
from tests.postgres import TestServer
from tests.scripts_corpus import BANGKOK, BEIJING
from tests.scripts_corpus import write_pages as write_script_pages

ROOT = Path(__file__).resolve().parents[2]
TARBALL = ROOT / "dist" / f"corpusdesk-{__version__}-linux-{platform.machine().lower()}.tar.gz"
SEED = ROOT.parent / "shared" / "seed"
SCHEMA = ROOT / "resources" / "article.schema.json"
MAX_APP_BYTES = 400 * 1000 * 1000
TIMEOUT = 180

pytestmark = [
    pytest.mark.skipif(not TARBALL.is_file(), reason=f"no {TARBALL.name}: run make dist"),
    pytest.mark.skipif(not SEED.is_dir(), reason=f"seed pages not found at {SEED}"),
]


@dataclass(frozen=True)
class Installed:
    """corpusdesk installed by install.sh for the user whose home folder is ``home``."""

    unpacked: Path
    home: Path
    install_output: str

    @property
    def command(self) -> Path:
        return self.home / ".local" / "bin" / "corpusdesk"

    @property
    def app(self) -> Path:
        return self.home / ".local" / "lib" / "corpusdesk"

    @property
    def applications(self) -> Path:
        return self.home / ".local" / "share" / "applications"

    def environment(self, **extra: str) -> dict[str, str]:
        return {"HOME": str(self.home), "PATH": "/usr/bin:/bin", **extra}

    def run(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        """Run the installed ``corpusdesk`` with a clean environment, from the home folder."""
        return _run([str(self.command), *args], self.environment(**extra), self.home, check)


def _run(
    command: Sequence[str], environment: dict[str, str], cwd: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["env", "-i", *(f"{key}={value}" for key, value in environment.items()), *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited with {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def _install(tmp: Path) -> Installed:
    with tarfile.open(TARBALL) as bundle:
        bundle.extractall(tmp / "unpacked", filter="tar")
    (unpacked,) = (tmp / "unpacked").iterdir()
    home = tmp / "home of a user"
    home.mkdir()
    result = _run(
        ["sh", str(unpacked / "install.sh")], {"HOME": str(home), "PATH": "/usr/bin:/bin"}, tmp
    )
    return Installed(unpacked, home, result.stdout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    yield _install(tmp_path_factory.mktemp("frozen"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed pages, a web archive of one of them and three near copies (enough for the pool)."""
    folder = tmp_path_factory.mktemp("pages")
    for page in SEED.glob("*.html"):
        shutil.copy(page, folder / page.name)
    first = (SEED / "latheefarook-why-small-public-libraries-still-matter.html").read_bytes()
    for number in range(3):
        (folder / f"copy-{number}.html").write_bytes(
            first.replace(b"<title>", f"<title>Copy {number} of ".encode(), 1)
        )
    return folder


def test_the_app_folder_is_self_contained_and_small_enough(installed: Installed) -> None:
    internal = installed.app / "_internal"
    for needed in (
        "corpusdesk/resources/manual.html",
        "corpusdesk/resources/article.schema.json",
        "corpusdesk/resources/corpusdesk.svg",
        "corpusdesk/library/migrations/script.py.mako",
        "corpusdesk/library/migrations/env.py",
        "justext/stoplists/English.txt",
        "py3langid/data/model.npz.xz",
        "trafilatura/settings.cfg",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
    ):
        assert (internal / needed).is_file(), needed
    assert list((internal / "corpusdesk/library/migrations/versions").glob("0001_*.py"))
    size = sum(p.lstat().st_size for p in installed.app.rglob("*") if p.is_file())
    print(f"\napp folder: {size / 1e6:.0f} MB")
    assert size < MAX_APP_BYTES


def test_install_adds_the_command_menu_entry_icon_and_open_with(installed: Installed) -> None:
    assert f"Installed corpusdesk {__version__}" in installed.install_output
    desktop = installed.applications / "corpusdesk.desktop"
    entry = desktop.read_text(encoding="utf-8")
    assert f'Exec="{installed.app}/corpusdesk" %F' in entry
    assert "MimeType=text/html;application/xhtml+xml;multipart/related;" in entry
    share = installed.home / ".local" / "share"
    assert (share / "icons/hicolor/scalable/apps/corpusdesk.svg").is_file()
    assert (share / "icons/hicolor/256x256/apps/corpusdesk.png").is_file()
    assert (share / "metainfo/io.github.corpusdesk.corpusdesk.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(desktop)], capture_output=True, text=True
        )
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    if shutil.which("update-desktop-database"):
        cache = (installed.applications / "mimeinfo.cache").read_text(encoding="utf-8")
        assert "text/html=corpusdesk.desktop;" in cache
        assert "multipart/related=corpusdesk.desktop;" in cache


def test_version(installed: Installed) -> None:
    assert installed.run("--version").stdout.strip() == f"corpusdesk {__version__}"


def test_import_search_and_export_match_the_schema(
    installed: Installed, pages: Path, tmp_path: Path
) -> None:
    library = tmp_path / "fresh.corpusdesk.db"
    mhtml = tmp_path / "saved as one file.mhtml"
    seed_page = (SEED / "palestinechronicle-all-for-all-or-nothing.html").read_bytes()
    mhtml.write_bytes(web_archive(seed_page, charset="windows-1252"))

    imported = installed.run("--library", str(library), "import", str(pages), str(mhtml))
    assert imported.stdout.startswith("7 imported") and ", 0 failed" in imported.stdout

    found = installed.run("--library", str(library), "search", '"war council"').stdout
    assert found.count("All for All, or Nothing") == 3, found  # two pages and the archive
    count = installed.run("--library", str(library), "search", "site:latheefarook", "--count")
    assert count.stdout.strip() == "5"

    output = tmp_path / "articles.jsonl"
    installed.run("--library", str(library), "export", "-o", str(output))
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for record in records:
        validator.validate(record)
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    by_file = {record["source_name"]: record for record in records}
    for name, want in expected.items():
        assert by_file[name]["title"] == want["title"]
        assert by_file[name]["published"] == want["published"]
    assert (
        by_file[mhtml.name]["title"]
        == expected["palestinechronicle-all-for-all-or-nothing.html"]["title"]
    )


ORDER_DEPENDENT = ("id", "duplicate_group", "imported_at")
"""Export fields that depend on the order in which pages were stored, not on the pages."""


def test_a_team_library_on_a_server_holds_what_a_file_holds(
    installed: Installed, pages: Path, tmp_path: Path, postgres_server: TestServer
) -> None:
    """The app's own PostgreSQL driver: a team library made, imported into, searched and
    exported exactly as a library file."""
    database = postgres_server.new_database(library=False)
    team = postgres_server.url(database)
    try:
        made = installed.run("team", "init", team)
        assert f"{database}_editors" in made.stdout
        file = tmp_path / "file.corpusdesk.db"
        for library in (team, str(file)):
            imported = installed.run("--library", library, "import", str(pages))
            assert imported.stdout.startswith("6 imported"), imported.stdout
        # Ids follow the order the worker processes finish in: compared without them.
        found = [
            sorted(line.split(None, 1)[1] for line in result.stdout.splitlines())
            for result in (
                installed.run("--library", library, "search", '"war council"')
                for library in (team, str(file))
            )
        ]
        assert found[0] == found[1] and len(found[0]) == 2
        exports = []
        for name, library in (("team", team), ("file", str(file))):
            output = tmp_path / f"{name}.jsonl"
            installed.run("--library", library, "export", "-o", str(output))
            records = [
                {k: v for k, v in json.loads(line).items() if k not in ORDER_DEPENDENT}
                for line in output.read_text(encoding="utf-8").splitlines()
            ]
            exports.append(sorted(records, key=lambda record: record["sha256"]))
        assert exports[0] == exports[1] and len(exports[0]) == 6
    finally:
        postgres_server.drop_database(database)


def test_unspaced_scripts_are_counted_and_searched(installed: Installed, tmp_path: Path) -> None:
    """Thai word counts need the segmenter's dictionary inside the bundle; CJK needs none."""
    library = tmp_path / "scripts.corpusdesk.db"
    (tmp_path / "scripts").mkdir()
    pages = write_script_pages(tmp_path / "scripts")
    wanted = [pages[BANGKOK.name], pages[BEIJING.name]]
    imported = installed.run("--library", str(library), "import", *map(str, wanted))
    assert "2 imported" in imported.stdout, imported.stdout
    found = installed.run("--library", str(library), "search", "ท่องเที่ยว", "--count")
    assert found.stdout.strip() == "1"
    output = tmp_path / "scripts.jsonl"
    installed.run("--library", str(library), "export", "-o", str(output))
    counts = {
        record["language"]: record["word_count"]
        for record in map(json.loads, output.read_text(encoding="utf-8").splitlines())
    }
    assert counts["th"] >= 4 * len(BANGKOK.text.split())
    assert counts["zh"] >= 40


def test_a_page_of_misread_utf8_is_stored_as_written(installed: Installed, tmp_path: Path) -> None:
    """The mojibake repair (ftfy) is loaded in the import workers only: it must be bundled."""
    library = tmp_path / "mojibake.corpusdesk.db"
    paragraph = (
        "<p>The pierâ\x80\x99s repairs start in May â\x80\x94 the board said so on Thursday, "
        "after storms damaged it twice last winter and walkers were kept away since then.</p>"
    )
    page = tmp_path / "pier.html"
    page.write_bytes(
        f'<html><head><meta charset="utf-8"><title>Pier</title></head><body><article>'
        f"{paragraph * 3}</article></body></html>".encode()
    )
    imported = installed.run("--library", str(library), "import", str(page))
    assert "1 imported" in imported.stdout, imported.stdout
    output = tmp_path / "pier.jsonl"
    installed.run("--library", str(library), "export", "-o", str(output))
    text = json.loads(output.read_text(encoding="utf-8"))["text"]
    assert "The pier’s repairs start in May — the board said so" in text


def test_re_cleaning_many_articles_uses_worker_processes(
    installed: Installed, tmp_path: Path
) -> None:
    """Fifty articles or more are re-cleaned by a pool of spawned processes."""
    library = tmp_path / "many.corpusdesk.db"
    folder = tmp_path / "many"
    folder.mkdir()
    page = (SEED / "latheefarook-all-for-all-or-nothing.html").read_bytes()
    for number in range(55):
        (folder / f"page-{number}.html").write_bytes(
            page.replace(b"Hamas has repeatedly", f"Hamas ({number}) has repeatedly".encode())
        )
    imported = installed.run("--library", str(library), "import", str(folder))
    assert "55 imported" in imported.stdout
    recleaned = installed.run("--library", str(library), "reclean", "--quiet")
    assert "55 articles re-cleaned" in recleaned.stdout


def test_open_with_starts_the_window_imports_and_quits(installed: Installed) -> None:
    """What a file manager runs: ``corpusdesk FILE``, into the default library."""
    page = SEED / "latheefarook-why-small-public-libraries-still-matter.html"
    window = installed.run("--quit-after", "1", str(page), QT_QPA_PLATFORM="offscreen")
    assert window.returncode == 0
    default_library = installed.home / ".local/share/corpusdesk/library.corpusdesk.db"
    assert default_library.is_file()
    count = installed.run("--library", str(default_library), "search", "--count")
    assert count.stdout.strip() == "1"
    settings = (installed.home / ".config/corpusdesk/corpusdesk.conf").read_text("utf-8")
    assert str(default_library) in settings
    log = installed.home / ".local/state/corpusdesk/log/corpusdesk.log"
    assert f"corpusdesk {__version__} started: --quit-after 1 {page}" in log.read_text("utf-8")


def test_uninstall_removes_the_app_and_keeps_the_libraries(tmp_path: Path) -> None:
    installed = _install(tmp_path)
    library = installed.home / "research.corpusdesk.db"
    installed.run("--library", str(library), "import", *map(str, SEED.glob("*.html")))
    uninstall = installed.app / "uninstall.sh"
    _run(["sh", str(uninstall)], installed.environment(), installed.home)
    assert not installed.app.exists()
    assert not installed.command.exists()
    assert not (installed.applications / "corpusdesk.desktop").exists()
    assert library.is_file()
