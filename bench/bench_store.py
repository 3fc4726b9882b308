"""Storing the demo population: bulk executemany (what Kedja does) against one ORM object per row.

Prints rows per second for both and the ratio, measured in the same run on fresh SQLite files.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from kedja import services
from kedja.demo import generate_demo, load_region_pack, load_taxonomy_pack
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import tables as t


def _prepared(folder: Path, name: str):  # type: ignore[no-untyped-def]
    engine = services.prepare_database(folder / name)
    region, taxonomy = load_region_pack(), load_taxonomy_pack()
    with session_scope(engine) as session:
        repo.save_region(session, counties=region.counties, areas=region.areas,
                         municipalities=region.municipalities, localities=region.localities)
        repo.save_occupations(session, occupations=taxonomy.occupations, skills=taxonomy.skills,
                              links=taxonomy.links, source="bench")
    return engine


def main() -> None:
    start = time.perf_counter()
    demo = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=42, job_seekers=3_000,
                         employed=10_000)
    generated = time.perf_counter() - start
    people = demo.people
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bulk_engine = _prepared(folder, "bulk.db")
        start = time.perf_counter()
        with session_scope(bulk_engine) as session:
            repo.save_organisations(session, demo.organisations)
            repo.save_people(session, people, demo.protected)
        bulk = time.perf_counter() - start

        orm_engine = _prepared(folder, "orm.db")
        start = time.perf_counter()
        with session_scope(orm_engine) as session:
            repo.save_organisations(session, demo.organisations)
            for person in people:
                session.add(t.PersonRow(**repo._person_row(person)))
                for claim in person.skills:
                    session.add(t.PersonSkillRow(person_id=person.id, skill_id=claim.skill_id,
                                                 source=claim.source.value))
                session.flush()
        orm = time.perf_counter() - start
    print(f"generated {len(people):,} people in {generated:.2f} s ({len(people) / generated:,.0f}/s)")
    print(f"bulk executemany: {bulk:.2f} s ({len(people) / bulk:,.0f} people/s, skills, languages "
          f"and protected attributes included)")
    print(f"ORM object per row, flushed per person: {orm:.2f} s ({len(people) / orm:,.0f} people/s, "
          f"skills only)")
    print(f"ratio: bulk is {orm / bulk:.1f}x faster")


if __name__ == "__main__":
    main()
