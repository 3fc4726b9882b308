"""Every page of a running Kedja, per role: the first (cold) time and the warm time.

Run against a served demo (``kedja demo --db D --no-serve`` then ``kedja serve --db D``)::

    python bench/bench_pages.py --db D --url http://127.0.0.1:8000 [--repeat 3] [--skip REGEX]

Without ``--url`` it starts ``kedja serve`` on ``--db`` itself; without ``--db`` as well it
first builds the demo region in a temporary folder (about a minute), as ``make bench`` does.

The pages are read from the app's route table (every GET route answering HTML outside the
API, as the Swedish-only test does), their path parameters filled with real ids from the
database, chosen per role. Each page is fetched once (cold: the first request after the server
started, caches empty) and then ``--repeat`` times; the warm figure is the median of those. The
bound is 1 s warm per page (docs/performance.md); the cold time is the baseline it is set
against. Prints one line per page and role, then the slowest warm pages.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine, create_engine, or_, select

from kedja.store import open_engine, session_scope
from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.errors import is_api_path
from kedja.web.security import app_routes, route_access

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import server  # the same way of starting kedja serve

BOUND_SECONDS = 1.0
PASSWORD = "kedja-demo-2026"
USERS = {"officer": "officer.norrbotten@kedja.demo", "coordinator": "coordinator@kedja.demo",
         "employer_hr": "hr@kedja.demo", "analyst": "analyst@kedja.demo",
         "admin": "admin@kedja.demo"}
SKIPPED = {"/auth/oidc/login", "/auth/oidc/callback"}


def page_routes() -> list[tuple[str, bool]]:
    """(path, public) for every HTML page route of the app."""
    app = create_app(create_engine("sqlite://"))
    found = {}
    for route in app_routes(app):
        response_class = getattr(route.response_class, "value", route.response_class)
        if ("GET" in route.methods and not is_api_path(route.path) and route.path not in SKIPPED
                and isinstance(response_class, type) and issubclass(response_class, HTMLResponse)):
            found[route.path] = any(d.public for d in route_access(route))
    return sorted(found.items())


def samples(engine: Engine, username: str | None) -> dict[str, str]:
    """Real ids for path parameters, seen from the user's organisation."""
    with session_scope(engine) as session:
        org = session.scalar(select(t.UserRow.organisation_id).where(t.UserRow.username == username))
        person = session.scalar(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == org).order_by(t.ConsentRow.person_id)) or session.scalar(
            select(t.PersonRow.id).order_by(t.PersonRow.id))
        referral = session.scalar(select(t.ReferralRow.id).where(or_(
            t.ReferralRow.from_organisation_id == org, t.ReferralRow.to_organisation_id == org))
            .order_by(t.ReferralRow.id)) or session.scalar(select(t.ReferralRow.id))
        allocation = session.scalar(select(t.AllocationRow.id).order_by(t.AllocationRow.id))
        occupation = session.scalar(select(t.PersonRow.occupation_code).where(
            t.PersonRow.occupation_code.is_not(None)).order_by(t.PersonRow.occupation_code))
        asf = session.scalar(select(t.OrganisationRow.id).where(t.OrganisationRow.kind == "asf"))
        job = session.scalar(select(t.JobRow.id).where(t.JobRow.kind == "allocation")
                             .order_by(t.JobRow.id))
    municipality = org[3:] if org and org.startswith("KOM") else "2580"
    return {"person_id": person or "", "referral_id": referral or "", "allocation_id": allocation or "",
            "job_id": job or "",
            "organisation_id": org or asf or "", "forecast": municipality,
            "occupations": occupation or "5321"}


def fill(path: str, values: dict[str, str]) -> str:
    prefix = path.strip("/").split("/")[0]
    return path.format(**{**values, "code": values.get(prefix, "")})


def signed_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=120, cookies={"kedja_lang": "sv"})
    page = client.get("/login").text
    token = re.search(r'action="/login"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
                      page)
    assert token, "no sign-in form"
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token.group(1), "next": "/"})
    assert answer.status_code in (200, 303), answer.status_code
    return client


def timed(client: httpx.Client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    status = client.get(url).status_code
    return time.perf_counter() - started, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=None, help="the demo database (default: build one)")
    parser.add_argument("--url", default=None, help="a running server (default: start one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--roles", default=",".join(["anonymous", *USERS]))
    parser.add_argument("--skip", default="", help="a regular expression of paths not to fetch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or str(Path(folder) / "demo.db")
        if args.db is None:
            from kedja import services

            services.build_demo_database(services.prepare_database(db))
        if args.url is not None:
            measure(args, db, args.url)
        else:
            with server(db) as (url, _process):
                time.sleep(30)  # the start-up warms caches, some in the background
                measure(args, db, url)


def measure(args: argparse.Namespace, db: str, url: str) -> None:
    """Fetch every page as every role and print the figures."""
    engine = open_engine(db)
    rows: list[tuple[str, str, float, float, int]] = []
    for role in args.roles.split(","):
        client = (httpx.Client(base_url=url, timeout=120, cookies={"kedja_lang": "sv"})
                  if role == "anonymous" else signed_in(url, USERS[role]))
        values = samples(engine, USERS.get(role))
        for path, public in page_routes():
            if (role == "anonymous" and not public) or (args.skip and re.search(args.skip, path)):
                continue
            page = fill(path, values)
            cold, status = timed(client, page)
            warm = statistics.median(timed(client, page)[0] for _ in range(args.repeat))
            rows.append((role, page, cold, warm, status))
            print(f"{role:12} {page:48} {status:4} cold {cold:6.3f} s  warm {warm:6.3f} s"
                  f"{'  OVER 1 s' if warm > BOUND_SECONDS else ''}", flush=True)
    report(rows)


def report(rows: list[Any]) -> None:
    slowest = sorted(rows, key=lambda r: -r[3])[:10]
    print(f"\n{len(rows)} pages × roles; warm over {BOUND_SECONDS} s: "
          f"{sum(r[3] > BOUND_SECONDS for r in rows)}; slowest warm:")
    for role, url, cold, warm, status in slowest:
        print(f"  {warm:6.3f} s warm (cold {cold:6.3f} s)  {url} as {role} [{status}]")


if __name__ == "__main__":
    main()
