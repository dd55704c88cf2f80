"""Colours that follow the system's light or dark palette.

Widgets never hard-code a text or background colour: they ask here, with their palette, and
ask again when the palette changes (a ``PaletteChange`` event). The Fusion style takes the
palette the platform gives; where the system says it is in dark mode but the palette it
gives is light (some desktops without a Qt theme), a dark palette is put in its place, and
the light one comes back when the system does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

Role = QPalette.ColorRole


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light text on dark backgrounds."""
    return palette.color(Role.Window).lightnessF() < 0.5


def _pick(palette: QPalette, light: str, dark: str) -> QColor:
    return QColor(dark if is_dark(palette) else light)


def muted(palette: QPalette) -> QColor:
    """Secondary text: counts, group titles, hints."""
    return palette.color(QPalette.ColorGroup.Active, Role.PlaceholderText)


def error(palette: QPalette) -> QColor:
    """Text that reports an error."""
    return _pick(palette, "#b3261e", "#f2b8b5")


def hit_background(palette: QPalette) -> QColor:
    """Behind a search hit."""
    return _pick(palette, "#ffe58a", "#7a5f00")


def removed_background(palette: QPalette) -> QColor:
    """Behind text only the left copy has."""
    return _pick(palette, "#fbd3d0", "#6b2420")


def added_background(palette: QPalette) -> QColor:
    """Behind text only the right copy has."""
    return _pick(palette, "#cdeccf", "#1f4d2a")


def chip_background(palette: QPalette) -> QColor:
    """A tag without a colour of its own."""
    return _pick(palette, "#e3e6ea", "#4a4f55")


def text_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    return QColor("#111111") if background.lightnessF() > 0.6 else QColor("#ffffff")


def banner_style(palette: QPalette, name: str, kind: str) -> str:
    """The style sheet of the banner widget called ``name``: ``warning`` or ``info``."""
    colours = {
        ("warning", False): ("#fff4ce", "#5c4400", "#e8d48b"),
        ("warning", True): ("#4a3b00", "#ffe8a3", "#6b5700"),
        ("info", False): ("#e8f1fb", "#183b5c", "#b6cfe9"),
        ("info", True): ("#1c3147", "#d3e5f8", "#2f4d6b"),
    }
    background, text, border = colours[kind, is_dark(palette)]
    return (
        f"#{name} {{ background: {background}; border-bottom: 1px solid {border}; }}"
        f"#{name}, #{name} QLabel {{ color: {text}; }}"
    )


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style."""
    palette = QPalette()
    colours = {
        Role.Window: "#2b2d30",
        Role.WindowText: "#e6e6e6",
        Role.Base: "#1f2023",
        Role.AlternateBase: "#26282b",
        Role.ToolTipBase: "#3a3d41",
        Role.ToolTipText: "#f0f0f0",
        Role.PlaceholderText: "#9aa0a6",
        Role.Text: "#e6e6e6",
        Role.Button: "#33363a",
        Role.ButtonText: "#e6e6e6",
        Role.BrightText: "#ff6b6b",
        Role.Light: "#45494e",
        Role.Midlight: "#3a3d41",
        Role.Mid: "#2f3235",
        Role.Dark: "#1a1b1d",
        Role.Shadow: "#000000",
        Role.Highlight: "#3d6fb6",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#8ab4f8",
        Role.LinkVisited: "#c58af9",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7b7f85"))
    return palette


def apply_color_scheme(scheme: Qt.ColorScheme | None = None) -> None:
    """Give the application a palette matching the system's (or ``scheme``'s) light or dark."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return
    if scheme is None:
        scheme = app.styleHints().colorScheme()
    palette = app.palette()
    if scheme == Qt.ColorScheme.Dark and not is_dark(palette):
        app.setProperty("corpusdeskDarkPalette", True)
        QGuiApplication.setPalette(dark_palette())
    elif scheme != Qt.ColorScheme.Dark and app.property("corpusdeskDarkPalette"):
        app.setProperty("corpusdeskDarkPalette", False)
        QGuiApplication.setPalette(QPalette())  # the platform's own palette again


def follow_color_scheme() -> None:
    """Apply the system's scheme now and whenever it changes."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return
    apply_color_scheme()
    if not app.property("corpusdeskFollowsScheme"):
        app.setProperty("corpusdeskFollowsScheme", True)
        app.styleHints().colorSchemeChanged.connect(apply_color_scheme)
