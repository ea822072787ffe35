"""Shared fixtures: a temporary data folder and documents folder per test, and the knowledge
bases that many tests only read, each indexed once per session. Real files only.

No ``sys.path`` edits: pytest puts the project folder on the path (``pythonpath`` in
pyproject.toml), so ``tests.factories`` is this folder's module and ``indexer`` is always the
package under test, never ``tests/indexer``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from indexer.config import Settings
from tests.factories import CORPUS
from tests.knowledge_bases import (
    NO_DICTIONARIES,
    build_reader_kb,
    build_sample_kb,
    built_once_per_run,
)


def pytest_configure(config: pytest.Config) -> None:
    """Where writing bytecode next to the sources is turned off (``PYTHONDONTWRITEBYTECODE``),
    the run keeps it in a folder of its own, outside the project, removed at its end. The
    suite starts hundreds of interpreters (the workers, every indexing run's worker processes,
    `kb` commands, servers), and each would otherwise compile the project's modules again
    before doing anything; with the folder, the first one to import a module compiles it and
    the others read it. Nothing is written among the sources either way. The environment
    set here is inherited by every process the run starts."""
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return  # bytecode is kept already, next to the sources or where the caller chose
    folder = tempfile.mkdtemp(prefix="kb-tests-bytecode-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = folder
    sys.dont_write_bytecode = False
    sys.pycache_prefix = folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules that hold a slow or browser test run first, each module's tests still
    together and in their order. Workers take whole modules in this order as they become
    idle, so they start on the long ones and the last modules handed out are short: a long
    one at the end would keep one worker busy while the others have nothing left to take."""

    def long(item: pytest.Item) -> bool:
        return any(item.get_closest_marker(name) for name in ("slow", "browser"))

    long_modules = {item.nodeid.partition("::")[0] for item in items if long(item)}
    items.sort(key=lambda item: item.nodeid.partition("::")[0] not in long_modules)


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
