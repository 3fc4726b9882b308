"""Beyond one machine: matching, chains and forecasts per functional labour-market area on Dask.

A country splits naturally by FA region (commuting zone): :mod:`kedja.scale.partition` cuts an
instance into per-region tasks carried as Arrow tables, :mod:`kedja.scale.allocation` matches
each region on the runner's workers and reconciles the people whose reach crosses regions,
:mod:`kedja.scale.regional` plans chains and runs forecasts per region, and
:mod:`kedja.scale.cluster` runs the same code in this process, on a local Dask cluster or on a
cluster by address. :mod:`kedja.scale.national` builds a seeded national instance over Sweden's
290 municipalities and 60 FA regions.

This layer sits above the engines (it combines matching, chains and forecast) and below the
services; like the engines it never touches the store, the web or the CLI.
"""

from kedja.scale.allocation import (
    AreaFigures,
    PartitionedAllocation,
    match_area,
    partitioned_allocation,
    reconciled_allocation,
)
from kedja.scale.cluster import Runner, open_runner, parse_cluster
from kedja.scale.national import NationalInstance, national_instance, national_pack
from kedja.scale.partition import AreaTask, partition_by_area

__all__ = [
    "AreaFigures",
    "AreaTask",
    "NationalInstance",
    "PartitionedAllocation",
    "Runner",
    "match_area",
    "national_instance",
    "national_pack",
    "open_runner",
    "parse_cluster",
    "partition_by_area",
    "partitioned_allocation",
    "reconciled_allocation",
]
