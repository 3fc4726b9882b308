"""Acting on an allocation on the demo region: the job, the result lists, the exports, the employer's page.

Runs the allocation as the web does (a background job, polled), beside the same run called
directly (the old synchronous form's wait: the baseline the job replaces, which kept the
browser waiting the whole time). Then times, warm (second of two calls), the result page per
person and per place, a filtered page, both exports (with their row counts) and the employer's
vacancies and candidates. Bound: each page under 1 s; exports are downloads, shown for scale.

Run: ``.venv/bin/python bench/bench_allocation_pages.py --db kedja-demo.db``
"""

from __future__ import annotations

import argparse
import os
import re
import time

from _clients import signed_in  # bench/ is on the path when a benchmark runs
from fastapi.testclient import TestClient

from kedja import services
from kedja.web import create_app


def _warm(client: TestClient, url: str) -> tuple[float, bytes]:
    client.get(url)
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - started, response.content


def _job(client: TestClient) -> tuple[float, str]:
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    started = time.perf_counter()
    job = client.post("/allocations", data={"scenario": "bench", "csrf_token": csrf},
                      follow_redirects=False).headers["location"]
    while "HX-Redirect" not in (polled := client.get(job, headers={"HX-Request": "true"})).headers:
        assert "misslyckades" not in polled.text, polled.text
        time.sleep(0.5)
    return time.perf_counter() - started, polled.headers["HX-Redirect"].rsplit("/", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="kedja-demo.db")
    args = parser.parse_args()
    os.environ.setdefault("KEDJA_CACHE_SECONDS", "300")
    engine = services.prepare_database(args.db)
    services.warm_caches(engine)
    app = create_app(engine)
    officer = signed_in(app, engine, "officer.norrbotten@kedja.demo")
    started = time.perf_counter()
    services.run_allocation(engine, scenario="bench-direct")
    direct = time.perf_counter() - started
    seconds, allocation = _job(officer)
    print(f"allocation as a job (polled every 0.5 s): {seconds:.1f} s; the same run called "
          f"directly (the old form's blocking wait): {direct:.1f} s")
    base = f"/allocations/{allocation}"
    for label, url in (("result page, per person", base), ("per place", f"{base}?view=places"),
                       ("filtered (Luleå, jobs, high fit, page 2)",
                        f"{base}?municipality=2580&kind=job&band=high&page=2")):
        took, body = _warm(officer, url)
        print(f"{label}: {took:.3f} s ({len(body) // 1024} KB)")
    for fmt in ("csv", "xlsx"):
        took, body = _warm(officer, f"{base}/export?format={fmt}")
        rows = body.decode("utf-8-sig").count("\n") - 1 if fmt == "csv" else None
        print(f"export {fmt}: {took:.2f} s ({len(body) // 1024} KB{f', {rows} rows' if rows else ''})")
    hr = signed_in(app, engine, "hr@kedja.demo")
    took, body = _warm(hr, "/employer")
    candidates = len(re.findall(rb"data-referral=", body))
    print(f"/employer (hr@kedja.demo, {candidates} open referrals): {took:.3f} s; "
          f"/hub?mine=1: {_warm(hr, '/hub?mine=1')[0]:.3f} s")


if __name__ == "__main__":
    main()
