"""The case worker's reads on the demo region (52,000 people) as the AF25 officer, warm.

Run: ``python bench/bench_caseload.py [--db PATH] [--repeat 5]`` (without ``--db`` the demo is
built in a temporary folder first, about a minute). Prints the median of ``--repeat`` runs of
each service call behind a page, beside its baseline: the caseload page against the old people
list (the gate's list, first page), the paged referral list against the old inbox and outbox
(every referral of the organisation on one page). Bound: each page's read under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kedja import services
from kedja.core.access import Principal, Purpose, Role
from kedja.core.organisations import OrganisationKind
from kedja.services.case_file import case_file, referral_targets
from kedja.services.caseload import CaseloadQuery, caseload
from kedja.services.people import list_people
from kedja.services.referral_lists import referral_list
from kedja.services.referrals import referral_boxes

BOUND_SECONDS = 1.0
OFFICER = Principal("bench", "officer.norrbotten@kedja.demo", "AF25",
                    OrganisationKind.EMPLOYMENT_SERVICE, frozenset({Role.OFFICER}))


def _median(call: Callable[[], object], repeat: int) -> float:
    call()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "demo.db"
    engine = services.prepare_database(path)
    if args.db is None:
        services.build_demo_database(engine, seed=42)
    first = caseload(engine, OFFICER, CaseloadQuery()).page.items[0].person_id
    name = caseload(engine, OFFICER, CaseloadQuery()).page.items[0].name or "Lindqvist"
    rows = [
        ("caseload, first page", lambda: caseload(engine, OFFICER, CaseloadQuery()),
         "old people list, first page",
         lambda: list_people(engine, OFFICER, purpose=Purpose.CASE_MANAGEMENT)),
        ("caseload, 3 filters, sorted, page 3", lambda: caseload(engine, OFFICER, CaseloadQuery(
            status="unemployed", without_work="24-", sort="municipality", page=3)), None, None),
        ("caseload, name search", lambda: caseload(engine, OFFICER, CaseloadQuery(
            q=name.split()[-1])), None, None),
        ("the case (person page)", lambda: case_file(engine, OFFICER, first), None, None),
        ("referral picker (ASFs)", lambda: referral_targets(engine, OFFICER, first), None, None),
        ("referral list, first page", lambda: referral_list(engine, OFFICER),
         "old inbox and outbox, whole", lambda: referral_boxes(engine, OFFICER)),
    ]
    worst = 0.0
    for label, call, base_label, base in rows:
        seconds = _median(call, args.repeat)
        worst = max(worst, seconds)
        line = f"{label:38s} {seconds * 1000:8.0f} ms"
        if base is not None:
            baseline = _median(base, max(1, args.repeat // 2))
            line += f"   baseline {base_label}: {baseline * 1000:.0f} ms ({baseline / seconds:.1f}×)"
        print(line)
    print(f"slowest {worst * 1000:.0f} ms against a bound of {BOUND_SECONDS * 1000:.0f} ms: "
          f"{'within' if worst < BOUND_SECONDS else 'OVER'}")
    engine.dispose()
    folder.cleanup()


if __name__ == "__main__":
    main()
