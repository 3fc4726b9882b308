"""``kedja occupations search`` and ``kedja transitions``: thin commands over the services."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, ListFormat, OccupationLevel
from kedja.core.errors import InvalidInput
from kedja.core.spreadsheets import safe_row

__all__ = ["occupations_app", "transitions", "transitions_app"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    from kedja import services
else:
    services = lazy_module("kedja.services")

occupations_app = typer.Typer(help="Find occupations by Swedish or English text.",
                              no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True, markup=False)



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
    if detail.skills_sv:
        out.print("  skills (JobTech, sv): " + "; ".join(detail.skills_sv[:40]))
    for key, value in detail.facts.items():
        if value is not None:
            out.print(f"  {key}: {value}")


transitions_app = typer.Typer(
    help="Where people in an occupation (or a person) can move next; evaluate and refit the "
         "learned model.", invoke_without_command=True)


@transitions_app.callback(invoke_without_command=True)
def transitions(
    ctx: typer.Context,
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
    """Where can people in an occupation (or a person) move next: top-k with skill gaps.

    At SSYK level the learned model answers (the shipped occupation facts and ranker), so a
    plain demo database needs no import; ESCO level and a person's skills use the imported
    ESCO profiles.
    """
    if ctx.invoked_subcommand is not None:
        return
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
        writer.writerows(safe_row(row) for row in rows)
        return
    if origin is None:
        raise InvalidInput("give --from CODE, --all, or a person's --skill/--history",
                           field="--from",
                           hint="for instance --from 5321 (undersköterskor)")
    found = services.occupation_transitions(engine, origin, level=level, k=k, shortage=codes,
                                            no_education_only=no_education)
    _print(found, origin, fmt)


@transitions_app.command("evaluate")
def evaluate(
    truth: Annotated[list[Path], typer.Option(
        help="Observed moves: SCB switch destinations or JobTech substitutability JSON; "
             "repeat for more (the model is fitted on all of them per fold).")],
    k: Annotated[int, typer.Option("--k", help="Cut-off for recall and nDCG.")] = 10,
    folds: Annotated[int, typer.Option(help="Folds, grouped by origin SSYK group.")] = 5,
    learner: Annotated[str, typer.Option(help="lambdarank or logistic.")] = "lambdarank",
    seed: Annotated[int, typer.Option(help="Seed of the fold split and the random baseline.")
                    ] = 0,
    db: DbOption = None,
) -> None:
    """Grouped k-fold CV of the learned model against four baselines, in one run."""
    services.prepare_database(db)
    from kedja.services.learned_transitions import evaluate_transitions  # heavy: lazily

    report = evaluate_transitions(truth, k=k, folds=folds, learner=learner, seed=seed)
    for note in report.notes:
        out.print(note)
    for name, figures in report.items():
        out.print(f"\n{name} (grouped {folds}-fold CV by origin, k = {k})")
        out.print(f"{'method':32} {'recall@' + str(k):>10} {'MRR':>7} {'nDCG@' + str(k):>8}")
        for method, m in figures.items():
            out.print(f"{method:32} {m.recall:10.3f} {m.mrr:7.3f} {m.ndcg:8.3f}")


@transitions_app.command("fit")
def fit(
    train: Annotated[Path, typer.Option(help="Folder of observed moves (*.json).")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the model (JSON).")],
    learner: Annotated[str, typer.Option(help="lambdarank or logistic.")] = "lambdarank",
    folds: Annotated[int, typer.Option(help="Folds for the CV figures kept with the model.")
                     ] = 5,
) -> None:
    """Fit the ranker on observed moves and write it with its provenance and CV figures."""
    from kedja.services.learned_transitions import fit_transitions  # heavy: lazily

    provenance = fit_transitions(train, out_file, learner=learner, folds=folds)
    out.print(f"wrote {out_file} ({provenance['learner']}, fitted {provenance['fitted_at']})")
    for name, figures in provenance["cv"]["figures"].items():
        m = figures["model"]
        out.print(f"  {name}: recall@{provenance['cv']['k']} {m['recall']:.3f}, "
                  f"MRR {m['mrr']:.3f}, nDCG {m['ndcg']:.3f} ({m['origins']} origins)")


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
        if t.viable is not None:
            out.print(f"    {'viable' if t.viable else 'not viable'}"
                      + (f", desirability {t.desirability:+.2f}"
                         if t.desirability is not None else ""))
        if t.why_sv:
            out.print(f"    varför: {t.why_sv}")
            out.print(f"    why: {t.why_en}")
        if t.missing_skills:
            out.print("    missing essential skills (ESCO): "
                      + "; ".join(g.label for g in t.missing_skills))
        if t.missing_local_skills:
            out.print("    skills to learn (JobTech, sv): "
                      + "; ".join(g.label for g in t.missing_local_skills))
