"""The output plan: every document of the sample corpus, its source, format and quirks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .common import SOURCES


@dataclass
class Spec:
    """One output document: where its text comes from and how it is made."""

    out: str
    lang: str
    fmt: str = "pdf"
    embedded_title: str | None = "same"  # "same", None (missing) or a wrong title
    columns: int = 1
    hyphenate: bool = False
    ligatures: bool = False
    encoding: str = "utf-8"
    password: str | None = None
    keywords: str = ""

    @property
    def source(self) -> Path:
        return SOURCES / (Path(self.out).with_suffix(".md"))


PLAN: list[Spec] = [
    # Strategic documents
    Spec(
        "strategic/need-for-competence-centres_en.pdf",
        "en",
        ligatures=True,
        keywords="competence centre, ecosystem, social innovation, EaSI",
    ),
    Spec("strategic/need-for-competence-centres_bg.pdf", "bg", hyphenate=True),
    Spec(
        "strategic/need-for-competence-centres_el.pdf",
        "el",
        embedded_title="Microsoft Word - FUSE_WP3_NCC_paper_EL_final.docx",
    ),
    Spec("strategic/need-for-competence-centres_pt.pdf", "pt"),
    Spec(
        "strategic/payment-by-results_en.pdf",
        "en",
        hyphenate=True,
        keywords="payment by results, social impact bonds, outcomes fund",
    ),
    Spec("strategic/payment-by-results_bg.pdf", "bg", embedded_title=None),
    Spec("strategic/payment-by-results_el.pdf", "el", hyphenate=True),
    Spec("strategic/payment-by-results_pt.pdf", "pt", hyphenate=True, embedded_title=None),
    Spec("strategic/strategic-development_en.pdf", "en", ligatures=True),
    Spec("strategic/strategic-development_bg.pdf", "bg"),
    Spec("strategic/strategic-development_el.pdf", "el", embedded_title="Untitled"),
    Spec("strategic/scaling-readiness-instrument_en.pdf", "en", hyphenate=True, ligatures=True),
    Spec("strategic/scaling-readiness-instrument_bg.pdf", "bg", hyphenate=True),
    Spec("strategic/scaling-readiness-instrument_pt.pdf", "pt"),
    Spec("bulgaria/recommendations-national-competence-centre_bg.pdf", "bg"),
    # Ecosystem mapping reports
    Spec("bulgaria/ecosystem-mapping-bulgaria_bg.pdf", "bg", columns=2, hyphenate=True),
    Spec("bulgaria/ecosystem-mapping-bulgaria_en.pdf", "en", embedded_title="Document1"),
    Spec("ireland/ecosystem-mapping-ireland_en.pdf", "en", ligatures=True),
    Spec("cyprus/ecosystem-mapping-cyprus_el.pdf", "el"),
    Spec("cyprus/ecosystem-mapping-cyprus_en.pdf", "en", hyphenate=True),
    Spec("portugal/ecosystem-mapping-portugal_pt.pdf", "pt", hyphenate=True),
    Spec("portugal/ecosystem-mapping-portugal_en.pdf", "en", embedded_title=None),
    # Working documents
    Spec("bulgaria/stakeholder-consultation-summary_bg.docx", "bg", "docx"),
    Spec("ireland/stakeholder-consultation-summary_en.html", "en", "html"),
    Spec("cyprus/stakeholder-consultation-summary_el.docx", "el", "docx"),
    Spec("portugal/consulta-partes-interessadas_pt.odt", "pt", "odt"),
    Spec("eu/consortium-meeting-minutes-2021-06_en.odt", "en", "odt"),
    Spec("eu/steering-committee-minutes-2022-11_en.txt", "en", "txt"),
    Spec("bulgaria/partners-meeting-minutes-2022_bg.txt", "bg", "txt", encoding="cp1251"),
    Spec("eu/training-social-impact-measurement_en.pdf", "en", ligatures=True),
    Spec("bulgaria/training-social-enterprise-models_bg.pdf", "bg"),
    Spec("portugal/formacao-contratacao-por-resultados_pt.docx", "pt", "docx"),
    Spec("eu/scaling-readiness-self-assessment-questionnaire_en.docx", "en", "docx"),
    Spec("eu/policy-brief-esf-plus-social-innovation_en.pdf", "en", embedded_title=None),
    Spec("cyprus/policy-brief-social-enterprise-law_el.pdf", "el"),
    Spec("portugal/policy-brief-outcome-funds_pt.md", "pt", "md"),
    Spec("bulgaria/news-national-centre-expert-opinion_bg.html", "bg", "html"),
    Spec("eu/news-final-conference_en.md", "en", "md"),
    Spec("portugal/noticia-encontro-lisboa_pt.html", "pt", "html"),
    Spec("eu/final-conference-presentation_en.pdf", "en", "slides"),
    Spec("bulgaria/study-visit-report_en-bg.pdf", "en"),
    Spec("cyprus/signed-minutes-scan.pdf", "el", "scan"),
    Spec("eu/internal-budget-review_en.pdf", "en", password="fuse-budget-2022"),
]
