"""What every output format shares: the paths, the labels in each language, the dates and the
typesetting (ligatures, soft hyphens) of the sample documents."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyphen

if TYPE_CHECKING:
    from .plan import Spec

HERE = Path(__file__).resolve().parent.parent
SOURCES = HERE / "sources"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

NOTICE = {
    "en": "Sample content: written for the demonstration knowledge base of the national "
    "competence centres for social innovation. Not an official publication of the FUSE project "
    "or its partners.",
    "bg": "Примерно съдържание: текстът е написан за демонстрационната база знания на "
    "националните центрове за компетентност в областта на социалните иновации. Не е официална "
    "публикация на проекта FUSE или на неговите партньори.",
    "el": "Δείγμα περιεχομένου: το κείμενο γράφτηκε για τη δοκιμαστική βάση γνώσεων των εθνικών "
    "κέντρων ικανοτήτων για την κοινωνική καινοτομία. Δεν αποτελεί επίσημη δημοσίευση του έργου "
    "FUSE ή των εταίρων του.",
    "pt": "Conteúdo de exemplo: texto escrito para a base de conhecimento de demonstração dos "
    "centros nacionais de competências para a inovação social. Não é uma publicação oficial do "
    "projeto FUSE nem dos seus parceiros.",
}
CONTENTS = {"en": "Contents", "bg": "Съдържание", "el": "Περιεχόμενα", "pt": "Índice"}
PAGE = {"en": "Page", "bg": "Страница", "el": "Σελίδα", "pt": "Página"}
ABOUT = {
    "en": "About this document",
    "bg": "За документа",
    "el": "Σχετικά με το έγγραφο",
    "pt": "Sobre este documento",
}
FUNDED = {
    "en": "Prepared within FUSE — Facilitating United Approaches to Social Innovation in Europe "
    "(2021–2023), co-funded by the European Union through the European Social Fund and the "
    "Employment and Social Innovation programme (EaSI).",
    "bg": "Подготвено по проекта FUSE — Facilitating United Approaches to Social Innovation in "
    "Europe (2021–2023), съфинансиран от Европейския съюз чрез Европейския социален фонд и "
    "Програмата за заетост и социални иновации (EaSI).",
    "el": "Εκπονήθηκε στο πλαίσιο του έργου FUSE — Facilitating United Approaches to Social "
    "Innovation in Europe (2021–2023), με συγχρηματοδότηση της Ευρωπαϊκής Ένωσης μέσω του "
    "Ευρωπαϊκού Κοινωνικού Ταμείου και του προγράμματος EaSI.",
    "pt": "Elaborado no âmbito do projeto FUSE — Facilitating United Approaches to Social "
    "Innovation in Europe (2021–2023), cofinanciado pela União Europeia através do Fundo Social "
    "Europeu e do Programa para o Emprego e a Inovação Social (EaSI).",
}
HYPHEN_LANG = {"en": "en_GB", "bg": "bg_BG", "el": "el_GR", "pt": "pt_PT"}


def doc_date(meta: dict[str, str]) -> datetime:
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", meta.get("date", "2022"))
    year, month, day = (int(x) if x else 1 for x in (m.groups() if m else ("2022", None, None)))
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


class Styler:
    """Ligatures and soft hyphens, as typesetting software puts them into PDFs."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.hyphenator = pyphen.Pyphen(lang=HYPHEN_LANG[spec.lang]) if spec.hyphenate else None

    def __call__(self, text: str) -> str:
        if self.hyphenator is not None:
            text = re.sub(
                r"\w{9,}", lambda m: self.hyphenator.inserted(m.group(0), hyphen="\u00ad"), text
            )
        if self.spec.ligatures:
            text = text.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")
        return text
