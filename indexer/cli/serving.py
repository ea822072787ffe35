"""``kb serve`` and ``kb hash-password``: the web app from the command line, with a folder
watcher beside it on request, and the hash its administration password is configured by."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import click

from ..config import Settings
from ..errors import KbError
from ..store.index import current_dir, layout_is_current, run_going

#: How ``kb serve`` says who may use the admin pages, by `AdminAccess.mode`.
_ADMIN_MODES = {
    "password": "with the password",
    "local": "without a password, from this computer only, with the address below",
    "closed": "closed (set KB_ADMIN_PASSWORD to open it)",
}


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server processes (default: $KB_SERVE_WORKERS, else one per core).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per server process.",
)
@click.option(
    "--watch", "watch_folders", is_flag=True, help="Also index changes of the folders (kb watch)."
)
@click.pass_obj
def serve_cmd(
    settings: Settings,
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    watch_folders: bool,
) -> None:
    """Serve the web app; indexes $KB_CORPUS first when the index is empty."""
    from webapp import secret_key
    from webapp.security.access import AdminAccess
    from webapp.security.hosts import allowed_hosts
    from webapp.server import serve

    # The app decides who may reach the admin pages, and which Host names it answers to,
    # from the address it is bound to.
    settings = settings.with_(host=host)
    active = current_dir(settings)
    if active is None:
        first = f"Index is empty: indexing {settings.corpus} while serving …"
    elif not layout_is_current(active):
        first = "The index was written by an earlier version: rebuilding it while serving …"
    else:
        first = ""
    builder = None
    if first and run_going(settings):
        # Another server or `kb index` is building it: results appear as it commits them.
        click.echo("Another run is building the index; serving meanwhile.")
    elif first:
        click.echo(first)
        if not watch_folders:  # else the watcher's first run builds it
            builder = _start_first_run(settings)
    # Decided once, before the server processes start, so that all of them sign sessions with
    # one key even when the data folder is read-only.
    settings = settings.with_(secret_key=secret_key(settings))
    click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
    click.echo(f"Answering to the names: {', '.join(allowed_hosts(settings))}")
    if host in ("0.0.0.0", "::") and not settings.allowed_hosts:
        click.echo("  other computers use this server's name: list it in KB_ALLOWED_HOSTS")
    mode = AdminAccess(settings, settings.secret_key or "").mode
    click.echo(f"Administration: {_ADMIN_MODES[mode]}")
    if mode == "local":
        # No proxy can make a stranger local while the admin pages ask for this secret, which
        # only whoever sees this terminal knows (a new one at each start).
        settings = settings.with_(admin_token=secrets.token_urlsafe(24))
        where = f"[{host}]" if ":" in host else host
        click.echo(f"  open it at http://{where}:{port}/admin?token={settings.admin_token}")
    watcher = _start_watcher(settings) if watch_folders else None
    try:
        serve(
            settings,
            host=host,
            port=port,
            workers=workers or settings.serve_workers,
            threads=threads,
        )
    finally:
        for helper in (builder, watcher):
            if helper is not None:
                helper.terminate()
                helper.wait(30)


def _start_first_run(settings: Settings) -> subprocess.Popen[bytes]:
    """The first index built beside the server, in a process of its own, so the site answers
    from its first second: pages say the knowledge base is being built, with the run's
    progress, and results appear as its batches are committed. Its progress and summary are
    shown here in the terminal (a bar on a terminal, a line every few seconds in a log)."""
    command = [sys.executable, "-m", "indexer.cli", "--home", str(settings.home), "index"]
    return subprocess.Popen([*command, "--progress-lines", "--quiet-busy"])


def _start_watcher(settings: Settings) -> subprocess.Popen[bytes]:
    """`kb watch` beside the server, in a process of its own (the server forks its workers; a
    watching thread must not be forked with them)."""
    roots = [str(r) for r in settings.default_roots()]
    click.echo(f"Watching: {', '.join(roots)}")
    command = [sys.executable, "-m", "indexer.cli", "--home", str(settings.home), "watch"]
    # It ends by itself when the server is gone, even killed with no chance to stop it.
    return subprocess.Popen([*command, "--parent", str(os.getpid()), *roots])


@click.command("hash-password")
def hash_password_cmd() -> None:
    """Print the hash of an administration password, for KB_ADMIN_PASSWORD_HASH.

    Asks for the password twice on a terminal; reads one line from standard input otherwise.
    """
    from webapp.security.access import hash_password

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise KbError("the password is empty")
    click.echo(hash_password(password))
