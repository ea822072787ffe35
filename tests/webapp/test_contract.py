"""The JSON API against its own OpenAPI description, checked by Schemathesis with all its checks
on a live `kb serve`: answers of exactly the declared shapes (no key more), requests outside
the declared limits and enums refused, requests inside them answered, 405 with ``Allow`` for a
method an address does not take.

The cases are generated (a bounded number per operation, with a fixed seed, so that a failure
always reproduces); `schemathesis.toml` beside this file holds the few settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.indexer.test_cli import _free_port, _health
from tests.knowledge_bases import build_sample_kb

CONFIG = Path(__file__).with_name("schemathesis.toml")
#: Cases per operation and phase: about 900 requests in all, half a minute on two cores.
CASES = 30
SEED = 25


@pytest.mark.slow
def test_the_api_keeps_its_openapi_contract_under_schemathesis(tmp_path):
    settings = build_sample_kb(tmp_path / "kb")
    port = _free_port()
    env = {**os.environ, "KB_HOME": str(settings.home), "KB_CORPUS": str(settings.corpus)}
    command = ["serve", "--port", str(port), "--workers", "1", "--threads", "4"]
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _health(port)
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
                "--config-file",
                str(CONFIG),
                "run",
                f"http://127.0.0.1:{port}/api/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                str(CASES),
                "--seed",
                str(SEED),
                "--generation-database",
                "none",
                "--no-color",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=540,
        )
    finally:
        server.terminate()
        server.wait(30)
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    assert "No issues found" in run.stdout
