"""Names and personal numbers: shown and searched only inside what the reader may see.

Every read of an identity goes through the gate (:mod:`kedja.services.gate`: role,
organisation, consent and its purposes, view). A search by number looks the number's keyed
index up and then asks the gate whether the reader may see the match; a search by name
decrypts the names of the reader's own visible caseload in memory (names are never indexed,
so the database gives nothing away) and matches them with rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kedja.core.access import (
    Permission,
    PersonView,
    Principal,
    Purpose,
    require_permission,
)
from kedja.core.audit import AuditAction
from kedja.core.errors import InvalidInput
from kedja.core.identity import personal_number
from kedja.core.people import Person
from kedja.core.protected import ProtectedAttributes
from kedja.demo.identities import demo_identities
from kedja.services import gate
from kedja.services.gate import audit_reads
from kedja.store import identity, own_data, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = [
    "Identity",
    "PersonMatch",
    "identity_of",
    "name_matches",
    "new_data_key",
    "person_identity",
    "person_names",
    "rotate_keys",
    "save_demo_identities",
    "search_people",
]

MAX_RESULTS = 50
NAME_SCORE = 80
"""Least rapidfuzz partial-ratio for a name match: 'Lindqvist' finds 'Anna Lindqvist' (100),
'Lindkvist' too (89), 'Larsson' does not (≈ 50). Chosen on the demo's names; documented in
docs/loading.md."""


@dataclass(frozen=True)
class Identity:
    """A person's name and personal number (``None`` when not given)."""

    name: str
    personal_number: str | None


@dataclass(frozen=True)
class PersonMatch:
    """A search hit the reader may see."""

    person_id: str
    name: str
    personal_number: str | None
    """Shown in the case view only; ``None`` for an employer's candidate view."""
    municipality_code: str
    status: str


def save_demo_identities(session: Session, people: Sequence[Person],
                         protected: Sequence[ProtectedAttributes], *, seed: int) -> None:
    """Seal the demo's fake names and personal numbers (``kedja.demo.identities``)."""
    ring = identity.keyring()
    births = {a.person_id: a.birth_year for a in protected}
    found = demo_identities([p.id for p in people], births, seed=seed)
    repo.insert_many(session, t.PersonIdentityRow, [
        {"person_id": pid, "owner_id": "", "external_id": None,
         "name_token": ring.seal(name, field="name", person_id=pid),
         "number_token": ring.seal(number, field="personal_number", person_id=pid),
         "number_index": ring.index(number), "key_id": ring.key_id}
        for pid, (name, number) in found.items()])


def _open(row: t.PersonIdentityRow, ring: identity.Keyring) -> Identity:
    name = ring.open(row.name_token, field="name", person_id=row.person_id)
    number = (ring.open(row.number_token, field="personal_number", person_id=row.person_id)
              if row.number_token else None)
    return Identity(name, number)


def identity_of(session: Session, person_id: str) -> dict[str, str | None] | None:
    """A person's identity for their own data export (the caller has checked the right)."""
    rows = own_data.identities(session, [person_id])
    if not rows:
        return None
    found = _open(rows[0], identity.keyring())
    return {"name": found.name, "personal_number": found.personal_number}


def _visible_people(session: Session, principal: Principal, candidates: list[str] | None,
                    purpose: Purpose) -> dict[str, PersonView]:
    """The people (of ``candidates``, or the whole caseload) the principal may see.

    The one place where this module decides visibility: the gate
    (:func:`kedja.services.gate.visible_people`), consent purposes included.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    return gate.visible_people(session, principal, purpose, among=candidates)


def _matches(session: Session, views: dict[str, PersonView], rows: list[t.PersonIdentityRow],
             identities: dict[str, Identity]) -> list[PersonMatch]:
    people = {r.id: r for r in session.scalars(select(t.PersonRow).where(
        t.PersonRow.id.in_([r.person_id for r in rows]), t.PersonRow.erased_on.is_(None)))}
    return [PersonMatch(r.person_id, identities[r.person_id].name,
                        identities[r.person_id].personal_number
                        if views.get(r.person_id) is PersonView.FULL else None,
                        people[r.person_id].municipality_code, people[r.person_id].status)
            for r in rows if r.person_id in people]


def search_people(engine: Engine, principal: Principal, query: str, *,
                  purpose: Purpose = Purpose.CASE_MANAGEMENT) -> list[PersonMatch]:
    """People the principal may see whose name or personal number matches ``query``; audited.

    A query of digits (with ``-`` or ``+``) is a personal number and must be valid; anything
    else is a name (or part of one), matched case-insensitively and fuzzily.

    Raises:
        Forbidden: the principal's roles may not read people's records.
        InvalidInput: an empty query, or a personal number with a wrong check digit or date.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    text = query.strip()
    if len(text) < 2:
        raise InvalidInput("a search needs at least two characters", field="q", value=query,
                           hint="type part of a name, or a whole personal number")
    ring = identity.keyring()
    with session_scope(engine) as session:
        if text.replace("-", "").replace("+", "").replace(" ", "").isdigit():
            number = personal_number(text)
            ids = list(session.scalars(select(t.PersonIdentityRow.person_id).where(
                t.PersonIdentityRow.number_index.in_(ring.indexes(number)))))
            views = _visible_people(session, principal, ids, purpose)
            rows = own_data.identities(session, list(views))
            found = {r.person_id: _open(r, ring) for r in rows}
        else:
            views = _visible_people(session, principal, None, purpose)
            rows = own_data.identities(session, name_matches(session, views, text))
            found = {r.person_id: _open(r, ring) for r in rows}
        hits = _matches(session, views, rows, found)
        hits.sort(key=lambda h: (-fuzz.WRatio(text, h.name), h.name))
        hits = hits[:MAX_RESULTS]
        audit_reads(session, principal, [h.person_id for h in hits], purpose, action=AuditAction.LIST)
    return hits


def name_matches(session: Session, views: dict[str, PersonView], text: str) -> list[str]:
    """The ids among ``views`` (people the gate has opened) whose name matches ``text``.

    Best match first, at most :data:`MAX_RESULTS`. The names are opened in memory only (never
    indexed); the tokens are read as plain tuples, not ORM rows, and without an ``IN`` list of
    the whole caseload: 5,700 names in about 0.25 s instead of 0.6 s. Not audited: the caller
    audits the people it shows.
    """
    ring = identity.keyring()
    wanted = text.strip().casefold()
    names = {pid: ring.open(token, field="name", person_id=pid)
             for pid, token in session.execute(select(t.PersonIdentityRow.person_id,
                                                      t.PersonIdentityRow.name_token))
             if pid in views}
    found = [pid for pid, name in names.items()
             if fuzz.partial_ratio(wanted, name.casefold()) >= NAME_SCORE]
    found.sort(key=lambda pid: (-fuzz.WRatio(text.strip(), names[pid]), names[pid]))
    return found[:MAX_RESULTS]


def person_identity(engine: Engine, principal: Principal, person_id: str, *,
                    purpose: Purpose) -> Identity | None:
    """A person's name and number for a reader who may see the person (number: case view only).

    Raises:
        Forbidden: the reader may not see the person (the same answer whether or not they exist).
    """
    with session_scope(engine) as session:
        opened = gate.open_person(session, principal, person_id, purpose)
        rows = own_data.identities(session, [person_id])
    if not rows:
        return None
    found = _open(rows[0], identity.keyring())
    return found if opened.view is PersonView.FULL else Identity(found.name, None)


def new_data_key() -> str:
    """A fresh random key for ``KEDJA_DATA_KEY``."""
    return identity.new_key()


def rotate_keys(engine: Engine) -> int:
    """Re-seal every name and number with the current key and recompute the search indexes.

    Run after moving the old key to ``KEDJA_DATA_KEYS_PREVIOUS`` and setting a new
    ``KEDJA_DATA_KEY``; one transaction. Returns how many identities were re-sealed.

    Raises:
        ConfigurationError: a stored token was sealed with a key that is not configured.
    """
    ring = identity.keyring()
    count = 0
    with session_scope(engine) as session:
        for row in own_data.identities(session):
            if row.key_id == ring.key_id:
                continue
            found = _open(row, ring)
            row.name_token = ring.seal(found.name, field="name", person_id=row.person_id)
            if found.personal_number:
                row.number_token = ring.seal(found.personal_number, field="personal_number",
                                             person_id=row.person_id)
                row.number_index = ring.index(found.personal_number)
            row.key_id = ring.key_id
            count += 1
    return count


def person_names(engine: Engine, principal: Principal, person_ids: Sequence[str], *,
                 purpose: Purpose) -> dict[str, str]:
    """The names of those of ``person_ids`` the principal may see (for a page of records).

    Meant for the records a page has just read through the audited path (a list or a record):
    the names are part of that reading, so no second audit entry is written; the visibility is
    checked again all the same.
    """
    ring = identity.keyring()
    with session_scope(engine) as session:
        visible = _visible_people(session, principal, list(person_ids), purpose)
        return {r.person_id: _open(r, ring).name for r in own_data.identities(session, list(visible))}
