"""``kedja pathways`` and ``kedja match``: a person's next steps and the region-wide allocation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kedja.cli.lazy import lazy_module
from kedja.cli.options import BandOption, DbOption, FormatOption, LangOption, Language, OutputFormat, progress

__all__ = ["register"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    from kedja import services
else:
    services = lazy_module("kedja.services")

out = Console()
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
    steps = services.pathways_for_person(engine, person_id, k=k, travel_matrix=travel_matrix,
                                         principal=services.cli_operator())
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


match_app = typer.Typer(help="Allocate the region's places; calibrate the score's weights on outcomes.",
                        invoke_without_command=True)


@match_app.callback()
def match(
    ctx: typer.Context,
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="A name for this run.")] = "huvudkörning",
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
    reconcile: Annotated[str, typer.Option(
        help="With --cluster: 'exact' (workers score, one flow here: the single-process optimum), "
             "'selective' (workers also allocate; gap under 1 %) or 'broad'.")] = "exact",
) -> None:
    """Allocate the region's places among all job seekers, store the result with its audit."""
    if ctx.invoked_subcommand is not None:
        return
    with progress("Allocating the region's places") as report:
        report.step("reading the region")
        engine = services.prepare_database(db)
        report.step("scoring, allocating and auditing")
        summary = services.run_allocation(engine, scenario=scenario,
                                          long_term_priority=long_term_priority, band=band,
                                          band_floor=band_floor, travel_matrix=travel_matrix,
                                          cluster=cluster, compare=compare, reconcile=reconcile)
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
        out.print(f"Per area on {s['cluster']}: {s['areas']} areas in {s['tasks']} tasks, "
                  f"{s['cross_area_arcs']} arcs across tasks; {s['reconcile']} reconciliation: total fit "
                  f"{summary['total_fit']:.0f}"
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
    causes: list[dict[str, Any]] = summary.get("group_causes", [])
    for cause in causes:
        main = cause["main_cause"]
        removed = cause["places_removed"].get(main)
        what = (f"removes {removed['group_share']:.0%} of the region's places for the group against "
                f"{removed['reference_share']:.0%} for {cause['reference_group']}" if removed else
                f"{cause['capacity']['share_unplaced']:.0%} of those with candidates left without a place "
                f"against {cause['capacity']['reference_share_unplaced']:.0%}")
        cost = cause["band"]
        out.print(f"  {cause['dimension']}={cause['group']} (ratio {cause['ratio']}): mostly {main}, which "
                  f"{what}; a band at {cost['floor']} would cost {cost['cost_in_fit']:.0f} in total fit "
                  f"({cost['cost_share']:.2%}).", markup=False)


def register(app: typer.Typer) -> None:
    """Add the matching commands to the ``kedja`` app."""
    app.command()(pathways)
    app.add_typer(match_app, name="match")


@match_app.command("demo-outcomes")
def demo_outcomes(
    db: DbOption = None,
    allocation: Annotated[str | None, typer.Option(help="Allocation id (default: the latest).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the draws.")] = 42,
) -> None:
    """DEMO: draw 180-day outcomes for an allocation's placements from the documented demo model."""
    from kedja.services.calibration import record_demo_outcomes

    engine = services.prepare_database(db)
    result = record_demo_outcomes(engine, allocation_id=allocation, seed=seed)
    out.print(f"Demo outcomes (demo model, not evidence) for {result['allocation_id']}: "
              f"{result['working_or_studying']} of {result['outcomes']} working or studying after 180 days.",
              markup=False)


@match_app.command("calibrate")
def calibrate(
    db: DbOption = None,
    min_sample: Annotated[int, typer.Option(help="Fewest outcomes to fit on.")] = 200,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Fit the score's weights on recorded 180-day outcomes; propose them unless they worsen the audit."""
    from kedja.matching.scoring import FACTORS
    from kedja.services.calibration import calibrate as run

    engine = services.prepare_database(db)
    report = run(engine, min_sample=min_sample)
    if fmt == "json":
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    fit = report["calibration"]
    label = " (DEMO outcomes from the demo model)" if report["demo"] else ""
    out.print(f"Calibration version {report['version']}{label}: {fit['sample']} outcomes, {fit['positives']} "
              f"working or studying; held-out AUC {fit['cv_auc']:.3f} (current score alone "
              f"{fit['baseline_cv_auc']:.3f}), log-loss {fit['cv_log_loss']:.3f} "
              f"({fit['baseline_cv_log_loss']:.3f}), "
              f"{fit['folds']} folds by municipality.", markup=False)
    table = Table(show_lines=False)
    demo_column = ("demo model",) if report["demo_model"] else ()
    columns = ("factor", "current", "fitted", "coefficient", *demo_column)
    for column in columns:
        table.add_column(column)
    for factor in FACTORS:
        row = [factor, f"{report['current_weights'][factor]:.3f}", f"{report['fitted_weights'][factor]:.3f}",
               f"{fit['coefficients'][factor]:+.3f}"]
        if report["demo_model"]:
            row.append(f"{report['demo_model']['logits'][factor]:+.2f}")
        table.add_row(*row)
    out.print(table)
    verdict = report["verdict"]
    if report["status"] == "refused":
        out.print(f"REFUSED: the fitted weights worsen the equal-treatment audit: {verdict['worse']}",
                  markup=False)
    else:
        out.print(f"Proposed: the audit is no worse. An administrator approves it with "
                  f"kedja match approve-weights {report['version']} --user NAME.", markup=False)


@match_app.command("approve-weights")
def approve_weights(
    version: Annotated[int, typer.Argument(help="The register's version to put in use.")],
    user: Annotated[str, typer.Option(help="Your user name (a person with the right to approve).")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="Your password.")],
    db: DbOption = None,
) -> None:
    """Approve a proposed calibration of the score's weights (administrators)."""
    from kedja.services.calibration import approve_weights as approve

    engine = services.prepare_database(db)
    signed = services.sign_in(engine, user, password)
    result = approve(engine, version, signed.principal)
    out.print(f"Version {result['version']} approved by {result['approved_by']}: {result['weights']}",
              markup=False)


@match_app.command("weights")
def weights(db: DbOption = None) -> None:
    """The algorithm register's versions of the score's weights."""
    from kedja.services.calibration import weight_versions

    engine = services.prepare_database(db)
    print(json.dumps(weight_versions(engine), ensure_ascii=False, indent=1))
