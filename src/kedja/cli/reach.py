"""``kedja import gtfs`` and ``kedja reach``: public transport from a timetable, what is within reach."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, FormatOption, OutputFormat

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    import kedja.services.reach as reach_service
    from kedja import services
else:
    services = lazy_module("kedja.services")
    reach_service = lazy_module("kedja.services.reach")

__all__ = ["reach_app", "register"]

out = Console(highlight=False, soft_wrap=True, markup=False)
reach_app = typer.Typer(help="Travel times between localities: by car, or by public transport from "
                             "an imported timetable.", invoke_without_command=True)


def import_gtfs(
    path: Annotated[str, typer.Argument(help="A GTFS zip or the folder of its .txt files.")],
    db: DbOption = None,
) -> None:
    """A public transport timetable (GTFS), validated and stored whole in place of any earlier one."""
    engine = services.prepare_database(db)
    report = reach_service.import_gtfs(engine, path)
    counts = report["counts"]
    out.print(f"Imported GTFS feed {report['version']} ({report['publisher']}), valid "
              f"{report['valid_from']} to {report['valid_to']}: {counts['stops']:,} stops, "
              f"{counts['trips']:,} trips, {counts['stop_times']:,} stop times, {counts['services']:,} "
              f"services, {counts['transfers']:,} transfers (parse {report['seconds']['parse']} s, "
              f"write {report['seconds']['write']} s).")


@reach_app.callback()
def reach(
    ctx: typer.Context,
    db: DbOption = None,
    origin: Annotated[str | None, typer.Option(
        "--from", help="A locality or municipality, e.g. Luleå.")] = None,
    mode: Annotated[str, typer.Option(help="car or transit.")] = "car",
    arrive_by: Annotated[str, typer.Option(help="Be at work by this time (transit).")] = "08:00",
    leave_after: Annotated[str, typer.Option(help="Leave work at this time (transit).")] = "16:30",
    weekday: Annotated[str, typer.Option(help="Day of the week of the timetable (transit).")] = "tuesday",
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """What is within reach of a place: the commute to every locality of the region."""
    if ctx.invoked_subcommand is not None:
        return
    if origin is None:
        raise services_error("--from", "give the place to start from, e.g. --from Luleå")
    if weekday.lower() not in reach_service.WEEKDAYS:
        raise services_error("--weekday", f"use one of {', '.join(reach_service.WEEKDAYS)}", weekday)
    setting = reach_service.TransitSetting(
        weekday=reach_service.WEEKDAYS.index(weekday.lower()),
        arrive_by=reach_service.parse_clock(arrive_by), leave_after=reach_service.parse_clock(leave_after,
                                                                                            "--leave-after"))
    engine = services.prepare_database(db)
    result = reach_service.locality_reach(engine, origin, mode=mode, setting=setting)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    _print(result)


def _print(result: dict[str, Any]) -> None:
    head = result["from"]
    line = f"From {head['name']} ({head['municipality']}) by {result['mode']}"
    if "timetable" in result:
        t = result["timetable"]
        line += (f", {t['weekday']} {t['day']}, at work by {t['arrive_by']}, "
                 f"leaving work at {t['leave_after']}")
    out.print(line + ":")
    for row in result["destinations"]:
        minutes = "ingen kollektivtrafik" if row["minutes"] is None else f"{row['minutes']:.0f} min"
        extra = ""
        if row.get("out_minutes") is not None:
            extra = (f"  (leave home {row['leave_home']}, {row['out_minutes']:.0f} min; home "
                     f"{row['home_again']}, {row['back_minutes']:.0f} min)")
        elif row["source"] == "estimate":
            extra = f"  ({row['note']})"
        out.print(f"  {row['name']:<22} {row['municipality'] or '':<12} {minutes}{extra}")


def services_error(option: str, hint: str, value: str | None = None) -> Exception:
    from kedja.core.errors import InvalidInput

    return InvalidInput(f"{option} is {'missing' if value is None else repr(value) + ' is not valid'}",
                        field=option, value=value, hint=hint)


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add ``kedja reach`` and ``kedja import gtfs``."""
    import_app.command("gtfs")(import_gtfs)
    app.add_typer(reach_app, name="reach")


@reach_app.command("fit-commuting")
def fit_commuting(
    path: Annotated[str, typer.Argument(help="SCB's commuting matrix (ArRegPend2 CSV).")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Fit the willingness to commute (a gravity model) on SCB's commuting matrix; show observed vs fitted."""
    engine = services.prepare_database(db)
    result = reach_service.fit_commuting(engine, path)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    out.print(f"Gravity fit on {result['source']} {result['years'][0]}–{result['years'][-1]}, "
              f"{result['commuters_between_municipalities']:,} commuter-years between "
              f"{result['municipalities']} municipalities: willingness {result['form']} with γ = "
              f"{result['gamma']}, τ = {result['shift_minutes']:g} min (halved at "
              f"{result['half_willingness_minutes']} min); pseudo-R² {result['pseudo_r2']}; in use: "
              f"γ = {result['in_use']['gamma']}, τ = {result['in_use']['shift_minutes']:g}.")
    out.print("Held-out deviance (5 folds by pair; lower is better):")
    for form, figures in result["alternatives"].items():
        out.print(f"  {form:<14} parameter {figures['parameter']:.4f}  deviance {figures['deviance']:,.0f}"
                  f"  cross-validated {figures['cv_deviance']:,.0f}")
    out.print("Share of each municipality's out-commuters, observed vs fitted:")
    for p in result["pairs"]:
        out.print(f"  {p['from']:>10} → {p['to']:<10} {p['minutes']:>5.0f} min  {p['commuters']:>6,}  "
                  f"observed {p['observed_share']:.1%}  fitted {p['fitted_share']:.1%}")
