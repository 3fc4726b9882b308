"""``kedja chains plan``: vacancy chains for the region in the database."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kedja.cli.lazy import lazy_module
from kedja.cli.options import FormatOption, OutputFormat, progress

__all__ = ["chains_app"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    import kedja.services.chains as region_chains
    from kedja import services
else:
    services = lazy_module("kedja.services")
    region_chains = lazy_module("kedja.services.chains")

chains_app = typer.Typer(help="Vacancy chains: upskill the employed, open their jobs to job seekers.",
                         no_args_is_help=True)
DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file path or database URL.")]


@chains_app.command("plan")
def plan(
    db: DbOption = None,
    budget: Annotated[float | None, typer.Option(help="Training budget in SEK.")] = None,
    max_length: Annotated[int | None, typer.Option("--max-length", help="Maximum steps per chain.")] = None,
    min_weeks: Annotated[int | None, typer.Option(
        "--min-weeks-unemployed",
        help="Job rotation: substitutes must have been without a job this many weeks.")] = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Plan the region's chains with job rotation; compare with upskilling without chain planning."""
    with progress("Planning the region's chains") as report:
        report.step("reading the region and planning")
        result = region_chains.plan_region_chains(services.prepare_database(db), budget=budget,
                                    max_chain_length=max_length, min_weeks_unemployed=min_weeks)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"chains {len(result['chains'])}, upskilled {result['upskilled']}, "
          f"job seekers entering {result['job_seekers_entering']} "
          f"(unplanned {result['unplanned_job_seekers_entering']}), "
          f"multiplier {result['multiplier']:.2f}, checker ok: {result['checker_ok']}")
    rotation = result["rotation"]
    print(f"job rotation: {rotation['covered']} of {rotation['absences']} trainees covered by substitutes, "
          f"{rotation['hours_covered']:,.0f} of {rotation['hours_to_cover']:,.0f} hours")
    for chain in sorted(result["chains"], key=lambda c: -len(c["steps"]))[:10]:
        print("  " + " → ".join(_step_text(s) for s in chain["steps"]) + f" [{chain['end']}]")


def _step_text(step: dict[str, Any]) -> str:
    """``P… (5321) into 5323 after EDU…``, or ``P… (job seeker, ASF placement at ASF…) into …``."""
    if step["job_seeker"]:
        asf = step["asf_placement"]
        origin = "job seeker" + (f", ASF placement at {asf}" if asf else "")
    else:
        origin = step["from_occupation_code"]
    course = f" after {step['course_title']} ({step['course_id']})" if step["course_id"] else ""
    return f"{step['person_id']} ({origin}) into {step['occupation_code']}{course}"


@chains_app.command("simulate")
def simulate(
    db: DbOption = None,
    years: Annotated[int, typer.Option(help="Years to simulate.")] = 5,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs.")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the chance draws.")] = 0,
    budget: Annotated[float | None, typer.Option(help="Training budget in SEK a year.")] = None,
    completion_rate: Annotated[float, typer.Option(help="Share completing their course.")] = 0.85,
    retention_rate: Annotated[float, typer.Option(help="Share staying a year in a new job.")] = 0.9,
    attrition_rate: Annotated[float, typer.Option(help="Share of employees leaving a year.")] = 0.05,
    retirement_rate: Annotated[float, typer.Option(help="Share of employees retiring a year.")] = 0.03,
    substitute_hire_rate: Annotated[float, typer.Option(help="Share of substitutes hired afterwards.")] = 0.3,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Simulate years of no upskilling, unplanned upskilling and planned chains with rotation."""
    with progress("Simulating the strategies (runs)") as report:
        report.step("reading the region")
        result = region_chains.simulate_region_chains(
            services.prepare_database(db), years=years, runs=runs, seed=seed, budget=budget,
            completion_rate=completion_rate, retention_rate=retention_rate,
            attrition_rate=attrition_rate, retirement_rate=retirement_rate,
            substitute_hire_rate=substitute_hire_rate, progress=report.advance)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"{runs} runs, seed {seed}; from unemployment into work per year, mean [10–90 %]:")
    for strategy in result["strategies"]:
        yearly = result["yearly"][strategy]
        cells = "  ".join(f"{b['mean']:.0f} [{b['p10']:.0f}–{b['p90']:.0f}]" for b in yearly["entered_work"])
        total = yearly["entered_work_cumulative"][-1]
        print(f"  {strategy:<17} {cells}   in all {total['mean']:.0f}; "
              f"shortage positions filled {yearly['shortage_filled'][-1]['mean']:.0f}")
    print(f"checker ok: {result['checker_ok']}")
