"""Row operations behind a person's erasure and data export: delete, repoint, overwrite.

The plan of which table gets which treatment lives in :mod:`kedja.services.privacy`; this
module only knows how to apply one treatment to one table.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Engine, MetaData, Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from kedja.store import tables as t
from kedja.store.backup import encoded_value

__all__ = [
    "affected",
    "delete_person_rows",
    "end_active_referrals",
    "overwrite_referral_events",
    "person_rows",
    "person_tables",
    "pseudonymise_audit_subject",
    "pseudonymised_person",
    "referral_event_rows",
    "rekey_journey",
    "repoint_person_rows",
    "scrub_files",
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
    """Replace the person's id in the audit log's subjects (the log keeps who read when).

    Every subject type: a person's id also names the subject of an audit-log export filtered
    on them.
    """
    statement = update(t.AuditEntryRow).where(
        t.AuditEntryRow.subject_id == person_id).values(subject_id=pseudonym)
    return affected(session.execute(statement))


def end_active_referrals(session: Session, person_id: str, active: Iterable[str], *,
                         note: str) -> int:
    """End the person's active referrals (no receiver may accept or start them any more)."""
    ids = list(session.scalars(select(t.ReferralRow.id).where(
        t.ReferralRow.person_id == person_id, t.ReferralRow.state.in_(list(active)))))
    at = datetime.now(UTC)
    for rid in ids:
        row = session.get(t.ReferralRow, rid)
        assert row is not None
        session.add(t.ReferralEventRow(referral_id=rid, from_state=row.state, to_state="ended",
                                       at=at, actor=None, note=note))
        row.state = "ended"
    session.flush()
    return len(ids)


def _rekey(session: Session, table: Table, old: str, new: str,
           children: Iterable[tuple[Table, str]], **values: Any) -> None:
    row = session.execute(select(table).where(table.c.id == old)).mappings().one()
    session.execute(table.insert().values({**row, **values, "id": new}))
    for child, column in children:
        session.execute(update(child).where(child.c[column] == old).values({column: new}))
    session.execute(delete(table).where(table.c.id == old))


def rekey_journey(session: Session, person_id: str) -> dict[str, str]:
    """Give the person's referrals and enrolments fresh random ids, everywhere they are named.

    Someone who knew an old id (from a letter, a notification, their own notes) could otherwise
    find the pseudonymised rows through it. The audit log's texts that name the old ids get the
    new ones. Returns old id → new id.
    """
    referrals, enrolments = _table("referrals"), _table("enrolments")
    events, exits, outcomes = (_table("referral_events"), _table("exits"), _table("outcomes"))
    renamed: dict[str, str] = {}
    for old in session.scalars(select(enrolments.c.id).where(enrolments.c.person_id == person_id)):
        renamed[old] = f"E-{secrets.token_hex(8)}"
    for old, new in renamed.items():
        _rekey(session, enrolments, old, new, [(exits, "enrolment_id"), (outcomes, "enrolment_id")])
    referral_ids = list(session.scalars(select(referrals.c.id)
                                        .where(referrals.c.person_id == person_id)))
    for old in referral_ids:
        new = f"R-{secrets.token_hex(8)}"
        _rekey(session, referrals, old, new, [(events, "referral_id")])
        renamed[old] = new
    audit = t.AuditEntryRow
    # the longest ids first: an enrolment's id may contain its referral's
    for old in sorted(renamed, key=len, reverse=True):
        session.execute(update(audit).where(audit.purpose.contains(old, autoescape=True))
                        .values(purpose=func.replace(audit.purpose, old, renamed[old])))
    return renamed


def scrub_files(engine: Engine) -> dict[str, object]:
    """Leave no copy of deleted rows in an SQLite database's files; what was done.

    Deleted rows are overwritten as they go (``PRAGMA secure_delete``, set on every connection
    by :mod:`kedja.store.database`); ``VACUUM`` rebuilds the file so no older copy survives in
    a page's free space (from edits made before), and a ``TRUNCATE`` checkpoint empties the
    write-ahead log, which holds old versions of changed pages. ``busy`` is true when another
    connection kept the log from being emptied (run ``kedja maintenance`` again when the
    server is idle). PostgreSQL: nothing here; see docs/security.md for the operator's part.
    """
    if engine.dialect.name != "sqlite":
        return {"backend": engine.dialect.name, "vacuum": False, "checkpoint": False}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM"))
        busy, _, _ = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    return {"backend": "sqlite", "vacuum": True, "checkpoint": True, "busy": bool(busy)}
