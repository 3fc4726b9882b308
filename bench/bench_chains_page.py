"""``/chains`` as a coordinator meets it right after the server starts: never a wait for the plan.

Starts the app over a demo database (``kedja demo --no-serve``) as ``kedja serve`` does (the
region-wide caches warmed, the chain plan started in the background), then times ``/chains``
at once (the page shows the plan's progress), polls until the plan is ready, and times the page
again, and the employer's planner for ``hr@kedja.demo``. Bound: each page under 1 s.

Run: ``.venv/bin/python bench/bench_chains_page.py --db kedja-demo.db``
"""

from __future__ import annotations

import argparse
import os
import time

from _clients import signed_in  # bench/ is on the path when a benchmark runs
from fastapi.testclient import TestClient

from kedja import services
from kedja.web import create_app


def _timed(client: TestClient, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    response = client.get(url)
    return time.perf_counter() - started, response.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="kedja-demo.db")
    args = parser.parse_args()
    os.environ.setdefault("KEDJA_CACHE_SECONDS", "300")
    engine = services.prepare_database(args.db)
    started = time.perf_counter()
    services.warm_caches(engine)
    print(f"warm start (forecast, matching inputs; the chain plan goes on in the background): "
          f"{time.perf_counter() - started:.1f} s")
    app = create_app(engine)
    analyst = signed_in(app, engine, "analyst@kedja.demo")
    first, text = _timed(analyst, "/chains?lang=sv")
    shown = "progress shown" if "bakgrunden" in text else "plan shown"
    print(f"/chains right after start: {first:.2f} s ({shown})")
    waited = time.perf_counter()
    while "bakgrunden" in _timed(analyst, "/chains?lang=sv")[1]:
        time.sleep(2)
    print(f"plan ready in the background after {time.perf_counter() - waited:.0f} s more")
    ready, _ = _timed(analyst, "/chains?lang=sv")
    hr = signed_in(app, engine, "hr@kedja.demo")
    planner, _ = _timed(hr, "/chains/employer?lang=sv")
    print(f"/chains once ready: {ready:.2f} s; /chains/employer (hr@kedja.demo): {planner:.2f} s")
    worst = max(first, ready, planner)
    print(f"slowest page {worst:.2f} s (bound 1 s): {'OK' if worst < 1.0 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
