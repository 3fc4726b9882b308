"""Where per-area tasks run: in this process, on a local Dask cluster, or on a cluster by address.

One code path: every scale function takes a :class:`Runner` and calls :meth:`Runner.map`; the
runner decides where the calls run. A cluster is named by a string:

* ``None``, ``""`` or ``"process"``: in this process, one task after the other (no Dask at all);
* ``"local:N"``: a Dask ``LocalCluster`` of N single-threaded worker processes, started and
  closed with the runner;
* ``"tcp://host:8786"`` (any Dask scheduler address): an existing cluster.

Results come back in the order of the items, whatever order the workers finish in.

Examples:
    >>> with open_runner(None) as runner:
    ...     runner.map(pow, [2, 3], 2)
    [4, 9]
    >>> parse_cluster("local:2")
    ('local', 2)
    >>> parse_cluster("tcp://10.0.0.5:8786")
    ('address', 'tcp://10.0.0.5:8786')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from kedja.core.errors import ConfigurationError, InvalidInput

__all__ = ["Runner", "open_runner", "parse_cluster"]

SCHEMES = ("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")


def parse_cluster(spec: str | None) -> tuple[str, Any]:
    """``("process", None)``, ``("local", n_workers)`` or ``("address", address)``."""
    if not spec or spec in ("process", "in-process"):
        return "process", None
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise InvalidInput(f"'{spec}' does not give a number of workers", field="cluster",
                               value=spec, hint="write local:N with N ≥ 1, e.g. local:2")
        return "local", int(count)
    if spec.startswith(SCHEMES):
        return "address", spec
    raise InvalidInput(f"'{spec}' is not a cluster", field="cluster", value=spec,
                       hint="give process (this process), local:N for a local cluster of N "
                            "workers, or a scheduler address such as tcp://host:8786")


class Runner:
    """Runs a function over items here or on a Dask client, keeping the items' order."""

    def __init__(self, client: Any = None, description: str = "in-process") -> None:
        self.client = client
        self.description = description

    @property
    def workers(self) -> int:
        """How many workers run tasks (1 in this process)."""
        if self.client is None:
            return 1
        return len(self.client.scheduler_info(n_workers=-1)["workers"])

    def share(self, value: Any) -> Any:
        """``value`` sent once to every worker (a future), or as it is in this process."""
        if self.client is None:
            return value
        # a fresh key each time: the same value shared again must not race the release of the
        # previous run's copy (hash=True would give both the same key)
        return self.client.scatter(value, broadcast=True, hash=False)

    def map(self, function: Callable[..., Any], items: Sequence[Any], *args: Any,
            work: Sequence[float] | None = None) -> list[Any]:
        """``[function(item, *args) for item in items]``, on the workers when there are any.

        ``work`` (an estimate per item) places the items on the workers beforehand, dearest
        first on the least loaded, so that no worker is left with two big ones; without it
        the scheduler places them.
        """
        if self.client is None:
            return [function(item, *args) for item in items]
        from distributed import as_completed

        # data goes to the workers first, so the task graph holds only references to it
        if work is None:
            scattered = self.client.scatter(list(items), hash=False)
            futures = self.client.map(function, scattered, *[[a] * len(items) for a in args], pure=False)
        else:
            futures = self._placed(function, items, args, work)
        # each result comes over as soon as its task ends, while the others still run
        position = {future.key: i for i, future in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for future in as_completed(futures):
            results[position[future.key]] = future.result()  # raises the task's error, if any
        return results

    def _placed(self, function: Callable[..., Any], items: Sequence[Any], args: tuple[Any, ...],
                work: Sequence[float]) -> list[Any]:
        """Futures of ``function`` over ``items``, each pinned to a worker chosen by its ``work``."""
        workers = sorted(self.client.scheduler_info(n_workers=-1)["workers"])
        load = dict.fromkeys(workers, 0.0)
        futures: list[Any] = [None] * len(items)
        for i in sorted(range(len(items)), key=lambda i: -work[i]):
            worker = min(workers, key=lambda w: load[w])
            load[worker] += work[i]
            [data] = self.client.scatter([items[i]], workers=[worker], hash=False)
            futures[i] = self.client.submit(function, data, *args, workers=[worker],
                                            allow_other_workers=False, pure=False)
        return futures

    def run_on_workers(self, function: Callable[[], Any]) -> dict[str, Any]:
        """``function()`` on every worker (here: in this process), by worker address."""
        if self.client is None:
            return {"in-process": function()}
        return dict(self.client.run(function))


@contextmanager
def open_runner(spec: str | None, *, processes: bool = True) -> Iterator[Runner]:
    """A :class:`Runner` for the cluster ``spec`` (see module), closed on exit.

    ``processes=False`` starts a local cluster's workers as threads of this process (quick
    to start; used by the tests).
    """
    kind, value = parse_cluster(spec)
    if kind == "process":
        yield Runner()
        return
    try:
        from distributed import Client, LocalCluster
    except ModuleNotFoundError:
        raise ConfigurationError(
            "a Dask cluster needs dask[distributed], which is not installed", field="cluster",
            hint="install the scale extra: pip install 'kedja[scale]'") from None
    if kind == "local":
        with LocalCluster(n_workers=value, threads_per_worker=1, processes=processes,
                          dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
            yield Runner(client, f"LocalCluster({value} workers)")
        return
    try:
        client = Client(value, timeout=10)
    except OSError as exc:
        raise InvalidInput(f"no Dask scheduler answers at {value}", field="cluster", value=value,
                           hint="start one with `dask scheduler` and `dask worker ADDRESS`, "
                                "or use local:N") from exc
    with client:
        yield Runner(client, f"cluster at {value}")
