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

__all__ = ["LabelEntry", "LabelIndex", "SearchHit", "folded"]

STOP = {"i", "och", "inom", "av", "for", "för", "the", "of", "and", "in"}


def folded(text: str) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed (å, ä, ö kept).

    Examples:
        >>> folded("Undersköterskor, hemtjänst/hemsjukvård")
        'undersköterskor hemtjänst hemsjukvård'

    """
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _variants(query: str) -> list[str]:
    words = [w for w in folded(query).split() if w not in STOP]
    variants = [folded(query)]
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


@dataclass(frozen=True)
class SearchHit:
    """A found concept with the label that matched best and a score 0–100."""

    code: str
    scheme: str
    label: str
    matched: str
    score: float


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
        self.entries = list(entries)
        self.choices = [folded(e.matched) for e in self.entries]

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
                                          round(float(score), 1))
        query = folded(text)

        def rank(hit: SearchHit) -> tuple[float, bool, bool, int, str]:
            # ties: an exact label first, then the group's own name, then the shortest label
            return (-hit.score, folded(hit.matched) != query,
                    not folded(hit.label).startswith(query[:max(4, len(query) - 2)]),
                    len(hit.matched), hit.code)

        return sorted(best.values(), key=rank)[:limit]


def _score(query: str, choice: str, **_: object) -> float:
    whole = fuzz.WRatio(query, choice)
    words = max((fuzz.ratio(query, word) for word in choice.split()), default=0.0)
    prefix = 3.0 if choice.startswith(query[:6]) else 0.0
    return min(100.0, max(whole, words) + prefix)
