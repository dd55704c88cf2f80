"""The metadata tab: edit an article's title, authors, site, date, URL and language.

The editor only collects changes: pressing Save emits the changed fields (as the library
expects them), with the values it showed for them, and the window applies them through an
undoable command. The library saves nothing when a shown value is no longer the stored one
(someone else changed it meanwhile in a team library).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ArticleDetail

AUTHOR_SEPARATOR = ";"


def parse_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` to a date; empty text to None; ``UserError`` otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"“{text}” is not a date; write it as YYYY-MM-DD") from None


def captured_text(moment: dt.datetime | None) -> str:
    """When a page was saved (stored as UTC), as the metadata tab shows it."""
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "not recorded"


def parse_authors(text: str) -> tuple[str, ...]:
    """Authors as typed (separated by semicolons) to a tuple of names."""
    return tuple(name.strip() for name in text.split(AUTHOR_SEPARATOR) if name.strip())


def stored_values(detail: ArticleDetail) -> dict[str, Any]:
    """An article's editable fields as the form compares them."""
    return {
        "title": detail.title,
        "authors": tuple(detail.authors),
        "site_name": detail.site_name,
        "published": detail.published,
        "url": detail.url,
        "language": detail.language,
    }


class MetadataEditor(QWidget):
    """A form over the editable fields of one article."""

    save_requested = Signal(int, dict, dict)
    """(article id, {field: new value}, {field: value shown}) for the fields that differ from
    the stored ones."""
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLineEdit(self)
        self.authors = QLineEdit(self)
        self.authors.setPlaceholderText("Names separated by semicolons")
        self.site = QLineEdit(self)
        self.date = QLineEdit(self)
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.url = QLineEdit(self)
        self.language = QLineEdit(self)
        self.language.setPlaceholderText("e.g. en, de, fr")
        self.source = QLabel(self)
        self.member = QLabel(self)
        self.captured = QLabel(self)
        for label in (self.source, self.member, self.captured):
            label.setWordWrap(True)
            label.setStyleSheet("color: #5f6368;")
        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Authors:", self.authors)
        form.addRow("&Site:", self.site)
        form.addRow("&Date:", self.date)
        form.addRow("&URL:", self.url)
        form.addRow("&Language:", self.language)
        form.addRow("Imported from:", self.source)
        form.addRow("In the archive:", self.member)
        form.addRow("Captured:", self.captured)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Reset, self
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        layout.addStretch(1)
        self.buttons.accepted.connect(self.save)
        self.buttons.button(QDialogButtonBox.StandardButton.Reset).clicked.connect(self.reset)
        self._detail: ArticleDetail | None = None
        self.set_detail(None)

    def set_detail(self, detail: ArticleDetail | None) -> None:
        """Show the stored values of ``detail`` (None disables the form).

        The same article read again (the window refreshes when anyone changes the library)
        leaves unsaved typing alone, and the values it started from: Save then finds out
        whether someone else changed those fields meanwhile.
        """
        current = self._detail
        if (
            detail is not None
            and current is not None
            and detail.id == current.id
            and self._typed_apart_from(current)
            and self._typed_apart_from(detail)
        ):
            return
        self._detail = detail
        self.setEnabled(detail is not None)
        self.reset()

    def _typed_apart_from(self, detail: ArticleDetail) -> bool:
        """Whether the form holds values other than ``detail``'s (invalid ones count)."""
        try:
            typed = self._typed_values()
        except UserError:
            return True
        return typed != stored_values(detail)

    def set_read_only(self, read_only: bool) -> None:
        """Disable editing for a read-only library."""
        for edit in self._edits().values():
            edit.setReadOnly(read_only)
        self.buttons.setVisible(not read_only)

    def reset(self) -> None:
        """Put the stored values back into the fields."""
        detail = self._detail
        self.title.setText(detail.title if detail else "")
        self.authors.setText(f"{AUTHOR_SEPARATOR} ".join(detail.authors) if detail else "")
        self.site.setText(detail.site_name if detail else "")
        self.date.setText(detail.published.isoformat() if detail and detail.published else "")
        self.url.setText(detail.url if detail else "")
        self.language.setText(detail.language if detail else "")
        self.source.setText(detail.source_path if detail else "")
        self.member.setText(detail.source_member or "–" if detail else "")
        self.captured.setText(captured_text(detail.captured_at) if detail else "")

    def changes(self) -> dict[str, Any]:
        """The fields whose values differ from the stored ones; ``UserError`` if one is invalid."""
        detail = self._detail
        if detail is None:
            return {}
        stored = stored_values(detail)
        return {key: value for key, value in self._typed_values().items() if value != stored[key]}

    def _typed_values(self) -> dict[str, Any]:
        return {
            "title": self.title.text().strip(),
            "authors": parse_authors(self.authors.text()),
            "site_name": self.site.text().strip(),
            "published": parse_date(self.date.text()),
            "url": self.url.text().strip(),
            "language": self.language.text().strip().lower(),
        }

    def save(self) -> None:
        """Emit the changed fields, or report an invalid value."""
        if self._detail is None:
            return
        try:
            changes = self.changes()
        except UserError as error:
            self.invalid.emit(str(error))
            return
        if changes:
            shown = stored_values(self._detail)
            self.save_requested.emit(
                self._detail.id, changes, {field: shown[field] for field in changes}
            )

    def _edits(self) -> dict[str, QLineEdit]:
        return {
            "title": self.title,
            "authors": self.authors,
            "site_name": self.site,
            "published": self.date,
            "url": self.url,
            "language": self.language,
        }
