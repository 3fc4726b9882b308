"""What a Swedish reader sees in a page, and what in it is not Swedish.

Used by ``test_swedish_pages.py``. The page is parsed with lxml's HTML parser; the visible text
is every text node outside ``<script>``, ``<style>``, ``<code>``, ``<pre>``, ``<template>`` and
``<noscript>``, plus the attributes a reader meets (``title``, ``alt``, ``placeholder``,
``aria-label``). Data attributes, values of form fields and links are not text.

Three checks, each on one "block" at a time (a table row, a list item, a paragraph, a heading,
a label, a caption, an option...), so a code beside its name in the same row is allowed:

1. **English words.** A word counts as English when ``wordfreq`` (word frequencies from large
   corpora in both languages, shipped with the package, offline) finds it common in English,
   Zipf ≥ 3 (at least once per million words), and clearly rarer in Swedish: at least
   ``ENGLISH_MARGIN`` lower on the Zipf (log10) scale, i.e. at least twenty times less frequent.
   Words used in both languages ("status", "data", "team", "scenario") pass; names and
   formats the pages must show are in ``src/kedja/web/locale/sv/allowed_english.txt``, each
   with its reason.
2. **Codes where a name exists.** Enumeration values with underscores (``outside_labour_force``)
   anywhere; a municipality code, SSYK code or organisation id from the database in a block that
   does not also show its name.
3. **Numbers and dates not in sv-SE.** A decimal point (``0.89``) or an ISO date
   (``2026-11-30``) in the text: Swedish pages write ``0,89`` and ``30 nov. 2026``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import html as lxml_html
from wordfreq import zipf_frequency

__all__ = ["ENGLISH_MARGIN", "allowed_english", "allowed_phrases", "is_english", "page_problems",
           "text_blocks"]

ENGLISH_MIN_ZIPF = 3.0
ENGLISH_MARGIN = 1.3
HIDDEN = {"script", "style", "code", "pre", "template", "noscript", "kbd", "samp"}
ROW_LEVEL = {"tr", "li", "p", "dt", "dd", "option", "h1", "h2", "h3", "h4", "h5", "h6", "caption",
             "figcaption", "label", "legend", "summary", "blockquote", "title"}
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
ENUM_VALUE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ADDRESS = re.compile(r"\S+@\S+|\bhttps?://\S+|\b[A-Z][A-Z0-9]*-[\w-]+")
"""E-mail addresses (user names), web addresses and ids such as ``DEMO-analyst``: not words."""
CODE_TOKEN = re.compile(r"(?<![\w-])[A-Z]{0,4}\d{2,6}(?![\w-])")


@cache
def allowed_english() -> frozenset[str]:
    """The allowed words of ``locale/sv/allowed_english.txt`` (comments stripped)."""
    text = resources.files("kedja.web").joinpath("locale", "sv", "allowed_english.txt").read_text(
        encoding="utf-8")
    return frozenset(line.split("#", 1)[0].strip().lower() for line in text.splitlines()
                     if line.split("#", 1)[0].strip())


@cache
def allowed_phrases() -> re.Pattern[str]:
    """The allowed entries of more than one word (a cited title, a label from a source)."""
    phrases = sorted((w for w in allowed_english() if not w.isalpha()), key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases) or "(?!)", re.IGNORECASE)


@cache
def is_english(word: str) -> bool:
    """Whether a word reads as English rather than Swedish (see the module's docstring).

    Examples:
        >>> is_english("the"), is_english("gardening"), is_english("kommun"), is_english("status")
        (True, True, False, False)
        >>> is_english("organisations"), is_english("users")
        (False, True)
    """
    lower = word.lower()
    if len(lower) < 2 or lower in allowed_english():
        return False
    english = zipf_frequency(lower, "en")
    if english < ENGLISH_MIN_ZIPF or zipf_frequency(lower, "sv") > english - ENGLISH_MARGIN:
        return False
    # a Swedish genitive ("organisations", "kommuns") of a word Swedish uses as much
    stem = lower[:-1]
    return not (lower.endswith("s") and len(stem) > 3
                and zipf_frequency(stem, "sv") > zipf_frequency(stem, "en") - ENGLISH_MARGIN)


@dataclass(frozen=True)
class Block:
    """The text of one block of a page, and a short description of where it is."""

    text: str
    where: str


def _visible_text(element: lxml_html.HtmlElement) -> Iterator[str]:
    if not isinstance(element.tag, str):
        return
    if not _is_hidden(element):
        for name in READ_ATTRIBUTES:
            if element.get(name):
                yield " " + element.get(name) + " "
        if element.text:
            yield element.text
        for child in element:
            yield from _visible_text(child)
    # the tail is outside the element, so it is visible even when the element is not
    if element.tail:
        yield element.tail


def _own_text(element: lxml_html.HtmlElement) -> str:
    parts = list(_visible_text(element))
    if element.tail and parts and parts[-1] == element.tail:
        parts.pop()  # the tail belongs to the parent's block
    return " ".join(" ".join(parts).split())


def text_blocks(page: str) -> list[Block]:
    """The page's visible text, one entry per row-level block (rows, items, paragraphs...).

    Examples:
        >>> [b.text for b in text_blocks("<table><tr><td>2580</td><td>Luleå</td></tr></table>"
        ...                             "<p>Hej <code>x_y</code><script>var a_b</script></p>")]
        ['2580 Luleå', 'Hej']
    """
    root = lxml_html.document_fromstring(page)
    blocks: list[Block] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in ROW_LEVEL:
            continue
        if any(a.tag in ROW_LEVEL or _is_hidden(a) for a in element.iterancestors()):
            continue  # counted with its outermost block, or hidden
        text = _own_text(element)
        if text:
            blocks.append(Block(text, _where(element)))
    blocks += _loose_text(root)
    return blocks


def _loose_text(root: lxml_html.HtmlElement) -> list[Block]:
    """Text not inside any row-level block (e.g. in a <div> or a table cell of a grid)."""
    found: list[Block] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ROW_LEVEL:
            continue
        if _is_hidden(element) or any(a.tag in ROW_LEVEL or _is_hidden(a)
                                       for a in element.iterancestors()):
            continue
        pieces = [element.text or ""] + [c.tail or "" for c in element]  # its own text nodes
        pieces += [" " + element.get(n) + " " for n in READ_ATTRIBUTES if element.get(n)]
        text = " ".join(" ".join(pieces).split())
        if text:
            found.append(Block(text, _where(element)))
    return found


def _is_hidden(element: lxml_html.HtmlElement) -> bool:
    """Not shown, or marked as another language (``lang="en"`` on the English switch)."""
    return (element.tag in HIDDEN or element.get("hidden") is not None
            or element.get("aria-hidden") == "true"
            or element.get("lang", "sv").split("-")[0] not in ("sv", ""))


def _where(element: lxml_html.HtmlElement) -> str:
    ident = element.get("id")
    return f"<{element.tag}{' id=' + ident if ident else ''}>"


def page_problems(page: str, names: Mapping[str, Collection[str]]) -> list[str]:
    """Everything in ``page`` that is not Swedish, as ``what: "text" in <block>`` lines.

    ``names`` maps each code that has a name (municipality, SSYK, organisation) to its names
    (a four-digit code may be both a municipality and an occupation group).

    Examples:
        >>> page_problems("<p>Status: outside_labour_force, 0.89 on 2026-11-30</p>", {})[:3]
        ['code "outside_labour_force" in <p>: ...', 'English "on" in <p>: ...', 'number "0.89" in <p>: ...']
        >>> page_problems("<table><tr><td>2580</td><td>Luleå</td></tr></table><p>Kommun 2580</p>",
        ...               {"2580": ["Luleå"]})
        ['code "2580" without its name (Luleå) in <p>: Kommun 2580']
        >>> page_problems("<p>Andel 0,89 den 30 nov. 2026</p>", {})
        []
    """
    problems: list[str] = []
    for block in text_blocks(page):
        problems += _block_problems(block, names)
    return sorted(set(problems), key=problems.index)


def _block_problems(block: Block, names: Mapping[str, Collection[str]]) -> list[str]:
    text = block.text
    shown = text if len(text) <= 160 else text[:157] + "..."
    found = [f'code "{m}" in {block.where}: {shown}' for m in ENUM_VALUE.findall(text)]
    cleaned = allowed_phrases().sub(" ", ENUM_VALUE.sub(" ", ADDRESS.sub(" ", text)))
    found += [f'English "{w}" in {block.where}: {shown}'
              for w in dict.fromkeys(WORD.findall(cleaned)) if is_english(w)]
    found += [f'number "{m}" in {block.where}: {shown}' for m in DECIMAL_POINT.findall(text)]
    found += [f'ISO date "{m}" in {block.where}: {shown}' for m in ISO_DATE.findall(text)]
    for code in dict.fromkeys(CODE_TOKEN.findall(ISO_DATE.sub(" ", text))):
        known = names.get(code)
        if known and not any(n.casefold() in text.casefold() for n in known):
            found.append(f'code "{code}" without its name ({" / ".join(known)}) in '
                         f'{block.where}: {shown}')
    return found
