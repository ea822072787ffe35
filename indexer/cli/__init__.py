"""The ``kb`` command: index, search, list, status, serve.

Output for people by default, ``--json`` for scripts (the same dicts the web API returns).
Exit status: 0 when the command did its job (a run that recorded broken files still completed),
1 for errors, 2 for bad usage, 3 when ``--strict`` finds failed files.

This module is the group every command hangs on: its options set up the settings that the
commands receive as their context object. The commands live by what they work on: indexing,
searching, serving.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Settings
from ..text import lemmas
from .indexing import export_manifest_cmd, index_cmd, watch_cmd
from .output import KbGroup
from .searching import list_cmd, search_cmd, status_cmd
from .serving import hash_password_cmd, serve_cmd


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(path_type=Path), help="Data folder (default: $KB_HOME).")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.pass_context
def main(ctx: click.Context, home: Path | None, debug: bool) -> None:
    """Knowledge base of the national competence centres for social innovation."""
    settings = Settings.from_env(home=home)
    lemmas.use_cache(settings.cache)
    ctx.obj = settings


main.add_command(index_cmd)
main.add_command(search_cmd)
main.add_command(list_cmd)
main.add_command(status_cmd)
main.add_command(serve_cmd)
main.add_command(watch_cmd)
main.add_command(export_manifest_cmd)
main.add_command(hash_password_cmd)
