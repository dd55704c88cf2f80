"""The tag editor: add a tag to (or remove one from) the selected articles, with completion.

A small dialog with one field that completes over the existing tag names; a name that does not
exist yet creates the tag. It returns the chosen name and leaves the change to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class TagEditor(QDialog):
    """Asks for one tag name, completing over ``names``."""

    def __init__(
        self,
        names: Sequence[str],
        count: int,
        *,
        remove: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tagEditor")
        noun = "article" if count == 1 else "articles"
        self.remove = remove
        if remove:
            self.setWindowTitle("Remove Tag")
            prompt = f"Remove a tag from {count:,} selected {noun}:"
        else:
            self.setWindowTitle("Add Tag")
            prompt = f"Tag {count:,} selected {noun} (a new name creates the tag):"
        self.field = QLineEdit(self)
        self.field.setObjectName("tagField")
        self.field.setPlaceholderText("Tag name")
        self.completer = QCompleter(sorted(names, key=str.casefold), self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(self.completer)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Remove" if remove else "Add Tag")
        ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt, self))
        layout.addWidget(self.field)
        layout.addWidget(self.buttons)
        self.field.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.resize(380, self.sizeHint().height())

    def name(self) -> str:
        """The tag name as entered, with whitespace tidied."""
        return " ".join(self.field.text().split())
