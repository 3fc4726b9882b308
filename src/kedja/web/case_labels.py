"""Names for the codes a case worker meets: labour-market status, support forms, purposes.

Each table maps a stored code to an English message id; the page shows the catalogue's
translation (Swedish by default), so no code reaches the page.

Examples:
    >>> from kedja.web import i18n
    >>> i18n.use_locale("sv")
    >>> label("status", "outside_labour_force"), label("support", "introduction_programme")
    ('utanför arbetskraften', 'etableringsprogrammet')
    >>> label("status", "not-a-code")
    'not-a-code'
"""

from __future__ import annotations

from kedja.web import i18n

__all__ = ["LABELS", "label", "language", "options"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a marked, untranslated id
    """Mark ``message`` for the catalogue without translating it yet."""
    return message


LABELS: dict[str, dict[str, str]] = {
    "status": {"employed": N_("In work"), "unemployed": N_("Unemployed"),
               "outside_labour_force": N_("Outside the labour force")},
    "support": {
        "wage_subsidy": N_("Wage subsidy"), "introduction_programme": N_("Introduction programme"),
        "job_and_development_guarantee": N_("Job and development guarantee"),
        "youth_guarantee": N_("Job guarantee for young people"),
        "supported_employment": N_("Supported employment"),
        "municipal_measure": N_("Municipal labour-market measure"),
        "sfi": N_("Swedish for immigrants")},
    "purpose": {
        "case_management": N_("Case management"), "matching": N_("Matching"),
        "recruitment": N_("Recruitment"), "follow_up": N_("Follow-up of results"),
        "gdpr_request": N_("Data-protection request"), "security_review": N_("Security review"),
        "workforce_planning": N_("Workforce planning")},
    "level": {"native": N_("native language")},
    "adaptation": {"accessible_workplace": N_("Accessible workplace"),
                   "quiet_environment": N_("Quiet environment"),
                   "job_coach_support": N_("Support from a job coach"),
                   "adjusted_tasks": N_("Adjusted tasks"), "flexible_hours": N_("Flexible hours")},
    # SUN 2020 education levels (SCB, Svensk utbildningsnomenklatur)
    "sun": {"1": N_("Compulsory school, under 9 years"), "2": N_("Compulsory school, 9–10 years"),
            "3": N_("Upper secondary school"), "4": N_("Post-secondary, under 2 years"),
            "5": N_("Post-secondary, 2 years or more"), "6": N_("Doctoral studies")},
    "scope": {"mine": N_("Mine"), "unit": N_("My unit"), "all": N_("All I may see")},
    "without_work": {"0-6": N_("Under 6 months"), "6-12": N_("6–12 months"),
                     "12-24": N_("12–24 months"), "24-": N_("Over 24 months")},
    "consent": {"all_purposes": N_("Consent for every purpose"),
                "limited": N_("Consent for some purposes"),
                "referral_only": N_("Through a referral only")},
    "referral": {"none": N_("No referral"), "active": N_("Active referral"),
                 # the states keep the names the referral pages give them
                 "proposed": N_("proposed"), "accepted": N_("accepted"),
                 "started": N_("started"), "completed": N_("completed"), "ended": N_("ended")},
    "sort": {"without_work": N_("Longest without work first"), "municipality": N_("Municipality"),
             "status": N_("Status"), "available": N_("Available soonest"), "id": N_("Id")},
    "kind": {"asf": N_("Work-integrated social enterprise"),
             "education_provider": N_("Education provider"), "municipality": N_("Municipality"),
             "employer": N_("Employer"), "employment_service": N_("Public employment service")},
    "step": {"job": N_("Job"), "asf_placement": N_("Work training at a social enterprise"),
             "training": N_("Course"), "internship": N_("Internship"),
             "rotation_substitute": N_("Substitute post")},
}


def label(table: str, code: str | None) -> str:
    """The name of ``code`` in the current locale (the code itself if it has no name)."""
    if code is None:
        return "–"
    found = LABELS.get(table, {}).get(code)
    return i18n.gettext(found) if found else code


def language(code: str, level: str | None = None) -> str:
    """A language's name in the current locale, with the level (CEFR, or native language).

    Examples:
        >>> from kedja.web import i18n
        >>> i18n.use_locale("sv")
        >>> language("sv", "B1"), language("th", "native")
        ('svenska (B1)', 'thailändska (modersmål)')
    """
    name = i18n.babel_locale().languages.get(code, code)
    if level is None:
        return str(name)
    return f"{name} ({label('level', level) if level == 'native' else level})"


def options(table: str) -> list[tuple[str, str]]:
    """A table's codes with their names, in the table's order (for a select)."""
    return [(code, i18n.gettext(message)) for code, message in LABELS[table].items()]
