"""Loading an organisation's own file: check it all, then write it all in one transaction.

:func:`load_file` reads the file (``kedja.loading``), checks every row against the database's
codes, and, only when the whole file is valid (or ``skip_invalid`` asks for the valid rows),
upserts by the organisation's own id: a row seen before updates its record, a new one adds a
record, an identical one is left alone. Names and personal numbers are sealed on the way in
(``kedja.store.identity``). A refused or dry run writes nothing at all.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.access import Principal, Role
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Forbidden, InvalidInput
from kedja.core.opportunities import Opportunity
from kedja.core.organisations import Organisation, OrganisationKind
from kedja.core.people import Person
from kedja.demo import load_region_pack, load_taxonomy_pack
from kedja.loading import (
    Kind,
    Mapping,
    Problem,
    Record,
    Reference,
    Validation,
    build_record,
    columns_of,
    read_table,
    validate_table,
)
from kedja.loading.files import Row, Table, as_text
from kedja.loading.templates import example_csv, template_xlsx
from kedja.services.cache import invalidate
from kedja.store import identity, own_data, records, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = [
    "LOADER_ROLES",
    "LoadReport",
    "kind_example",
    "kind_template",
    "load_file",
    "load_records",
    "load_table",
    "municipality_names",
    "reference",
]

LOADER_ROLES: dict[Kind, frozenset[Role]] = {
    Kind.PEOPLE: frozenset({Role.ADMIN, Role.COORDINATOR, Role.OFFICER}),
    Kind.EMPLOYEES: frozenset({Role.ADMIN, Role.EMPLOYER_HR}),
    Kind.OPPORTUNITIES: frozenset({Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.EMPLOYER_HR}),
    Kind.COURSES: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Kind.ORGANISATIONS: frozenset({Role.ADMIN}),
    Kind.PLACES: frozenset({Role.ADMIN, Role.COORDINATOR}),
}
"""Who may load what: admins and coordinators of the organisation, officers their caseload,
employers' HR their staff and vacancies."""

_PREFIX = {Kind.PEOPLE: "L", Kind.EMPLOYEES: "L", Kind.OPPORTUNITIES: "J", Kind.COURSES: "C",
           Kind.PLACES: "S", Kind.ORGANISATIONS: "ORG"}
PREVIEW_ROWS = 10


@dataclass
class LoadReport:
    """What a load found and did."""

    kind: str
    filename: str
    rows: int
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    written: bool = False
    dry_run: bool = False
    preview: list[dict[str, str]] = field(default_factory=list)
    rejected_rows: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file had no problem."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (no cell values of rejected rows beyond the problems)."""
        return {
            "kind": self.kind, "file": self.filename, "rows": self.rows, "ok": self.ok,
            "written": self.written, "dry_run": self.dry_run, "added": self.added,
            "changed": self.changed, "unchanged": self.unchanged, "rejected": self.rejected,
            "problems": [dataclasses.asdict(p) for p in self.problems], "notes": self.notes,
        }


def reference(session: Session) -> Reference:
    """The database's codes for checking a file."""
    return Reference(**own_data.reference_data(session))


def _owner(session: Session, principal: Principal | None, kind: Kind,
           organisation_id: str | None) -> str:
    if principal is not None:
        if not principal.roles & LOADER_ROLES[kind]:
            raise Forbidden(f"the role {', '.join(sorted(principal.roles))} may not load {kind.value}",
                            field="role", hint="ask an administrator of your organisation to load it")
        return principal.organisation_id
    if organisation_id and records.organisation_kind(session, organisation_id) is None:
        raise InvalidInput(f"no organisation has the id {organisation_id!r}", field="--organisation",
                           value=organisation_id,
                           hint="load it first with kedja load organisations, or check the id")
    return organisation_id or ""


def _preview(validation: Validation, rows: list[Row]) -> list[dict[str, str]]:
    names = [c.name for c in columns_of(validation.kind) if c.name in validation.headers]
    return [{n: as_text(r.values.get(validation.headers[n], "")) for n in names}
            for r in rows[:PREVIEW_ROWS]]


def load_file(engine: Engine, kind: Kind, filename: str, data: bytes, *,
              principal: Principal | None = None, organisation_id: str | None = None,
              mapping: Mapping | None = None, dry_run: bool = False, skip_invalid: bool = False,
              at: datetime | None = None) -> LoadReport:
    """Check a file of ``kind`` and, when it is valid (or ``skip_invalid``), load it.

    ``principal`` is the signed-in user (their organisation owns what is loaded); ``None`` is
    the local operator, with ``organisation_id`` as the owner when given.

    Raises:
        Forbidden: the principal's roles may not load this kind.
        InvalidInput: an unreadable file, or an unknown ``organisation_id``.
    """
    return load_table(engine, kind, read_table(filename, data), principal=principal,
                      organisation_id=organisation_id, mapping=mapping, dry_run=dry_run,
                      skip_invalid=skip_invalid, at=at)


def load_table(engine: Engine, kind: Kind, table: Table, *, principal: Principal | None = None,
               organisation_id: str | None = None, mapping: Mapping | None = None,
               dry_run: bool = False, skip_invalid: bool = False,
               at: datetime | None = None) -> LoadReport:
    """Check and load a table already read (see :func:`load_file`)."""
    with session_scope(engine) as session:
        owner = _owner(session, principal, kind, organisation_id)
        validation = validate_table(kind, table, reference(session), mapping,
                                    require_consent=bool(owner))
    validation.problems.extend(_owner_problems(kind, owner, validation))
    validation.problems.sort(key=lambda p: (p.line, p.column))
    return _apply(engine, kind, validation, table.rows, owner=owner, principal=principal,
                  dry_run=dry_run, skip_invalid=skip_invalid, at=at)


def _owner_problems(kind: Kind, owner: str, validation: Validation) -> list[Problem]:
    if owner or kind in (Kind.PEOPLE, Kind.ORGANISATIONS):
        return []
    needs = {Kind.OPPORTUNITIES: "employer_org_number", Kind.COURSES: "provider_org_number"}.get(kind)
    return [Problem(r.line, needs or "organisation", "", "has no organisation to belong to",
                    "pass --organisation ORG_ID" + (f" or fill in {needs}" if needs else ""))
            for r in validation.records if not (needs and r.values.get(needs))]


def load_records(engine: Engine, validation: Validation, *, owner: str, dry_run: bool = False,
                 actor: str = "operator", at: datetime | None = None) -> LoadReport:
    """Load already checked records (a feed such as JobTech's) the way :func:`load_file` does."""
    return _apply(engine, validation.kind, validation, [], owner=owner, principal=None,
                  dry_run=dry_run, skip_invalid=True, at=at, actor=actor)


def _apply(engine: Engine, kind: Kind, validation: Validation, rows: list[Row], *, owner: str,
           principal: Principal | None, dry_run: bool, skip_invalid: bool,
           at: datetime | None, actor: str | None = None) -> LoadReport:
    bad = set(validation.rejected_lines)
    report = LoadReport(kind.value, validation.filename, validation.rows, validation.problems,
                        validation.notes, dry_run=dry_run, rejected=len(bad),
                        preview=_preview(validation, rows),
                        rejected_rows=[r for r in rows if r.line in bad])
    if validation.problems and not skip_invalid:
        return report
    good = [r for r in validation.records if r.line not in bad]
    moment = at or datetime.now(UTC)
    who = actor or (principal.username if principal else "operator")
    try:
        with session_scope(engine) as session:
            loader = _Loader(session, kind, owner, moment, who)
            for record in good:
                loader.put(record)
            loader.flush()
            report.added, report.changed, report.unchanged = (loader.added, loader.changed,
                                                              loader.unchanged)
            report.notes.extend(loader.notes)
            if dry_run:
                raise _DryRun  # rolls the whole transaction back
    except _DryRun:
        return report
    report.written = True
    invalidate(engine)
    return report


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that nothing stays written."""


def _canonical(item: Person | Opportunity | Organisation) -> Any:
    if isinstance(item, Person):
        return dataclasses.replace(item, skills=tuple(sorted(item.skills, key=lambda s: s.skill_id)),
                                   past_occupations=tuple(sorted(item.past_occupations,
                                                                 key=lambda o: o.occupation_code)),
                                   languages=tuple(sorted(item.languages, key=lambda x: x.language)))
    if isinstance(item, Opportunity):
        return dataclasses.replace(item, required_skills=tuple(sorted(item.required_skills)),
                                   merit_skills=())
    return item


class _Loader:
    """Upserts one kind's records in the caller's session, counting what changed.

    New records are written in batches at :meth:`flush` (the JobTech bench loads 10,000 ads);
    changed ones are overwritten at once.
    """

    def __init__(self, session: Session, kind: Kind, owner: str, at: datetime, actor: str) -> None:
        self.session, self.kind, self.owner, self.at, self.actor = session, kind, owner, at, actor
        self.added = self.changed = self.unchanged = 0
        self.notes: list[str] = []
        self.people = kind in (Kind.PEOPLE, Kind.EMPLOYEES)
        self.keyring = identity.keyring() if self.people else None
        self.ref = reference(session)
        if self.people:
            self.known = own_data.identities_by_external(session, owner)
        else:
            self.known = own_data.keys_by_external(session, owner, kind.value)
        self.new_orgs: list[Organisation] = []
        self.new_items: list[Any] = []
        self.new_keys: list[tuple[str, str]] = []
        self.new_identities: list[dict[str, Any]] = []
        self.new_consents: list[tuple[str, str, date]] = []
        self.audit: list[AuditEntry] = []

    def put(self, record: Record) -> None:
        values = record.values
        external = values["external_id"]
        existing_id = self.known.get(external)
        if existing_id is None and self.kind is Kind.ORGANISATIONS:
            existing_id = self.ref.organisations.get(values["org_number"])
        entity_id = existing_id or self._new_id(values)
        item = build_record(self.kind, values, entity_id=entity_id,
                            organisation_id=self._organisation_for(values),
                            provider_id=self._provider_for(values))
        if existing_id is None:
            self._add(item, values)
        elif self._differs(item, values):
            self._replace(item, values)
        else:
            self.unchanged += 1
            return
        if self.people:
            self.audit.append(AuditEntry(
                at=self.at, actor=self.actor, organisation_id=self.owner or None,
                action=AuditAction.WRITE, subject_type="person", subject_id=entity_id,
                purpose=f"load {self.kind.value}"))

    def flush(self) -> None:
        """Write the new records, their ids, identities, consents and audit entries."""
        repo.save_organisations(self.session, self.new_orgs)
        items = self.new_items
        if self.people:
            repo.save_people(self.session, items)
        elif self.kind is Kind.ORGANISATIONS:
            repo.save_organisations(self.session, items)
        else:
            repo.save_opportunities(self.session, items)
        if not self.people:
            own_data.put_keys(self.session, self.owner, self.kind.value, self.new_keys, self.at)
        repo.insert_many(self.session, t.PersonIdentityRow, self.new_identities)
        records.save_consents(self.session, self.new_consents)
        records.append_audit(self.session, self.audit)

    def _new_id(self, values: dict[str, Any]) -> str:
        if self.kind is Kind.ORGANISATIONS:
            return "ORG" + str(values["org_number"]).replace("-", "")
        return _PREFIX[self.kind] + secrets.token_hex(6).upper()

    def _organisation_for(self, values: dict[str, Any]) -> str:
        number = values.get("employer_org_number")
        if not number:
            return self.owner
        return self._ensure_organisation(number, values.get("employer_name", ""),
                                         OrganisationKind.EMPLOYER, values["municipality"])

    def _provider_for(self, values: dict[str, Any]) -> str | None:
        number = values.get("provider_org_number")
        if not number:
            return self.owner or None
        return self._ensure_organisation(number, values.get("provider_name", ""),
                                         OrganisationKind.EDUCATION_PROVIDER, values["municipality"])

    def _ensure_organisation(self, number: str, name: str, kind: OrganisationKind,
                             municipality: str) -> str:
        found = self.ref.organisations.get(number)
        if found:
            return found
        org = Organisation("ORG" + number.replace("-", ""), name or number, kind,  # type: ignore[arg-type]
                           municipality, number)  # type: ignore[arg-type]
        self.new_orgs.append(org)
        self.ref.organisations[number] = org.id
        if len(self.new_orgs) <= 20:
            self.notes.append(f"added the {kind.value} {org.name} ({number})")
        return org.id

    def _add(self, item: Any, values: dict[str, Any]) -> None:
        self.new_items.append(item)
        self.known[values["external_id"]] = item.id
        if isinstance(item, Organisation):
            self.ref.organisations[item.org_number or ""] = item.id
        if self.people:
            self.new_identities.append(self._identity_row(item.id, values))
            given = values.get("consent_date")
            if self.owner and given is not None:
                self.new_consents.append((item.id, self.owner, given))
        else:
            self.new_keys.append((values["external_id"], item.id))
        self.added += 1

    def _differs(self, item: Any, values: dict[str, Any]) -> bool:
        if isinstance(item, Person):
            stored = repo.get_people(self.session, [item.id])
            return (not stored or _canonical(stored[0]) != _canonical(item)
                    or self._identity_differs(item.id, values))
        if isinstance(item, Opportunity):
            found = own_data.get_opportunities(self.session, [item.id]).get(item.id)
            return found is None or _canonical(found) != _canonical(item)
        row = self.session.get(t.OrganisationRow, item.id)
        return row is None or repo.organisation_from_row(row) != item

    def _replace(self, item: Any, values: dict[str, Any]) -> None:
        if isinstance(item, Person):
            own_data.replace_person(self.session, item)
            own_data.put_identity(self.session, self._identity_row(item.id, values))
            given = values.get("consent_date")
            if self.owner and given is not None:
                records.put_consent(self.session, item.id, self.owner, given=given, withdrawn=None)
        elif isinstance(item, Opportunity):
            own_data.replace_opportunity(self.session, item)
        else:
            own_data.replace_organisation(self.session, item)
        if not self.people and values["external_id"] not in self.known:
            own_data.put_keys(self.session, self.owner, self.kind.value,
                              [(values["external_id"], item.id)], self.at)
            self.known[values["external_id"]] = item.id
        self.changed += 1

    def _identity_differs(self, person_id: str, values: dict[str, Any]) -> bool:
        assert self.keyring is not None
        rows = own_data.identities(self.session, [person_id])
        if not rows:
            return True
        row = rows[0]
        name = self.keyring.open(row.name_token, field="name", person_id=person_id)
        number = (self.keyring.open(row.number_token, field="personal_number", person_id=person_id)
                  if row.number_token else None)
        consent = (records.find_consent(self.session, person_id, self.owner) if self.owner else None)
        consent_changed = bool(self.owner) and (consent is None or consent.withdrawn is not None
                                                or consent.given != values.get("consent_date"))
        return name != values["name"] or number != values.get("personal_number") or consent_changed

    def _identity_row(self, person_id: str, values: dict[str, Any]) -> dict[str, Any]:
        assert self.keyring is not None
        number = values.get("personal_number")
        return {
            "person_id": person_id, "owner_id": self.owner, "external_id": values["external_id"],
            "name_token": self.keyring.seal(values["name"], field="name", person_id=person_id),
            "number_token": self.keyring.seal(number, field="personal_number", person_id=person_id)
            if number else None,
            "number_index": self.keyring.index(number) if number else None,
            "key_id": self.keyring.key_id}


def _pack_reference() -> Reference:
    region, taxonomy = load_region_pack(), load_taxonomy_pack()
    return Reference(
        municipalities={m.code: m.name for m in region.municipalities},
        localities={lo.id: (lo.municipality_code, lo.name) for lo in region.localities},
        occupations={o.code: o.name_sv for o in taxonomy.occupations},
        jobtech_occupations={o.jobtech_id: o.code for o in taxonomy.occupations if o.jobtech_id},
        skills={s.id: s.name_sv or "" for s in taxonomy.skills})


def kind_template(kind: Kind, engine: Engine | None = None) -> bytes:
    """The XLSX template of ``kind`` with the database's code lists (the packs' without one)."""
    if engine is None:
        return template_xlsx(kind, _pack_reference())
    with session_scope(engine) as session:
        ref = reference(session)
    return template_xlsx(kind, ref if ref.municipalities else _pack_reference())


def kind_example(kind: Kind) -> str:
    """A small valid CSV of ``kind``."""
    return example_csv(kind)


def municipality_names(engine: Engine) -> dict[str, str]:
    """Municipality code → name (public facts, for pages that show names, not codes)."""
    with session_scope(engine) as session:
        return reference(session).municipalities
