"""``kedja chains plan``: vacancy chains for the region in the database."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kedja import services
from kedja.services.chains import plan_region_chains

__all__ = ["chains_app"]

chains_app = typer.Typer(help="Vacancy chains: upskill the employed, open their jobs to job seekers.",
                         no_args_is_help=True)
DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file path or database URL.")]


@chains_app.command("plan")
def plan(
    db: DbOption = None,
    budget: Annotated[float | None, typer.Option(help="Training budget in SEK.")] = None,
    max_length: Annotated[int | None, typer.Option("--max-length", help="Maximum steps per chain.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Plan the region's chains and compare them with upskilling without chain planning."""
    result = plan_region_chains(services.prepare_database(db), budget=budget, max_chain_length=max_length)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"chains {len(result['chains'])}, upskilled {result['upskilled']}, "
          f"job seekers entering {result['job_seekers_entering']} "
          f"(unplanned {result['unplanned_job_seekers_entering']}), "
          f"multiplier {result['multiplier']:.2f}, checker ok: {result['checker_ok']}")
    for chain in sorted(result["chains"], key=lambda c: -len(c["steps"]))[:10]:
        print("  " + " → ".join(f"{s['person_id']} into {s['occupation_code']}"
                                 + (f" after {s['course_id']}" if s["course_id"] else "")
                                 for s in chain["steps"]) + f" [{chain['end']}]")
