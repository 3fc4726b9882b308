"""Writing and reading imported classifications: diff-based upsert in bulk, and read-back.

``save_batch`` compares a source's batch with what the database holds and writes only the
difference with Core ``executemany`` statements (no ORM objects), so a full ESCO import is a
few bulk inserts and a re-import of the same files writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from kedja.core.concepts import Concept, ConceptLink, TaxonomyBatch
from kedja.store import tables as t

__all__ = [
    "ImportChanges",
    "concepts_of",
    "links_of",
    "save_batch",
    "source_versions",
]

CONCEPTS: Table = t.TaxonomyConceptRow.__table__  # type: ignore[assignment]
LINKS: Table = t.TaxonomyLinkRow.__table__  # type: ignore[assignment]
SOURCES: Table = t.TaxonomySourceRow.__table__  # type: ignore[assignment]
CONCEPT_KEY = ("scheme", "code")
CONCEPT_VALUES = ("label", "alt_labels", "kind", "reuse_level", "lang", "source")
LINK_KEY = ("source", "from_scheme", "from_code", "relation", "to_scheme", "to_code")
LINK_VALUES = ("weight",)
CHUNK = 5_000


@dataclass(frozen=True)
class ImportChanges:
    """How many rows an import inserted, updated and removed."""

    inserted: int = 0
    updated: int = 0
    removed: int = 0

    def __add__(self, other: ImportChanges) -> ImportChanges:
        return ImportChanges(self.inserted + other.inserted, self.updated + other.updated,
                             self.removed + other.removed)

    @property
    def total(self) -> int:
        """All rows written."""
        return self.inserted + self.updated + self.removed


def _concept_row(concept: Concept, source: str) -> dict[str, Any]:
    return {"scheme": concept.scheme, "code": concept.code, "label": concept.label,
            "alt_labels": list(concept.alt_labels), "kind": concept.kind,
            "reuse_level": concept.reuse_level, "lang": concept.lang, "source": source}


def _link_row(link: ConceptLink, source: str) -> dict[str, Any]:
    return {"source": source, "from_scheme": link.from_scheme, "from_code": link.from_code,
            "relation": link.relation, "to_scheme": link.to_scheme, "to_code": link.to_code,
            "weight": link.weight}


def save_batch(session: Session, batch: TaxonomyBatch) -> ImportChanges:
    """Upsert ``batch`` as the current state of its source, and record the source's version.

    Rows of the source that the batch no longer holds are removed; a concept another source
    wrote first is taken over. Runs in the caller's transaction.
    """
    concepts = {c.key: _concept_row(c, batch.source) for c in batch.concepts}
    links = {link.key: _link_row(link, batch.source) for link in batch.links}
    schemes = {scheme for scheme, _ in concepts}
    old_concepts = _existing(session, CONCEPTS, CONCEPT_KEY, CONCEPT_VALUES,
                             or_(CONCEPTS.c.source == batch.source,
                                 CONCEPTS.c.scheme.in_(sorted(schemes))))
    old_concepts = {k: v for k, v in old_concepts.items()
                    if k in concepts or v["source"] == batch.source}
    old_links = _existing(session, LINKS, LINK_KEY, LINK_VALUES, LINKS.c.source == batch.source)
    changes = _apply(session, CONCEPTS, CONCEPT_KEY, old_concepts, concepts)
    changes += _apply(session, LINKS, LINK_KEY, old_links,
                      {(batch.source, *k): v for k, v in links.items()})
    _record_source(session, batch)
    return changes


def _existing(session: Session, table: Table, key: Sequence[str], values: Sequence[str],
              where: Any) -> dict[tuple[Any, ...], dict[str, Any]]:
    columns = [table.c[name] for name in (*key, *values)]
    rows = session.execute(select(*columns).where(where)).mappings()
    return {tuple(row[name] for name in key): dict(row) for row in rows}


def _apply(session: Session, table: Table, key: Sequence[str],
           old: dict[tuple[Any, ...], dict[str, Any]],
           new: dict[tuple[Any, ...], dict[str, Any]]) -> ImportChanges:
    inserts = [row for k, row in new.items() if k not in old]
    updates = [row for k, row in new.items() if k in old and old[k] != row]
    removals = [old[k] for k in old if k not in new]
    for chunk in _chunks(inserts):
        session.execute(insert(table), chunk)
    where = and_(*(table.c[name] == bindparam(f"k_{name}") for name in key))
    if updates:
        values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in updates[0] if c not in key}
        statement = update(table).where(where).values(values)
        session.execute(statement, [_prefixed(row, key) for row in updates],
                        execution_options={"synchronize_session": False})
    if removals:
        session.execute(delete(table).where(where), [_prefixed(row, key) for row in removals],
                        execution_options={"synchronize_session": False})
    return ImportChanges(len(inserts), len(updates), len(removals))


def _prefixed(row: dict[str, Any], key: Sequence[str]) -> dict[str, Any]:
    return {(f"k_{name}" if name in key else f"v_{name}"): value for name, value in row.items()}


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]


def _record_source(session: Session, batch: TaxonomyBatch) -> None:
    row = {"version": batch.version, "location": batch.location,
           "imported_at": datetime.now(UTC), "counts": batch.counts()}
    found = session.execute(select(SOURCES.c.source).where(SOURCES.c.source == batch.source))
    if found.first() is None:
        session.execute(insert(SOURCES).values(source=batch.source, **row))
    else:
        session.execute(update(SOURCES).where(SOURCES.c.source == batch.source).values(**row))


def concepts_of(session: Session, schemes: Iterable[str]) -> list[Concept]:
    """The concepts of ``schemes``, ordered by scheme and code."""
    query = (select(CONCEPTS).where(CONCEPTS.c.scheme.in_(sorted(set(schemes))))
             .order_by(CONCEPTS.c.scheme, CONCEPTS.c.code))
    return [Concept(r.scheme, r.code, r.label, tuple(r.alt_labels or ()), r.kind,
                    r.reuse_level, r.lang) for r in session.execute(query)]


def links_of(session: Session, *, from_scheme: str, relations: Iterable[str],
             to_scheme: str | None = None) -> list[ConceptLink]:
    """Distinct links from ``from_scheme`` with one of ``relations`` (over all sources)."""
    columns = (LINKS.c.from_scheme, LINKS.c.from_code, LINKS.c.relation, LINKS.c.to_scheme,
               LINKS.c.to_code)
    query = select(*columns, LINKS.c.weight).where(
        LINKS.c.from_scheme == from_scheme, LINKS.c.relation.in_(sorted(set(relations))))
    if to_scheme is not None:
        query = query.where(LINKS.c.to_scheme == to_scheme)
    found = {tuple(r[:5]): r for r in session.execute(query.order_by(*columns))}
    return [ConceptLink(*r[:5], weight=r[5]) for r in found.values()]


def source_versions(session: Session) -> dict[str, dict[str, Any]]:
    """Imported sources with version, location, time and counts."""
    rows = session.execute(select(SOURCES).order_by(SOURCES.c.source)).mappings()
    return {r["source"]: {k: r[k] for k in ("version", "location", "imported_at", "counts")}
            for r in rows}
