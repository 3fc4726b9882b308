"""What a plan of chains is worth once the labour market has its say: displacement, deadweight, net effect.

A planned chain assumes that every job a move frees goes to the next person of the plan. The
evaluation literature says it does not:

- **Displacement** (``displacement_rate``): the freed job goes to someone *already employed*,
  from outside the plan. IFAU's survey of the Swedish friår trial found that "drygt hälften"
  (just over half) of the substitutes employers took on were in work when offered the post, 36 %
  at the same workplace (Liljeberg, *Deltagare och arbetsgivare i friårsförsöket*, IFAU Rapport
  2004:6). Default 0.5.
- **Withdrawal** (``withdrawal_rate``): the freed job is left unfilled or withdrawn (a failed
  recruitment, or the work is spread over colleagues; the "termination" of a chain by job
  abolition in White's *Chains of Opportunity*, 1970). Svenskt Näringsliv's Rekryteringsenkäten
  found two in ten recruitment attempts failed in 2019 and three in ten in 2021. Default 0.2.
- **Deadweight** (``deadweight_rate``): the move would have happened without the plan. In the
  friår trial a third of those on leave who trained would probably have trained anyway (IFAU
  Rapport 2004:6). Default 1/3; applied to the net effect only.

At each freed job the three outcomes are exclusive: a job seeker of the plan takes it with
probability ``1 − displacement − withdrawal`` (0.3 with the defaults). A chain is carried out
top-down, so the job seeker at the bottom of a chain of ``k`` freed jobs enters with probability
``(1 − displacement − withdrawal) ** k`` and the movers below a displaced job do not move (the
vacancy the outsider leaves behind may start a chain elsewhere; that is not counted, so the
figure is conservative). Direct hires into open positions are matching's work and are taken as
they are.

The **multiplier**, as in White (1970) and the vacancy-chain studies after him (Chase,
"Vacancy chains", *Annual Review of Sociology* 17, 1991), is the number of moves one initial
vacancy sets off: the mean length of the chains that start at an open position, the last
step being the entrant from outside. A chain of two (a care assistant into an open
assistant-nurse post, a job seeker into the care-assistant job) has length 2.

Examples:
    >>> from kedja.chains import optimise_chains
    >>> from kedja.chains.synthetic import care_chain_problem
    >>> problem = care_chain_problem()
    >>> effects = chain_effects(problem, optimise_chains(problem), ChainEffects())
    >>> effects["multiplier"], round(effects["expected_entrants_after_displacement"], 2)
    (3.0, 0.09)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kedja.chains.counterfactuals import no_upskilling_plan, unplanned_plan
from kedja.chains.model import ChainPlan, ChainProblem
from kedja.core.errors import InvalidInput

__all__ = ["EFFECT_SOURCES", "ChainEffects", "chain_effects", "white_multiplier"]

EFFECT_SOURCES = {
    "displacement_rate": "IFAU Rapport 2004:6 (Liljeberg, Deltagare och arbetsgivare i friårsförsöket): "
                         "just over half of the substitutes were in work when offered the post",
    "withdrawal_rate": "Svenskt Näringsliv, Rekryteringsenkäten 2019: two in ten recruitment attempts "
                       "failed (three in ten in 2021)",
    "deadweight_rate": "IFAU Rapport 2004:6: a third of those who trained during their leave would "
                       "probably have trained anyway",
}


@dataclass(frozen=True)
class ChainEffects:
    """The chances at a freed job (see the module docstring for the figures and their sources)."""

    displacement_rate: float = 0.5
    withdrawal_rate: float = 0.2
    deadweight_rate: float = 1 / 3

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not 0.0 <= value <= 1.0:
                raise InvalidInput(f"{name} '{value}' is not a share", field=name, value=value,
                                   hint="give a share between 0 and 1")
        if self.displacement_rate + self.withdrawal_rate > 1.0:
            raise InvalidInput("displacement and withdrawal add up to more than 1", field="withdrawal_rate",
                               value=self.withdrawal_rate, hint="give shares that sum to at most 1")

    @property
    def seeker_share(self) -> float:
        """The chance that a job seeker of the plan takes a freed job."""
        return 1.0 - self.displacement_rate - self.withdrawal_rate


def white_multiplier(plan: ChainPlan) -> float:
    """Mean length of the chains that start at an open position (moves per initial vacancy)."""
    return float(plan.summary["multiplier"])


def _expected_entrants(plan: ChainPlan, effects: ChainEffects) -> tuple[float, float]:
    """Expected entrants in all and into freed jobs, each chain carried out top-down."""
    direct, freed = 0.0, 0.0
    for chain in plan.chains:
        if chain.end != "job_seeker":
            continue
        freed_jobs = len(chain.steps) - 1
        if freed_jobs == 0:
            direct += 1.0
        else:
            freed += effects.seeker_share ** freed_jobs
    return direct + freed, freed


def chain_effects(problem: ChainProblem, plan: ChainPlan, effects: ChainEffects,
                  no_upskilling: ChainPlan | None = None, unplanned: ChainPlan | None = None
                  ) -> dict[str, float | None]:
    """The plan against (a) no upskilling and (b) unplanned upskilling, both with optimal matching.

    Returns the counterfactuals' entrants, the plan's net entrants against each, per upskilled
    employee and per million SEK, the cost per net entrant (None when the plan adds none), the
    expected entrants after displacement and withdrawal, the expected net entrants after
    deadweight as well, and White's multiplier. Time: two more flows unless the plans are given.
    """
    a = no_upskilling or no_upskilling_plan(problem)
    b = unplanned or unplanned_plan(problem)
    s = plan.summary
    entering, upskilled, cost = s["job_seekers_entering"], s["upskilled"], s["cost"]
    net_a = entering - a.summary["job_seekers_entering"]
    expected, expected_freed = _expected_entrants(plan, effects)
    expected_net = expected - a.summary["job_seekers_entering"] - effects.deadweight_rate * expected_freed
    return {
        "no_upskilling_job_seekers_entering": a.summary["job_seekers_entering"],
        "unplanned_job_seekers_entering": b.summary["job_seekers_entering"],
        "unplanned_upskilled": b.summary["upskilled"],
        "unplanned_job_seekers_into_freed_jobs": b.summary["job_seekers_into_freed_jobs"],
        "unplanned_multiplier": white_multiplier(b),
        "net_entrants_vs_no_upskilling": net_a,
        "net_entrants_vs_unplanned": entering - b.summary["job_seekers_entering"],
        "net_entrants_per_upskilled": net_a / upskilled if upskilled else None,
        "net_entrants_per_million_sek": net_a / (cost / 1e6) if cost > 0 else None,
        "cost_per_net_entrant_sek": cost / net_a if net_a > 0 else None,
        "expected_entrants_after_displacement": round(expected, 2),
        "expected_entrants_into_freed_jobs": round(expected_freed, 2),
        "expected_net_entrants_vs_no_upskilling": round(expected_net, 2),
        "multiplier": white_multiplier(plan),
        "entrants_into_freed_jobs_per_upskilled":
            s["job_seekers_into_freed_jobs"] / upskilled if upskilled else 0.0,
    }
