"""The role × route matrix: every route of an app, called as every role, checked for leaks.

Generated from ``app.routes``, so a route added later is covered without touching the test.
For each route and each caller (anonymous and one signed-in user per role) it checks that:

1. the route declares its access (``require(...)`` or ``public()`` from ``kedja.web.security``);
2. an anonymous caller of a non-public route is refused (401, or a redirect to /login);
3. a caller whose roles lack the declared permission is refused (403);
4. no answer is a server error;
5. no answer names a person whose record the caller's organisation may not see, computed here
   independently of the services from the ``consents`` and ``referrals`` tables; and no answer
   contains the canary records' content marker unless the caller may see that canary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, and_, or_, select, union

from kedja.core.access import Permission, is_permitted
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web.security import app_routes, route_access

PERSON_ID = re.compile(r"\bP\d{6}\b")
PATH_SAMPLES = {
    "person_id": "P999901",  # the canary: visible to AF24 and one ASF only
    "organisation_id": "AF24",
    "municipality_code": "2580",
    "county_code": "25",
    "occupation_code": "2611",
    "code": "2580",
    "allocation_id": "ALLOC-000000000000",
    "referral_id": "R-CANARY-2",  # sent by AF24 to the demo HR's employer, without consent
    "enrolment_id": "E-00001",
    "job_id": "JOB-000000000000",
    "plan_id": "CP-000000000000",
    "id": "AF24",  # the HSDS API's objects (an organization; other kinds answer 404)
}
"""A value for each path parameter the app's routes use: add one when a new route needs it."""
CANARY_MARKER = "canary-adaptation-7f3a"
CANARIES = ("P999901", "P999902", "P999903")
ACTIVE = ("proposed", "accepted", "started")
ROUTE_PURPOSES = frozenset({"case_management", "follow_up", "matching", "workforce_planning"})
"""The purposes the routes read with when the caller names none (employers' referral views add
``recruitment``): a consent covering none of them hides the person from the matrix's calls."""


@dataclass(frozen=True)
class Caller:
    """A caller in the matrix: its name, client (cookies) and what it holds."""

    name: str
    client: TestClient
    organisation_id: str | None
    organisation_kind: str | None
    principal: object | None  # kedja.core.access.Principal, None when anonymous


def add_canaries(engine: Engine) -> dict[str, str]:
    """Three people with a content marker: one consented to AF24 with a referral to an ASF not
    held by the demo coordinator, one referred (without consent) to the demo HR's employer, and
    one whose consent to the coordinator's ASF covers recruitment only, though the ASF sent a
    referral for them (a referral never widens a consent)."""
    with session_scope(engine) as session:
        template = session.scalars(select(t.PersonRow).order_by(t.PersonRow.id)).first()
        hr_org = session.scalar(select(t.UserRow.organisation_id)
                                .where(t.UserRow.username == "hr@kedja.demo"))
        coordinator_org = session.scalar(select(t.UserRow.organisation_id)
                                         .where(t.UserRow.username == "coordinator@kedja.demo"))
        other_asf = session.scalar(select(t.OrganisationRow.id).where(
            t.OrganisationRow.kind == "asf", t.OrganisationRow.id != coordinator_org))
        assert template is not None and hr_org and other_asf
        for pid in CANARIES:
            if session.get(t.PersonRow, pid) is None:
                values = {c.name: getattr(template, c.name) for c in t.PersonRow.__table__.columns}
                session.add(t.PersonRow(**{**values, "id": pid, "status": "unemployed",
                                           "employer_id": None, "occupation_code": None,
                                           "adaptations": [CANARY_MARKER]}))
        session.flush()
        if session.get(t.ConsentRow, ("P999901", "AF24")) is None:
            session.add(t.ConsentRow(person_id="P999901", organisation_id="AF24",
                                     given=date(2026, 11, 1)))
            session.add(t.ReferralRow(id="R-CANARY-1", person_id="P999901",
                                      from_organisation_id="AF24", to_organisation_id=other_asf,
                                      state="started", created=date(2026, 11, 1)))
            session.add(t.ReferralRow(id="R-CANARY-2", person_id="P999902",
                                      from_organisation_id="AF24", to_organisation_id=hr_org,
                                      state="proposed", created=date(2026, 11, 1)))
        if session.get(t.ConsentRow, ("P999903", coordinator_org)) is None:
            session.add(t.ConsentRow(person_id="P999903", organisation_id=coordinator_org,
                                     given=date(2026, 11, 1), purposes=["recruitment"]))
            session.add(t.ReferralRow(id="R-CANARY-3", person_id="P999903",
                                      from_organisation_id=coordinator_org,
                                      to_organisation_id="AF24", state="proposed",
                                      created=date(2026, 11, 1)))
    return dict(PATH_SAMPLES)


def visible_person_ids(engine: Engine, caller: Caller) -> set[str]:
    """The people the caller may see, straight from the tables (not through the services)."""
    if caller.principal is None or not is_permitted(caller.principal,  # type: ignore[arg-type]
                                                    Permission.READ_PEOPLE):
        return set()
    org = caller.organisation_id
    consented = select(t.ConsentRow.person_id).where(t.ConsentRow.organisation_id == org,
                                                     t.ConsentRow.withdrawn.is_(None))
    # the receiver of a referral sees the person only once they consented to the referral
    referred = select(t.ReferralRow.person_id).where(
        t.ReferralRow.state.in_(ACTIVE), or_(
            t.ReferralRow.from_organisation_id == org,
            and_(t.ReferralRow.to_organisation_id == org,
                 t.ReferralRow.consent_given.is_not(None))))
    referred_with_consent = select(t.ReferralRow.person_id).where(
        t.ReferralRow.state.in_(ACTIVE), t.ReferralRow.to_organisation_id == org,
        t.ReferralRow.consent_given.is_not(None))
    employer = caller.organisation_kind == "employer"
    query = union(consented, referred_with_consent) if employer else union(consented, referred)
    defaults = ROUTE_PURPOSES | ({"recruitment"} if employer else set())
    narrowed = select(t.ConsentRow.person_id, t.ConsentRow.purposes).where(
        t.ConsentRow.organisation_id == org, t.ConsentRow.withdrawn.is_(None))
    with engine.connect() as connection:
        # a consent covering none of the routes' purposes hides the person, referral or not
        hidden = {pid for pid, purposes in connection.execute(narrowed)
                  if purposes is not None and not defaults & set(purposes)}
        return set(connection.scalars(query)) - hidden


def _path(route: Any, samples: Mapping[str, str]) -> str | None:
    try:
        return route.path_format.format(**samples)
    except KeyError:
        return None


def _may_see_audit(caller: Caller) -> bool:
    return caller.principal is not None and is_permitted(
        caller.principal, Permission.READ_AUDIT)  # type: ignore[arg-type]


def _answers_data_request(caller: Caller, declared: list) -> bool:  # type: ignore[type-arg]
    """A data-export route (art. 15) shows a person's whole record to whoever handles requests."""
    return caller.principal is not None and any(
        d.permission is Permission.HANDLE_DATA_REQUESTS for d in declared) and is_permitted(
        caller.principal, Permission.HANDLE_DATA_REQUESTS)  # type: ignore[arg-type]


def matrix_violations(app: FastAPI, engine: Engine, callers: list[Caller],
                      samples: Mapping[str, str], *, only: str = "") -> list[str]:
    """Every broken rule, as ``METHOD path as caller: what``; empty when all hold.

    ``only`` limits the walk to routes whose path contains it (the proofs below use it to look
    at their own test routes; the real matrix walks everything).
    """
    problems: list[str] = []
    visible = {c.name: visible_person_ids(engine, c) for c in callers}
    for route in [r for r in app_routes(app) if only in r.path]:
        declared = route_access(route)
        if not declared:
            problems.append(f"{route.path}: declares no access (add require(...) or public())")
        path = _path(route, samples)
        if path is None:
            problems.append(f"{route.path}: no sample value for its path parameters; add one "
                            "to PATH_SAMPLES in tests/web/access_matrix.py")
            continue
        for method in sorted(route.methods - {"HEAD"}):
            for caller in callers:
                problems += _check_call(route, method, path, caller, declared, visible, engine)
    return problems


def _check_call(route: Any, method: str, path: str, caller: Caller, declared: list,  # type: ignore[type-arg]
                visible: dict[str, set[str]], engine: Engine) -> list[str]:
    where = f"{method} {path} as {caller.name}"
    response = caller.client.request(method, path, follow_redirects=False)
    status, text = response.status_code, response.text
    problems = []
    if status >= 500:
        problems.append(f"{where}: server error {status}")
    is_public = any(d.public for d in declared)
    refused = status in (401, 403) or (
        status == 303 and response.headers.get("location", "").startswith("/login"))
    if declared and not is_public and caller.principal is None and not refused:
        problems.append(f"{where}: anonymous caller got {status}")
    for d in declared:
        if (d.permission is not None and caller.principal is not None
                and not is_permitted(caller.principal, d.permission) and status != 403):  # type: ignore[arg-type]
            problems.append(f"{where}: lacks {d.permission.value} but got {status}")
    allowed = visible[caller.name]
    if _may_see_audit(caller):
        # admins read the audit log, which names (pseudonymous) subjects but holds no records
        allowed = allowed | set(PERSON_ID.findall(text))
    # an id the caller sent in the path may be echoed back (e.g. in a refusal): it knew it
    leaked = set(PERSON_ID.findall(text)) - allowed - set(PERSON_ID.findall(path))
    if leaked:
        problems.append(f"{where}: names people it may not see: {sorted(leaked)[:5]}")
    canary_visible = bool(set(CANARIES) & visible[caller.name]) or _answers_data_request(
        caller, declared)
    if CANARY_MARKER in text and not canary_visible:
        problems.append(f"{where}: shows a canary record's content")
    return problems
