"""PDFs made the way the tests make them, with the text each one really holds: fonts without a
Unicode map (Cyrillic and Greek in 8-bit code pages, with a symbol or a letter of another font
beside them), accents set as glyphs of their own, TeX ligature bytes, running headers.

For these the truth is the text they were made from, not pdftotext's reading (which gives the
Latin-1 look-alikes of a legacy font). Sample content, written for the benchmark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.factories import (
    TEXTS,
    UNICODE_PIECE,
    make_legacy_pdf,
    make_pdf,
    make_tex_accent_pdf,
)

RU = (
    "В первом квадранте функция возрастает, а во втором она убывает. Это легко увидеть на "
    "графике, который мы построили для этого случая, и теорема доказана полностью. "
    "Приращение аргумента мало, поэтому приращение функции оценивается линейной частью."
)
UK = (
    "Пам'ять про громаду і її ґанок: соціальні підприємства в Україні створюють робочі "
    "місця для людей, яким важко знайти роботу, і це їхня головна мета. Об'єднання "
    "громадян отримують підтримку від місцевої влади та міжнародних фондів."
)
BG = TEXTS["bg"] + " Плащането според резултатите свързва финансирането с постигнатите резултати."
EL = TEXTS["el"] + " Η κοινωνική επιχείρηση στη Λευκωσία απασχολεί ανθρώπους με αναπηρία."
PT_TEX = [
    "Introdução aos gráficos possíveis e à notação mnemônica das equações.",
    "A direção das publicações, polígonos e até não se sabe o número.",
]
LIGATURES = (
    "A Especi\x1ccação do sistema \x1crst de\x1bnes o\x1ecial \x1dow of e\x1ecient sta\x1b "
    "and a\x1bordable o\x1bers in the \x1celd."
)
_LIGATURE_LETTERS = {"\x1b": "ff", "\x1c": "fi", "\x1d": "fl", "\x1e": "ffi", "\x1f": "ffl"}


@dataclass
class Generated:
    path: Path
    #: The text of each page, as a reader sees it.
    pages: list[str]
    language: str


def _visible(text: str) -> str:
    text = UNICODE_PIECE.sub(r"\1", text)
    return re.sub("[\x1b-\x1f]", lambda m: _LIGATURE_LETTERS[m.group(0)], text)


def generated(folder: Path) -> list[Generated]:
    """Write the PDFs into ``folder``; each with its pages' real text and its language."""
    out: list[Generated] = []

    def legacy(name: str, pages: list[str], codepage: str, language: str) -> None:
        path = make_legacy_pdf(folder / name, pages, codepage)
        out.append(Generated(path, [_visible(p) for p in pages], language))

    legacy(
        "legacy-ru.pdf",
        [RU + " Приращение⟦∆⟧х мало.", "⟦ε⟧Логотип издательства. " + RU, "x = 2; печать " + RU],
        "cp1251",
        "ru",
    )
    legacy("legacy-bg.pdf", [BG, "Таблица 2: npm install 2.1 " + BG], "cp1251", "bg")
    legacy("legacy-uk.pdf", [UK, UK], "cp1251", "uk")
    legacy("legacy-el.pdf", [EL + " Η μεταβολή ⟦∆⟧x είναι μικρή.", "⟦Ж⟧" + EL], "cp1253", "el")
    legacy("ligatures.pdf", [LIGATURES, LIGATURES], "cp1252", "en")
    path = make_tex_accent_pdf(folder / "tex-accents-pt.pdf", PT_TEX)
    out.append(Generated(path, ["\n".join(PT_TEX)], "pt"))
    heads = [
        f"Social Innovation Report 2024\n{TEXTS['en']} Page {n} talks of mentors.\nPágina {n} / 4"
        for n in range(1, 5)
    ]
    out.append(Generated(make_pdf(folder / "running-heads.pdf", heads), heads, "en"))
    for lang, text in TEXTS.items():
        pages = [text, "Second page. " + text]
        out.append(Generated(make_pdf(folder / f"unicode-{lang}.pdf", pages), pages, lang))
    return out
