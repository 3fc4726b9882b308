"""``kedja forecast``: run the regional forecast, list scenarios, back-test on Kolada."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, FormatOption, GapsFormat, OutputFormat
from kedja.core.errors import InvalidInput

__all__ = ["forecast_app"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    import kedja.services.forecast as forecasting
    import kedja.services.forecast_areas as forecast_areas
    import kedja.services.forecast_barometer as barometers
    import kedja.services.forecast_exports as exports
    from kedja import services
else:
    forecast_areas = lazy_module("kedja.services.forecast_areas")
    services = lazy_module("kedja.services")
    forecasting = lazy_module("kedja.services.forecast")
    barometers = lazy_module("kedja.services.forecast_barometer")
    exports = lazy_module("kedja.services.forecast_exports")

forecast_app = typer.Typer(help="Population and labour-balance forecast.", no_args_is_help=True)
out = Console()

CSV_HELP = ("CSV with id, name, municipality_code, headcounts (year:count;...) and "
            "occupation_mix (ssyk:share;...).")
def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@forecast_app.command("run")
def run(
    municipality: Annotated[str, typer.Option(help="Municipality code, e.g. 2482.")] = "2482",
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="Scenario (see 'scenarios').")] = "as_announced",
    horizon: Annotated[int, typer.Option(help="Last year of the forecast.")] = 2040,
    year: Annotated[int | None, typer.Option(help="Year of the gap table (default: horizon).")] \
        = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws for the 10–90 % band.")] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the Monte Carlo draws.")] = 42,
    exit_age: Annotated[int | None, typer.Option(
        help="Age of leaving employment (default: SCB's mean exit age, docs/forecast.md).")] \
        = None,
    establishment_spread: Annotated[float | None, typer.Option(
        help="Your σ of the log headcount of the establishments in the draws (0.3 ≈ ±30 %); "
             "default: the stated headcounts.")] = None,
    top: Annotated[int, typer.Option(help="Occupations to show.")] = 10,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Forecast one municipality: population indicators and the largest gaps by occupation."""
    engine = services.prepare_database(db)
    result = forecasting.run_forecast(engine, scenario_name=scenario, horizon=horizon,
                                      draws=draws, seed=seed, exit_age=exit_age,
                                      establishment_spread=establishment_spread)
    view = forecasting.municipality_forecast(result, municipality, year=year, top=top)
    if output == "json":
        _print_json(view)
        return
    _print_table(view)


def _print_table(view: dict[str, Any]) -> None:
    last = view["population"]["years"][-1]
    out.print(f"[bold]{view['name']}[/bold] ({view['code']}), scenario {view['scenario']}: "
              f"population {last['year']} {last['population']:,.0f}, working-age share "
              f"{last['working_age_share']:.1%}, "
              f"old-age dependency {last['old_age_dependency']:.2f}")
    table = Table(title=f"Largest gaps {view['year']} (driver: {view['driver']})")
    for column in ("SSYK", "occupation", "demand", "supply", "gap", "of which establishments",
                   "shortage index"):
        table.add_column(column)
    for r in view["gaps"]:
        table.add_row(r["occupation"], r["name"], f"{r['demand']:,.0f}", f"{r['supply']:,.0f}",
                      f"{r['gap']:,.0f}", f"{r['establishment_effect']:,.0f}",
                      f"{r['shortage_index']:.2f}")
    out.print(table)
    out.print(view["sources"])


@forecast_app.command("scenarios")
def scenarios(output: FormatOption = OutputFormat.TEXT) -> None:
    """List the named scenarios."""
    rows = forecasting.list_scenarios()
    if output == "json":
        _print_json(rows)
        return
    for r in rows:
        out.print(f"{r['name']:<20} {r['label']}")


@forecast_app.command("decompose")
def decompose(
    area: Annotated[list[str] | None, typer.Option(
        "--area", help="Municipality (2584) or county (25) code; repeat; default the region.")]
    = None,
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="Scenario (see 'scenarios').")] = "as_announced",
    year: Annotated[int | None, typer.Option(help="Year (default: horizon).")] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """The gap split into expansion, establishments, replacement and entrants, per area."""
    run = forecasting.run_forecast(services.prepare_database(db), scenario_name=scenario)
    areas: list[str | None] = list(area) if area else [None]
    rows = [forecasting.gap_decomposition(run, area=a, year=year) for a in areas]
    if output == "json":
        _print_json(rows)
        return
    for r in rows:
        name = run.names.get(r["area"], {"24": "Västerbottens län", "25": "Norrbottens län"}.get(
            r["area"], r["area"]))
        out.print(f"{name} {r['year']}: gap {r['gap']:,.0f} = expansion {r['expansion']:,.0f} "
                  f"+ establishments {r['establishments']:,.0f} + replacement "
                  f"{r['replacement']:,.0f} − entrants {r['entrants']:,.0f} "
                  f"({r['gap_per_1000_employed']:.0f} per 1,000 employed)")


@forecast_app.command("areas")
def areas(
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="Scenario (see 'scenarios').")] = "as_announced",
    year: Annotated[int | None, typer.Option(help="Year (default: horizon).")] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """The balance per functional labour-market area (FA region), with commuting shares."""
    run = forecasting.run_forecast(services.prepare_database(db), scenario_name=scenario)
    rows = forecast_areas.area_balance(run, year=year)
    if output == "json":
        _print_json(rows)
        return
    for r in rows:
        inside = "–" if r["works_inside_area"] is None else f"{r['works_inside_area']:.0%}"
        out.print(f"FA {r['area']} {r['name']:<12} gap {r['gap']:>8,.0f} "
                  f"({r['gap_per_1000_employed']:.0f} per 1,000 employed), residents working "
                  f"inside the area {inside}")


@forecast_app.command("compare-barometer")
def compare_barometer(
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="Scenario (see 'scenarios').")] = "as_announced",
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Kedja's shortage against Yrkesbarometer per county: Spearman and same direction."""
    result = barometers.compare_barometer(services.prepare_database(db), scenario_name=scenario)
    if output == "json":
        _print_json(result)
        return
    for name, c in result["counties"].items():
        out.print(f"{name} {result['year']}: {c['occupations']} occupations, Spearman "
                  f"{c['spearman_rho']:+.2f} (p {c['p_value']:.3f}), same direction "
                  f"{c['share_same_direction']:.0%}")
        for d in c["disagreements"]:
            out.print(f"  {d['name']}: Kedja {d['kedja']}, Arbetsförmedlingen "
                      f"{d['arbetsformedlingen']} (driver: {d['main_driver']})")


@forecast_app.command("backtest")
def backtest(
    kolada: Annotated[Path, typer.Option("--kolada", help="Folder with Kolada's two xlsx files.")],
    fit_until: Annotated[int, typer.Option("--fit-until", help="Last year used to fit.")] = 2009,
    target: Annotated[int, typer.Option("--target", help="Year to forecast.")] = 2019,
    details: Annotated[Path | None, typer.Option(
        "--details", help="Also write each municipality's errors (percent) to this CSV.")] = None,
    scb: Annotated[Path | None, typer.Option(
        "--scb", help="Folder with SCB's single-age files (default: scb_lulea_fa beside "
        "--kolada, if present).")] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Back-test the projection against unchanged, linear and geometric trends (MAPE, bias %)."""
    figures = forecasting.backtest_kolada(kolada, fit_until=fit_until, target=target,
                                          details=details, scb=scb)
    if output == "json":
        typer.echo(json.dumps(figures))
        return
    for group in ("upper_norrland", "all"):
        for method, e in figures[group].items():
            out.print(f"{group:<15} {method:<16} MAPE {e['mape']:6.2f} %  bias {e['bias']:+6.2f} %")
    for group, methods in figures["ages"]["kolada_ages_20_30"].items():
        for method, e in methods.items():
            out.print(f"ages 20–30 {group:<15} {method:<16} MAPE {e['mape']:6.2f} %  "
                      f"bias {e['bias']:+6.2f} %")
    for window in figures["ages"].get("scb_single_ages", []):
        for measure in ("single_ages_20_64", "five_year_bands"):
            for method, e in window[measure].items():
                out.print(f"{window['fit_until']}→{window['target']} {measure:<18} {method:<16} "
                          f"MAPE {e['mape']:6.2f} %  bias {e['bias']:+6.2f} %")


@forecast_app.command("import-establishments")
def import_establishments(
    path: Annotated[Path, typer.Argument(help=CSV_HELP)],
    db: DbOption = None,
) -> None:
    """Import establishments from CSV, all rows or none."""
    if not path.is_file():
        raise InvalidInput(f"the file {path} does not exist", field="path", value=str(path),
                           hint="give the path of a CSV file")
    items = exports.import_establishments(services.prepare_database(db), path)
    out.print(f"Imported {len(items)} establishments: {', '.join(e.name for e in items)}.")


@forecast_app.command("gaps")
def gaps(
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="Scenario (see 'scenarios').")] = "as_announced",
    year: Annotated[int | None, typer.Option(help="Year (default: horizon).")] = None,
    limit: Annotated[int | None, typer.Option(help="Keep the largest N gaps.")] = None,
    output: Annotated[GapsFormat, typer.Option("--format", case_sensitive=False,
                                               help="csv, xlsx or json.")] = GapsFormat.CSV,
    out_path: Annotated[Path | None, typer.Option("--out", help="File to write (xlsx needs one).")]
    = None,
) -> None:
    """Rank every municipality × occupation by its gap: where collaboration is needed most."""
    run = forecasting.run_forecast(services.prepare_database(db), scenario_name=scenario)
    rows = exports.gap_ranking(run, year=year, limit=limit)
    if output == "xlsx":
        if out_path is None:
            raise InvalidInput("an Excel export needs a file", field="--out", value=None,
                               hint="add --out gaps.xlsx")
        exports.write_ranking_xlsx(rows, out_path, sources=forecasting.SOURCES)
        out.print(f"Wrote {len(rows)} rows to {out_path}.")
        return
    text = exports.ranking_csv(rows) if output == "csv" else json.dumps(rows, ensure_ascii=False)
    if out_path is None:
        typer.echo(text, nl=False)
    else:
        out_path.write_text(text, encoding="utf-8")
        out.print(f"Wrote {len(rows)} rows to {out_path}.")


@forecast_app.command("compare")
def compare(
    municipality: Annotated[str, typer.Option(help="Municipality code, e.g. 2582.")] = "2582",
    db: DbOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """What changes if: the municipality's total gap under every scenario."""
    rows = exports.compare_scenarios(services.prepare_database(db), municipality)
    if output == "json":
        _print_json(rows)
        return
    years = [k for k in rows[0] if k.isdigit()]
    table = Table(title=f"Total gap by scenario, municipality {municipality}")
    for column in ("scenario", *years):
        table.add_column(column)
    for r in rows:
        table.add_row(r["label"], *(f"{r[y]:,.0f}" for y in years))
    out.print(table)


@forecast_app.command("barometer")
def barometer(
    file: Annotated[Path, typer.Option("--file", help="barometer_regional.json.")],
    counties: Annotated[Path, typer.Option("--counties", help="region_name_id.json.")],
    key: Annotated[Path | None, typer.Option("--key", help="CSV barometer_id,ssyk.")] = None,
    db: DbOption = None,
) -> None:
    """Compare the forecast with the Yrkesbarometer in Norrbotten and Västerbotten (JSON)."""
    _print_json(barometers.barometer_comparison(services.prepare_database(db), file, counties,
                                                key))


@forecast_app.command("project")
def project_population(
    population: Annotated[Path, typer.Option("--population", help="SCB population cube "
                                             "(BE0101N1, JSON-stat 2: Region, Alder, Kon, Tid).")],
    year: Annotated[str, typer.Option(help="Base year in the cube.")],
    horizon: Annotated[int, typer.Option(help="Last year.")] = 2040,
) -> None:
    """Project SCB's population by region, sex and age with national schedules (JSON)."""
    _print_json(forecasting.project_scb_population(population, year=year, horizon=horizon))
