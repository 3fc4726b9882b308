"""Regional competence-supply forecast: population projection, labour balance, scenarios.

This engine is pure: arrays and core types in, results out; it never imports the store, web or
CLI. The method notes are in ``docs/forecast.md``.

Examples:
    >>> from kedja.forecast import DemographicRates, indicators, population_from_bands, project
    >>> base = population_from_bands(10_000, share_0_19=0.2, share_65_plus=0.25,
    ...                              ages_20_30=[120] * 11)
    >>> path = project(base, DemographicRates.national(), years=10)
    >>> indicators(path[-1])["old_age_dependency"] > indicators(path[0])["old_age_dependency"]
    True

"""

from kedja.forecast.backtest import Backtest, backtest
from kedja.forecast.barometer import BarometerEntry, compare_with_barometer, parse_barometer
from kedja.forecast.establishments_csv import parse_establishments
from kedja.forecast.jsonstat import JsonStatCube, load_jsonstat, read_jsonstat
from kedja.forecast.kolada import KoladaHistory, read_kolada
from kedja.forecast.labour import LabourBalance, LabourInputs, labour_balance, retired_share
from kedja.forecast.projection import DemographicRates, project, project_step
from kedja.forecast.regional import RegionalForecast, RegionInputs, regional_forecast
from kedja.forecast.scb_population import population_from_cube
from kedja.forecast.scenarios import SCENARIOS, Scenario, scenario
from kedja.forecast.structure import indicators, population_from_bands, pyramid

__all__ = [
    "SCENARIOS",
    "Backtest",
    "BarometerEntry",
    "DemographicRates",
    "JsonStatCube",
    "KoladaHistory",
    "LabourBalance",
    "LabourInputs",
    "RegionInputs",
    "RegionalForecast",
    "Scenario",
    "backtest",
    "compare_with_barometer",
    "indicators",
    "labour_balance",
    "load_jsonstat",
    "parse_barometer",
    "parse_establishments",
    "population_from_bands",
    "population_from_cube",
    "project",
    "project_step",
    "pyramid",
    "read_jsonstat",
    "read_kolada",
    "regional_forecast",
    "retired_share",
    "scenario",
]
