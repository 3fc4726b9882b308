"""``kedja pathways`` and ``kedja match``: a person's next steps and the region-wide allocation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from kedja.cli.lazy import lazy_module
from kedja.cli.options import BandOption, FormatOption, LangOption, Language, OutputFormat, progress

__all__ = ["register"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    from kedja import services
else:
    services = lazy_module("kedja.services")

out = Console()
DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file path or database URL.")]
TravelMatrixOption = Annotated[Path | None, typer.Option(
    "--travel-matrix", exists=True, dir_okay=False,
    help="CSV from_locality,to_locality,minutes[,public_transport_minutes] replacing the "
         "times estimated from coordinates.")]


def pathways(
    person_id: Annotated[str, typer.Argument(help="The person's pseudonymous id, e.g. P040305.")],
    db: DbOption = None,
    k: Annotated[int, typer.Option(help="How many steps to show.")] = 5,
    lang: LangOption = Language.SV,
    fmt: FormatOption = OutputFormat.TEXT,
    travel_matrix: TravelMatrixOption = None,
) -> None:
    """Show a person's best next steps, with the breakdown and explanation of each."""
    engine = services.prepare_database(db)
    steps = services.pathways_for_person(engine, person_id, k=k, travel_matrix=travel_matrix)
    if fmt == "json":
        print(json.dumps([step.__dict__ for step in steps], ensure_ascii=False, indent=1))
        return
    table = Table(title=f"Next steps for {person_id}", show_lines=True)
    for column in ("fit", "kind", "step", "where", "why"):
        table.add_column(column)
    for step in steps:
        table.add_row(f"{step.fit:.1f}", step.kind, step.title,
                      f"{step.municipality_code} ({step.travel_minutes:.0f} min)",
                      " ".join(step.explanation.get(lang, step.explanation["sv"])))
    out.print(table)


def match(
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="A name for this run.")] = "baseline",
    long_term_priority: Annotated[float, typer.Option(
        help="Priority weight (≥ 1) for people unemployed a year or more.")] = 1.0,
    band: BandOption = None,
    band_floor: Annotated[float, typer.Option(help="Share of the fair share each group gets.")] = 0.8,
    fmt: FormatOption = OutputFormat.TEXT,
    travel_matrix: TravelMatrixOption = None,
    cluster: Annotated[str | None, typer.Option(
        help="Run per functional labour-market area: 'process' (here), 'local:N' (a local Dask "
             "cluster of N workers) or a scheduler address such as tcp://host:8786.")] = None,
    compare: Annotated[bool, typer.Option(
        "--compare", help="Also run the single-process optimum and report in_process_total_fit.")] = False,
) -> None:
    """Allocate the region's places among all job seekers, store the result with its audit."""
    with progress("Allocating the region's places") as report:
        report.step("reading the region")
        engine = services.prepare_database(db)
        report.step("scoring, allocating and auditing")
        summary = services.run_allocation(engine, scenario=scenario,
                                          long_term_priority=long_term_priority, band=band,
                                          band_floor=band_floor, travel_matrix=travel_matrix,
                                          cluster=cluster, compare=compare)
    if fmt == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    out.print(f"Allocation {summary['allocation_id']} ({scenario}): {summary['placed']} of "
              f"{summary['people']} people placed, total fit {summary['total_fit']:.0f} "
              f"(greedy: {summary['greedy_placed']} placed, {summary['greedy_total_fit']:.0f}); "
              f"checker {'ok' if summary['checker_ok'] else 'FAILED'}.")
    out.print(f"By kind: {summary['placed_by_kind']}")
    if "scale" in summary:
        s = summary["scale"]
        out.print(f"Per area on {s['cluster']}: {s['areas']} areas, {s['cross_area_arcs']} arcs across "
                  f"areas; total fit {s['area_total_fit']:.0f} within areas, "
                  f"{summary['total_fit']:.0f} after reconciliation"
                  + (f" (single process: {s['in_process_total_fit']:.0f}, gap {s['fit_gap']:.4%})"
                     if "in_process_total_fit" in s else "") + ".")
    if "band" in summary:
        b = summary["band"]
        out.print(f"Band on {b['dimension']} (floor {b['floor']}): shares of fair share "
                  f"{b['shares_of_fair_share_before']} → {b['shares_of_fair_share_after']}, "
                  f"cost {b['cost_in_fit']:.0f} in total fit; {'met' if b['band_met'] else 'NOT met'}.")
    for dimension, ratios in summary["group_ratios"].items():
        flagged = summary["flagged_groups"].get(dimension, [])
        out.print(f"  {dimension}: {ratios}" + (f"  below four fifths: {flagged}" if flagged else ""))


def register(app: typer.Typer) -> None:
    """Add the matching commands to the ``kedja`` app."""
    app.command()(pathways)
    app.command()(match)
