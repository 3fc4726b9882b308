"""``kedja occupations search`` and ``kedja transitions``: thin commands over the services."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kedja.cli.lazy import lazy_module
from kedja.cli.options import ListFormat, OccupationLevel
from kedja.core.errors import InvalidInput

__all__ = ["occupations_app", "transitions"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    from kedja import services
else:
    services = lazy_module("kedja.services")

occupations_app = typer.Typer(help="Find occupations by Swedish or English text.",
                              no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True, markup=False)

DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file path or database URL "
                                                           "(default: $KEDJA_DATABASE_URL).")]


@occupations_app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Words to look for, e.g. 'undersköterska'.")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many hits.")] = 10,
) -> None:
    """Occupations matching TEXT over SSYK names, occupation names, SCB titles and ESCO labels."""
    engine = services.prepare_database(db)
    for hit in services.search_occupations(engine, text, limit=limit):
        shown = f" (matched '{hit.matched}')" if hit.matched != hit.label else ""
        out.print(f"{hit.score:5.1f}  {hit.scheme:15} {hit.code}  {hit.label}{shown}")


@occupations_app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="SSYK 2012 code (e.g. 7212) or ESCO URI.")],
    db: DbOption = None,
) -> None:
    """An occupation with its ISCO-08, SSYK and ESCO links and its Swedish names."""
    detail = services.occupation_detail(services.prepare_database(db), code)
    out.print(f"{detail.code}  {detail.label}  ({detail.scheme})")
    for title, pairs in (("ISCO-08", detail.isco), ("SSYK 2012", detail.ssyk),
                         ("ESCO", detail.esco)):
        for key, label in pairs:
            out.print(f"  {title}: {key}  {label}")
    if detail.swedish_names:
        out.print("  Swedish names: " + "; ".join(detail.swedish_names))
    if detail.essential_skills:
        out.print("  essential skills (ESCO): " + "; ".join(detail.essential_skills))


def transitions(
    db: DbOption = None,
    origin: Annotated[str | None, typer.Option("--from", help="SSYK 2012 code (or ESCO URI with "
                                                               "--level esco).")] = None,
    k: Annotated[int, typer.Option("--k", help="How many destinations per origin.")] = 10,
    level: Annotated[OccupationLevel, typer.Option(case_sensitive=False,
                                                   help="ssyk4 or esco.")] = OccupationLevel.SSYK4,
    every: Annotated[bool, typer.Option("--all", help="Every origin (batch, evaluation).")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", case_sensitive=False,
                                            help="text, json or csv.")] = ListFormat.TEXT,
    shortage: Annotated[str | None, typer.Option(
        help="Only these destination codes (comma-separated: occupations in shortage).")] = None,
    no_education: Annotated[bool, typer.Option(
        "--no-education", help="Only destinations without educational requirements.")] = False,
    skill: Annotated[list[str] | None, typer.Option(
        help="A person's own skill (ESCO URI or JobTech id); repeat for more.")] = None,
    history: Annotated[list[str] | None, typer.Option(
        help="A past occupation as CODE:YEARS (e.g. 5321:4); repeat for more.")] = None,
) -> None:
    """Where can people in an occupation (or a person) move next: top-k with skill gaps."""
    engine = services.prepare_database(db)
    codes = [c.strip() for c in shortage.split(",")] if shortage else None
    if origin is None and not every and (skill or history):
        found = services.person_transitions(
            engine, skills=skill or [], history=_history(history or []), level=level, k=k,
            shortage=codes, no_education_only=no_education)
        _print(found, "person", fmt)
        return
    if every:
        rows = services.transitions_table(engine, level=level, k=k)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["from_code", "rank", "to_code", "score"])
        writer.writerows(rows)
        return
    if origin is None:
        raise InvalidInput("give --from CODE, --all, or a person's --skill/--history",
                           field="--from",
                           hint="for instance --from 5321 (undersköterskor)")
    found = services.occupation_transitions(engine, origin, level=level, k=k, shortage=codes,
                                            no_education_only=no_education)
    _print(found, origin, fmt)


def _history(items: list[str]) -> list[tuple[str, float]]:
    pairs = []
    for item in items:
        code, _, years = item.rpartition(":")  # ESCO URIs contain colons too
        try:
            pairs.append((code.strip(), float(years)))
        except ValueError:
            raise InvalidInput(f"{item!r} is not CODE:YEARS", field="--history", value=item,
                               hint="write the occupation and the years held, e.g. 5321:4"
                               ) from None
    return pairs


def _print(found: list[services.Transition], origin: str, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps([asdict(t) for t in found], ensure_ascii=False, indent=1))
        sys.stdout.write("\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["from_code", "rank", "to_code", "score"])
        writer.writerows((origin, rank, t.to_code, t.score) for rank, t in enumerate(found, 1))
    else:
        _print_text(found)


def _print_text(found: list[services.Transition]) -> None:
    for rank, t in enumerate(found, start=1):
        parts = ", ".join(f"{key} {value:.2f}" for key, value in t.breakdown.items())
        out.print(f"{rank:2}. {t.to_code}  {t.to_label}  score {t.score:.3f} ({parts})")
        out.print(f"    education step: {t.education_step}")
        if t.missing_skills:
            out.print("    missing essential skills (ESCO): "
                      + "; ".join(g.label for g in t.missing_skills))
        if t.missing_local_skills:
            out.print("    missing skills (JobTech, sv): "
                      + "; ".join(g.label for g in t.missing_local_skills))
