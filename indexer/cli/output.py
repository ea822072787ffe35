"""What every command prints the same way: JSON for scripts, and a failure as one line.

Whatever goes wrong in a command ends as one line on stderr a person can act on, and exit
status 1 (130 on Ctrl+C); ``kb --debug …`` shows the traceback instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from ..config import Settings
from ..errors import KbError, storage_error


def print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def one_line(err: BaseException, home: Path | None) -> str:
    """What went wrong, in one line a person can act on."""
    if isinstance(err, KbError):
        text = str(err)
    elif (problem := storage_error(err, home or Path("."))) is not None:
        text = str(problem)
    elif isinstance(err, FileExistsError | NotADirectoryError) and err.filename:
        text = f"{err.filename} is a file where a folder is needed"
    elif isinstance(err, OSError) and err.strerror:
        text = f"{err.strerror}: {err.filename}" if err.filename else err.strerror
    elif isinstance(err, sqlite3.Error):
        text = f"the catalog cannot be used: {err}"
    else:
        text = f"unexpected error: {type(err).__name__}: {err} (run with --debug for details)"
    return " ".join(text.split())


class KbGroup(click.Group):
    """Every failure of a command is one line on stderr and exit status 1 (130 on Ctrl+C);
    ``kb --debug …`` shows the traceback instead.

    ``commands_on_demand``: command name → a function giving the commands of its module by
    name, called only when one of them is run or listed, so a command loads its own modules
    and no other's."""

    def __init__(
        self,
        *args: Any,
        commands_on_demand: Mapping[str, Callable[[], dict[str, click.Command]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.on_demand = dict(commands_on_demand or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.on_demand})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        load = self.on_demand.get(cmd_name)
        if load is not None and cmd_name not in self.commands:
            for name, command in load().items():
                self.add_command(command, name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            if ctx.params.get("debug"):
                raise
            click.echo("kb: interrupted", err=True)
            ctx.exit(130)
        except Exception as err:
            if ctx.params.get("debug"):
                raise
            # None when the settings themselves could not be read.
            settings = ctx.obj if isinstance(ctx.obj, Settings) else None
            click.echo(f"kb: {one_line(err, settings.home if settings else None)}", err=True)
            ctx.exit(1)
