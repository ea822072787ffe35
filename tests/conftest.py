"""Shared fixtures: a temporary data folder and documents folder per test, real files only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from indexer.config import Settings

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
PDF_SAMPLES = PROJECT.parent / "shared" / "testdata" / "pdf-samples"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(tmp_path: Path, docs: Path) -> Settings:
    return Settings(home=tmp_path / "home", corpus=docs, workers=2, file_timeout=60.0)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory):
    """The bundled sample knowledge base, indexed once for the whole session."""
    from indexer.pipeline import run_index
    from tests.factories import CORPUS

    settings = Settings(home=tmp_path_factory.mktemp("corpus-kb"), corpus=CORPUS, workers=2)
    run_index(settings)
    return settings


@pytest.fixture(scope="session")
def reader_settings(tmp_path_factory):
    """The readers' knowledge base (``factories.build_reader_kb``), indexed once per session."""
    from tests.factories import build_reader_kb

    return build_reader_kb(tmp_path_factory.mktemp("reader-kb"))
