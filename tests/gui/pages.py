"""Small fictional news pages for the GUI tests, written to a folder on demand."""

from __future__ import annotations

from pathlib import Path

BOILERPLATE = "Subscribe to our newsletter for daily headlines"

_STORIES = {
    "harbour.html": (
        "Harbour Town Votes to Keep Its Night Ferry",
        "Mara Quill",
        "The Coastal Ledger",
        "2023-03-14",
        "ferry",
        [
            "Councillors in Harbour Town voted late on Tuesday to keep the night ferry running "
            "through the winter, reversing a plan that would have cut the last crossing of the day "
            "and left shift workers on the far shore without a way home after ten o'clock.",
            "The ferry, which has run in one form or another since the harbour was dredged, "
            "carries nurses, bakers and dock hands who start or finish work long after the buses "
            "stop. Residents packed the gallery of the old customs house to watch the vote, and "
            "several stood to read letters from neighbours who could not leave their children.",
            "The operator had warned that fuel costs had doubled and that the crossing lost money "
            "on most nights. The council agreed to cover the gap from its reserve for one year "
            "while officers study a smaller electric boat, which the harbour master said could "
            "be charged at the quay during the quiet hours of the afternoon.",
            "Opponents argued that the reserve was meant for storm repairs and that a single bad "
            "season could leave the town exposed. Supporters replied that a ferry nobody can "
            "rely on is worth less than no ferry at all, and that the workers who use it keep "
            "the hospital, the bakery and the fish market open for everybody else.",
        ],
    ),
    "orchard.html": (
        "Valley Orchards Brace for a Late Frost",
        "Tobias Fenn",
        "Upland Gazette",
        "2023-04-02",
        "orchard",
        [
            "Growers across the upper valley spent the weekend lighting smudge pots and running "
            "wind machines as forecasters warned of a late frost that could strip the blossom "
            "from apple and pear trees just as the first buds had opened in the warm spell.",
            "Farmers said the timing could hardly be worse. A mild March had pushed the trees "
            "into flower two weeks early, and a single night below freezing can kill the tender "
            "centre of a blossom without leaving a mark that anyone would notice until summer.",
            "The cooperative that packs most of the valley's fruit has asked members to record "
            "overnight temperatures in every block so that any losses can be measured against "
            "the insurance scheme, which pays out only when damage is documented within a week.",
            "Older growers recalled the frost of two decades ago, when whole hillsides produced "
            "no crop at all and several family farms were sold. Younger farmers said netting, "
            "sprinklers and better forecasts had changed the odds, though none of them would "
            "promise a full harvest until the blossom had safely set into fruit in May.",
        ],
    ),
    "library.html": (
        "Reading Room Reopens After Two-Year Restoration",
        "Ines Calder",
        "Northfield Chronicle",
        "2023-05-20",
        "library",
        [
            "The reading room of the Northfield public library reopened on Saturday after a "
            "restoration that took two years, repaired a leaking glass dome and brought back "
            "the long oak tables that generations of students remember from their exam seasons.",
            "Volunteers catalogued more than forty thousand books while the room was closed, "
            "and the library used the time to move its local newspaper archive into a cooler "
            "basement store where the bound volumes will no longer yellow in the summer heat.",
            "Visitors queued along the square before the doors opened. Among the first inside "
            "was a retired teacher who said she had written her first essay at the table under "
            "the clock, and who was pleased to find that the clock had been made to work again.",
            "The council paid for the roof, while a fund raised from residents covered the "
            "tables, lamps and shelving. The librarian said the room would now stay open late "
            "on weekdays, so that people who work during the day can use it in the evening.",
        ],
    ),
}


def page_html(title: str, author: str, site: str, date: str, paragraphs: list[str]) -> str:
    """A realistic saved news page: navigation, article body, footer boilerplate."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta name="author" content="{author}">
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}T08:00:00Z">
<script src="https://tracker.invalid/t.js"></script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>{title}</h1>
<p class="byline">By {author}</p>
<img src="https://images.invalid/photo.jpg" alt="Photo">
{body}
</article>
<aside class="newsletter">{BOILERPLATE}. Sign up now.</aside>
<footer>Copyright {site}. All rights reserved. Privacy policy. Cookie settings.</footer>
</body></html>
"""


def write_pages(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write the test pages (all, or those named) into ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or list(_STORIES):
        title, author, site, date, _word, paragraphs = _STORIES[name]
        path = folder / name
        path.write_text(page_html(title, author, site, date, paragraphs), encoding="utf-8")
        paths.append(path)
    return paths


def title_of(name: str) -> str:
    """The headline of the page ``name``."""
    return _STORIES[name][0]


def write_copy(folder: Path, name: str, site: str, changed: tuple[str, str]) -> Path:
    """A republication of the page ``name`` by ``site``, with one word ``changed`` (old, new)
    and a line of its own at the end: a copy the import groups with the original."""
    folder.mkdir(parents=True, exist_ok=True)
    title, author, _site, date, _word, paragraphs = _STORIES[name]
    old, new = changed
    edited = [p.replace(old, new, 1) for p in paragraphs]
    edited.append(f"This article first appeared elsewhere and is republished by {site}.")
    path = folder / f"copy-{name}"
    path.write_text(page_html(title, author, site, date, edited), encoding="utf-8")
    return path
