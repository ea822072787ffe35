"""Measuring another checkout's code with this checkout's benchmarks, without touching the
import path from inside.

A child process is started with ``python -P`` (the folder it starts in is not put first on the
path) and a ``PYTHONPATH`` of two folders: first one holding only this checkout's ``bench``
package (a link to it), then the other checkout — so ``bench`` is this one's and ``indexer``
the other's, even though the other checkout has a ``bench`` folder of its own.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def _holder() -> Path:
    """A folder holding only a link to this checkout's ``bench`` (one per process)."""
    holder = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    (holder / "bench").symlink_to(ROOT / "bench", target_is_directory=True)
    return holder


def environment(checkout: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child that imports ``checkout``'s ``indexer`` and this ``bench``."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join([str(_holder()), str(checkout.resolve())])
    return env


def command(module: str, arguments: list[str]) -> list[str]:
    """``python -P -m module arguments``: the path is what the environment says."""
    return [sys.executable, "-P", "-m", module, *arguments]


def rerun_with(checkout: Path | None, module: str) -> None:
    """When ``checkout`` is given (``--code``) and this is not already that child: run this
    benchmark again in a child with that checkout's code, and leave with its exit status."""
    if checkout is None or _running(checkout):
        return
    arguments = sys.argv[1:]
    if "--code" in arguments:
        at = arguments.index("--code")
        del arguments[at : at + 2]
    arguments = [a for a in arguments if not a.startswith("--code=")]
    done = subprocess.run(command(module, arguments), env=environment(checkout))
    raise SystemExit(done.returncode)


def _running(checkout: Path) -> bool:
    """Whether this process already runs ``checkout``'s code (it is the child)."""
    import indexer

    return Path(indexer.__file__).resolve().parent.parent == checkout.resolve()
