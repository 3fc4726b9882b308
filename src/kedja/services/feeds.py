"""Standard feeds: JobTech job ads (files or the live JobSearch API) and YH programme lists.

The ads become the region's vacancies (``kind = job``) owned by the feed (``jobtech``):
loading the same file again changes nothing, a newer version of an ad updates its vacancy,
and employers new to Kedja are added by organisation number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Engine, select

from kedja.core.errors import InvalidInput
from kedja.loading import Kind, Mapping, read_table
from kedja.loading.jobtech import JobtechBatch, ads_to_validation, read_ads
from kedja.loading.yh import yh_table
from kedja.services.loading import LoadReport, _apply, load_table, reference
from kedja.store import session_scope
from kedja.store import tables as t

__all__ = [
    "FEED_OWNER",
    "JOBSEARCH_URL",
    "FeedReport",
    "fetch_jobsearch_ads",
    "load_jobtech_ads",
    "load_yh_programmes",
]

JOBSEARCH_URL = "https://jobsearch.api.jobtechdev.se/search"
"""JobTech's JobSearch API (open, no key): ``region`` takes county codes, ``offset`` + ``limit``
page through at most 2,000 hits per query."""
FEED_OWNER = "jobtech"
PAGE = 100


@dataclass(frozen=True)
class FeedReport:
    """A feed load: the usual report and what the feed held besides vacancies."""

    load: LoadReport
    batch: JobtechBatch


def load_jobtech_ads(engine: Engine, data: bytes | list[dict[str, Any]], *, filename: str = "jobtech",
                     dry_run: bool = False, at: datetime | None = None) -> FeedReport:
    """Load JobTech ads (bytes of a file, or parsed ads) as the region's vacancies.

    Ads that cannot be tied to an SSYK group or an employer are listed as problems and
    skipped; the others load in one transaction.

    Raises:
        InvalidInput: the data is not JobTech JSON.
    """
    ads = read_ads(data) if isinstance(data, bytes) else data
    with session_scope(engine) as session:
        ref = reference(session)
    validation, batch = ads_to_validation(ads, ref, filename=filename)
    report = _apply(engine, Kind.OPPORTUNITIES, validation, [], owner=FEED_OWNER, principal=None,
                    dry_run=dry_run, skip_invalid=True, at=at, actor=FEED_OWNER)
    return FeedReport(report, batch)


def _counties(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return sorted(session.scalars(select(t.CountyRow.code)))


def fetch_jobsearch_ads(engine: Engine, *, client: httpx.Client | None = None, url: str = JOBSEARCH_URL,
                        limit: int = 2000, query: str | None = None) -> list[dict[str, Any]]:
    """The open ads of the region's counties from JobSearch, page by page (``limit`` at most).

    Raises:
        InvalidInput: the API answers with an error or something that is not JobSearch JSON.
    """
    ads: list[dict[str, Any]] = []
    with (client or httpx.Client(timeout=30)) as http:
        for county in _counties(engine):
            for offset in range(0, limit, PAGE):
                params: dict[str, Any] = {"region": county, "offset": offset, "limit": PAGE}
                if query:
                    params["q"] = query
                hits = _page(http, url, params)
                ads.extend(hits)
                if len(hits) < PAGE:
                    break
    return ads


def _page(http: httpx.Client, url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        response = http.get(url, params=params, headers={"accept": "application/json"})
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise InvalidInput(f"JobSearch did not answer as expected ({error})", field="--from-api",
                           value=url, hint="check the network, or load a saved file instead") from None
    if not isinstance(body, dict) or not isinstance(body.get("hits"), list):
        raise InvalidInput("JobSearch answered without a list of hits", field="--from-api", value=url,
                           hint="check the URL (it must be JobSearch's /search)")
    return list(body["hits"])


def load_yh_programmes(engine: Engine, filename: str, data: bytes, *, organisation_id: str | None,
                       mapping: Mapping | None = None, dry_run: bool = False) -> LoadReport:
    """Load a YH programme list (Myndigheten för yrkeshögskolan's columns) as courses.

    Rows of one programme (one per occupation group it leads to) are merged.
    """
    table = yh_table(read_table(filename, data))
    return load_table(engine, Kind.COURSES, table, organisation_id=organisation_id, mapping=mapping,
                      dry_run=dry_run)
