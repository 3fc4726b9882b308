"""Reading the region for the chains: what a person waits for, before and after, in one run.

Times, on a demo database (``kedja demo --no-serve``), the reads ``load_chain_region`` does:

- people: every person as a full ORM row with skills, history and languages (how the chains read
  them before) against employees by one Core query over eight columns plus job seekers in full;
- occupation similarity: the Python double loop over all occupation pairs (before) against
  ``np.nonzero`` on matching's matrix;

then ``kedja chains plan``'s whole service call (the plan, both counterfactuals, rotation).

Run: ``.venv/bin/python bench/bench_chains_region.py --db kedja-demo.db``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from kedja import services
from kedja.services.chains import plan_region_chains
from kedja.services.matching import matching_data
from kedja.store import loaders, session_scope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="kedja-demo.db")
    args = parser.parse_args()
    engine = services.prepare_database(args.db)
    with session_scope(engine) as session:
        started = time.perf_counter()
        everyone = loaders.list_people(session)
        full = time.perf_counter() - started
        started = time.perf_counter()
        employees = loaders.list_employees(session)
        seekers = loaders.list_people(session, job_seekers_only=True)
        lean = time.perf_counter() - started
        data = matching_data(session, [])
    print(f"people: {len(everyone):,} in full {full:.1f} s; {len(employees):,} employees (8 columns) + "
          f"{len(seekers):,} job seekers in full {lean:.1f} s; ratio {full / lean:.1f}x")
    codes = [str(o.code) for o in data.occupations]
    matrix = np.asarray(data.similarity)
    started = time.perf_counter()
    loop = {(a, b): float(matrix[i, j]) for i, a in enumerate(codes) for j, b in enumerate(codes)
            if matrix[i, j] > 0}
    looped = time.perf_counter() - started
    started = time.perf_counter()
    rows, cols = np.nonzero(matrix > 0)
    vector = {(codes[i], codes[j]): float(v) for i, j, v in
              zip(rows.tolist(), cols.tolist(), matrix[rows, cols].tolist(), strict=True)}
    vectorised = time.perf_counter() - started
    assert loop == vector
    print(f"similarity over {len(codes)} occupations: double loop {looped * 1000:.1f} ms, "
          f"vectorised {vectorised * 1000:.1f} ms")
    started = time.perf_counter()
    result = plan_region_chains(engine)
    print(f"kedja chains plan (service): {time.perf_counter() - started:.1f} s; entrants "
          f"{result['job_seekers_entering']:,} against no upskilling "
          f"{result['no_upskilling_job_seekers_entering']:,} and unplanned "
          f"{result['unplanned_job_seekers_entering']:,}; checker ok {result['checker_ok']}")


if __name__ == "__main__":
    main()
