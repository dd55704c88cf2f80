"""Author names: where a page states them, and how a raw byline becomes a list of names.

The page states its authors in metadata (JSON-LD, ``<meta name=author>`` and its kin), in
byline elements (``class="author"``/``byline``, hCard ``vcard``/``fn``, ``rel=author``,
``itemprop=author``), in links to author pages (``/author/<slug>``) and in short lines that
read ``By Jane Doe``. A raw byline loses its prefix (``By``, ``Written by:``, ``Recipe by``),
whatever follows the names (dates, ``Updated``, a job title such as ``Senior Reporter``) and
anything that is not a person's or desk's name (CMS accounts, e-mail addresses, URLs, month
names, form labels). Degrees written after a name stay with it (``Jane Doe, MD``). An account
name (``jdoe``) counts only where the page's metadata gives it and nothing names a person.
"""

from __future__ import annotations

import html
import re
from copy import deepcopy
from itertools import islice
from typing import Any

from lxml import etree

from corpusdesk.importing.clean import collapse, normalise_key
from corpusdesk.importing.dates import MONTHS

AUTHOR_META = (
    "dc.creator", "dcterms.creator", "author", "article:author", "og:article:author",
    "parsely-author", "sailthru.author", "citation_author", "byl", "authors",
)  # fmt: skip
"""``<meta>`` names and properties that hold author names."""

_BY_PREFIX = re.compile(
    r"^\s*(?:(?:[\w-]+\s+){0,2}by(?:\s*[:\-]\s*|\s+|$)|[Bb][Yy]\s*:?(?=[A-Z])|"
    r"(?:this|the)\s+(?:post|article|story|piece|guide)\s+(?:was\s+)?written\s+by\s+|"
    r"(?:the\s+)?(?:authors?|authored by|writer|contributors?)\s*:\s*|"
    r"(?:the\s+)?author\s+(?=[A-Z]))",
    re.I,
)
_BYLINE_END = re.compile(
    r"\s*(?:\d|\s[-–—|•·]\s|\b(?:on|at|in|says)\b|\b(?:published|updated|posted|"
    r"more about|reviewed|fact[- ]checked|last|read more|view all|follow)\b).*$",
    re.I,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\|)\s*", re.I)
_ACCOUNT = re.compile(r"^[a-z0-9_.@-]+$")
_EMAIL_OR_URL = re.compile(r"\S+@\S+\.\w+|https?://|www\.", re.I)
_GENERIC = frozenset(
    "admin administrator webmaster editor editors root user guest anonymous unknown wordpress "
    "author authors staff none null undefined by read more name sign in login the author "
    "team posted written".split()
) | frozenset({"sign in", "the author", "read more", "log in", "name *", "view all posts"})
_WEEKDAYS = frozenset(
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday "
    "sun sunday today yesterday".split()
)
_ROLE_WORDS = frozenset(
    "writer editor reporter correspondent contributor columnist founder co-founder cofounder "
    "ceo cto director manager consultant expert senior former head lead specialist analyst "
    "strategist officer journalist producer researcher chief president attorney lawyer "
    "coordinator professor fellow intern freelance contributing associate assistant "
    "executive".split()
)
_POST_NOMINALS = frozenset(
    "md do rn bsn msn np aprn pa phd dphil dvm vmd dds dmd mph mba msc bsc ba bs ma ms mfa jd "
    "llm esq cpa cfa cfp pe rd rdn ld cdn lcsw lpc psyd edd pharmd od dc nd facp faap facs "
    "faclm dacvb lvt cpt frcp mrcp frcs mbbs".split()
)
"""Degrees and credentials written after a name (``Jane Doe, MD, FACP``), in capitals..."""
_MIXED_CASE_DEGREES = frozenset({"phd", "dphil", "msc", "bsc", "psyd", "edd", "pharmd"})
"""...or in these spellings (``PhD``, ``MSc``)."""
_PARTICLES = frozenset("de da di del della der den van von le la du dos das bin al el ibn".split())
_LABEL_WORDS = frozenset(
    "bio biography about profile company contact case size type posts articles more share "
    "comments comment menu search home subscribe".split()
)  # words of page labels that sit in author boxes, never in a name
_INLINE = frozenset({"span", "strong", "b", "em", "i", "small"})
_BYLINE_BLOCKS = frozenset(
    {"p", "span", "div", "li", "small", "address", "header", "h3", "h4", "h5", "h6"}
)
_BYLINE_START = re.compile(r"^\s*(?:(?:written|posted|article|words)\s+)?by\b", re.I)
_BYLINE_LABEL = re.compile(
    r"^\s*(?:(?:written|posted|article|words|story)\s+by|by|authors?|contributors?)\s*:?\s*$",
    re.I,
)  # a label whose name follows in the next element
_LABELLED_NAME = re.compile(r"^[A-Z\u00c0-\u024f][\w.'’ -]{1,40}$")
"""A name as it stands alone after a label: capitalised, letters, initials and hyphens only."""
_PHOTO_LEVELS = 3
"""Boxes around an author's photo looked in for the name it shows."""
_PHOTO_SCAN = 400
"""Elements of each box looked at, at most."""
MAX_BYLINE_CANDIDATES = 200
"""Texts starting like a byline looked at, at most, in one page."""
# Text nodes whose first two letters (any case) could start "by", "written by", "posted by",
# "article by" or "author": one translate() a node, the exact test in Python.
_BYLINE_NODES = etree.XPath(
    "//body//text()[contains('|by|wr|po|ar|au|co|', concat('|', translate(substring("
    "normalize-space(substring(., 1, 200)), 1, 2), 'ABCIOPRTUWY', 'abcioprtuwy'), '|'))]"
)
_WRITTEN_BY_NODES = etree.XPath("//body//text()[contains(., 'ritten by')]")
_CREDIT_SENTENCE = re.compile(
    r"^\s*(?:this|the)\s+(?:blog\s+)?(?:post|article|story|piece|guide)\s+(?:was\s+)?"
    r"(?:written|authored)\s+by(?:\s+((?:[^.;:!?()|]|(?<=\b[A-Z])\.|\.(?=\S)){3,80}))?",
    re.I,
)
_BYLINE_TEXT = re.compile(
    r"^\s*(?i:(?:written\s+|posted\s+|article\s+|words\s+)?by)\s*:?\s+[A-Z\u00c0-\u024f]"
)  # "By Jane Doe"; not "By signing up, you agree"


def spaced_text(element: Any) -> str:
    """The text of ``element``; pieces from different elements that touch are kept apart.

    ``<span>Jane Doe</span><span>Staff Writer</span>`` reads ``Jane Doe | Staff Writer``
    rather than ``Jane DoeStaff Writer``.
    """
    pieces = [p for p in element.itertext() if p]
    out = ""
    for piece in pieces:
        touching = out and not out[-1].isspace() and not piece[0].isspace()
        if touching and (out[-1].isalnum() or out[-1] in ").") and piece[0].isalnum():
            out += " | "
        out += piece
    return collapse(out)


def _strip_roles(words: list[str]) -> list[str] | None:
    """The words before a job title; None when the part is only a job title.

    A job title of several words (``Games Editor``) may start before its role word, so a name
    followed by one keeps two words, or three with an initial or particle in the middle.
    """
    for index, word in enumerate(words):
        if word.lower().strip(".,") in _ROLE_WORDS:
            if index < 2:
                return None
            middle = words[1]
            keep = 3 if middle.endswith(".") or middle.islower() or len(middle) == 1 else 2
            return words[: min(index, keep)]
    return words


def _is_post_nominal(word: str) -> bool:
    """Whether ``word`` is a degree or credential as written after a name (``MD``, ``PhD``)."""
    bare = word.strip(",;()").replace(".", "")
    if bare.lower() not in _POST_NOMINALS or not bare[:1].isupper():
        return False
    return bare.isupper() or bare.lower() in _MIXED_CASE_DEGREES


def _ends_abbreviated(text: str) -> bool:
    """Whether ``text``'s last word is an initial or an abbreviation (``T``, ``Ph.D``, ``Jr``)."""
    words = text.split()
    last = words[-1] if words else ""
    initial = len(last) == 1 and last.isupper()
    return initial or "." in last or last.lower() in ("jr", "sr")


def clean_author(name: str, keep_accounts: bool = False) -> list[str]:
    """Real person or desk names from one author string: prefixes, accounts and emails dropped.

    With ``keep_accounts``, an account name (``jdoe``, ``q_writer``) stays: where the page's
    own metadata names its author, the account is how that author signs on the site.
    """
    if "&" in name and ";" in name:
        name = html.unescape(name)  # "Maria &amp; Katerina" escaped twice in the page
    name = collapse(_BY_PREFIX.sub("", collapse(name)))
    out: list[str] = []
    for piece in _AUTHOR_SPLIT.split(name):
        part = piece.strip(" .,:;|-–—·•\"'[]*")
        if piece.rstrip(" ,:;|").endswith(".") and _ends_abbreviated(part):
            part += "."  # "Jeff T.", "Ph.D.": the period belongs to the name
        part = _BY_PREFIX.sub("", part)
        if part.count("(") > part.count(")"):
            part += ")"
        elif part.startswith("(") and part.endswith(")"):
            part = part[1:-1]
        if not part or len(part) > 60 or _EMAIL_OR_URL.search(part):
            continue
        words = part.split()
        if out and all(_is_post_nominal(w) for w in words):
            out[-1] += f", {part}"  # "Jane Doe, MD, FACP": her degrees stay with her name
            continue
        stripped = _strip_roles(words)
        titled = stripped is not None and len(stripped) < len(words)
        if titled and out:
            stripped = None  # after a name, "Digital Security Expert" is its job title
        if stripped is None:
            # A job title or affiliation ends the names ("Jane Doe, Senior Editor, Desk").
            while len(out) > 1 and len(out[-1].split()) == 1:
                out.pop()  # "Privacy & Security Expert" was split at the ampersand
            break
        words = stripped
        while len(words) > 2 and words[-1].lower().strip(".") in MONTHS:
            words.pop()  # "Jane Doe December": the date that followed the name
        if words and "-" in words[-1]:
            stem, _, tail = words[-1].rpartition("-")
            words[-1] = stem if tail.lower() in MONTHS else words[-1]
        part = " ".join(words)
        lowered = part.lower()
        if not part or lowered in _GENERIC or (_ACCOUNT.match(part) and not keep_accounts):
            continue  # a CMS account name such as "admin" or "jsmith", not a byline
        if lowered.strip(".") in MONTHS or lowered.strip(".") in _WEEKDAYS:
            continue
        if not any(ch.isalpha() for ch in part) or len(words) > 6:
            continue
        out.append(part)
        if titled:
            break  # what follows a job title is more of it ("Writer, Hardware")
    return out


_NAME_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))
INVERTED_NAME_META = frozenset(("citation_author", "dc.creator", "dcterms.creator"))
"""Metadata that scholarly sites fill with "Last, First" names (Highwire, Dublin Core)."""
_INVERTED = re.compile(r"^\s*([^,]{2,40}),\s*([^,]{1,40}?)\s*$")


def uninverted(name: str) -> str:
    """A name written surname first, with its particles, then given names ("Roy, Aniruddha")
    in reading order ("Aniruddha Roy"); anything else as it is: two names ("Jane Doe, John
    Roe"), a name and its credentials ("Jane Doe, MD") or its job ("Jane Doe, Staff Writer")."""
    found = _INVERTED.match(name)
    if found is None:
        return name
    last, first = found.groups()
    *particles, surname = last.split()
    if any(p.lower() not in _PARTICLES for p in particles) or not surname[:1].isupper():
        return name  # "Jane Doe, John Roe": two people, not a surname and given names
    if len(first.split()) > 3 or not first[:1].isupper():
        return name
    words = first.replace(".", "").split()
    if all(_is_post_nominal(word) or word.lower() in _NAME_SUFFIXES for word in words):
        return name  # "Jane Doe, MD", "John Smith, Jr."
    if any(word.lower() in _ROLE_WORDS for word in words):
        return name  # "Jane Doe, Staff Writer"
    return f"{first} {last}"


def looks_like_name(name: str) -> bool:
    """Whether a name found in the page text reads as one: capitalised words, no page labels."""
    words = name.split()
    if any(w.lower().strip(".,()") in _LABEL_WORDS for w in words):
        return False
    if len(words) > 1 and name.isupper():
        return False  # "COMPANY TYPE": a heading, not a byline
    capitalised = sum(1 for w in words if w[0].isupper() or w in _PARTICLES or not w[0].isalpha())
    return capitalised * 2 > len(words)


def _without_leading_date(text: str) -> str:
    """``text`` without the date that opens it ("Dec. 19, 2025 · Jane Doe", "03/01/2017 by
    Jane Doe"): a dateline set before the byline."""
    found = _LEADING_DATE.match(text)
    if found is None:
        return text
    month = found.group("month") or found.group("dmonth")
    if month is not None and month.lower() not in MONTHS:
        return text
    return text[found.end() :]


def parse_byline(raw: str) -> list[str]:
    """The names in a byline element's text (``By Jane Doe | Staff Writer | 3 May``)."""
    raw = _without_leading_date(raw)
    segments = [s for s in re.split(r"\s+\|\s+", raw) if s.strip()]
    # Leading segments that are only a prefix ("By", "Written by", "Insights from").
    while len(segments) > 1 and len(segments[0].split()) <= 3 and _is_prefix(segments[0]):
        segments.pop(0)
    text = " | ".join(segments)
    names = clean_author(_BYLINE_END.sub("", _BY_PREFIX.sub("", text)))
    return [n for n in names if looks_like_name(n)]


def _is_prefix(segment: str) -> bool:
    lowered = segment.lower().strip(" :")
    return lowered in {"by", "written by", "posted by", "author", "authors", "article by"} or (
        lowered.endswith((" by", " from")) or lowered in {"from", "words", "text"}
    )


def byline_texts(tree: Any) -> list[str]:
    """Raw byline texts of the page, the most explicit markup first."""
    found: list[str] = []
    # Testing the attributes and then taking their elements is twice as fast as testing
    # every element for them; the union keeps document order and each element once.
    for element in tree.xpath(
        "(//@rel[. = 'author'] | //@itemprop[. = 'author'] | //@class[contains(., 'vcard') "
        "or contains(., 'author') or contains(., 'byline')])/parent::*[not(self::meta)]"
    )[:20]:
        names = element.xpath(".//*[contains(concat(' ',@class,' '),' fn ') or @itemprop='name']")
        text = spaced_text(names[0]) if names else spaced_text(element)
        if not text or len(text) >= 100:
            text = _pictured_name(element)
        if 0 < len(text) < 100:
            found.append(text)
    return found


def _pictured_name(box: Any) -> str:
    """In an author box too long to be a byline (a photo, the name, a biography), or for an
    author's photo, the name: a line of the box (or of the few elements around it) that is
    also the alternative text of the photo."""
    images = [box] if box.tag == "img" else box.findall(".//img")
    pictured = {collapse(image.get("alt") or "").casefold() for image in images} - {""}
    pictured = {alt for alt in pictured if len(alt) < 60}
    scope = box if box.tag != "img" else box.getparent()
    for _ in range(_PHOTO_LEVELS):
        if not pictured or scope is None:
            break
        for element in islice(scope.iterdescendants(), _PHOTO_SCAN):
            line = collapse(element.text or "")
            if line.casefold() in pictured and looks_like_name(line):
                return line
        scope = scope.getparent()
    return ""


def author_links(tree: Any) -> list[str]:
    """Texts of links to author pages (``/author/jane-doe``) and of short ``By …`` lines."""
    found: list[str] = []
    for link in tree.xpath(
        "//a[contains(@href,'/author/') or contains(@href,'/authors/')][not(ancestor::nav)]"
    )[:10]:
        text = spaced_text(link)
        if 0 < len(text) < 60:
            found.append(text)
    # Text nodes that start with "by" or "written by" (any case); their block holds the byline.
    # Only the start of each text node is normalised: doing the whole of it took 2 ms a page.
    checked = 0
    for node in _BYLINE_NODES(tree):
        starts = _BYLINE_START.match(node)
        if not starts and not _BYLINE_LABEL.match(node):
            continue
        checked += 1
        if checked > MAX_BYLINE_CANDIDATES:
            break
        if _in_menu(node):
            continue
        text = _byline_block_text(node) if starts else ""
        if text and parse_byline(text):
            found.append(text)
            break
        if _BYLINE_LABEL.match(node):
            # "<p>Written by</p><p>Jane Doe</p>": the name is the next text of the page.
            following = node.getparent().xpath("following::text()[normalize-space()][1]")
            name = collapse(str(following[0])) if following else ""
            if _LABELLED_NAME.match(name) and parse_byline(f"By {name}"):
                found.append(f"By {name}")
                break
    if not found:
        found.extend(_credit_sentences(tree))
    return found


def _credit_sentences(tree: Any) -> list[str]:
    """The names of a paragraph that starts by crediting its author ("This post was written
    by Jane Doe, MD, cardiologist."), as a byline."""
    for node in _WRITTEN_BY_NODES(tree)[:MAX_BYLINE_CANDIDATES]:
        if not _CREDIT_SENTENCE.match(node) or node.getparent() is None:
            continue
        # The names may be in elements of their own: the paragraph's text holds them.
        credit = _CREDIT_SENTENCE.match(spaced_text(node.getparent())[:300])
        if credit and credit.group(1) and parse_byline(f"By {credit.group(1)}"):
            return [f"By {credit.group(1)}"]
    return []


_MENU_LEVELS = 3
"""Elements around a text node (its own and those above) looked at to tell a menu entry."""


def _in_menu(node: Any) -> bool:
    """Whether a text node is an entry of a navigation menu ("By Role", "By Industry"): its
    element or one just above is a ``<nav>`` or has a menu's or drop-down's class. Only the
    nearest few: a page whose ``<nav>`` is never closed has its article inside it."""
    element = node.getparent()
    for _ in range(_MENU_LEVELS):
        if element is None:
            return False
        names = (element.get("class") or "").lower()
        if element.tag == "nav" or "menu" in names or "dropdown" in names:
            return True
        element = element.getparent()
    return False


_LEADING_DATE = re.compile(
    r"^\s*(?:(?P<month>[A-Za-z]{3,9})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?P<dmonth>[A-Za-z]{3,9})\.?,?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d)"
    r"(?:\s*[|·•–—-]\s*|\s+(?=by\b))",
    re.I,
)
"""A date opening a byline, and the mark or space that sets it off from the rest."""


def _byline_block_text(node: Any) -> str:
    """The text of the block a ``by …`` text node stands in, when it reads as a byline."""
    element = node.getparent()
    if element is not None and getattr(node, "is_tail", False):
        element = element.getparent()  # the text after a child element
    if element is not None and element.tag in _INLINE and len(str(node).split()) <= 2:
        element = element.getparent()  # "<p><b>By</b> <a>Jane Doe</a></p>"
    if element is None or element.tag not in _BYLINE_BLOCKS:
        return ""
    text = _without_leading_date(spaced_text(_links_set_apart(element)))
    return text if len(text) < 80 and _BYLINE_TEXT.match(text) else ""


def _links_set_apart(element: Any) -> Any:
    """``element``, or a copy of it where links that follow each other with only space
    between them are set apart by a bar: "By <a>Jane Doe</a> <a>View in Print</a>" is a name
    and a button, not one name."""
    links = [child for child in element if child.tag == "a"]
    if len(links) < 2:
        return element
    copy = deepcopy(element)
    for child in copy:
        following = child.getnext()
        space_between = not (child.tail or "").strip()
        if child.tag == "a" and following is not None and following.tag == "a" and space_between:
            child.tail = " | "
    return copy


def unique_names(raw_names: list[str], keep_accounts: bool = False) -> list[str]:
    """Cleaned names from raw author strings, each name once."""
    names: list[str] = []
    seen: set[str] = set()
    for raw in raw_names:
        for name in clean_author(raw, keep_accounts):
            key = normalise_key(name)
            if key not in seen:
                seen.add(key)
                names.append(name)
    return names


def _without_site(name: str, site_keys: set[str]) -> str:
    """``name`` without the site's name after it ("Jane Doe USA TODAY": her affiliation)."""
    words = name.split()
    for cut in range(2, len(words)):
        if normalise_key(" ".join(words[cut:])).removeprefix("the ") in site_keys:
            return " ".join(words[:cut])
    return name


def _is_site(name: str, site_keys: set[str]) -> bool:
    key = normalise_key(name).removeprefix("the ")
    return any(key == k or (len(key) > 5 and (key in k or k in key)) for k in site_keys if k)


def first_byline(texts: list[str]) -> list[str]:
    """The names of the first byline text that gives any: later ones are author boxes."""
    return next((names for names in map(parse_byline, texts) if names), [])


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isalpha()).upper()


def _completed(name: str, others: list[str]) -> str:
    """``name`` in full when it is initials alone ("NB", an avatar's) and one later name of
    the page has those initials ("Nicole Burke"); otherwise ``name``.

    (A name that merely starts a longer one is no such sign: "Mark Di" is cut short, and
    "Eric Gerard Ruiz" is not "Eric Gerard" followed by a role.)
    """
    if not (2 <= len(name) <= 3 and name.isalpha() and name.isupper()):
        return name
    matching = {other for other in others if len(other.split()) > 1 and _initials(other) == name}
    return matching.pop() if len(matching) == 1 else name


def choose_authors(sources: list[tuple[list[str], bool]], site_keys: set[str]) -> tuple[str, ...]:
    """The names of the first source that gives any; then an account name the page's metadata
    gives (``jdoe``); the publisher only as a last resort.

    ``sources`` are (raw strings, whether the page's metadata states them) in order of trust.
    """
    publisher: list[str] = []
    accounts: list[str] = []
    for rank, (candidates, stated) in enumerate(sources):
        names = unique_names(candidates)
        people = [
            n for n in (_without_site(n, site_keys) for n in names) if not _is_site(n, site_keys)
        ]
        if people:
            others = [n for raw, _ in sources[rank + 1 :] for n in unique_names(raw)]
            return tuple(_completed(name, others) for name in people[:8])
        if stated:
            names = unique_names(candidates, keep_accounts=True)
            accounts = accounts or [n for n in names if not _is_site(n, site_keys)]
        publisher = publisher or names  # the publisher named as author
    return tuple((accounts or publisher)[:8])
