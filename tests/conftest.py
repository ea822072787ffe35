"""Shared fixtures: a temporary data folder and documents folder per test, and the knowledge
bases that many tests only read, each indexed once per session. Real files only.

No ``sys.path`` edits: pytest puts the project folder on the path (``pythonpath`` in
pyproject.toml), so ``tests.factories`` is this folder's module and ``indexer`` is always the
package under test, never ``tests/indexer``.
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.config import Settings
from tests.factories import CORPUS
from tests.knowledge_bases import NO_DICTIONARIES, build_reader_kb, build_sample_kb


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(tmp_path: Path, docs: Path) -> Settings:
    return Settings(
        home=tmp_path / "home",
        corpus=docs,
        workers=2,
        file_timeout=60.0,
        dictionaries=tmp_path / NO_DICTIONARIES,
    )


@pytest.fixture(scope="session")
def sample_kb(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The six-document sample knowledge base (``knowledge_bases.build_sample_kb``), indexed once per
    session and shared by every test that only reads it: such tests search it, serve it and
    open its documents, and never change its files or its index (a test that does builds its
    own with ``build_sample_kb``)."""
    return build_sample_kb(tmp_path_factory.mktemp("sample-kb"))


def built_once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Settings]
) -> Settings:
    """What ``build`` makes in a folder, made once for the whole run however many worker
    processes run the suite: the first worker to ask builds it while any other waits, and the
    others take the finished one. Building it on each worker at once would halve the speed of
    both builds on a machine with as many cores as workers, for the same result.

    The folder is shared by the workers, so only knowledge bases that tests never change may
    be built here; the product is made for several processes reading one data folder (a
    server's workers do).
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / name  # the run's folder, above each worker's
    shared.mkdir(exist_ok=True)
    made = shared / "settings.pickle"
    with (shared / "building.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even on a failure
        if made.exists():
            settings: Settings = pickle.loads(made.read_bytes())
            return settings
        settings = build(shared / "built")
        made.write_bytes(pickle.dumps(settings))  # only once the build is complete
        return settings


def _build_corpus_kb(root: Path) -> Settings:
    from indexer.ingest.run import run_index

    settings = Settings(home=root / "home", corpus=CORPUS, workers=2)
    run_index(settings)
    return settings


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled sample knowledge base, indexed once for the whole run (read-only)."""
    return built_once_per_run(tmp_path_factory, "corpus-kb", _build_corpus_kb)


@pytest.fixture(scope="session")
def reader_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The readers' knowledge base (``knowledge_bases.build_reader_kb``), indexed once per session
    (read-only)."""
    return build_reader_kb(tmp_path_factory.mktemp("reader-kb"))
