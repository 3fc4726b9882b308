"""Benchmarks of issue 3: full ESCO import, and all-pairs similarity vs a pure-Python reference.

Usage: .venv/bin/python bench/bench_taxonomy.py [--data ../shared/data] [--sample 300] [--full]

The reference computes the same skill similarity (0.6 coverage + 0.4 cosine, IDF weights) with
Python sets and dicts, pair by pair. By default it runs on ``--sample`` origins against all
3,007 destinations and its time is scaled to all origins (printed as such); ``--full`` runs it
on every pair. Both results are compared on the pairs the reference computed.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from kedja import services
from kedja.core.concepts import Relation
from kedja.taxonomy.importers import esco_batch
from kedja.taxonomy.similarity import idf_weights, skill_matrix, skill_similarity_all_pairs

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def bench_import(folder: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = services.prepare_database(Path(tmp) / "bench.db")
        started = time.perf_counter()
        report = services.import_taxonomy(engine, "esco", sorted(folder.glob("*.zip")))
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = services.import_taxonomy(engine, "esco", sorted(folder.glob("*.zip")))
        second = time.perf_counter() - started
    print(f"ESCO import (zips, SQLite): {first:.1f} s for {report.changes.inserted:,} rows "
          f"(parse {report.timings['parse']:.1f} s, write {report.timings['write']:.1f} s); "
          f"re-import {second:.1f} s, {again.changes.total} rows changed")


def reference_similarity(origins: list[int], essential: list[set[str]], optional: list[set[str]],
                         idf: dict[str, float]) -> list[list[float]]:
    has = [e | o for e, o in zip(essential, optional, strict=True)]
    weights = [{**{s: 0.5 * idf[s] for s in o}, **{s: idf[s] for s in e}}
               for e, o in zip(essential, optional, strict=True)]
    norms = [math.sqrt(sum(w * w for w in ws.values())) or 1.0 for ws in weights]
    needs = [e if e else h for e, h in zip(essential, has, strict=True)]
    totals = [sum(idf[s] for s in n) or 1.0 for n in needs]
    rows = []
    for i in origins:
        row = []
        for j in range(len(essential)):
            coverage = sum(idf[s] for s in needs[j] & has[i]) / totals[j]
            common = weights[i].keys() & weights[j].keys()
            cosine = sum(weights[i][s] * weights[j][s] for s in common) / (norms[i] * norms[j])
            row.append(0.6 * coverage + 0.4 * cosine)
        rows.append(row)
    return rows


def bench_similarity(folder: Path, sample: int, full: bool) -> None:
    batch = esco_batch(sorted(folder.glob("*.zip")))
    occupations = [c.code for c in batch.concepts if c.scheme == "esco-occupation"]
    skills = [c.code for c in batch.concepts if c.scheme == "esco-skill"]
    links = [(k.from_code, k.to_code, k.relation) for k in batch.links
             if k.relation in (Relation.ESSENTIAL, Relation.OPTIONAL)]
    started = time.perf_counter()
    matrix = skill_matrix(occupations, skills, links)
    idf = idf_weights(matrix)
    fast = skill_similarity_all_pairs(matrix, idf)
    vectorised = time.perf_counter() - started
    at = {code: i for i, code in enumerate(occupations)}
    essential, optional = [set() for _ in occupations], [set() for _ in occupations]
    for occ, skill, relation in links:
        (essential if relation == Relation.ESSENTIAL else optional)[at[occ]].add(skill)
    for i in range(len(occupations)):
        optional[i] -= essential[i]
    df: dict[str, int] = defaultdict(int)
    for i in range(len(occupations)):
        for s in essential[i] | optional[i]:
            df[s] += 1
    idf_map = {s: math.log(len(occupations) / n) for s, n in df.items()}
    origins = list(range(len(occupations))) if full else \
        list(np.random.default_rng(42).choice(len(occupations), size=sample, replace=False))
    started = time.perf_counter()
    slow = reference_similarity(origins, essential, optional, idf_map)
    measured = time.perf_counter() - started
    scaled = measured * len(occupations) / len(origins)
    error = float(np.abs(np.array(slow) - fast[origins]).max())
    kind = "measured on all pairs" if full else (f"measured on {len(origins)} origins x "
                                                  f"{len(occupations)} destinations, scaled")
    print(f"All-pairs similarity, {len(occupations):,} occupations x {len(skills):,} skills "
          f"({matrix.essential.nnz + matrix.optional.nnz:,} links):")
    print(f"  scipy.sparse (incl. building the matrix): {vectorised:.2f} s")
    print(f"  pure-Python sets: {scaled:.1f} s ({kind}; {measured:.1f} s measured)")
    print(f"  ratio: {scaled / vectorised:.0f}x faster; max |difference| {error:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    folder = args.data / "esco_v1.1.1"
    bench_import(folder)
    bench_similarity(folder, args.sample, args.full)


if __name__ == "__main__":
    main()
