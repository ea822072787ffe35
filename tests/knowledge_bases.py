"""Knowledge bases for tests, built from the files of `tests.factories` and really indexed: a
small one in four languages and three formats, a reader's one with long documents, and the web
app on an empty data folder; and the way a knowledge base that tests only read is built once for
a run on several workers."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.factories import TEXTS, make_docx, make_pdf, make_text

if TYPE_CHECKING:
    from indexer.config import Settings
    from indexer.search.contract import SearchResult


# Built once for a run of several workers ------------------------------------------------------
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


# Built once, handed out as new to each test -----------------------------------------------
class Pristine:
    """A knowledge base built once and handed to each test as it was just after its build, in
    the same folder: tests that change one (edit, delete, index again) each start from the
    same state without indexing it again.

    The folder is restored from a copy made right after the build, files' times kept: its
    catalog, index and documents are those the build wrote, byte for byte, at the paths they
    name, so to the product it is the knowledge base its build left (nothing may run on it
    between two tests; no server is kept over them)."""

    def __init__(self, root: Path, build: Callable[[Path], Settings]) -> None:
        self.folder = root / "kb"
        self.settings = build(self.folder)
        self.copy = root / "as-built"
        shutil.copytree(self.folder, self.copy, symlinks=True)

    def fresh(self) -> Settings:
        """The knowledge base as its build left it."""
        shutil.rmtree(self.folder)
        shutil.copytree(self.copy, self.folder, symlinks=True)
        return self.settings


# A small multilingual knowledge base ---------------------------------------------------------
SAMPLE_MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/pbr_en.pdf,Payment by Results in Social Services,EU,payment-by-results;finance,strategic document,2022,Genio,,pbr
bg/pbr_bg.pdf,Плащане според резултатите,EU,payment-by-results,strategic document,2022,Genio,,pbr
bg/mapping_bg.pdf,Картографиране на екосистемата в България,BG,ecosystem,report,2022,BCause Foundation,,
cy/mapping_el.pdf,Χαρτογράφηση του οικοσυστήματος στην Κύπρο,CY,ecosystem;social-enterprise,report,2021,SYNTHESIS,,
pt/brief_pt.txt,Fundos de resultados,PT,payment-by-results,policy brief,2023,,,
ie/minutes.docx,Steering committee minutes,IE,stakeholder-engagement,minutes,2021,Rethink Ireland,,
"""


#: A folder without dictionaries: the knowledge bases most tests read cross languages through the
#: glossary alone, so what they find does not depend on the dictionaries a machine has installed
#: (``tests/indexer/translation`` writes dictionaries of its own).
NO_DICTIONARIES = "no-dictionaries"


def build_sample_kb(root: Path, **settings_overrides: object) -> Settings:
    """Six documents in four languages and three formats, indexed: the shared test fixture."""
    from indexer.config import Settings
    from indexer.ingest.run import run_index

    docs = root / "docs"
    make_pdf(
        docs / "en/pbr_en.pdf",
        [
            "Payment by results contracts pay providers for outcomes. " * 3,
            "Under ESF+ and the Common Provisions Regulation 2021/1060 outcome payments are possible.",
            "Social impact bonds were first used in 2010. Investors take the risk. <script>alert(1)</script>",
        ],
    )
    make_pdf(
        docs / "bg/pbr_bg.pdf",
        [
            "Плащането според резултатите свързва финансирането с постигнатите резултати. " * 3,
            "Облигациите за социално въздействие привличат частни инвеститори.",
        ],
    )
    make_pdf(
        docs / "bg/mapping_bg.pdf",
        [
            TEXTS["bg"],
            "Социалното предприятие е устойчив модел. Наръчник за социални предприемачи.",
            "Програмата ESF и регламентът COM(2021) 778 за социалната икономика.",
        ],
    )
    make_pdf(docs / "cy/mapping_el.pdf", [TEXTS["el"], "Η κοινωνική επιχείρηση στη Λευκωσία."])
    make_text(
        docs / "pt/brief_pt.txt",
        TEXTS["pt"] + "\fOs fundos de resultados financiam o que funciona.",
    )
    make_docx(
        docs / "ie/minutes.docx",
        [
            [
                "Minutes of the steering committee in Dublin.",
                "Stakeholders discussed the competence centre.",
            ]
        ],
    )
    make_text(docs / "manifest.csv", SAMPLE_MANIFEST)
    settings = Settings(
        home=root / "home", corpus=docs, workers=2, dictionaries=root / NO_DICTIONARIES
    )
    if settings_overrides:
        settings = settings.with_(**settings_overrides)
    summary = run_index(settings)
    assert summary.failed == 0 and summary.added == 6, summary
    return settings


def make_app(tmp_path: Path, **settings: object):
    """The web app on an empty data folder as `kb serve` makes it: bound to loopback unless
    ``host`` says otherwise, any other setting as given."""
    from indexer.config import Settings
    from webapp import create_app

    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    values = {"home": tmp_path / "home", "corpus": docs, "workers": 1, "host": "127.0.0.1"}
    app = create_app(Settings(**(values | settings)))  # type: ignore[arg-type]  # as given
    app.config.update(TESTING=True)
    return app


# A knowledge base for what readers do: long documents, names in two alphabets, years -----------
READER_MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/handbook_en.pdf,Handbook on Outcome Payments,EU,payment-by-results,guide,2021,,,
bg/report_bg.pdf,Доклад за плащанията в Стара Загора,BG,payment-by-results,report,2022,,,
el/brief_el.pdf,Κοινωνική οικονομία στην Κύπρο,CY,social-enterprise,policy brief,2023,,,
pt/noticia_pt.txt,Pagamento por resultados em Portugal,PT,payment-by-results,news,2019,,,
en/notes_en.txt,Notes from the Stara Zagora visit,BG,,minutes,,,,
"""

#: The handbook's pages: a cover, contents, a preface that names every subject once, and the
#: chapters; the chapter on payment deadlines is page 6.
HANDBOOK_PAGES = [
    "Handbook on Outcome Payments\nA guide for commissioners and providers",
    "Contents\nPreface 3\nOutcome measures 4\nVerification of outcomes 5\n"
    "Payment deadlines and transfers 6\nInvestors and risk 7\nIndex 8",
    "Preface\nThis handbook explains how outcome payments work: measures, verification, the "
    "payment of providers and the deadlines that apply, and the role of investors.",
    "Outcome measures\nEach contract defines measures of success agreed in advance. Measures "
    "must be observable, attributable and stable over the life of the contract.",
    "Verification of outcomes\nAn independent evaluator verifies each outcome before any claim "
    "is accepted. Evidence is kept for audit for seven years.",
    "Payment deadlines and transfers\nThe payment deadline is thirty days after verification. "
    "A late payment delays the provider's own payments to staff, so the deadline is firm. "
    "Payments are transferred monthly; a payment missed by the deadline carries interest. "
    "Providers in Stara Zagora and Sofia reported that payment deadlines were kept.",
    "Investors and risk\nInvestors carry the financial risk until outcomes are verified and "
    "are repaid from the outcome payments with a modest return.",
    "Index\ndeadlines 6\ninvestors 7\nmeasures 4\npayment 3, 6\nproviders 3, 6\nverification 5",
]


def build_reader_kb(root: Path) -> Settings:
    """Five documents that readers' features need: a long handbook whose answer is on one page,
    Bulgarian and Greek documents for typing in Latin letters, a name in two alphabets,
    documents of several years and one without a date."""
    from indexer.config import Settings
    from indexer.ingest.run import run_index

    docs = root / "docs"
    make_pdf(docs / "en/handbook_en.pdf", HANDBOOK_PAGES)
    make_pdf(
        docs / "bg/report_bg.pdf",
        [
            "Плащането според резултатите в Стара Загора започна през 2022 г. Общината "
            "извършва плащане след проверка на резултатите.",
            "Плащанията към доставчиците се правят всеки месец. Социалната икономика в Стара "
            "Загора расте.",
        ],
    )
    make_pdf(
        docs / "el/brief_el.pdf",
        [
            "Η κοινωνική οικονομία στην Κύπρο αναπτύσσεται. Οι κοινωνικές επιχειρήσεις της "
            "κοινωνικής οικονομίας χρειάζονται χρηματοδότηση.",
        ],
    )
    make_text(
        docs / "pt/noticia_pt.txt",
        "O pagamento por resultados chegou a Portugal. Os contratos de pagamento por resultados "
        "financiam o que funciona, e as entidades portuguesas aprendem com o pagamento por "
        "resultados.",
    )
    make_text(
        docs / "en/notes_en.txt",
        "Notes from the visit to Stara Zagora. The municipality explained its social economy "
        "programme and the payment of providers.",
    )
    make_text(docs / "manifest.csv", READER_MANIFEST)
    settings = Settings(
        home=root / "home", corpus=docs, workers=2, dictionaries=root / NO_DICTIONARIES
    )
    summary = run_index(settings)
    assert summary.failed == 0 and summary.added == 5, summary
    return settings


def search(settings: Settings, q: str, **request: object) -> SearchResult:
    """One search with an engine of its own, closed afterwards: what a new process would see."""
    from indexer.search import SearchEngine, SearchRequest

    engine = SearchEngine(settings)
    try:
        return engine.search(SearchRequest(q=q, **request))  # type: ignore[arg-type]  # as given
    finally:
        engine.close()


def hit_paths(result: SearchResult) -> list[str]:
    return sorted(h["path"] for h in result["hits"])


def kb_index_in_a_new_process(settings: Settings, watched: tuple[str, ...]) -> tuple[str, str]:
    """`kb index --json` run on ``settings`` in a fresh interpreter, as editors and the folder
    watcher run it: its summary line, and the modules of ``watched`` (or inside them) that it
    loaded, as the printed sorted list. What a run imports is most of a short run's cost."""
    script = (
        "import sys\n"
        "from indexer.cli import main\n"
        "try:\n"
        "    main(['index', '--json'])\n"
        "except SystemExit as end:\n"
        "    assert not end.code, end.code\n"
        f"watched = {watched!r}\n"
        "print(sorted(m for m in sys.modules\n"
        "             if any(m == w or m.startswith(w + '.') for w in watched)))\n"
    )
    env = {
        **os.environ,
        "KB_HOME": str(settings.home),
        "KB_CORPUS": str(settings.corpus),
        "KB_DICTIONARIES": str(settings.dictionaries),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    summary, loaded = done.stdout.rsplit("\n", 2)[:2]
    return summary, loaded
