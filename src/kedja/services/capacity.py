"""Free places of a receiving organisation: the one computation every page and the API use.

``free = places − people holding a place``, where

* **places** are the organisation's published places: the sum of its active services'
  capacity (HSDS ``service_capacity.maximum``), or else an ASF's placement capacity;
* **people holding a place** are the distinct people who, on the day, are enrolled in one of
  the organisation's opportunities (no end yet, or ending on or after the day) or whose
  referral to it is accepted or started. A person counted both ways (a started referral
  enrolls them) holds one place.

The directory, the hub, the referral pages and the organisation picker, the coordinator's
roster and the referral creation (a full receiver puts a new referral on its waiting list) all
call :func:`free_places`; nothing else computes free places (see ``docs/hub.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.hub.capacity import CapacityStatus, capacity_status
from kedja.store import hub, session_scope

__all__ = ["free_places", "free_places_at", "free_places_of"]


def _today() -> date:
    return datetime.now(UTC).date()


def free_places(session: Session, organisation_ids: Iterable[str], *,
                on: date | None = None) -> dict[str, CapacityStatus]:
    """Each organisation's places, the people holding them on ``on`` (today) and what is free.

    Three queries whatever the number of organisations. An organisation without published
    places has level ``unknown`` and ``free`` ``None``.
    """
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    day = on or _today()
    places = hub.capacities_of(session, ids)
    held = hub.people_in_places(session, ids, on=day)
    return {i: capacity_status(places[i], len(held[i])) for i in ids}


def free_places_at(session: Session, organisation_id: str, *,
                   on: date | None = None) -> CapacityStatus:
    """One organisation's status, as :func:`free_places`."""
    return free_places(session, [organisation_id], on=on)[organisation_id]


def free_places_of(engine: Engine, organisation_ids: Iterable[str], *,
                   on: date | None = None) -> dict[str, CapacityStatus]:
    """:func:`free_places` in its own read transaction (for pages that hold no session)."""
    with session_scope(engine) as session:
        return free_places(session, organisation_ids, on=on)
