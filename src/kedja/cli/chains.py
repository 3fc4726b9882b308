"""``kedja chains plan``: vacancy chains for the region in the database."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, FormatOption, OutputFormat, progress

__all__ = ["chains_app"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    import kedja.services.chains as region_chains
    from kedja import services
else:
    services = lazy_module("kedja.services")
    region_chains = lazy_module("kedja.services.chains")

chains_app = typer.Typer(help="Vacancy chains: upskill the employed, open their jobs to job seekers.",
                         no_args_is_help=True)


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
          f"(no upskilling {result['no_upskilling_job_seekers_entering']}, "
          f"unplanned upskilling {result['unplanned_job_seekers_entering']}; both with optimal matching), "
          f"checker ok: {result['checker_ok']}")
    cost = result["cost_per_net_entrant_sek"]
    print(f"net entrants: {result['net_entrants_vs_no_upskilling']} against no upskilling, "
          f"{result['net_entrants_vs_unplanned']} against unplanned upskilling; cost per net entrant "
          + (f"{cost:,.0f} SEK" if cost is not None else "- (no net entrant)"))
    expected = result["expected_entrants_after_displacement"]
    print(f"after displacement and withdrawal: {expected:,.1f} expected "
          f"entrants, {result['expected_net_entrants_vs_no_upskilling']:,.1f} net of no upskilling and "
          f"deadweight; multiplier (White: moves per initial vacancy) {result['multiplier']:.2f}")
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
    completion_rate: Annotated[float | None, typer.Option(help="Share completing their course.")] = None,
    retention_rate: Annotated[float | None, typer.Option(help="Share staying a year in a new job.")] = None,
    attrition_rate: Annotated[float | None, typer.Option(help="Share of employees leaving a year.")] = None,
    retirement_rate: Annotated[float | None, typer.Option(
        help="Share of employees retiring a year (default: the forecast's).")] = None,
    substitute_hire_rate: Annotated[float | None, typer.Option(
        help="Extra chance that a substitute is hired afterwards.")] = None,
    inflow_rate: Annotated[float | None, typer.Option(
        help="New job seekers a year, as a share of today's (default: from the records).")] = None,
    seeker_exit_rate: Annotated[float | None, typer.Option(
        help="Share of job seekers leaving the register without work a year (default: from the records)."
    )] = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Simulate years of no upskilling, unplanned upskilling and planned chains with rotation."""
    rates = {"completion_rate": completion_rate, "retention_rate": retention_rate,
             "attrition_rate": attrition_rate, "retirement_rate": retirement_rate,
             "substitute_hire_rate": substitute_hire_rate, "inflow_rate": inflow_rate,
             "seeker_exit_rate": seeker_exit_rate}
    with progress("Simulating the strategies") as report:
        def tell(stage: str, done: int, total: int) -> None:
            report.step("reading the region, matching job seekers" if stage == "region"
                        else "simulating runs")
            report.advance(done, total)

        result = region_chains.simulate_region_chains(
            services.prepare_database(db), years=years, runs=runs, seed=seed, budget=budget,
            progress=tell, **{k: v for k, v in rates.items() if v is not None})
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    _print_strategies(result)


STRATEGY_LABELS = {"no_upskilling": "no upskilling", "unplanned": "unplanned upskilling",
                   "planned_rotation": "planned chains + rotation"}


def _print_strategies(result: dict[str, Any]) -> None:
    """The three strategies per year with 10–90 % bands, then the rates and their sources."""
    first = result["first_year"]
    table = Table(title=f"From unemployment into work per year, mean [10–90 %], {result['runs']} runs, "
                        f"seed {result['seed']}; job seekers matched optimally in every strategy")
    table.add_column("strategy")
    for y in range(result["years"]):
        table.add_column(str(first + y), justify="right")
    table.add_column("in all", justify="right")
    table.add_column("upskilled", justify="right")
    for strategy in result["strategies"]:
        yearly = result["yearly"][strategy]
        cells = [f"{b['mean']:,.0f} [{b['p10']:,.0f}–{b['p90']:,.0f}]" for b in yearly["entered_work"]]
        total = yearly["entered_work_cumulative"][-1]
        upskilled = sum(b["mean"] for b in yearly["upskilled"])
        table.add_row(STRATEGY_LABELS.get(strategy, strategy), *cells,
                      f"{total['mean']:,.0f} [{total['p10']:,.0f}–{total['p90']:,.0f}]", f"{upskilled:,.0f}")
    out = Console()
    (out if out.is_terminal else Console(width=200)).print(table)
    print("rates:")
    for name, value in result["settings"].items():
        if name.endswith("_rate"):
            print(f"  {name} {value}: {result['sources'].get(name, 'default')}")
    print(f"checker ok: {result['checker_ok']}")
