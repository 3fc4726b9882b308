"""Importing classifications and reporting how well they link up.

One function per use case; each import is one transaction (all or nothing) and idempotent.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.concepts import Relation, Scheme, TaxonomyBatch
from kedja.core.errors import InvalidInput
from kedja.services.cache import invalidate
from kedja.store import session_scope
from kedja.store import taxonomy as store
from kedja.store.faults import checkpoint
from kedja.taxonomy.crosswalk import CrosswalkCoverage, crosswalk_coverage
from kedja.taxonomy.importers import (
    esco_batch,
    fetched_exports,
    jobtech_batch,
    onet_batch,
    scb_employment_batch,
    scb_key_batch,
)
from kedja.taxonomy.importers.jobtech_api import API_URL as JOBTECH_API_URL

__all__ = [
    "IMPORT_KINDS",
    "JOBTECH_API_URL",
    "ImportReport",
    "import_taxonomy",
    "taxonomy_coverage",
    "taxonomy_sources",
]

IMPORT_KINDS = ("esco", "jobtech", "scb-ssyk", "onet")


@dataclass(frozen=True)
class ImportReport:
    """What an import read, what it changed and how the crosswalk covers the data now."""

    source: str
    version: str
    counts: dict[str, int]
    changes: store.ImportChanges
    notes: list[str]
    coverage: CrosswalkCoverage
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def _parsed_batch(kind: str, paths: Sequence[Path], version: str | None,
                  client: httpx.Client | None, api_url: str | None) -> TaxonomyBatch:
    if kind == "jobtech" and api_url is not None:
        with (client or httpx.Client()) as http:
            files = fetched_exports(http, url=api_url)
        return jobtech_batch(files, version=version or "api", location=api_url)
    if kind == "esco":
        return esco_batch(paths, version=version)
    if len(paths) != 1:
        raise InvalidInput(f"'kedja import {kind}' reads one PATH, got {len(paths)}",
                           field="PATH", value=len(paths), hint="give one file or folder")
    if kind == "jobtech":
        return jobtech_batch(paths[0], version=version)
    if kind == "onet":
        return onet_batch(paths[0], version=version)
    if kind == "scb-ssyk":
        if paths[0].suffix.lower() == ".json":
            return scb_employment_batch(paths[0], version=version)
        return scb_key_batch(paths[0], version=version)
    raise InvalidInput(f"unknown import kind {kind!r}", field="kind", value=kind,
                       hint=f"choose one of {', '.join(IMPORT_KINDS)}")


def import_taxonomy(engine: Engine, kind: str, paths: Sequence[Path | str], *,
                    version: str | None = None, api_url: str | None = None,
                    client: httpx.Client | None = None) -> ImportReport:
    """Parse ``paths`` as ``kind`` and write it in one transaction (re-import changes nothing).

    For ``jobtech``, ``api_url`` fetches the taxonomy from the live API instead of ``paths``
    (``client`` lets tests pass a client with recorded responses).
    Public classifications only: no personal data, so no access check or audit entry.

    Raises:
        InvalidInput: the files are malformed; nothing is written.

    """
    started = time.perf_counter()
    batch = _parsed_batch(kind, [Path(p) for p in paths], version, client, api_url)
    parsed = time.perf_counter()
    with session_scope(engine) as session:
        changes = store.save_batch(session, batch)
        checkpoint("taxonomy.batch-saved")
        coverage = _coverage(session)
    invalidate(engine)
    done = time.perf_counter()
    return ImportReport(batch.source, batch.version, batch.counts(), changes, batch.notes,
                        coverage, done - started,
                        {"parse": parsed - started, "write": done - parsed})


def _coverage(session: Session) -> CrosswalkCoverage:
    ssyk = [c.code for c in store.concepts_of(session, [Scheme.SSYK])]
    ssyk_isco = [(link.from_code, link.to_code) for link in
                 store.links_of(session, from_scheme=Scheme.SSYK, relations=[Relation.ISCO])]
    esco_isco = [(link.from_code, link.to_code) for link in store.links_of(
        session, from_scheme=Scheme.ESCO_OCCUPATION, relations=[Relation.ISCO])]
    return crosswalk_coverage(ssyk or {s for s, _ in ssyk_isco}, ssyk_isco, esco_isco)


def taxonomy_coverage(engine: Engine) -> CrosswalkCoverage:
    """The crosswalk coverage of what the database holds now."""
    with session_scope(engine) as session:
        return _coverage(session)


def taxonomy_sources(engine: Engine) -> dict[str, dict[str, Any]]:
    """The imported sources with their versions and counts."""
    with session_scope(engine) as session:
        return store.source_versions(session)
