"""File → Connect to Team Library…: a library on a PostgreSQL server, and its password.

:class:`TeamDialog` asks for the server, database, user, password and TLS mode. Test
Connection and OK both connect off the GUI thread (the library process opens the library, a
worker thread of the dialog's runner waits for it), so a slow or unreachable server never
freezes the window; the outcome is shown in the dialog, which stays open on a failure.
:class:`PasswordDialog` asks for the password alone when a recent team library is reopened and
the keyring has none. Neither writes a password anywhere: the caller may hand it to the
system keyring (:mod:`corpusdesk.gui.passwords`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url

from corpusdesk.core.errors import UserError
from corpusdesk.core.locations import ServerAddress
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.library.library import Library

DEFAULT_PORT = 5432
TLS_MODES = ("prefer", "require", "verify-ca", "verify-full", "disable")
"""libpq's ``sslmode`` values offered, the default first (``allow`` adds nothing worth it)."""
TLS_MODE_TIPS = {
    "prefer": "Encrypt when the server offers it (libpq's default)",
    "require": "Always encrypt; do not check the server's certificate",
    "verify-ca": "Always encrypt, and check that a trusted authority signed the certificate",
    "verify-full": "Always encrypt, and check the certificate and the server's name",
    "disable": "Never encrypt (only on a network you trust)",
}

Probe = Callable[[ServerAddress], str]
"""Connects to a team library and says what is there (runs on a worker thread)."""
Opener = Callable[[ServerAddress], Library]
"""Opens a team library (runs on a worker thread)."""


def probe_text(library: Library) -> str:
    """What Test Connection says about a library it reached."""
    count = library.count()
    noun = "article" if count == 1 else "articles"
    return f"Connected: {count:,} {noun}{' (read-only)' if library.read_only else ''}"


def failure_text(error: BaseException) -> str:
    """A connection failure, for the dialog's status line."""
    if isinstance(error, UserError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class TeamDialog(QDialog):
    """Where a team library is: server, database, user, password and TLS mode."""

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner,
        probe: Probe,
        opener: Opener,
        initial: ServerAddress | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teamDialog")
        self.setWindowTitle("Connect to Team Library")
        self._runner = runner
        self._probe = probe
        self._opener = opener
        self._busy = False
        self._extra_options: dict[str, str] = {}
        self.opened: Library | None = None
        """The library OK opened (the dialog is then accepted)."""
        self.address: ServerAddress | None = None
        """Where the opened library is, with the password typed."""

        self.host = QLineEdit(self)
        self.host.setPlaceholderText("db.example.org")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("corpus")
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls = QComboBox(self)
        for index, mode in enumerate(TLS_MODES):
            self.tls.addItem(mode, mode)
            self.tls.setItemData(index, TLS_MODE_TIPS[mode], Qt.ItemDataRole.ToolTipRole)
        self.remember = QCheckBox("Remember the password in the system &keyring", self)
        self.status = QLabel(self)
        self.status.setObjectName("teamStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("&Server:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow("Pass&word:", self.password)
        form.addRow("&TLS:", self.tls)
        form.addRow("", self.remember)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("C&onnect")
        self.test_button = QPushButton("T&est Connection", self)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.connect_and_open)
        self.buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self.test_connection)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        if initial is not None:
            self.fill(initial)
            if not initial.password:
                self.password.setFocus()  # the one field left to type

    def fill(self, address: ServerAddress) -> None:
        """Put ``address``'s parts in the fields (its password too, when it has one)."""
        url = make_url(address.url)
        self.host.setText(url.host or "")
        self.port.setValue(url.port or DEFAULT_PORT)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        self.password.setText(address.password or "")
        options = {key: str(value) for key, value in url.query.items()}
        mode = options.pop("sslmode", "prefer")
        self.tls.setCurrentIndex(max(0, self.tls.findData(mode)))
        self._extra_options = options  # sslrootcert and the like: kept as they were

    def typed_address(self) -> ServerAddress:
        """The address the fields name, with the password typed; ``UserError`` if incomplete."""
        host = self.host.text().strip()
        database = self.database.text().strip()
        if not host:
            raise UserError("name the server (its host name or address)")
        if not database:
            raise UserError("name the database that holds the team library")
        options = dict(self._extra_options)
        mode = str(self.tls.currentData())
        if mode != "prefer":
            options["sslmode"] = mode
        url = URL.create(
            "postgresql",
            username=self.user.text().strip() or None,
            host=host,
            port=self.port.value(),
            database=database,
            query=options,
        )
        address = ServerAddress.parse(url.render_as_string(hide_password=False))
        return address.with_password(self.password.text() or None)

    # -- connecting --------------------------------------------------------------------------

    def test_connection(self) -> None:
        """Connect, count the articles and say so (or why not), without opening it here."""
        address = self._address_or_complain()
        if address is None or self._busy:
            return
        self._set_busy(True, f"Connecting to {address.title}…")
        probe = self._probe
        self._runner.submit(lambda: probe(address), self._tested, self._failed, pool=Pool.READ)

    def connect_and_open(self) -> None:
        """OK: open the library; the dialog closes once it is open."""
        address = self._address_or_complain()
        if address is None or self._busy:
            return
        self._set_busy(True, f"Opening {address.title}…")
        opener = self._opener

        def opened(result: object) -> None:
            library = cast(Library, result)
            if not self._busy:  # the dialog was cancelled meanwhile: let the library go
                library.close()
                return
            self._set_busy(False, "")
            self.opened = library
            self.address = address
            self.accept()

        self._runner.submit(lambda: opener(address), opened, self._failed, pool=Pool.READ)

    def reject(self) -> None:
        self._busy = False
        super().reject()

    def _address_or_complain(self) -> ServerAddress | None:
        try:
            return self.typed_address()
        except UserError as error:
            self.status.setText(str(error))
            return None

    def _tested(self, text: object) -> None:
        self._set_busy(False, str(text))

    def _failed(self, error: BaseException, _details: str) -> None:
        if self._busy:
            self._set_busy(False, failure_text(error))

    def _set_busy(self, busy: bool, text: str) -> None:
        self._busy = busy
        self.status.setText(text)
        self.test_button.setEnabled(not busy)
        self.ok_button.setEnabled(not busy)


@dataclass(frozen=True, slots=True)
class PasswordAnswer:
    """What :class:`PasswordDialog` was told."""

    password: str
    remember: bool


class PasswordDialog(QDialog):
    """The password of a team library, with the keyring checkbox."""

    def __init__(self, parent: QWidget, address: ServerAddress, reason: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle("Team Library Password")
        who = f"{address.user} on " if address.user else ""
        intro = QLabel(f"The password of {who}<b>{address.title}</b>:", self)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.reason = QLabel(reason, self)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember the password in the system &keyring", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(self.password)
        layout.addWidget(self.remember)
        layout.addWidget(buttons)

    def answer(self) -> PasswordAnswer:
        return PasswordAnswer(self.password.text(), self.remember.isChecked())


def ask_password(
    parent: QWidget, address: ServerAddress, reason: str = ""
) -> PasswordAnswer | None:
    """Ask for ``address``'s password; None when the user cancels."""
    dialog = PasswordDialog(parent, address, reason)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()
    finally:
        dialog.deleteLater()
