"""``kedja users``: add, list and disable accounts."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption

__all__ = ["users_app"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    from kedja import services
else:
    services = lazy_module("kedja.services")

users_app = typer.Typer(help="User accounts: add, list, disable.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()



@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="The user's work e-mail address.")],
    organisation: Annotated[str, typer.Option("--organisation", "-o",
                                              help="The organisation's id, e.g. AF25.")],
    role: Annotated[list[str], typer.Option("--role", "-r", help="A role (repeat for more): "
                    "admin, officer, coordinator, analyst, employer_hr.")],
    name: Annotated[str | None, typer.Option(help="The name shown in the app.")] = None,
    password: Annotated[str | None, typer.Option(
        help="The password (asked for when left out; at least 12 characters).")] = None,
    oidc_subject: Annotated[str | None, typer.Option(
        help="The user's subject at the OIDC provider (single sign-on only: no password).")] = None,
    db: DbOption = None,
) -> None:
    """Add a user to an organisation with one or more roles."""
    if password is None and oidc_subject is None:
        password = getpass.getpass("Password: ")
    user = services.create_user(services.prepare_database(db), username=username,
                                organisation_id=organisation, roles=role, password=password,
                                display_name=name, oidc_subject=oidc_subject)
    console.print(f"Added {user.username} ({', '.join(user.roles)}) at {user.organisation_id}.")


@users_app.command("list")
def list_(
    organisation: Annotated[str | None, typer.Option("--organisation", "-o",
                                                     help="Only this organisation.")] = None,
    db: DbOption = None,
) -> None:
    """List the accounts (no secrets are shown)."""
    table = Table("username", "name", "organisation", "roles", "sign-in", "active")
    for u in services.list_users(services.prepare_database(db), organisation_id=organisation):
        table.add_row(u.username, u.display_name, u.organisation_id, ", ".join(u.roles),
                      u.sign_in, "yes" if u.active else "no")
    out.print(table)


@users_app.command("disable")
def disable(
    username: Annotated[str, typer.Argument(help="The account to disable.")],
    db: DbOption = None,
) -> None:
    """Disable an account and end its sessions (the audit log keeps its history)."""
    user = services.disable_user(services.prepare_database(db), username)
    console.print(f"Disabled {user.username}; its sessions have ended.")
