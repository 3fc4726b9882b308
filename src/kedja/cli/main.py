"""``kedja``: build the demo region, serve the web app, migrate the database.

Errors that Kedja raises on purpose (bad configuration, bad input) are printed as one
paragraph that says what to do, never as a traceback.
"""

from __future__ import annotations

import errno
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from kedja.cli import matching
from kedja.cli.chains import chains_app
from kedja.cli.forecast import forecast_app as _forecast_app
from kedja.cli.lazy import lazy_module
from kedja.cli.occupations import occupations_app, transitions_app
from kedja.cli.operations import register as register_operations
from kedja.cli.options import DbOption, ExitCode, progress, set_quiet
from kedja.cli.own_data import register as register_own_data
from kedja.cli.reach import register as register_reach
from kedja.cli.report import report_app
from kedja.cli.taxonomy import import_app
from kedja.cli.users import users_app
from kedja.core.errors import ConfigurationError, KedjaError

__all__ = ["app", "main"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    from kedja import services
else:
    services = lazy_module("kedja.services")

app = typer.Typer(
    name="kedja",
    help="Kedja: regional competence supply and labour-market inclusion.",
    epilog="Exit codes: 0 done; 1 Kedja refused the request (the message says what to change); "
           "2 the command line is wrong; 3 configuration (database, settings); 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema: migrate and inspect.", no_args_is_help=True)
app.add_typer(db_app, name="db")
matching.register(app)
register_operations(app)
register_own_data(app)
app.add_typer(_forecast_app, name="forecast")
app.add_typer(chains_app, name="chains")
app.add_typer(import_app, name="import")
app.add_typer(occupations_app, name="occupations")
app.add_typer(users_app, name="users")
app.add_typer(report_app, name="report")
register_reach(app, import_app)  # issue 20

console = Console(stderr=True)



@contextmanager
def progress_steps(title: str) -> Iterator[Callable[[str], None]]:
    """A rich spinner with elapsed time; yields a function that names the current step."""
    with progress(title) as report:
        yield report.step


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Where to build the demo database.")] = "kedja-demo.db",
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same region.")] = 42,
    job_seekers: Annotated[int, typer.Option(help="Number of job seekers.")] = 12_000,
    employed: Annotated[int, typer.Option(help="Number of employed people.")] = 40_000,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web app afterwards.")] = True,
    replace: Annotated[bool, typer.Option(help="Rebuild a database that already holds a region.")] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Build the upper Norrland demo region in an embedded database, then serve the web app."""
    with progress_steps("Building the demo region") as step:
        step("Migrating the database")
        engine = services.prepare_database(db)
        summary = services.build_demo_database(
            engine, seed=seed, job_seekers=job_seekers, employed=employed, replace=replace,
            progress=step,
        )
    console.print(
        f"[green]Demo region ready[/green] in {db}: {summary.municipalities} municipalities, "
        f"{summary.organisations} organisations, {summary.people} people "
        f"({summary.job_seekers} job seekers), {summary.opportunities} opportunities, "
        f"{summary.establishments} establishments (seed {summary.seed})."
    )
    console.print(
        f"Sign in at /login with password [bold]{summary.password}[/bold] as: "
        + ", ".join(summary.accounts) + ".", highlight=False
    )
    if serve:
        _serve(engine, host, port)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (one per core).")] = 1,
    proxy_headers: Annotated[bool, typer.Option(
        "--proxy-headers", help="Take the client's address and scheme from X-Forwarded-For and "
                                "X-Forwarded-Proto (only behind a reverse proxy).")] = False,
    forwarded_allow_ips: Annotated[str, typer.Option(
        help="With --proxy-headers: the proxies' addresses (comma-separated) whose forwarded "
             "headers are trusted.")] = "127.0.0.1",
    threads: Annotated[int, typer.Option(
        min=1, max=64, help="Requests each process serves at once; more pay only when "
                            "requests wait on a network (a remote PostgreSQL).")] = 2,
) -> None:
    """Serve the web app and JSON API over an existing database."""
    _serve(services.prepare_database(db), host, port, workers,
           proxy=(forwarded_allow_ips if proxy_headers else None), threads=threads)


def _serve(engine: Any, host: str, port: int, workers: int = 1,
           proxy: str | None = None, threads: int | None = None) -> None:
    import os

    import uvicorn

    from kedja.web import create_app
    from kedja.web.app import DATABASE_ENV, DEFAULT_THREADS, THREADS_ENV

    threads = threads or DEFAULT_THREADS

    services.fail_orphaned_jobs(engine)  # jobs of a previous run of the server cannot finish
    console.print(f"Serving Kedja at [bold]http://{host}:{port}[/bold] (Ctrl+C stops it).")
    forwarded = uvicorn_forwarding(proxy)
    if workers == 1:
        services.warm_caches(engine)
        uvicorn.run(create_app(engine, threads=threads), host=host, port=port, log_level="warning",
                    **forwarded)
        return
    # each worker process opens the same database (its own pool and caches; the sign-in limit
    # and the cache generation are kept in the database, shared by all)
    os.environ[DATABASE_ENV] = engine.url.render_as_string(hide_password=False)
    os.environ[THREADS_ENV] = str(threads)
    uvicorn.run("kedja.web.app:app_from_environment", factory=True, workers=workers, host=host,
                port=port, log_level="warning", **forwarded)


def uvicorn_forwarding(proxy: str | None) -> dict[str, Any]:
    """Uvicorn's proxy settings: forwarded headers are ignored unless a proxy is named.

    uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1 by default; Kedja's per-address sign-in
    limit must not be fooled by a header, so it is off unless ``--proxy-headers`` is given.

    Examples:
        >>> uvicorn_forwarding(None)
        {'proxy_headers': False}
        >>> uvicorn_forwarding("10.0.0.5")
        {'proxy_headers': True, 'forwarded_allow_ips': '10.0.0.5'}
    """
    if proxy is None:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxy}


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Migrate the database to the newest schema (creates it if needed)."""
    engine = services.prepare_database(db)
    health = services.database_health(engine)
    console.print(f"Database at revision {health['schema_revision']} ({health['backend']}).")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision; 'base' empties the schema.")],
    db: DbOption = None,
) -> None:
    """Migrate the database down to REVISION."""
    services.downgrade_database(db, revision)
    console.print(f"Database downgraded to {revision}.")


app.add_typer(transitions_app, name="transitions")


@app.callback()
def _options(quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress display and no notes on stderr (for scripts); "
                              "results and errors still show.")] = False) -> None:
    """Options for every command (the app's help and epilog describe the rest)."""
    set_quiet(quiet)
    console.quiet = quiet


def _explain(error: KedjaError) -> str:
    title = "Configuration problem" if isinstance(error, ConfigurationError) else "Kedja stopped"
    return f"{title}: " + textwrap.fill(str(error), width=100)


def _disk_full(error: BaseException) -> bool:
    """Whether ``error`` says the disk is full (the OS, SQLite or PostgreSQL).

    Examples:
        >>> _disk_full(OSError(28, "No space left on device"))
        True
        >>> _disk_full(OSError(2, "No such file"))
        False
    """
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    text = str(error).lower()
    return "database or disk is full" in text or "no space left on device" in text


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning Kedja's errors into a paragraph and an exit code.

    The codes are :class:`kedja.cli.options.ExitCode`'s: 1 for a refused request, 2 for a
    wrong command line, 3 for configuration, 130 when interrupted.
    """
    try:
        app(args=argv, standalone_mode=False)
    except KedjaError as error:
        errors = Console(stderr=True)  # errors show even with --quiet
        errors.print(_explain(error), markup=False, highlight=False)
        sys.exit(ExitCode.CONFIGURATION if isinstance(error, ConfigurationError)
                 else ExitCode.REFUSED)
    except typer.Abort:
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as error:
        if _disk_full(error):  # the OS's, SQLite's or PostgreSQL's word (SQLAlchemy wraps it)
            Console(stderr=True).print(
                "Kedja stopped: the disk is full, so the last change was not written "
                "(an import or a write is one transaction: nothing of it was kept). Fix: "
                "free space on the disk that holds the database or the output, then run "
                "the command again.", markup=False, highlight=False)
            sys.exit(ExitCode.REFUSED)
        code = getattr(error, "exit_code", None)  # click usage errors carry their own exit code
        if code is None:
            raise
        show = getattr(error, "show", None)
        if show:
            show()
        sys.exit(code)
