"""Plain-language explanations of a recommendation, in Swedish and English.

Examples:
    >>> factors = {"skills": 0.75, "experience": 0.9, "travel": 0.5, "preference": 1.0,
    ...            "shortage": 0.8, "step": 0.85}
    >>> explain(factors, kind="job", minutes=30, max_minutes=60, locale="en")[:2]
    ['You have most of the skills the job asks for (75 %).', 'Your past occupations are close to this one.']
    >>> explain(factors, kind="asf_placement", minutes=30, max_minutes=60, locale="sv")[-1]
    'Ett steg in: arbetsträning i ett arbetsintegrerande socialt företag är en väg tillbaka till arbete.'
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SWEDISH_FOR_WORK", "explain", "labour_market_distance"]

SWEDISH_FOR_WORK = frozenset({"B1", "B2", "C1", "C2", "native"})
"""Swedish at B1 (CEFR) or above: the level at which sfi's last course (D) ends and most
employers' "good Swedish" begins (Skolverket, kursplan för sfi); below it a language step comes
first."""


def labour_market_distance(status: str, swedish_level: str | None) -> str:
    """``near`` or ``further``: how the pathways speak about a job, from status and Swedish only.

    Near: unemployed (looking for work) with Swedish at B1 or above, or no Swedish level
    recorded. Further: outside the labour force, or Swedish below B1. No protected attribute
    is read.

    Examples:
        >>> labour_market_distance("unemployed", "native"), labour_market_distance("unemployed", "A2")
        ('near', 'further')
        >>> labour_market_distance("outside_labour_force", "B2")
        'further'
    """
    if status != "unemployed":
        return "further"
    if swedish_level is not None and swedish_level not in SWEDISH_FOR_WORK:
        return "further"
    return "near"

TEXT = {
    "skills_high": ("Du har de flesta kompetenser som efterfrågas ({pct} %).",
                    "You have most of the skills the job asks for ({pct} %)."),
    "skills_some": ("Du har en del av de efterfrågade kompetenserna ({pct} %); resten kan läras in.",
                    "You have some of the skills asked for ({pct} %); the rest can be learnt."),
    "skills_none": ("Inga särskilda förkunskaper krävs.", "No particular skills are required."),
    "experience_high": ("Dina tidigare yrken ligger nära det här.",
                        "Your past occupations are close to this one."),
    "experience_some": ("Dina tidigare yrken har en del gemensamt med det här.",
                        "Your past occupations have something in common with this one."),
    "travel": ("Resväg {minutes} min (du har angett högst {max} min).",
               "Travel {minutes} min (you said at most {max} min)."),
    "travel_timetable": ("Kollektivtrafik {minutes} min enligt tidtabellen (du har angett högst {max} min).",
                         "Public transport {minutes} min by the timetable (you said at most {max} min)."),
    "travel_estimate": ("Kollektivtrafik cirka {minutes} min, uppskattad: ingen tidtabell för området "
                        "(du har angett högst {max} min).",
                        "Public transport about {minutes} min, estimated: no timetable for the area "
                        "(you said at most {max} min)."),
    "no_transit": ("Ingen kollektivtrafik dit, men arbetet görs helt på distans.",
                   "No public transport goes there, but the work is done wholly at a distance."),
    "remote": ("Arbetet kan delvis göras på distans.", "Part of the work can be done remotely."),
    "distance": ("Helt på distans: ingen resväg.", "Fully at a distance: no travel."),
    "step_general": ("Du saknar gymnasiebehörighet: den här kursen öppnar vägen till fler yrken.",
                     "You lack upper-secondary school: this course opens the way to more occupations."),
    "preference": ("Det är ett yrke du själv har önskat.", "It is an occupation you asked for."),
    "shortage": ("Regionen har brist på folk i yrket.", "The region is short of people in this occupation."),
    "step_job": ("Du står nära arbetsmarknaden: ett jobb är ett rimligt nästa steg.",
                 "You are close to the labour market: a job is a sensible next step."),
    "step_job_further": ("Ett jobb är målet; ett steg före det (svenska, praktik eller arbetsträning) "
                         "kan göra vägen dit kortare.",
                         "A job is the goal; a step before it (Swedish, an internship or work "
                         "training) can make the way there shorter."),
    "step_asf_placement": (
        "Ett steg in: arbetsträning i ett arbetsintegrerande socialt företag är en väg tillbaka till arbete.",
        "An entry step: a placement in a work-integrated social enterprise is a way back to work."),
    "step_training": ("En utbildning mot ett yrke där det behövs folk.",
                      "A course towards an occupation that needs people."),
    "step_internship": ("Praktik ger erfarenhet och kontakter hos en arbetsgivare.",
                        "An internship gives experience and contacts with an employer."),
    "step_rotation_substitute": ("Ett vikariat medan en anställd utbildar sig.",
                                 "A substitute post while an employee is in training."),
}


def _say(key: str, locale: str, **values: object) -> str:
    sv, en = TEXT[key]
    return (sv if locale == "sv" else en).format(**values)


def explain(factors: Mapping[str, float], *, kind: str, minutes: float, max_minutes: float,
            locale: str = "sv", remote_share: float = 0.0, skills_required: bool = True,
            general: bool = False, travel_mode: str = "car", distance: str = "near") -> list[str]:
    """Sentences that explain a fit, strongest reasons first, in ``locale`` ('sv' or 'en').

    ``travel_mode`` is ``car``, ``timetable`` (public transport from the imported timetable) or
    ``estimate`` (public transport estimated where no timetable covers the area); ``minutes`` is
    ``inf`` where no public transport goes. ``distance`` is the person's
    :func:`labour_market_distance`: a job is "a sensible next step" only for someone ``near``.

    Examples:
        >>> f = {"skills": 0.0, "experience": 0.0, "travel": 1.0, "preference": 0.0, "shortage": 0.0,
        ...      "step": 0.5}
        >>> explain(f, kind="job", minutes=float("inf"), max_minutes=60, remote_share=1.0,
        ...         travel_mode="timetable")[0]
        'Ingen kollektivtrafik dit, men arbetet görs helt på distans.'
        >>> explain(f, kind="job", minutes=80, max_minutes=90, travel_mode="estimate")[0][:40]
        'Kollektivtrafik cirka 80 min, uppskattad'
    """
    lines = []
    pct = round(factors["skills"] * 100)
    if not skills_required:
        lines.append(_say("skills_none", locale))
    elif factors["skills"] >= 0.6:
        lines.append(_say("skills_high", locale, pct=pct))
    elif factors["skills"] > 0:
        lines.append(_say("skills_some", locale, pct=pct))
    if factors["experience"] >= 0.6:
        lines.append(_say("experience_high", locale))
    elif factors["experience"] >= 0.25:
        lines.append(_say("experience_some", locale))
    if remote_share >= 0.99:
        no_trip = travel_mode != "car" and minutes == float("inf")
        lines.append(_say("no_transit" if no_trip else "distance", locale))
    else:
        key = {"timetable": "travel_timetable", "estimate": "travel_estimate"}.get(travel_mode, "travel")
        lines.append(_say(key, locale, minutes=round(minutes), max=round(max_minutes)))
        if remote_share > 0:
            lines.append(_say("remote", locale))
    if factors["preference"] >= 0.5:
        lines.append(_say("preference", locale))
    if factors["shortage"] >= 0.6 and not general:
        lines.append(_say("shortage", locale))
    step = "step_general" if general else f"step_{kind}"
    if step == "step_job" and distance != "near":
        step = "step_job_further"
    lines.append(_say(step, locale))
    return lines
