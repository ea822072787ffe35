"""The ``kb`` command: index, search, list, status, serve.

Output for people by default, ``--json`` for scripts (the same dicts the web API returns).
Exit status: 0 when the command did its job (a run that recorded broken files still completed),
1 for errors, 2 for bad usage, 3 when ``--strict`` finds failed files.

This module is the group every command hangs on: its options set up the settings that the
commands receive as their context object. The commands live by what they work on: indexing,
searching, serving.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..config import Settings
from ..text import lemmas
from .output import KbGroup


def _indexing() -> dict[str, click.Command]:
    from .indexing import export_manifest_cmd, index_cmd, watch_cmd

    return {"index": index_cmd, "watch": watch_cmd, "export-manifest": export_manifest_cmd}


def _searching() -> dict[str, click.Command]:
    from .searching import list_cmd, search_cmd, status_cmd

    return {"search": search_cmd, "list": list_cmd, "status": status_cmd}


def _serving() -> dict[str, click.Command]:
    from .serving import hash_password_cmd, serve_cmd

    return {"serve": serve_cmd, "hash-password": hash_password_cmd}


#: Each command's module, imported when one of its commands is run: indexing needs no search
#: engine and searching no indexing run, and a command starts the sooner for what it does not
#: load.
COMMANDS: dict[str, Callable[[], dict[str, click.Command]]] = {
    name: load
    for load, names in (
        (_indexing, ("index", "watch", "export-manifest")),
        (_searching, ("search", "list", "status")),
        (_serving, ("serve", "hash-password")),
    )
    for name in names
}


@click.group(
    cls=KbGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    commands_on_demand=COMMANDS,
)
@click.option("--home", type=click.Path(path_type=Path), help="Data folder (default: $KB_HOME).")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.pass_context
def main(ctx: click.Context, home: Path | None, debug: bool) -> None:
    """Knowledge base of the national competence centres for social innovation."""
    settings = Settings.from_env(home=home)
    lemmas.use_cache(settings.cache)
    ctx.obj = settings
