"""Measuring another checkout: its ``indexer``, this checkout's ``bench``, whatever folders the
other checkout has and wherever the child starts."""

import subprocess
import sys
from pathlib import Path

from bench import other_code


def test_a_child_imports_the_other_checkouts_indexer_and_these_benchmarks(tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "indexer").mkdir(parents=True)
    (other / "indexer" / "__init__.py").write_text("WHO = 'other'\n")
    (other / "bench").mkdir()
    (other / "bench" / "__init__.py").write_text("raise ImportError('not these benchmarks')\n")
    code = "import indexer, bench.other_code as o; print(indexer.WHO, o.ROOT)"
    done = subprocess.run(
        [sys.executable, "-P", "-c", code],
        env=other_code.environment(other),
        cwd=other,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["other", str(other_code.ROOT)]
