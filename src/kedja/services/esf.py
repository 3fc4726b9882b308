"""The ESF+ common indicators for a period and an organisation, as the funders' workbook.

Who may read them: any role with ``read_aggregates``; region-wide and for any organisation
the analyst, the admin and the command line's operator, every other role for its own
organisation only (a coordinator reports on their ASF). The period is whole calendar months
(:func:`kedja.services.follow_up.parse_period`, the first line against differencing), and
every table goes through the cell-key method with the people's stored record keys (the
second), as every other published table does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from kedja.core.access import Permission, Principal, Role, require_permission
from kedja.core.errors import Forbidden, NotFound
from kedja.follow_up.esf import EsfParticipant, esf_tables, isced_group, labour_status_at_entry
from kedja.follow_up.esf_export import EsfReportMeta, esf_xlsx
from kedja.follow_up.indicators import IndicatorTable
from kedja.services.follow_up import Period, _record_keys, parse_period
from kedja.store import hub, session_scope
from kedja.store import tables as t

__all__ = ["EsfReport", "esf_report", "esf_workbook", "report_workbook",
           "reporting_organisations"]

REGION_READERS = (Role.ADMIN, Role.ANALYST, Role.OPERATOR)
"""Roles that read the indicators of the whole region and of any organisation."""


@dataclass(frozen=True, slots=True)
class EsfReport:
    """The ESF+ tables of a period and an organisation (``None``: the whole region)."""

    start: date | None
    end: date
    organisation_id: str | None
    organisation_name: str
    tables: list[IndicatorTable]


def _scope(principal: Principal | None, organisation_id: str | None) -> str | None:
    if principal is None:
        return organisation_id
    require_permission(principal, Permission.READ_AGGREGATES)
    if any(r in REGION_READERS for r in principal.roles):
        return organisation_id
    if organisation_id not in (None, principal.organisation_id):
        raise Forbidden(f"the ESF+ indicators of {organisation_id!r} are for that "
                        "organisation and the region's analysts", field="organisation",
                        value=organisation_id,
                        hint=f"choose your own organisation ({principal.organisation_id})")
    return principal.organisation_id


def reporting_organisations(engine: Engine, principal: Principal | None) -> list[tuple[str, str]]:
    """The organisations the principal may report on, as (id, name), receivers first."""
    with session_scope(engine) as session:
        rows = session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name,
                                      t.OrganisationRow.kind)
                               .order_by(t.OrganisationRow.name)).all()
    if principal is not None and not any(r in REGION_READERS for r in principal.roles):
        return [(str(i), str(n)) for i, n, _ in rows if i == principal.organisation_id]
    order = {"asf": 0, "education_provider": 1, "municipality": 2}
    return [(str(i), str(n)) for i, n, k in sorted(rows, key=lambda r: order.get(str(r[2]), 3))]


def _participants(engine: Engine, period: Period, organisation_id: str | None
                  ) -> list[EsfParticipant]:
    start, end = period
    with session_scope(engine) as session:
        rows = hub.esf_rows(session, start=start, end=end, organisation_id=organisation_id)
    keys = _record_keys(engine, {r.person_id for r in rows})
    found = []
    for r in rows:
        age = None if r.birth_year is None else r.start.year - r.birth_year
        found.append(EsfParticipant(
            r.person_id, r.enrolment_id, r.organisation_id, r.start, r.exit_on, r.gender, age,
            labour_status_at_entry(r.status, r.status_since, r.start, age),
            isced_group(r.sun_level), r.disability, r.born_abroad, r.exit_destination,
            r.outcome_180, keys[r.person_id]))
    return found


def esf_report(engine: Engine, principal: Principal | None, *, period: str | None,
               organisation_id: str | None = None, today: date | None = None) -> EsfReport:
    """The ESF+ indicator tables over enrolments overlapping the period, protected.

    Raises:
        InvalidInput: the period is not whole calendar months.
        Forbidden: the principal may not read this organisation's indicators.
        NotFound: no organisation has the id.
    """
    org = _scope(principal, organisation_id or None)
    start, end = parse_period(period, today=today)
    assert end is not None  # parse_period closes an open end
    with session_scope(engine) as session:
        name = None if org is None else session.scalar(
            select(t.OrganisationRow.name).where(t.OrganisationRow.id == org))
    if org is not None and name is None:
        raise NotFound(f"no organisation has the id {org!r}", field="organisation", value=org,
                       hint="choose one from the list")
    closed = parse_period(None, today=today)[1]  # the end of the last complete month
    tables = esf_tables(_participants(engine, (start, end), org), as_of=end, start=start,
                        followed_by=max(end, closed or end))
    return EsfReport(start, end, org, str(name) if name else "", tables)


def esf_workbook(engine: Engine, principal: Principal | None, *, period: str | None,
                 organisation_id: str | None = None, today: date | None = None) -> bytes:
    """The ESF+ indicators as an XLSX workbook: a sheet per indicator group, then definitions."""
    return report_workbook(esf_report(engine, principal, period=period,
                                      organisation_id=organisation_id, today=today))


def report_workbook(report: EsfReport) -> bytes:
    """A report already read, as the workbook."""
    return esf_xlsx(report.tables, EsfReportMeta(report.start, report.end,
                                                 report.organisation_id,
                                                 report.organisation_name))
