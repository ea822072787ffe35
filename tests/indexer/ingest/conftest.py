"""The documents folder most run tests start from: one file in each of three formats; and the
same folder once indexed, for the tests that start from there."""

from pathlib import Path

import pytest

from indexer.config import Settings
from tests.factories import TEXTS, make_docx, make_html, make_pdf
from tests.knowledge_bases import NO_DICTIONARIES, Pristine


def _three_docs(docs: Path) -> Path:
    make_pdf(docs / "reports" / "centres_en.pdf", [TEXTS["en"], "Annex about Ireland."])
    make_docx(docs / "bulgaria" / "konsultacia.docx", [[TEXTS["bg"]]], title="Консултация")
    make_html(docs / "portugal" / "noticia.html", "Notícia", TEXTS["pt"], lang="pt")
    return docs


@pytest.fixture
def three_docs(docs):
    return _three_docs(docs)


def _index_three_docs(root: Path) -> Settings:
    """`three_docs` under the `settings` of the top conftest, after one run."""
    from indexer.ingest.run import run_index

    settings = Settings(
        home=root / "home",
        corpus=_three_docs(root / "docs"),
        workers=2,
        file_timeout=60.0,
        dictionaries=root / NO_DICTIONARIES,
    )
    summary = run_index(settings)
    assert (summary.added, summary.failed) == (3, 0), summary
    return settings


@pytest.fixture(scope="module")
def three_docs_as_built(tmp_path_factory):
    return Pristine(tmp_path_factory.mktemp("three-docs"), _index_three_docs)


@pytest.fixture
def indexed(three_docs_as_built) -> Settings:
    """The settings of a data folder whose `three_docs` (``corpus``) one run has indexed, as
    that run left it: tests of what later runs do start here without indexing them again."""
    return three_docs_as_built.fresh()
