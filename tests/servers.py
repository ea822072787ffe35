"""The web app served by waitress on loopback for a test, and stopped cleanly after it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def serving(app: Any, threads: int = 4) -> Iterator[str]:
    """The base address of ``app`` served on a free port while the block runs.

    Closing the server while its loop waits on the sockets makes that wait fail with "bad file
    descriptor" in the server's thread: expected when stopping, and only then.
    """
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=10)
