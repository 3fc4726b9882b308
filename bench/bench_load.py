"""Load test: concurrent signed-in users on the main pages and API of the demo region.

Usage: .venv/bin/python bench/bench_load.py [--backend sqlite|postgresql|both] [--users 100]
       [--seconds 20] [--think 1.0] [--job-seekers 12000] [--employed 40000] [--db PATH_OR_URL]

Builds the demo region (or uses ``--db``), starts ``kedja serve`` (uvicorn, one process) on a
free loopback port, signs ``--users`` virtual users in (spread over the demo accounts: each
holds its own session), and lets each loop over the pages its role uses for ``--seconds``,
pausing ``--think`` seconds on average between requests as a person reading a page does
(``--think 0`` turns it into a stress test). Prints throughput and p50/p95/p99 latency
in total and per page, the CPU the server processes used (per request) and the CPU this load
generator used (one process, asyncio and httpx: it runs apart from the server). The target
is p95 under 200 ms on the region and pathway pages.
PostgreSQL runs use a fresh database on ``KEDJA_BENCH_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``), dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kedja import services

PASSWORD = "kedja-demo-2026"
ACCOUNTS = {
    "officer": "officer.norrbotten@kedja.demo",
    "coordinator": "coordinator@kedja.demo",
    "employer_hr": "hr@kedja.demo",
    "analyst": "analyst@kedja.demo",
    "admin": "admin@kedja.demo",
}
SHARE = {"officer": 0.4, "coordinator": 0.2, "employer_hr": 0.1, "analyst": 0.2, "admin": 0.1}
PAGES = {  # role: (page name, path template) it visits; {person} is one of its visible people
    "officer": [("region", "/"), ("pathways", "/people/{person}/pathways"), ("person", "/people/{person}"),
                ("api people", "/api/v1/people"), ("api person", "/api/v1/people/{person}"),
                ("people", "/people")],
    "coordinator": [("region", "/"), ("pathways", "/people/{person}/pathways"),
                    ("people", "/people"), ("api people", "/api/v1/people")],
    "employer_hr": [("region", "/"), ("people", "/people"), ("api organisations", "/api/v1/organisations")],
    "analyst": [("region", "/"), ("forecast", "/forecast"), ("api municipalities", "/api/v1/municipalities"),
                ("api organisations", "/api/v1/organisations")],
    "admin": [("region", "/"), ("audit", "/admin/audit"), ("api audit", "/api/v1/audit")],
}


SETTLE_LIMIT = 240.0
"""Seconds to wait at most for the server's background warm-up (the chain plan) to finish."""
IDLE_CORES = 0.2
"""Server CPU (cores) below which it counts as idle, so the measured load is the users'."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_database() -> Iterator[str]:
    base = os.environ.get("KEDJA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = create_engine(make_url(base).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    name = f"kedja_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def server(db: str, workers: int = 1) -> Iterator[tuple[str, psutil.Process]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", "from kedja.cli import main; main()", "serve",
                                "--db", db, "--port", str(port), "--workers", str(workers)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url, psutil.Process(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no sign-in form"
    answer = await client.post("/login", data={"username": username, "password": PASSWORD,
                                               "csrf_token": token.group(1), "next": "/"})
    assert answer.status_code == 303, answer.text[:300]


async def signed_in_user(url: str, role: str, gate: asyncio.Semaphore
                         ) -> tuple[httpx.AsyncClient, list[str]]:
    """A client holding its own session, and the people its role may open."""
    client = httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=1))
    async with gate:  # argon2 costs ~0.1 s of CPU per sign-in: not part of the measured load
        await sign_in(client, ACCOUNTS[role])
    people = [p["id"] for p in (await client.get("/api/v1/people?page_size=100")).json().get(
        "items", [])] if role in ("officer", "coordinator") else []
    return client, people


async def user(client: httpx.AsyncClient, people: list[str], role: str, until: float, seed: int,
               think: float, times: dict[str, list[float]], errors: dict[str, int]) -> None:
    rng = random.Random(seed)
    try:
        await asyncio.sleep(rng.uniform(0, think))  # users do not all start in the same instant
        while time.perf_counter() < until:
            if think:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            name, path = rng.choice(PAGES[role])
            if "{person}" in path:
                if not people:
                    continue
                path = path.format(person=rng.choice(people))
            started = time.perf_counter()
            answer = await client.get(path, follow_redirects=True)  # as a browser: /forecast → its page
            times[name].append(time.perf_counter() - started)
            if answer.status_code != 200:
                errors[f"{name} {answer.status_code}"] += 1
    finally:
        await client.aclose()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def server_cpu(root: psutil.Process) -> float:
    """CPU seconds used so far by the server: the parent process and its worker processes."""
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def own_cpu() -> float:
    return time.process_time()


async def run_load(url: str, users: int, seconds: float, think: float,
                   root: psutil.Process) -> None:
    roles = [role for role, share in SHARE.items() for _ in range(round(share * users))][:users]
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    gate = asyncio.Semaphore(4)
    sign_ins = time.perf_counter()
    users_ = await asyncio.gather(*(signed_in_user(url, role, gate) for role in roles))
    print(f"  {len(roles)} users signed in in {time.perf_counter() - sign_ins:.1f} s")
    warm = time.perf_counter()  # one visit of each page fills the region-wide caches
    for role, (client, people) in {r: u for u, r in zip(users_, roles, strict=True)}.items():
        for _, path in PAGES[role]:
            if "{person}" not in path or people:
                await client.get(path.format(person=people[0] if people else ""))
    print(f"  warm-up (cold caches: forecast, matching inputs) {time.perf_counter() - warm:.1f} s")
    settled = time.perf_counter()  # each process plans the region's chains in the background
    while time.perf_counter() - settled < SETTLE_LIMIT:
        before = server_cpu(root)
        await asyncio.sleep(2.0)
        if server_cpu(root) - before < 2.0 * IDLE_CORES:
            break
    print(f"  server settled (background warm-up done: under {IDLE_CORES:.0%} of a core) after "
          f"{time.perf_counter() - settled:.0f} s")
    started, cpu_server, cpu_self = time.perf_counter(), server_cpu(root), own_cpu()
    until = started + seconds
    await asyncio.gather(*(user(client, people, role, until, i, think, times, errors)
                           for i, ((client, people), role) in enumerate(zip(users_, roles, strict=True))))
    total = [v for values in times.values() for v in values]
    elapsed = time.perf_counter() - started
    used_server, used_self = server_cpu(root) - cpu_server, own_cpu() - cpu_self
    print(f"  {len(roles)} users (think time {think} s), {len(total):,} requests in {elapsed:.1f} s: "
          f"{len(total) / elapsed:.0f} requests/s; p50 {percentile(total, .5):.0f} ms, "
          f"p95 {percentile(total, .95):.0f} ms, p99 {percentile(total, .99):.0f} ms")
    print(f"  server CPU {used_server:.1f} s ({1000 * used_server / max(len(total), 1):.1f} ms per "
          f"request, {100 * used_server / elapsed:.0f} % of one core); load generator CPU "
          f"{used_self:.1f} s ({100 * used_self / elapsed:.0f} % of one core); machine load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, values in sorted(times.items()):
        target = "  (target p95 < 200 ms)" if name in ("region", "pathways") else ""
        print(f"    {name:<20} {len(values):>6} req  p50 {percentile(values, .5):6.0f}  "
              f"p95 {percentile(values, .95):6.0f}  p99 {percentile(values, .99):6.0f} ms{target}")
    print(f"    non-200 answers: {sum(errors.values())}" + (f" {dict(errors)}" if errors else ""))


def bench(db: str | None, backend: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder, \
            (postgres_database() if backend == "postgresql" and db is None else _given(db)) as url:
        target = url or str(Path(folder) / "kedja.db")
        if db is None:
            started = time.perf_counter()
            engine = services.prepare_database(target)
            services.build_demo_database(engine, job_seekers=args.job_seekers,
                                         employed=args.employed)
            engine.dispose()
            print(f"{backend}: demo region ({args.job_seekers:,} job seekers, {args.employed:,} "
                  f"employed) built in {time.perf_counter() - started:.0f} s")
        with server(target, args.workers) as (base, root):
            print(f"kedja serve --workers {args.workers}")
            asyncio.run(run_load(base, args.users, args.seconds, args.think, root))


@contextmanager
def _given(db: str | None) -> Iterator[str | None]:
    yield db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think", type=float, default=1.0,
                        help="Mean pause between a user's requests (0: a stress test).")
    parser.add_argument("--job-seekers", type=int, default=12_000)
    parser.add_argument("--employed", type=int, default=40_000)
    parser.add_argument("--db", help="An existing demo database instead of building one.")
    parser.add_argument("--workers", type=int, default=1, help="server processes (kedja serve --workers)")
    args = parser.parse_args()
    for backend in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend]):
        bench(args.db, backend, args)


if __name__ == "__main__":
    main()
