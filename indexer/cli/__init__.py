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


def _index() -> click.Command:
    from .indexing import index_cmd

    return index_cmd


def _watch() -> click.Command:
    from .indexing import watch_cmd

    return watch_cmd


def _export_manifest() -> click.Command:
    from .indexing import export_manifest_cmd

    return export_manifest_cmd


def _search() -> click.Command:
    from .searching import search_cmd

    return search_cmd


def _list() -> click.Command:
    from .searching import list_cmd

    return list_cmd


def _status() -> click.Command:
    from .searching import status_cmd

    return status_cmd


def _serve() -> click.Command:
    from .serving import serve_cmd

    return serve_cmd


def _hash_password() -> click.Command:
    from .serving import hash_password_cmd

    return hash_password_cmd


#: Each command, imported when it is run: indexing needs no search engine and searching no
#: indexing run, and a command starts the sooner for what it does not load.
COMMANDS: dict[str, Callable[[], click.Command]] = {
    "index": _index,
    "search": _search,
    "list": _list,
    "status": _status,
    "serve": _serve,
    "watch": _watch,
    "export-manifest": _export_manifest,
    "hash-password": _hash_password,
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
