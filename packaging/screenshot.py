"""Take a screenshot of corpusdesk for the README and the app stores.

Builds a temporary library from a handful of fictional news pages written here (one of them
republished by a second site, so that the two are grouped as copies), tags and colours some of
them, opens the main window at 1280×800, searches for a few words so that the table shows each
hit's snippet and count, selects the republished article, and saves the window as a PNG:
``python packaging/screenshot.py [OUT.png]`` (default ``resources/screenshot.png``).
Runs headless with ``QT_QPA_PLATFORM=offscreen`` or under Xvfb; settings go to a temporary
folder, never the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtWidgets import QApplication

from corpusdesk.gui import settings
from corpusdesk.gui.app import create_application
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library

STORIES = [
    (
        "The Coastal Ledger",
        "Mara Quill",
        "2024-02-11",
        "Harbour Town Votes to Keep Its Night Ferry",
        "Councillors voted late on Tuesday to keep the night ferry running through the winter, "
        "reversing a plan that would have left shift workers on the far shore without a way home.",
        "Nurses, bakers and dock hands packed the gallery of the old customs house to watch the "
        "vote, and several read letters from neighbours who could not leave their children.",
        "The operator warned that fuel costs had doubled. The council will cover the gap from its "
        "reserve for one year while officers study a smaller electric boat.",
    ),
    (
        "Upland Gazette",
        "Tobias Fenn",
        "2024-04-02",
        "Valley Orchards Brace for a Late Frost",
        "Growers across the upper valley spent the weekend lighting smudge pots and running wind "
        "machines as forecasters warned of a frost that could strip the blossom from the trees.",
        "A mild March pushed apples and pears into flower two weeks early, and one night below "
        "freezing can kill a blossom without leaving a mark anyone notices until summer.",
        "The packing cooperative asked members to log overnight temperatures in every block so "
        "that losses can be claimed under the insurance scheme within a week.",
    ),
    (
        "Northfield Chronicle",
        "Ines Calder",
        "2024-05-20",
        "Reading Room Reopens After Two-Year Restoration",
        "The reading room of the public library reopened on Saturday after a restoration that "
        "repaired a leaking glass dome and brought back the long oak tables.",
        "Volunteers catalogued more than forty thousand books while the room was closed, and the "
        "newspaper archive moved to a cooler basement where bound volumes will no longer yellow.",
        "Among the first visitors was a retired teacher who wrote her first essay under the old "
        "clock, and was delighted to find that the clock had been made to work again.",
    ),
    (
        "The Coastal Ledger",
        "Rafe Oduya",
        "2024-03-03",
        "Fish Market Moves to the Old Rope Works",
        "Traders at the harbour fish market will move to the old rope works next spring, after "
        "the council agreed a lease that keeps stall rents unchanged for three years.",
        "The rope works, empty since the last chandler closed, has high ceilings, a cold store "
        "that still works and a slipway where small boats can land their catch directly.",
        "Some traders worry that tourists will not find the new site, tucked behind the lifeboat "
        "station; the harbour board has promised signs and a painted route from the quay.",
    ),
    (
        "Metro Evening Post",
        "Selma Brandt",
        "2024-01-17",
        "Tram Extension Clears Its Last Hurdle",
        "The long-debated tram extension to the eastern estates cleared its last planning hurdle "
        "on Monday, with construction expected to begin before the end of the year.",
        "The line will add six stops and cut the journey from Eastfield to the central station to "
        "eighteen minutes, roughly half the time the crowded number 40 bus takes at rush hour.",
        "Shopkeepers on Mill Road fear two years of roadworks; the transport authority says it "
        "will keep one lane open and pay compensation where takings fall sharply.",
    ),
    (
        "Metro Evening Post",
        "Jonah Pike",
        "2023-11-28",
        "Opinion: Our Parks Need Night Wardens",
        "Every summer the same story repeats: litter, broken benches and residents afraid to walk "
        "through the parks after dark. A few paid wardens would change that for little money.",
        "Volunteer patrols have done heroic work, but they cannot be everywhere, and nobody should "
        "expect retirees to confront a group of teenagers at midnight.",
        "The city spends more repairing vandalised playgrounds each year than four wardens would "
        "cost. It is time the parks committee did the arithmetic.",
    ),
    (
        "Upland Gazette",
        "Tobias Fenn",
        "2023-10-09",
        "Cooperative Dairy Marks Its Centenary",
        "The valley's cooperative dairy celebrated one hundred years on Sunday with an open day "
        "that drew farmers, former workers and children eager to see the new milking parlour.",
        "Founded by eleven families who pooled their churns to reach the railway, the cooperative "
        "now collects milk from ninety farms and makes a cheese sold across the country.",
        "The oldest member, who joined as a boy driving the horse cart, cut a cake shaped like the "
        "original creamery, to loud applause from three generations of his family.",
    ),
    (
        "Northfield Chronicle",
        "Ada Winslow",
        "2024-06-01",
        "Opinion: Keep the Evening Buses",
        "Cutting the evening buses would save the transport authority a little money and cost "
        "everyone else a great deal: the nurses, cleaners and students who rely on them.",
        "A town that empties at seven o'clock is not a town anyone wants to open a restaurant in, "
        "or a cinema, or a late pharmacy. Buses are how a high street stays alive after dark.",
        "If savings must be found, look first at the consultants' fees in the same budget, which "
        "would pay for the evening routes twice over.",
    ),
]
REPUBLISHED = (0, "Regional News Wire", "2024-02-12", ("late on Tuesday", "on Tuesday night"))
"""The story republished (its number), by which site, when, and the words it changed."""
TAGS = [
    ("transport", "#1e88e5", [0, 4, 7, 8]),
    ("opinion", "#e53935", [5, 7]),
    ("farming", "#43a047", [1, 6]),
    ("local economy", "#fb8c00", [3, 6, 0, 8]),
    ("winter", "#8e24aa", [0, 1, 8]),
]
"""Tags, their colours and the stories they go on (8: the republished copy)."""
QUERY = "night OR evening"
"""What the screenshot searches for."""


def _page(site: str, author: str, date: str, title: str, texts: list[str]) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in texts)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta name='author' content='{author}'>"
        f"<meta property='og:site_name' content='{site}'>"
        f"<meta property='article:published_time' content='{date}T07:30:00Z'></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{title}</h1>"
        f"{paragraphs}</article><footer>All rights reserved.</footer>"
        "</body></html>"
    )


def write_pages(folder: Path) -> list[Path]:
    """Write the sample pages, the republished copy last; their paths."""
    paths = []
    for number, (site, author, date, title, *texts) in enumerate(STORIES):
        path = folder / f"story-{number}.html"
        path.write_text(_page(site, author, date, title, texts), encoding="utf-8")
        paths.append(path)
    number, site, date, (old, new) = REPUBLISHED
    _site, author, _date, title, *texts = STORIES[number]
    texts = [text.replace(old, new) for text in texts]
    texts.append(f"This report first appeared in {_site} and is republished by {site}.")
    path = folder / f"story-{number}-republished.html"
    path.write_text(_page(site, author, date, title, texts), encoding="utf-8")
    paths.append(path)
    return paths


def settle(app: QApplication, done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Process events until ``done()`` or the timeout."""
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


def main(out: Path) -> int:
    """Build the library, show the window and save the screenshot to ``out``."""
    with tempfile.TemporaryDirectory(prefix="corpusdesk-shot-") as temp:
        folder = Path(temp)
        (folder / "pages").mkdir()
        library_path = folder / "Newsroom archive.corpusdesk.db"
        library = Library.open(library_path)
        pages = write_pages(folder / "pages")
        # One page at a time, in order: article ids follow the stories' numbers.
        for page in pages:
            library.save_import_report(run_import(library, [page], workers=1))
        ids = library.search_ids("", descending=False)
        for name, color, positions in TAGS:
            library.add_tag([ids[i] for i in positions if i < len(ids)], name)
            library.set_tag_color(name, color)

        app = create_application([sys.argv[0]])
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
        settings.configure()
        window = MainWindow()
        window.resize(1280, 800)
        library.close()
        window.open_library_path(library_path)
        window.show()
        settle(app, lambda: window.runner.pending == 0 and window.model.rowCount() == len(ids))
        window.filter_bar.set_text(QUERY)
        settle(app, lambda: window.runner.pending == 0 and window.table.results_mode)
        copy = ids[-1]
        row = window.model.row_of(copy)
        row = row if row is not None else 0
        window.table.selectionModel().setCurrentIndex(
            window.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        window.table.setFocus()
        settle(app, lambda: window.runner.pending == 0 and window.preview.detail is not None)
        out.parent.mkdir(parents=True, exist_ok=True)
        saved = window.grab().save(str(out))
        window.close()
    print(f"{'saved' if saved else 'could not save'} {out}")
    return 0 if saved else 1


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("resources/screenshot.png")
    sys.exit(main(target))
