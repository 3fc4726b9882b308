"""Row operations behind a person's erasure and data export: delete, repoint, overwrite.

The plan of which table gets which treatment lives in :mod:`kedja.services.privacy`; this
module only knows how to apply one treatment to one table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import JSON, MetaData, Table, delete, select, update
from sqlalchemy.orm import Session

from kedja.store import tables as t
from kedja.store.backup import encoded_value

__all__ = [
    "affected",
    "delete_person_rows",
    "overwrite_referral_events",
    "person_rows",
    "person_tables",
    "pseudonymise_audit_subject",
    "pseudonymised_person",
    "referral_event_rows",
    "repoint_person_rows",
]


def affected(result: Any) -> int:
    """How many rows an UPDATE or DELETE touched."""
    return int(getattr(result, "rowcount", 0) or 0)


def person_tables(metadata: MetaData | None = None) -> dict[str, Table]:
    """Every table with a ``person_id`` column or a foreign key to ``people``, by name."""
    found = {}
    for table in (metadata or t.Base.metadata).sorted_tables:
        refers = any(fk.column.table.name == "people" for fk in table.foreign_keys)
        if "person_id" in table.c or refers:
            found[table.name] = table
    return found


def _table(name: str) -> Table:
    return t.Base.metadata.tables[name]


def person_rows(session: Session, table_name: str, person_id: str) -> list[dict[str, Any]]:
    """A table's rows about one person, encoded as JSON values."""
    table = _table(table_name)
    column = table.c["id" if table_name == "people" else "person_id"]
    query = select(table).where(column == person_id).order_by(*table.primary_key.columns)
    return [{k: encoded_value(v) for k, v in row.items()}
            for row in session.execute(query).mappings()]


def referral_event_rows(session: Session, person_id: str) -> list[dict[str, Any]]:
    """The events of a person's referrals, encoded as JSON values."""
    ids = select(t.ReferralRow.id).where(t.ReferralRow.person_id == person_id)
    query = select(t.ReferralEventRow.__table__).where(
        t.ReferralEventRow.referral_id.in_(ids)).order_by(t.ReferralEventRow.id)
    return [{k: encoded_value(v) for k, v in row.items()}
            for row in session.execute(query).mappings()]


def _blank(table: Table, column: str) -> Any:
    col = table.c[column]
    if isinstance(col.type, JSON):
        return []
    return None if col.nullable else 0


def pseudonymised_person(session: Session, person_id: str, pseudonym: str, *,
                         kept: Iterable[str], on: date) -> bool:
    """Insert a copy of the person's row under ``pseudonym`` holding only ``kept`` columns.

    The old row is deleted later (after its children are repointed). False if no such person.
    """
    table = _table("people")
    row = session.execute(select(table).where(table.c.id == person_id)).mappings().first()
    if row is None:
        return False
    keep = set(kept)
    values = {c.name: (row[c.name] if c.name in keep else _blank(table, c.name))
              for c in table.columns}
    session.execute(table.insert().values({**values, "id": pseudonym, "erased_on": on}))
    return True


def delete_person_rows(session: Session, table_name: str, person_id: str) -> int:
    """Delete a table's rows about the person; how many."""
    table = _table(table_name)
    column = table.c["id" if table_name == "people" else "person_id"]
    return affected(session.execute(delete(table).where(column == person_id)))


def repoint_person_rows(session: Session, table_name: str, person_id: str, pseudonym: str,
                        *, cleared: Iterable[str] = ()) -> int:
    """Move a table's rows to the pseudonym, overwriting ``cleared`` columns; how many."""
    table = _table(table_name)
    values: dict[str, Any] = {"person_id": pseudonym}
    values |= {name: _blank(table, name) for name in cleared}
    statement = update(table).where(table.c.person_id == person_id).values(values)
    return affected(session.execute(statement))


def overwrite_referral_events(session: Session, pseudonym: str) -> int:
    """Clear the free text and actors of the (already repointed) referrals' events."""
    ids = select(t.ReferralRow.id).where(t.ReferralRow.person_id == pseudonym)
    statement = update(t.ReferralEventRow).where(t.ReferralEventRow.referral_id.in_(ids)).values(
        note=None, actor=None)
    return affected(session.execute(statement))


def pseudonymise_audit_subject(session: Session, person_id: str, pseudonym: str) -> int:
    """Replace the person's id in the audit log's subjects (the log keeps who read when)."""
    statement = update(t.AuditEntryRow).where(
        t.AuditEntryRow.subject_type == "person",
        t.AuditEntryRow.subject_id == person_id).values(subject_id=pseudonym)
    return affected(session.execute(statement))
