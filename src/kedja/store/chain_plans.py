"""Employers' saved workforce plans: insert, read, list, share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kedja.store import tables as t

__all__ = ["add_plan", "get_plan", "list_plans", "organisation_municipality", "organisation_name",
           "plan_dict", "share_plan"]


def plan_dict(row: t.ChainPlanRow) -> dict[str, Any]:
    """A plan row as plain data."""
    return {"id": row.id, "organisation_id": row.organisation_id, "title": row.title,
            "created_by": row.created_by, "created": row.created.isoformat(), "steps": list(row.steps),
            "shared_with": row.shared_with, "shared_on": row.shared_on.isoformat() if row.shared_on else None}


def add_plan(session: Session, *, plan_id: str, organisation_id: str, title: str, created_by: str,
             created: datetime, steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Insert a plan; returns it."""
    row = t.ChainPlanRow(id=plan_id, organisation_id=organisation_id, title=title, created_by=created_by,
                         created=created, steps=steps, shared_with=None, shared_on=None)
    session.add(row)
    session.flush()
    return plan_dict(row)


def get_plan(session: Session, plan_id: str) -> t.ChainPlanRow | None:
    """The plan with this id, or None."""
    return session.get(t.ChainPlanRow, plan_id)


def list_plans(session: Session, organisation_id: str) -> list[dict[str, Any]]:
    """Plans an organisation made or that were shared with it, newest first."""
    rows = session.scalars(select(t.ChainPlanRow).where(or_(
        t.ChainPlanRow.organisation_id == organisation_id, t.ChainPlanRow.shared_with == organisation_id))
        .order_by(t.ChainPlanRow.created.desc()))
    return [plan_dict(r) for r in rows]


def share_plan(session: Session, row: t.ChainPlanRow, organisation_id: str, on: datetime) -> None:
    """Share the plan with ``organisation_id``."""
    row.shared_with, row.shared_on = organisation_id, on


def organisation_municipality(session: Session, organisation_id: str) -> str | None:
    """An organisation's municipality code, or None."""
    return session.scalar(select(t.OrganisationRow.municipality_code)
                          .where(t.OrganisationRow.id == organisation_id))


def organisation_name(session: Session, organisation_id: str) -> str | None:
    """An organisation's name, or None."""
    return session.scalar(select(t.OrganisationRow.name).where(t.OrganisationRow.id == organisation_id))
