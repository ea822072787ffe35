"""The documents folder most run tests start from: one file in each of three formats."""

import pytest

from tests.factories import TEXTS, make_docx, make_html, make_pdf


@pytest.fixture
def three_docs(docs):
    make_pdf(docs / "reports" / "centres_en.pdf", [TEXTS["en"], "Annex about Ireland."])
    make_docx(docs / "bulgaria" / "konsultacia.docx", [[TEXTS["bg"]]], title="Консултация")
    make_html(docs / "portugal" / "noticia.html", "Notícia", TEXTS["pt"], lang="pt")
    return docs
