"""The region's directory, offers and needs, and agreements (no personal data).

The directory and the postings are public: businesses and public buyers find the region's ASFs
without signing in. Posting needs and offers and recording agreements is for the organisation's
own staff; importing a whole directory (HSDS 3.0) is for administrators, one transaction, all or
nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from kedja.core.access import Permission, Principal, require_permission
from kedja.core.directory import (
    Agreement,
    HubService,
    Location,
    Posting,
    PostingSide,
    ServiceCategory,
)
from kedja.core.errors import Forbidden, InvalidInput, NotFound
from kedja.core.geography import Coordinates
from kedja.core.organisations import Organisation, OrganisationKind
from kedja.hub import (
    CapacityStatus,
    PostingMatch,
    suggest_matches,
)
from kedja.services import hsds
from kedja.services.capacity import free_places
from kedja.store import hub, records, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = [
    "DirectoryEntry",
    "HubOverview",
    "create_posting",
    "directory_entries",
    "directory_entry",
    "export_directory",
    "hub_overview",
    "import_directory",
    "list_agreements",
    "posting_matches",
    "record_agreement",
]


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """An organisation as the public directory shows it."""

    organisation: Organisation
    municipality: str
    services: tuple[HubService, ...]
    locations: tuple[Location, ...]
    capacity: CapacityStatus
    needs: tuple[Posting, ...]
    offers: tuple[Posting, ...]


@dataclass(frozen=True, slots=True)
class HubOverview:
    """Needs, offers, suggested matches and agreements."""

    needs: list[Posting]
    offers: list[Posting]
    matches: list[PostingMatch]
    agreements: list[Agreement]
    names: dict[str, str]
    postings: dict[str, Posting] = field(default_factory=dict)
    """Every open posting by id (a filtered overview's matches name the other party's)."""


def _municipality_names(session: Any) -> dict[str, str]:
    return {m.code: m.name for m in repo.list_municipalities(session)}


def directory_entries(engine: Engine, *, kind: OrganisationKind | None = None,
                      category: ServiceCategory | None = None,
                      municipality_code: str | None = None,
                      organisation_id: str | None = None) -> list[DirectoryEntry]:
    """The public directory: organisations with services, places and capacity (no people)."""
    with session_scope(engine) as session:
        directory = hub.load_directory(
            session, organisation_ids=None if organisation_id is None else [organisation_id])
        names = _municipality_names(session)
        postings = hub.postings(session)
        capacities = free_places(session, [o.id for o in directory.organisations])
        entries = []
        for org in directory.organisations:
            services = tuple(s for s in directory.services if s.organisation_id == org.id)
            if kind is not None and org.kind is not kind:
                continue
            if category is not None and all(s.category is not category for s in services):
                continue
            if municipality_code and org.municipality_code != municipality_code:
                continue
            own = [p for p in postings if p.organisation_id == org.id]
            if org.kind is OrganisationKind.EMPLOYER and not (services or own) and kind is None:
                continue  # the whole list shows the employers that have something posted
            entries.append(DirectoryEntry(
                org, names.get(org.municipality_code, org.municipality_code), services,
                tuple(loc for loc in directory.locations if loc.organisation_id == org.id),
                capacities[org.id],
                tuple(p for p in own if p.side is PostingSide.NEED),
                tuple(p for p in own if p.side is PostingSide.OFFER)))
    return entries


def directory_entry(engine: Engine, organisation_id: str) -> DirectoryEntry:
    """One organisation's public entry.

    Raises:
        NotFound: no organisation has the id.
    """
    with session_scope(engine) as session:
        if records.organisation_kind(session, organisation_id) is None:
            raise NotFound(f"no organisation has the id {organisation_id!r}",
                           field="organisation_id", value=organisation_id,
                           hint="browse the directory at /directory")
        kind = OrganisationKind(str(records.organisation_kind(session, organisation_id)))
    return directory_entries(engine, kind=kind, organisation_id=organisation_id)[0]


def export_directory(engine: Engine, *, fmt: str) -> bytes:
    """The directory as HSDS 3.0 JSON or the HSDS tabular package (see :mod:`.hsds`)."""
    return hsds.export_directory(engine, fmt=fmt)


def import_directory(engine: Engine, principal: Principal | None, data: bytes, *,
                     fmt: str = "", name: str = "") -> hsds.HsdsImport:
    """Import an HSDS 3.0 directory in one transaction, all or nothing (see :mod:`.hsds`)."""
    return hsds.import_directory(engine, principal, data, fmt=fmt, name=name)


def _seats(session: Any) -> dict[str, Coordinates]:
    return {m.code: m.seat for m in repo.list_municipalities(session)}


def hub_overview(engine: Engine, *, organisation_id: str | None = None) -> HubOverview:
    """Open needs and offers, suggested matches (best first) and agreements.

    With ``organisation_id``: only that organisation's needs and offers, the matches that
    involve them and its agreements (the hub's "mine" filter).
    """
    with session_scope(engine) as session:
        needs = hub.postings(session, side="need")
        offers = hub.postings(session, side="offer")
        asf_ids = set(session.scalars(select(t.OrganisationRow.id)
                                      .where(t.OrganisationRow.kind == "asf")))
        matches = suggest_matches(needs, offers, _seats(session), asf_ids=asf_ids)
        agreements = hub.agreements(session)
        every = {p.id: p for p in needs + offers}
        ids = ({p.organisation_id for p in needs + offers}
               | {a.buyer_organisation_id for a in agreements}
               | {a.supplier_organisation_id for a in agreements})
        if organisation_id is not None:  # the organisation's own needs, offers and agreements
            mine = {p.id for p in needs + offers if p.organisation_id == organisation_id}
            matches = [m for m in matches if m.need_id in mine or m.offer_id in mine]
            needs = [p for p in needs if p.id in mine]
            offers = [p for p in offers if p.id in mine]
            agreements = [a for a in agreements if organisation_id in (
                a.buyer_organisation_id, a.supplier_organisation_id)]
        names = dict(session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name)
                                     .where(t.OrganisationRow.id.in_(list(ids)))).all())
    return HubOverview(needs, offers, matches, agreements, {str(k): str(v) for k, v in names.items()},
                       every)


def posting_matches(engine: Engine) -> list[PostingMatch]:
    """Suggested need–offer matches, best first."""
    return hub_overview(engine).matches


def create_posting(engine: Engine, principal: Principal, *, side: str, kind: str, category: str,
                   title: str, municipality_code: str | None = None, description: str = "",
                   quantity: int = 1, reserved_contract: bool = False,
                   social_criteria: bool = False, valid_until: date | None = None,
                   today: date | None = None) -> Posting:
    """Post a need or an offer for the principal's organisation.

    Raises:
        Forbidden: the role may not post. InvalidInput: a bad field (named in the message).
    """
    require_permission(principal, Permission.POST_ON_HUB)
    posted = today or datetime.now(UTC).date()
    with session_scope(engine) as session:
        home = session.scalar(select(t.OrganisationRow.municipality_code)
                              .where(t.OrganisationRow.id == principal.organisation_id))
        place = municipality_code or home
        if place not in _seats(session):
            raise InvalidInput(f"{place!r} is not a municipality of the region",
                               field="municipality_code", value=place,
                               hint="give an SCB code, e.g. 2580 for Luleå")
        posting = Posting(f"{'N' if side == 'need' else 'O'}-{uuid.uuid4().hex[:10]}",
                          principal.organisation_id, PostingSide(side) if side in ("need", "offer")
                          else side, kind, category, title, str(place), posted,  # type: ignore[arg-type]
                          description=description, quantity=quantity,
                          reserved_contract=reserved_contract, social_criteria=social_criteria,
                          valid_until=valid_until)
        hub.save_postings(session, [posting])
    return posting


def record_agreement(engine: Engine, principal: Principal, *, need_id: str | None,
                     offer_id: str | None, buyer_organisation_id: str | None = None,
                     supplier_organisation_id: str | None = None, starts: date,
                     ends: date | None, terms: str) -> Agreement:
    """Record what two actors agreed; the principal's organisation must be one of them.

    With a need and an offer the parties come from them (the need's poster buys).

    Raises:
        Forbidden: the principal's organisation is not a party. NotFound: an unknown posting.
    """
    require_permission(principal, Permission.POST_ON_HUB)
    with session_scope(engine) as session:
        found = {p.id: p for p in hub.postings(session, status=None,
                                               ids=[i for i in (need_id, offer_id) if i])}
        for posting_id in (need_id, offer_id):
            if posting_id and posting_id not in found:
                raise NotFound(f"no posting {posting_id!r}", field="need_id", value=posting_id,
                               hint="pick a need and an offer from /hub")
        buyer = found[need_id].organisation_id if need_id else buyer_organisation_id
        supplier = found[offer_id].organisation_id if offer_id else supplier_organisation_id
        if not buyer or not supplier:
            raise InvalidInput("an agreement needs a buyer and a supplier", field="offer_id",
                               hint="give a need and an offer, or both organisations")
        if principal.organisation_id not in (buyer, supplier):
            raise Forbidden("only a party records an agreement", field="organisation",
                            value=principal.organisation_id,
                            hint=f"{buyer} or {supplier} records it")
        agreement = Agreement(f"A-{uuid.uuid4().hex[:10]}", buyer, supplier, starts, terms, ends,
                              need_id, offer_id)
        hub.save_agreement(session, agreement, at=datetime.now(UTC), by=principal.username)
    return agreement


def list_agreements(engine: Engine, principal: Principal) -> list[Agreement]:
    """Agreements recorded on the hub (between organisations; no personal data)."""
    require_permission(principal, Permission.READ_ORGANISATIONS)
    with session_scope(engine) as session:
        return hub.agreements(session)

