"""The window on a team library: the real window and library process, on a real server.

A colleague is another ``Library`` on the same database, in the test process; members log in
with roles made on the test server and granted the team's editor or reader role.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from corpusdesk.core.locations import ServerAddress
from corpusdesk.gui import dialogs, settings, team_dialog
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.team_dialog import PasswordAnswer, TeamDialog
from corpusdesk.library.library import Library
from corpusdesk.library.server import init_team, team_roles
from tests.factories import make_draft, paragraph
from tests.gui.pages import write_pages
from tests.gui.test_tagging import select_rows
from tests.postgres import TestServer

Wait = Callable[[MainWindow], None]
Member = Callable[[str], tuple[ServerAddress, str]]
LIVE_REFRESH_MS = 1000
"""A colleague's change shows in the window within this long."""


@pytest.fixture(autouse=True)
def _no_keyring() -> Iterator[None]:
    """The keyring of a machine without one (as on a server or in CI): every call fails."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _member(server: TestServer, address: ServerAddress, group: str) -> ServerAddress:
    """A login with a password, granted the team's ``editors`` or ``readers`` role."""
    init_team(address)
    roles = team_roles(address.database)
    login = f"{group[:-1]}_{address.database}"
    password = f"pw-{secrets.token_hex(8)}"
    server.create_login(login, password)
    with server.admin(address.database) as connection:
        connection.execute(f'GRANT "{getattr(roles, group)}" TO "{login}"')
    return server.address(address.database, login, password)


def _window(qtbot: QtBot, wait_idle: Wait, address: ServerAddress | None = None) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    if address is not None:
        assert window.open_library_path(address)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(window)
    return window


@pytest.fixture
def team_window(
    qtbot: QtBot, team_address: ServerAddress, wait_idle: Wait, library_path: Path
) -> Iterator[MainWindow]:
    """The window on a team library holding three articles."""
    with Library.open(team_address) as colleague:
        colleague.add_drafts(
            [make_draft(paragraph(n), title=f"Story {n}", site="Coast News") for n in range(3)]
        )
    window = _window(qtbot, wait_idle, team_address)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    qtbot.waitUntil(lambda: window.watcher.ready)
    yield window
    window.close()


def test_the_window_names_the_team_library_and_remembers_it_without_password(
    team_window: MainWindow, team_address: ServerAddress
) -> None:
    window = team_window
    assert window.windowTitle() == f"{team_address.database} on 127.0.0.1 — corpusdesk"
    assert not window.banner.isVisible()
    assert window.menu_actions.import_files.isEnabled()
    assert settings.recent_libraries(window.store)[0] == team_address
    assert window.menu_actions.recent_menu.actions()[0].text() == team_address.url
    assert window.watcher.pace.interval_ms <= 250


def test_a_colleagues_tag_shows_within_a_second(
    team_window: MainWindow, team_address: ServerAddress, qtbot: QtBot
) -> None:
    window = team_window
    with Library.open(team_address) as colleague:
        first = colleague.search_ids("")[0]
        colleague.add_tag([first], "coded by Ann")
        qtbot.waitUntil(
            lambda: "coded by Ann" in window.tagging.tag_names(), timeout=LIVE_REFRESH_MS
        )
        colleague.add_drafts([make_draft(paragraph(9), title="Story 9")])
        qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=LIVE_REFRESH_MS)


def test_a_reader_sees_the_library_read_only_with_the_banner(
    qtbot: QtBot,
    postgres_server: TestServer,
    team_address: ServerAddress,
    wait_idle: Wait,
    library_path: Path,
) -> None:
    reader = _member(postgres_server, team_address, "readers")
    window = _window(qtbot, wait_idle, reader)
    assert window.library is not None and window.library.read_only
    assert window.banner.isVisible()
    assert "read-only" in window.banner.text() and team_address.database in window.banner.text()
    assert not window.menu_actions.add_tag.isEnabled()
    assert not window.menu_actions.import_files.isEnabled()
    assert window.menu_actions.export_shown.isEnabled()
    window.close()


def _connect_dialog(window: MainWindow) -> TeamDialog:
    window.menu_actions.connect_team.trigger()
    dialog = window.libraries.team_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _fill(dialog: TeamDialog, address: ServerAddress, password: str) -> None:
    dialog.host.setText(address.host)
    dialog.port.setValue(address.sqlalchemy_url().port or 5432)
    dialog.database.setText(address.database)
    dialog.user.setText(address.user)
    dialog.password.setText(password)


def _test_connection(qtbot: QtBot, dialog: TeamDialog) -> str:
    """Press Test Connection; what the dialog says once the attempt is over."""
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15000)
    return dialog.status.text()


def _opened_from(qtbot: QtBot, window: MainWindow, dialog: TeamDialog) -> Library:
    """Press Connect; the library the window then shows."""
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.library is not None, timeout=15000)
    assert not dialog.isVisible() and window.library is not None
    return window.library


@pytest.fixture
def member(postgres_server: TestServer, team_address: ServerAddress, library_path: Path) -> Member:
    """Makes a team member (``editors`` or ``readers``): their address and password."""

    def make(group: str) -> tuple[ServerAddress, str]:
        address = _member(postgres_server, team_address, group)
        assert address.password is not None
        return address, address.password

    return make


def test_the_connect_dialog_tests_and_opens_a_team_library(
    qtbot: QtBot, member: Member, wait_idle: Wait
) -> None:
    editor, password = member("editors")
    window = _window(qtbot, wait_idle)
    dialog = _connect_dialog(window)
    assert dialog.port.value() == 5432
    assert dialog.tls.currentText() == "prefer"
    _fill(dialog, editor, password)
    assert _test_connection(qtbot, dialog) == "Connected: 0 articles"
    assert window.library is None  # a test opens nothing

    dialog.password.setText("not the password")
    refusal = _test_connection(qtbot, dialog)
    assert "refused" in refusal and "password" in refusal

    dialog.password.setText(password)
    library = _opened_from(qtbot, window, dialog)
    assert not library.read_only
    assert window.windowTitle() == f"{editor.title} — corpusdesk"
    window.close()


def test_a_reader_is_told_the_library_is_read_only_by_test_connection(
    qtbot: QtBot, member: Member, wait_idle: Wait
) -> None:
    reader, password = member("readers")
    window = _window(qtbot, wait_idle)
    dialog = _connect_dialog(window)
    _fill(dialog, reader, password)
    assert _test_connection(qtbot, dialog) == "Connected: 0 articles (read-only)"
    dialog.reject()
    window.close()


def test_no_password_is_written_to_any_file(
    qtbot: QtBot, member: Member, wait_idle: Wait, temp_settings: Path
) -> None:
    editor, password = member("editors")
    window = _window(qtbot, wait_idle)
    dialog = _connect_dialog(window)
    _fill(dialog, editor, password)
    dialog.remember.setChecked(True)  # no keyring here: nothing may fall back to a file
    library = _opened_from(qtbot, window, dialog)
    assert "No system keyring" in window.status_label.text()
    about = dialogs.about_text(library.location)
    assert editor.url in about and password not in about
    report = window.help.show_problem_report()
    assert editor.url in report.details.toPlainText()
    assert password not in report.details.toPlainText()
    report.close()
    window.close()

    folders = {
        temp_settings,
        Path(os.environ["XDG_CONFIG_HOME"]),
        Path(os.environ["CORPUSDESK_DATA_DIR"]),
        Path(os.environ["CORPUSDESK_LOG_DIR"]),
    }
    written = [path for folder in folders if folder.exists() for path in folder.rglob("*")]
    files = [path for path in written if path.is_file()]
    assert any(editor.url.encode() in path.read_bytes() for path in files)  # the settings
    assert [path for path in files if password.encode() in path.read_bytes()] == []


def test_a_recent_team_library_asks_for_its_password(
    qtbot: QtBot, member: Member, wait_idle: Wait, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor, password = member("editors")
    asked: list[str] = []

    def answer(_parent: object, _address: ServerAddress, reason: str = "") -> PasswordAnswer:
        asked.append(reason)
        return PasswordAnswer(password if len(asked) > 1 else "wrong", remember=False)

    monkeypatch.setattr(team_dialog, "ask_password", answer)
    window = _window(qtbot, wait_idle)
    remembered = ServerAddress.parse(editor.url)  # as the recent list holds it
    assert window.open_library_path(remembered)
    assert asked[0] == ""  # first asked because none was known
    assert "refused" in asked[1]  # then because the one typed was wrong
    assert window.library is not None and window.library.title == editor.title
    window.close()


def test_a_server_that_never_answers_can_be_stopped_waiting_for(
    qtbot: QtBot, wait_idle: Wait, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recent team library whose server takes connections but never answers: the window
    keeps painting, says what it waits for, and Cancel gives up at once."""
    monkeypatch.setattr(team_dialog, "ask_password", lambda *_args, **_kwargs: None)
    monkeypatch.setattr(dialogs, "ask_other_library", lambda *_args, **_kwargs: "")
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    window = _window(qtbot, wait_idle)
    ticks: list[float] = []
    ticking = QTimer(window)
    ticking.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticking.start(50)
    seen: list[str] = []
    asked_again: list[bool] = []

    def cancel_when_shown() -> None:
        dialog = window.findChild(QProgressDialog, "waitingDialog")
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, cancel_when_shown)
            return
        seen.append(dialog.labelText())
        asked_again.append(window.open_library_path(address))  # from the menu meanwhile
        cancel = dialog.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()

    QTimer.singleShot(0, cancel_when_shown)
    started = time.monotonic()
    address = ServerAddress.parse(f"postgresql://nobody:pw@127.0.0.1:{port}/silent")
    assert not window.open_library_path(address)
    waited = time.monotonic() - started
    ticking.stop()
    silent.close()  # the attempt still in flight now fails, and is dropped
    assert seen == [f"Connecting to {address.title}…"]
    assert asked_again == [False]  # one library is waited for at a time
    assert waited < 5  # libpq alone would wait its 10 s connection timeout
    assert len([t for t in ticks if t > started]) >= 5  # the window went on with its work
    assert window.library is None
    assert "Stopped waiting" in window.status_label.text()
    window.close()


def test_an_import_lands_in_the_team_library(
    team_window: MainWindow, team_address: ServerAddress, qtbot: QtBot, tmp_path: Path
) -> None:
    window = team_window
    pages = write_pages(tmp_path / "pages")[:2]
    with qtbot.waitSignal(window.jobs.import_finished, timeout=60000) as finished:
        window.transfers.import_paths(pages)
    assert finished.args is not None
    assert finished.args[0].report.imported == 2
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=5000)
    if window.transfers.report_dialog is not None:
        window.transfers.report_dialog.close()
    with Library.open(team_address) as colleague:
        assert colleague.count() == 5
        assert colleague.count("ferry") >= 1


def test_a_metadata_edit_made_meanwhile_by_a_colleague_is_not_overwritten(
    team_window: MainWindow,
    team_address: ServerAddress,
    qtbot: QtBot,
    wait_idle: Wait,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = team_window
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, _title, text: shown.append(text))
    (article_id,) = select_rows(window, 0)
    wait_idle(window)
    editor = window.preview.metadata
    qtbot.waitUntil(lambda: editor.title.text().startswith("Story"))
    editor.title.setText("My headline")
    with Library.open(team_address) as colleague:
        colleague.update_metadata(article_id, {"title": "Ann's headline"})
    qtbot.wait(600)  # the window refreshes meanwhile: the typing stays
    assert editor.title.text() == "My headline"
    editor.save()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "changed meanwhile" in shown[0]
    qtbot.waitUntil(lambda: editor.title.text() == "Ann's headline", timeout=5000)
    with Library.open(team_address) as colleague:
        assert colleague.detail(article_id).title == "Ann's headline"


def test_the_app_is_started_on_a_team_library_by_its_url() -> None:
    from corpusdesk.cli import build_parser

    url = "postgresql://ann@db.example.org:5433/corpus?sslmode=verify-full"
    parsed = build_parser().parse_args(["--library", url]).library
    assert parsed == ServerAddress.parse(url)
    assert parsed.url == url
