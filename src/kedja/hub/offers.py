"""Suggested matches between needs and offers: service category, geography and capacity.

A need and an offer match when they are about the same category and fit together (a need to buy
a service meets an offered service, which ASFs post; a placement meets an offered placement or
training). A recruitment need meets no offer: an employer recruits among candidates, whom the
Employment Service and the municipalities refer to its vacancies, so a work-training place
("Praktik") is never suggested for it. Each pair gets a score in [0, 1] with its factors, so a
page can say why:

* ``distance``: 1 within :data:`NEAR_KM`, falling linearly to 0 at :data:`FAR_KM` (great-circle
  distance between the municipalities' seats, as the region's actors travel by road);
* ``capacity``: the share of the need's quantity the offer can cover;
* a reserved contract or social procurement criteria favour an ASF's offer (``social``).

The score is ``0.5·distance + 0.3·capacity + 0.2·social``. Complexity O(needs × offers).

Examples:
    >>> from datetime import date
    >>> from kedja.core.geography import Coordinates
    >>> from kedja.core.directory import ServiceCategory
    >>> need = Posting("N1", "KOM2580", PostingSide.NEED, PostingKind.SERVICE_PURCHASE,
    ...                ServiceCategory.CLEANING, "Städning", "2580", date(2026, 1, 1),
    ...                quantity=4, reserved_contract=True)
    >>> offer = Posting("O1", "ASF001", PostingSide.OFFER, PostingKind.SERVICE,
    ...                 ServiceCategory.CLEANING, "Städ", "2582", date(2026, 1, 1), quantity=2)
    >>> seats = {"2580": Coordinates(65.58, 22.15), "2582": Coordinates(65.82, 21.69)}
    >>> [m.offer_id for m in suggest_matches([need], [offer], seats, asf_ids={"ASF001"})]
    ['O1']
    >>> round(suggest_matches([need], [offer], seats, asf_ids={"ASF001"})[0].score, 2)
    0.84
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kedja.core.directory import Posting, PostingKind, PostingSide
from kedja.core.geography import Coordinates, great_circle_km

__all__ = ["FAR_KM", "NEAR_KM", "PostingMatch", "fits", "suggest_matches"]

NEAR_KM = 30.0
FAR_KM = 250.0
FITS: dict[PostingKind, frozenset[PostingKind]] = {
    PostingKind.SERVICE_PURCHASE: frozenset({PostingKind.SERVICE}),
    PostingKind.RECRUITMENT: frozenset(),  # candidates, not offers: see the module's docstring
    PostingKind.PLACEMENT: frozenset({PostingKind.PLACEMENT, PostingKind.TRAINING}),
}
"""Which kinds of offer answer which kinds of need."""


@dataclass(frozen=True, slots=True)
class PostingMatch:
    """A suggested need–offer pair with its score and factors."""

    need_id: str
    offer_id: str
    score: float
    distance_km: float
    distance: float
    capacity: float
    social: float


def fits(need: Posting, offer: Posting) -> bool:
    """Whether an offer could answer a need: open, same category, fitting kinds, other parties."""
    return (need.side is PostingSide.NEED and offer.side is PostingSide.OFFER
            and need.status == "open" and offer.status == "open"
            and need.category is offer.category
            and offer.kind in FITS.get(need.kind, frozenset())
            and need.organisation_id != offer.organisation_id)


def _distance_factor(km: float) -> float:
    if km <= NEAR_KM:
        return 1.0
    return max(0.0, 1.0 - (km - NEAR_KM) / (FAR_KM - NEAR_KM))


def suggest_matches(needs: Iterable[Posting], offers: Iterable[Posting],
                    seats: Mapping[str, Coordinates], *, asf_ids: frozenset[str] | set[str],
                    limit: int = 50) -> list[PostingMatch]:
    """The best pairs first (score, then ids); pairs beyond :data:`FAR_KM` are left out."""
    offers = list(offers)
    matches = []
    for need in needs:
        for offer in offers:
            if not fits(need, offer):
                continue
            km = great_circle_km(seats[need.municipality_code], seats[offer.municipality_code])
            distance = _distance_factor(km)
            if distance <= 0.0:
                continue
            capacity = min(1.0, offer.quantity / need.quantity)
            wants_social = need.reserved_contract or need.social_criteria
            social = 1.0 if wants_social and offer.organisation_id in asf_ids else 0.0
            score = 0.5 * distance + 0.3 * capacity + 0.2 * social
            matches.append(PostingMatch(need.id, offer.id, score, km, distance, capacity, social))
    matches.sort(key=lambda m: (-m.score, m.need_id, m.offer_id))
    return matches[:limit]
