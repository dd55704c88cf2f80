"""Boilerplate rules and the sanitised preview HTML.

Boilerplate is recognised by general signals only: class and id names (share, social, comment,
disclaimer, newsletter, related, caption …) on block elements that neither hold the article's
main paragraphs nor more than one prose paragraph of their own, and short lines whose wording
is the stock phrasing of share bars, comment forms, disclaimers, newsletter boxes, donation
appeals and link lists. A line is only ever dropped for its wording when it is short, so long
article paragraphs survive.

The preview HTML is rebuilt from a whitelist of structural tags and checked again with
lxml_html_clean, so no script, style, form, frame, event handler or remote load gets through.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml_html_clean import Cleaner

from corpusdesk.core.scripts import count_words
from corpusdesk.importing.embedded import REFERENCE
from corpusdesk.importing.spacing import remove_element

_SPACE = re.compile(r"[\s\u00a0\u200b\u2028\u2029\ufeff]+")
_NON_WORD = re.compile(r"[\W_]+")

# fmt: off
BOILERPLATE_TOKENS = frozenset((
    "share", "sharing", "sharebar", "sharedaddy", "social", "addtoany", "a2a", "sociable",
    "comments", "comment", "respond", "commentform", "commentlist", "disqus",
    "disclaimer", "newsletter", "subscribe", "subscription", "signup", "optin", "mailchimp",
    "related", "relatedposts", "yarpp", "donate", "donation", "donations", "paywall",
    "adsbygoogle", "sponsored", "cookie", "gdpr", "tagcloud", "tags", "taglist",
    "caption", "figcaption", "skiplink", "byline", "consent", "affiliate",
))
# fmt: on
"""Class/id name parts that mark an element as page furniture rather than article text."""


def _name_part(*parts: str) -> re.Pattern[str]:
    """Matches lower-cased class/id names that have one of ``parts`` as a whole part."""
    alternatives = "|".join(sorted(map(re.escape, parts), key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


_FURNITURE_NAME = _name_part(*BOILERPLATE_TOKENS)
_CAPTION_NAME = _name_part("caption")
_BOILERPLATE_TAGS = ("form", "aside", "nav", "figcaption", "button", "select", "textarea", "iframe")
_CONTAINER_TAGS = frozenset(
    "div section article header footer ul ol li p h2 h3 h4 h5 h6 figure table dl".split()
)
_CLASS_AND_ID = etree.XPath("//@class | //@id")

PROSE_CHARS = 150
"""A paragraph at least this long is prose; furniture holds at most one of them."""

_PHRASES = re.compile(
    r"^(?:"
    r"spread the love|share (?:this|the|on|via)\b|share:?$|sharing is caring|"
    r"(?:please )?share (?:this )?(?:article|story|post)|click to share|"
    r"leave a (?:reply|comment)|post comment|add (?:a )?comment|cancel reply|"
    r"your email address will not be published|required fields are marked|"
    r"save my name,? email|you must be logged in|comments? (?:are )?closed|"
    r"\d+ comments?$|no comments|join the (?:discussion|conversation)|"
    r"(?:post )?disclaimer\b|"
    r"(?:subscribe|sign up)(?: now)?(?: to| for)? (?:our|the|my)? ?(?:free )?"
    r"(?:daily |weekly )?(?:newsletter|mailing list|updates|email)|"
    r"get (?:the latest|our) .{0,40}(?:inbox|newsletter)|"
    r"(?:please )?(?:donate|make a donation|support (?:us|our work|independent)|"
    r"become a (?:member|patron|supporter|subscriber))\b|"
    r"(?:related|recommended|popular|trending|latest|recent|more) "
    r"(?:articles|posts|stories|news|reads|content)\b|"
    r"table of contents\b|(?:contents|in this (?:article|post|guide)|advertisement)$|"
    r"\d+ ?(?:min(?:ute)?s?|hours?) read$|jump to\b|back to top$|"
    r"(?:you (?:may|might) (?:also )?like|read (?:more|next|also)|also read|see also)\b|"
    r"tags?:|tags$|filed (?:under|in)\b|posted in\b|categories:|"
    r"skip to (?:main )?content|built with\b|powered by\b|all rights reserved|"
    r"follow us\b|print this|email this|copyright ©|© ?\d{4}"
    r")",
    re.IGNORECASE,
)
_ANYWHERE = re.compile(
    r"views expressed (?:by|in) .{0,80}(?:are (?:their|his|her|the author'?s?) own|"
    r"do not necessarily reflect)|"
    r"your email address will not be published|tax[- ]deductible|"
    r"registered 501\(?c\)?\(?3\)?",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"\bcookies?\b.{0,80}\b(?:consent|accept|agree|privacy|partners|preferences|settings)\b|"
    r"\b(?:consent|accept|agree|partners|preferences)\b.{0,80}\bcookies?\b|"
    r"\baffiliate (?:links?|commissions?|partners?|programs?)\b|"
    r"\bearn (?:a )?(?:small )?commission\b|"
    r"\b(?:donate (?:now|today)|support (?:our|independent) (?:work|journalism))\b",
    re.IGNORECASE,
)
_NOTICE_WORDS = ("cookie", "affiliate", "commission", "donate", "support")
_CAPTION = re.compile(r"^\(?(?:photo|image|picture|credit|file photo|illustration)s?\s*[:/]", re.I)
_CAPTION_TAIL = re.compile(r"\((?:photo|image|picture|credit)s?\s*[:/][^)]*\)\s*$", re.I)
_BYLINE = re.compile(r"^\s*(?:written |posted |words |reported )?by\b", re.I)
_DATE_LINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated)(?: on)?:?\s*)?[\w ,.:/-]{0,12}"
    r"(?:\d{4}|\d{1,2}:\d\d)[\w ,.:/+-]{0,20}$",
    re.I,
)

PREVIEW_TAGS = frozenset(
    [
        "p",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "sub",
        "sup",
        "code",
        "pre",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
    ]
)
"""The only tags the preview HTML may contain."""

_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=True,
    inline_style=True,
    links=True,
    meta=True,
    page_structure=True,
    processing_instructions=True,
    embedded=True,
    frames=True,
    forms=True,
    annoying_tags=True,
    remove_unknown_tags=False,
    allow_tags=PREVIEW_TAGS | {"div", "img"},
    safe_attrs_only=True,
    safe_attrs=frozenset({"href", "src", "alt"}),
)


def collapse(text: str | None) -> str:
    """``text`` with every run of whitespace (no-break spaces included) made one space."""
    return _SPACE.sub(" ", text or "").strip()


@lru_cache(maxsize=1024)
def normalise_key(text: str | None) -> str:
    """A comparison key: NFKC, case-folded, letters and digits only, single spaces.

    Cached: every block of a page is compared with the same title, byline and captions.
    """
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _NON_WORD.sub(" ", text).strip()


def main_container(tree: Any) -> Any | None:
    """The element holding the most paragraph text directly: the heart of the article."""
    totals: dict[Any, int] = {}
    for para in tree.iter("p"):
        parent = para.getparent()
        if parent is not None:
            totals[parent] = totals.get(parent, 0) + len(para.text_content())
    if not totals:
        return None
    ranked = sorted(totals, key=totals.__getitem__, reverse=True)[:5]
    for candidate in ranked:
        chain = [candidate, *candidate.iterancestors()]
        if not any(_is_furniture(element) for element in chain):
            return candidate
    return ranked[0]


def _is_furniture(element: Any) -> bool:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _BOILERPLATE_TAGS:
        return True
    if tag not in _CONTAINER_TAGS:
        return False
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return _FURNITURE_NAME.search(names) is not None


def is_furniture_named(element: Any) -> bool:
    """Whether the class or id names of ``element`` say page furniture."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return _FURNITURE_NAME.search(names) is not None


def _named_or_furniture_tags(tree: Any) -> dict[Any, bool]:
    """Elements whose class/id names say furniture, or whose tag does, in no special order.

    Each maps to whether its names say it is a caption. Reading the class and id values in one
    XPath call and testing only those is several times faster than visiting every element.
    """
    found: dict[Any, bool] = {}
    for value in _CLASS_AND_ID(tree):
        names = value.lower()
        if _FURNITURE_NAME.search(names):
            element = value.getparent()
            found[element] = found.get(element, False) or bool(_CAPTION_NAME.search(names))
    for element in tree.iter(*_BOILERPLATE_TAGS):
        found.setdefault(element, False)
    return found


def prune_boilerplate(tree: Any) -> list[str]:
    """Remove page furniture from ``tree`` in place; return the photo captions found.

    An element is removed when its tag is a form/aside/nav-like tag or its class/id names
    say it is furniture, unless it contains the article's main paragraph container.
    """
    main = main_container(tree)
    protected = set(main.iterancestors()) | {main} if main is not None else set()
    captions: list[str] = []
    doomed = []
    for element, named_caption in _named_or_furniture_tags(tree).items():
        if element in protected:
            continue
        tag = element.tag.lower()
        if tag == "figcaption" or named_caption:
            captions.append(collapse(element.text_content()))
        furniture = tag in _BOILERPLATE_TAGS or tag in _CONTAINER_TAGS
        if furniture and _is_small_or_linky(element):
            doomed.append(element)
    for element in doomed:
        if element.tag != "html":
            remove_element(element)
    return [c for c in captions if c]


def _is_small_or_linky(element: Any) -> bool:
    """Furniture holds at most one prose paragraph or is mostly links; else it may be article."""
    prose = 0
    for para in element.iter("p", "li", "blockquote"):
        if len(para.text_content()) >= PROSE_CHARS:
            prose += 1
            if prose > 1:
                break
    if prose <= 1:
        return True
    chars = len(element.text_content())
    link_chars = sum(len(link.text_content()) for link in element.iter("a"))
    return link_chars >= 0.6 * chars


def is_boilerplate_line(text: str, max_words: int = 40) -> bool:
    """Whether a short block of text is stock page furniture (share bar, comment form …)."""
    words = count_words(text)
    if words > max_words:
        return False
    stripped = text.strip(" \t*•|-–—:>")
    return bool(_PHRASES.match(stripped) or _ANYWHERE.search(stripped))


MAX_NOTICE_WORDS = 90
"""A cookie, affiliate or donation notice is a paragraph or two at most."""


def is_notice(text: str) -> bool:
    """Whether ``text`` is a cookie-consent, affiliate-link or donation notice."""
    lowered = text.lower()
    if not any(word in lowered for word in _NOTICE_WORDS):
        return False  # a quick look first: most paragraphs have none of the words
    return count_words(text) <= MAX_NOTICE_WORDS and _NOTICE.search(text) is not None


def is_caption(text: str, captions: list[str]) -> bool:
    """Whether ``text`` is a photo caption (one of ``captions``, or worded like one)."""
    key = normalise_key(text)
    if key and any(key == normalise_key(c) for c in captions):
        return True
    return count_words(text) <= 30 and bool(_CAPTION.match(text) or _CAPTION_TAIL.search(text))


def is_byline(text: str, authors: tuple[str, ...]) -> bool:
    """Whether a short line is a byline or dateline (``By X``, ``X | 12 May 2023``)."""
    words = count_words(text)
    if not words or words > 14:
        return False
    key = normalise_key(text)
    for name in authors:
        name_key = normalise_key(name)
        if name_key and (key == name_key or (name_key in key and words <= 10)):
            return True
    if _BYLINE.match(text) and words <= 8:
        return True
    return bool(_DATE_LINE.match(text))


def _allowed_attribute(tag: str, attribute: str) -> bool:
    return (tag, attribute) in (("a", "href"), ("img", "src"), ("img", "alt"))


def sanitise_html(fragment: str) -> str:
    """Make preview HTML safe: whitelisted tags only, ``href`` only for http(s)/mailto links.

    The one image allowed is an ``<img>`` whose source is a reference to an image its capture
    holds (``embedded:…``, see :mod:`corpusdesk.importing.embedded`); it loads nothing.
    """
    if not fragment.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
        _CLEANER(root)
    except (ValueError, TypeError):
        return ""
    for element in list(root.iter("*")):
        if not isinstance(element.tag, str):
            element.drop_tree()
            continue
        for attribute in list(element.attrib):
            if not _allowed_attribute(element.tag, attribute):
                del element.attrib[attribute]
        if element.tag == "img":
            if not REFERENCE.fullmatch(element.get("src") or ""):
                element.drop_tree()
            continue
        if element.tag == "a":
            href = (element.get("href") or "").strip()
            if not href.lower().startswith(("http://", "https://", "mailto:")):
                element.attrib.pop("href", None)
        if element.tag not in PREVIEW_TAGS and element is not root:
            element.drop_tag()
    return "".join(
        lxml_html.tostring(child, encoding="unicode") if not isinstance(child, str) else child
        for child in _children_with_text(root)
    )


def _children_with_text(root: Any) -> list[Any]:
    parts: list[Any] = [lxml_html_escape(root.text)] if root.text else []
    parts.extend(root)
    return parts


def lxml_html_escape(text: str) -> str:
    """``text`` escaped for use as HTML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
