"""Finding occupations and skills by Swedish or English text, tolerant of typos and inflection.

Labels are folded (case, punctuation, and the Swedish compound written apart: "lärare i
förskola" is also tried as the compound "förskollärare" and as its words). Scoring uses
RapidFuzz (C++ Levenshtein/Indel, maintained, MIT): the best of ``WRatio`` over the whole label
and ``partial_ratio`` of the query against the label's words, so "svetsare" finds
"Svetsare och gasskärare", "undersköterska" finds "Undersköterskor, hemtjänst..." and
"truckförare" tolerates "truckforare". A label that starts with the query gets a small bonus.

Complexity: O(L · q) per query over L labels (about 25,000 Swedish and English labels: a few
milliseconds with ``rapidfuzz.process.extract``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

__all__ = ["LabelEntry", "LabelIndex", "SearchHit", "folded", "plain"]

HEADS = {"arbetare", "tekniker", "forare", "skotare", "montorer", "mekaniker", "operatorer",
         "ingenjorer", "larare", "assistenter", "handlaggare", "saljare", "chefer"}
"""Common heads of Swedish occupation compounds (plural, as in SSYK names), for elisions."""
RELATIVE_CUTOFF = 15.0
"""Hits more than this far below the best are noise for the question asked ("underskoterska":
assistant nurses at 98, dental nurses at 81): measured on tests/taxonomy/data/occupation_queries.csv
(top-5 accuracy unchanged)."""
STOP = {"i", "och", "inom", "av", "for", "för", "the", "of", "and", "in"}


def folded(text: str) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed (å, ä, ö kept).

    Examples:
        >>> folded("Undersköterskor, hemtjänst/hemsjukvård")
        'undersköterskor hemtjänst hemsjukvård'

    """
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def plain(text: str) -> str:
    """:func:`folded` without diacritics, so "underskoterska" meets "undersköterska".

    Examples:
        >>> plain("Undersköterskor, hemtjänst")
        'underskoterskor hemtjanst'

    """
    decomposed = unicodedata.normalize("NFKD", folded(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _variants(query: str) -> list[str]:
    words = [w for w in plain(query).split() if w not in STOP]
    variants = [plain(query)]
    if len(words) >= 2:  # "lärare i förskola" → "förskollärare": Swedish compounds head-last
        head, modifier = words[0], words[-1]
        variants.append(modifier.rstrip("aeo") + head)
        variants.append(modifier + head)
    return [v for v in dict.fromkeys(variants) if v]


@dataclass(frozen=True)
class LabelEntry:
    """A searchable label pointing at a concept."""

    code: str
    scheme: str
    label: str
    matched: str
    prior: float = 0.0


@dataclass(frozen=True)
class SearchHit:
    """A found concept with the label that matched best and a score 0–100."""

    code: str
    scheme: str
    label: str
    matched: str
    score: float
    prior: float = 0.0


class LabelIndex:
    """An in-memory index of labels, searched with RapidFuzz.

    Examples:
        >>> names = [("7212", "Svetsare och gasskärare"), ("2342", "Förskollärare")]
        >>> index = LabelIndex(LabelEntry(code, "ssyk", name, name) for code, name in names)
        >>> [h.code for h in index.search("svetsre")]
        ['7212']
        >>> index.search("lärare i förskola")[0].code
        '2342'

    """

    def __init__(self, entries: Iterable[LabelEntry]) -> None:
        given = list(entries)
        heads = {w for e in given for w in plain(e.matched).split() if len(w) >= 5} | HEADS
        self.entries = []
        for entry in given:
            self.entries.append(entry)
            self.entries += [LabelEntry(entry.code, entry.scheme, entry.label, whole,
                                        entry.prior) for whole in _elided(entry.matched, heads)]
        self.choices = [plain(e.matched) for e in self.entries]

    def search(self, text: str, *, limit: int = 10, schemes: set[str] | None = None,
               cutoff: float = 70.0) -> list[SearchHit]:
        """The best concepts for ``text`` (one hit per concept, best label), best first."""
        best: dict[tuple[str, str], SearchHit] = {}
        for variant in _variants(text):
            for _, score, i in process.extract(variant, self.choices, scorer=_score,
                                               limit=limit * 20, score_cutoff=cutoff):
                entry = self.entries[i]
                if schemes is not None and entry.scheme not in schemes:
                    continue
                key = (entry.scheme, entry.code)
                if key not in best or score > best[key].score:
                    best[key] = SearchHit(entry.code, entry.scheme, entry.label, entry.matched,
                                          round(float(score), 1), entry.prior)
        query = plain(text)

        def rank(hit: SearchHit) -> tuple[float, bool, float, bool, int, str]:
            # near ties (same whole score): an exact label first, then the larger occupation
            # (``prior``, e.g. log employees: the likelier meaning), then the group's own name
            return (-round(hit.score), plain(hit.matched) != query, -hit.prior,
                    not plain(hit.label).startswith(query[:max(4, len(query) - 2)]),
                    len(hit.matched), hit.code)

        hits = sorted(best.values(), key=rank)
        floor = hits[0].score - RELATIVE_CUTOFF if hits else 0.0
        return [h for h in hits if h.score >= floor][:limit]


def _elided(label: str, heads: set[str]) -> list[str]:
    """Compounds written with a shared head.

    "Gruv- och stenbrottsarbetare" also stands for "gruvarbetare". The head is not marked, so
    every ending of the second word that is a word of its own somewhere in the labels
    (``heads``) is tried.

    Examples:
        >>> _elided("Gruv- och stenbrottsarbetare", {"arbetare"})
        ['Gruvarbetare']

    """
    result = []
    for first, second in re.findall(r"(\w+)-,? (?:och |eller )?(\w+)", label):
        result += [first + second[-n:] for n in range(4, len(second) - 1)
                   if plain(second[-n:]) in heads]
    return result


def _score(query: str, choice: str, **_: object) -> float:
    """Best of the whole label and its single words, with guards against short-word noise.

    A label much shorter than the query ("nun" for "undersköterska") is judged by plain edit
    distance only (WRatio's partial matching would let it through), and a single word counts
    only when it is at least four letters and not much shorter than the query.
    """
    short = len(choice) * 2 < len(query)
    whole = fuzz.ratio(query, choice) if short else fuzz.WRatio(query, choice)
    words = max((_word_score(query, word) for word in choice.split()
                 if len(word) >= 4 and len(word) * 4 >= len(query) * 3), default=0.0)
    prefix = 3.0 if choice.startswith(query[:max(6, len(query) - 2)]) else 0.0
    return min(100.0, max(whole, words) + prefix)


def _word_score(query: str, word: str) -> float:
    """How well one word of a label matches.

    A word that ends in the query is a kind of it (Swedish compounds are head-last:
    "serviceelektriker" is an "elektriker") and counts like the word itself; a single word
    never outranks a whole label that matches (at most 95).
    """
    if len(query) >= 5 and word.endswith(query):
        return 95.0
    return min(95.0, fuzz.ratio(query, word))
