"""Elements the page does not show: consent, donation and pop-up boxes waiting for a script.

An element is hidden when it carries the ``hidden`` attribute, ``aria-hidden="true"``, an inline
``display:none`` or ``visibility:hidden``, or a class that frameworks use to hide things
(``hidden``, ``d-none``, ``sr-only``, Webflow's ``w-condition-invisible`` …) without one that
shows it again on wider screens (``md:block``, ``d-lg-flex``). The page is read as a desktop
browser shows it: a block the page also writes out for phones (``d-lg-none``, ``lg:hidden``,
``elementor-hidden-desktop``, the second and later of Framer's ``ssr-variant`` copies) is hidden
too, so that the article is not stored twice. Hidden boxes are never the article, and they are
removed before the content is looked for.

Some hidden elements stay. A disclosure panel (the answer of a collapsed FAQ, a closed tab,
``<details>``: an element another one ``aria-controls``, or one with ``role="region"`` or
``"tabpanel"``) is part of the article that the reader opens. Text a script will show is too: a
hidden block (not a paragraph or heading itself) placed directly in ``<body>`` after all the
prose the page shows (where streamed pages keep their chunks until a script moves them into
place), and every hidden element of a page that shows almost no prose (saved before its script
ran). Those go only when their class or id names them furniture (cookie, donate, modal …) or
their text reads as a consent, affiliate or donation notice. ``<template>`` content, inert
until a script copies it, always goes. Hidden menus and link lists are left to the content
extractor.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from corpusdesk.importing.clean import MAX_NOTICE_WORDS, is_furniture_named, is_notice
from corpusdesk.importing.spacing import remove_element

HIDING_CLASSES = frozenset(
    (
        *"hidden hide is-hidden u-hidden d-none display-none invisible".split(),
        *"sr-only visually-hidden screen-reader-text screenreader-only element-invisible".split(),
        "w-condition-invisible",  # Webflow's
    )
)
"""Class names that hide an element at every screen width."""
DESKTOP_HIDING_CLASSES = frozenset(
    "hidden-desktop hide-desktop hide-on-desktop elementor-hidden-desktop w-hidden-main".split()
)
"""Class names that hide an element on a desktop screen (the mobile copy of a block)."""
RESPONSIVE_VARIANT = "ssr-variant"
"""The class of each copy of a block that a site builder (Framer) renders once per screen width,
each hidden at the other widths by classes of its own: the first copy is kept."""
_BREAKPOINTS = {"sm": 1, "md": 2, "lg": 3, "xl": 4, "xxl": 5, "2xl": 5}
_RESPONSIVE_DISPLAY = re.compile(
    r"^(?:d-(sm|md|lg|xl|xxl)-([a-z-]+)|(sm|md|lg|xl|2xl):(block|flex|grid|inline|inline-block"
    r"|inline-flex|table|contents|hidden))$"
)

MIN_VISIBLE_CHARS = 250
"""With less visible prose than this (about 40 words), hidden elements may hold the article."""
MIN_BOX_PROSE = 80
"""A hidden box with less paragraph text than this is a menu or a label, not a rival article."""

_REVEALING_CLASS = re.compile(
    r"^[a-z0-9-]+:(?:block|flex|grid|inline|inline-block|inline-flex|table|contents)$"
)
"""A display class of another prefix than the breakpoints (``tablet:block``) that shows a
hidden element again; Bootstrap's and Tailwind's breakpoints are read by ``_widest_display``."""
_NOT_SHOWN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_POPUP_NAME = re.compile(r"(?<![a-z0-9])(?:modal|popup|pop-up|overlay|dialog|banner)(?![a-z0-9])")
_PANEL_ROLES = frozenset(("region", "tabpanel"))
_HIDING_ATTRIBUTES = etree.XPath(
    "//body//@hidden | //body//@aria-hidden | //body//@style | //body//@class"
)
_HIDING_WORDS = ("hid", "none", "only", "invisible", "screen")
"""What the value of a style or class that hides holds somewhere: a first sieve."""
_SKIPPED = frozenset(("script", "style", "template", "svg"))
_PROSE_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"))
"""Elements that are a paragraph or heading themselves: never a chunk a script will move."""
_CONTROLLED = etree.XPath("//@aria-controls")
_PROSE = etree.XPath("descendant-or-self::p | descendant-or-self::li[not(.//p)]")


def is_hidden(element: Any) -> bool:
    """Whether the page's markup hides ``element`` at every screen width."""
    if element.get("hidden") is not None:
        return True
    if (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if _NOT_SHOWN.search(element.get("style") or ""):
        return True
    classes = (element.get("class") or "").lower().split()
    if RESPONSIVE_VARIANT in classes and _follows_a_variant(element):
        return True
    widest = _widest_display(classes)
    if widest is not None:
        return widest in ("none", "hidden")
    if any(_REVEALING_CLASS.match(name) for name in classes):
        return False
    return any(name in HIDING_CLASSES or name in DESKTOP_HIDING_CLASSES for name in classes)


def _follows_a_variant(element: Any) -> bool:
    """Whether the element sibling before ``element`` is another variant of the same block."""
    previous = element.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    return previous is not None and RESPONSIVE_VARIANT in (previous.get("class") or "").split()


def _widest_display(classes: list[str]) -> str | None:
    """The display that Bootstrap's (``d-lg-none``) or Tailwind's (``lg:block``) classes give
    the element on the widest screens, None when none of them is there."""
    widest, display = 0, None
    for name in classes:
        found = _RESPONSIVE_DISPLAY.match(name)
        if found is None:
            continue
        width = _BREAKPOINTS[found.group(1) or found.group(3)]
        if width >= widest:
            widest, display = width, found.group(2) or found.group(4)
    return display


def _names(element: Any) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def _is_furniture_box(box: Any) -> bool:
    """Whether a hidden box is named or worded as a pop-up, notice or appeal."""
    if is_furniture_named(box) or _POPUP_NAME.search(_names(box)):
        return True
    return is_notice(" ".join(box.text_content().split()[:MAX_NOTICE_WORDS]))


def _is_panel(element: Any, controlled: set[str]) -> bool:
    if (element.get("role") or "").strip().lower() in _PANEL_ROLES:
        return True
    if element.get("id") in controlled or element.get("aria-labelledby"):
        return True
    return any(ancestor.tag == "details" for ancestor in element.iterancestors())


def hidden_boxes(tree: Any) -> list[Any]:
    """The outermost hidden elements of ``tree`` that are not disclosure panels."""
    controlled = {name for value in _CONTROLLED(tree) for name in str(value).split()}
    boxes: list[Any] = []
    inside: set[Any] = set()
    for value in _HIDING_ATTRIBUTES(tree):
        if value.attrname in ("style", "class") and not any(w in value for w in _HIDING_WORDS):
            continue
        element = value.getparent()
        if element in inside or element.tag in _SKIPPED:
            continue
        if not is_hidden(element) or _is_panel(element, controlled):
            continue
        if any(ancestor in inside for ancestor in element.iterancestors()):
            continue
        inside.add(element)
        boxes.append(element)
    return boxes


def _prose_chars(element: Any) -> int:
    """Characters of paragraph text in ``element``: its paragraphs, and list items that hold
    no paragraph."""
    return sum(len(" ".join(block.text_content().split())) for block in _PROSE(element))


def _trailing(body: Any, boxes: set[Any]) -> set[Any]:
    """The boxes among ``body``'s children that come after all of the prose it shows."""
    trailing: set[Any] = set()
    for child in reversed(body):
        if child in boxes:
            trailing.add(child)
        elif isinstance(child.tag, str) and not is_hidden(child) and _prose_chars(child):
            break
    return trailing


def remove_hidden(tree: Any) -> int:
    """Remove, in place, the hidden boxes of ``tree`` that hold prose; returns how many.

    Hidden menus and link lists are left to the content extractor, which weighs them with the
    rest of the page's links. A box placed directly in ``<body>`` after everything the page
    shows may be content a script moves into place, and so may every box of a page that shows
    almost no prose: those go only when named or worded as furniture.
    """
    body = tree.find("body")
    if body is None:
        return 0
    for template in list(body.iter("template")):
        remove_element(template)  # inert until a script copies it: never shown as it stands
    boxes = [(box, _prose_chars(box)) for box in hidden_boxes(tree)]
    boxes = [(box, chars) for box, chars in boxes if chars >= MIN_BOX_PROSE]
    if not boxes:
        return 0
    shown = _prose_chars(body) - sum(chars for _, chars in boxes)
    trailing = _trailing(body, {box for box, _ in boxes})
    removed = 0
    for box, _ in boxes:
        waiting = shown < MIN_VISIBLE_CHARS or (box in trailing and box.tag not in _PROSE_TAGS)
        if waiting and not _is_furniture_box(box):
            continue
        remove_element(box)
        removed += 1
    return removed
