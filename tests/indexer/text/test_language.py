from indexer.models import Extracted, Page
from indexer.text.detect import detect, detect_page, detect_text, document_languages
from tests.factories import TEXTS


def test_each_language_is_detected_on_real_sentences():
    for lang, text in TEXTS.items():
        assert detect_text(text).language == lang


def test_bulgarian_is_not_taken_for_russian_or_macedonian():
    samples = [
        "Фондацията работи по проекта, който имаше задачата да очертае бъдещето на социалните иновации.",
        "Управляващият орган одобри процедурата за подкрепа на социалните предприятия в страната.",
        "Център за компетентност ще подпомага предприемачите при изготвянето на проектите им.",
    ]
    for text in samples:
        assert detect_text(text).language == "bg", text


def test_russian_and_macedonian_keep_their_own_code():
    ru = "Социальные инновации помогают людям, которые ищут работу, и этот подход широко используется."
    mk = (
        "Социјалните иновации и социјалното претприемништво во Македонија се развиваат многу бавно."
    )
    assert detect_text(ru).language == "ru"
    assert detect_text(mk).language == "mk"


def test_serbian_is_told_from_macedonian_by_the_letters_only_it_has():
    sr = (
        "Ова картица садржи најважније команде које ће вам помоћи да се снађете у систему, "
        "а њихов опис је кратак и јасан."
    )
    assert detect_text(sr).language == "sr"
    assert detect_text("Ќе ја најдете ѕвездата на небото, која свети многу јасно.").language == "mk"


def test_too_little_text_is_undetermined():
    assert detect_text("ESF+ 2021").language == "und"
    assert detect_page(1, "12 34").language == "und"


def test_detection_is_repeatable_on_short_sentences():
    for text in (
        "The competence centre supports social enterprises in every region.",
        "Minutes of the steering committee meeting held in Dublin.",
    ):
        assert {detect_text(text).language for _ in range(5)} == {"en"}


def test_mixed_page_yields_both_languages():
    page = detect_page(1, TEXTS["en"] + "\n\n" + TEXTS["bg"])
    assert page.language in ("en", "bg")
    assert set(page.languages) == {"en", "bg"}


def test_document_languages_by_share_of_text():
    pages = [
        Page(1, TEXTS["en"] * 5, "en", ["en"]),
        Page(2, TEXTS["pt"], "pt", ["pt"]),
        Page(3, "", "und", []),
    ]
    language, languages = document_languages(pages)
    assert language == "en"
    assert languages == ["en", "pt"]


def test_detect_builds_pages_with_numbers():
    result = detect(Extracted("txt", [TEXTS["el"], TEXTS["pt"]]))
    assert [p.number for p in result.pages] == [1, 2]
    assert [p.language for p in result.pages] == ["el", "pt"]
    assert set(result.languages) == {"el", "pt"}


def test_bulgarian_prose_full_of_english_commands_is_bulgarian():
    prose = [
        "За да инсталирате програмата, изпълнете командата apt-get install tesseract-ocr и проверете версията с tesseract --version.",
        "Функцията process_file() чете файла, а след това normalise() и detect() подготвят текста за индекса.",
        "Настройката KB_OCR_LANGUAGES задава езиците; стойността по подразбиране е en,bg,el,pt.",
    ]
    code = [
        "$ sudo apt-get install tesseract-ocr tesseract-ocr-bul tesseract-ocr-ell",
        "def process_file(path: Path, max_pages: int) -> Analysed:",
        "    return detect(normalise(extract(path, max_pages)))",
        "export KB_OCR_LANGUAGES=en,bg,el,pt KB_WORKERS=2 KB_FILE_TIMEOUT=120",
        "kb index --full --workers 2 corpus/ && kb search 'social innovation' --json",
        "from indexer.ingest.run import run_index",
        "settings = Settings.from_env(); summary = run_index(settings, full=True)",
    ]
    page = "\n".join(prose[:1] + code[:4] + prose[1:2] + code[4:] + prose[2:])
    latin = sum(ch.isascii() and ch.isalpha() for ch in page)
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in page)
    assert latin > 2 * cyrillic  # most letters are English commands
    result = detect(Extracted("pdf", [page, page]))
    assert result.language == "bg"
    assert result.pages[0].language == "bg"
    shares = result.meta["text"]["language_shares"]
    assert next(iter(shares)) == "bg" and shares["bg"] > 0.6


def test_latin_filler_does_not_make_an_english_template_catalan():
    english = (
        "This template shows where the sections of the report go. Replace each placeholder "
        "paragraph with your own text before you publish it."
    )
    lorem = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
        "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat."
    )
    page = "\n".join([english, lorem, lorem, "Section two", lorem, lorem])
    result = detect(Extracted("pdf", [page]))
    assert result.language == "en"
    assert result.languages == ["en"]


def test_counting_each_page_once_decides_as_counting_afresh():
    """`detect` counts each page's letters once and reuses the counts for the page's, the
    document's and the shares' decisions; each of those functions counting for itself must
    come to the same languages and shares, on pages of every language and mixed ones."""
    from indexer.text.detect import language_shares

    texts = [
        TEXTS["en"],
        TEXTS["bg"] + "\n" + TEXTS["en"],
        TEXTS["el"] * 3,
        TEXTS["pt"] + "\nkb index --full --workers 2 corpus/\n" + TEXTS["pt"],
        "12 34 56",
        "Слайд: Социални иновации\nSlide: Social innovation\nΔιαφάνεια",
    ]
    result = detect(Extracted("pdf", texts))
    afresh = [detect_page(i, text) for i, text in enumerate(texts, start=1)]
    assert [(p.language, p.languages) for p in result.pages] == [
        (p.language, p.languages) for p in afresh
    ]
    assert (result.language, result.languages) == document_languages(afresh)
    assert result.meta["text"]["language_shares"] == language_shares(afresh)


def test_a_pages_prose_letters_are_each_prose_lines_letters_under_its_main_script():
    """A page's prose letters per script, counted in one pass (plain-ASCII lines in C, others
    by runs of each script's letters), are what counting every letter of every prose line and
    giving the line to its main script gives; code, commands and filler are left out."""
    from indexer.languages import letter_counts
    from indexer.text.detect import is_prose, page_counts

    lines = [
        TEXTS["en"],
        TEXTS["bg"],
        TEXTS["el"],
        TEXTS["pt"],
        "Докладът за ESF+ и NATO, с команди kb index и kb serve в текста.",
        "The Greek word κοινωνική and the Bulgarian иновации in an English line.",
        "ΑΒΓ abc ЖЗИ: three scripts tied, the first kept.",
        "Ünïcödé Latin ÀÉÎ with ª and º, Welsh ŵ ŷ, Vietnamese ệ.",
        "def parse_file(path):",
        "$ kb index --full --workers 2 corpus/",
        "call foo_bar() then bazQux() and x.y, then run_all() and set_up() twice",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
        "A report that quotes lorem ipsum once among many other plain English words here.",
        "",
        "   ",
        "12 345 — 6.7 %",
    ]
    text = "\n".join(lines)
    expected: dict[str, int] = {}
    prose = [line for line in lines if is_prose(line)]
    for line in prose:
        per_script = letter_counts(line)
        script, most = max(per_script.items(), key=lambda kv: kv[1])
        if most:
            expected[script] = expected.get(script, 0) + sum(per_script.values())
    assert dict(page_counts(text).prose) == expected
    assert len(prose) == 10  # four texts, four mixed lines, one quoting filler, the numbers
    assert not is_prose("call foo_bar() then bazQux() and x.y, then run_all() and set_up() twice")


def _plain_is_prose(line: str) -> bool:
    """What a prose line is, said plainly: every test run on every line."""
    import re

    from indexer.text.detect import _CODE_CHARS, _CODE_LINE, _FILLER, _IDENTIFIER_WORD

    stripped = line.strip()
    if not stripped or _CODE_LINE.match(stripped):
        return False
    if len(_CODE_CHARS.findall(stripped)) > max(2, len(stripped.replace(" ", "")) * 0.08):
        return False
    words = stripped.split()
    if len(words) >= 3 and len(_IDENTIFIER_WORD.findall(stripped)) / len(words) > 0.4:
        return False
    latin = re.findall(r"[A-Za-z]+", stripped)
    if len(latin) < 3 or _FILLER.isdisjoint(w.lower() for w in latin):
        return True
    return sum(w.lower() in _FILLER for w in latin) / len(latin) < 0.3


def test_a_pages_counts_are_those_of_reading_every_line_of_every_script():
    """A page is read with shortcuts (identifiers counted only where their marks could make
    many, scripts absent from the page not looked for, a page of Latin letters counted from
    its words, letters counted on their UTF-8 bytes): on random pages of every script, code,
    camel case, filler and punctuation, the prose, letters, runs and sizes are those of
    testing every line and counting every script's letters in every prose line."""
    import random
    import re
    from collections import Counter

    from indexer.languages import SCRIPTS, letter_counts, word_pattern
    from indexer.text.detect import _has_letters, is_prose, page_counts

    pieces = [
        *" ".join(TEXTS.values()).split(),
        "foo_bar()",
        "bazQux",
        "x.y",
        "--full",
        "run_all()",
        "kb",
        "index",
        "ESF+",
        "NATO",
        "lorem",
        "Ipsum",
        "DOLOR",
        "sit",
        "amet,",
        "sed",
        "ſit",
        "K",
        "μ",
        "µ",
        "ª",
        "º",
        "ŵ",
        "ệ",
        "Ǻ",
        "«цитат»",
        "—",
        "12,5",
        "%",
        "=",
        "{",
        "}",
        "$",
        "#",
        "//",
        "e-mail",
        "don't",
        "д’Арк",
        "ἀρχή",
        "Ѐ",
        "ӿ",
        "҂",
        "̈",
        "Ω",
        "ϗ",
        "\t",
        "  ",
        "¶",
        "ĳ",
    ]
    rng = random.Random(7)
    for _ in range(400):
        lines = [
            " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
            for _ in range(rng.randint(1, 8))
        ]
        if rng.random() < 0.3:  # a page of one script, with its prose from its words
            lines = [" ".join(w for w in line.split() if w.isascii()) for line in lines]
        text = "\n".join(lines)
        prose = [line for line in lines if _plain_is_prose(line)]
        assert [is_prose(line) for line in lines] == [_plain_is_prose(line) for line in lines]
        expected: Counter[str] = Counter()
        for line in prose:
            per_script = letter_counts(line)
            script, most = max(per_script.items(), key=lambda kv: kv[1])
            if most:
                expected[script] += sum(per_script.values())
        words = {
            name: word_pattern(name).findall("\n".join(prose) if prose else text)
            for name in SCRIPTS
        }
        counts = page_counts(text)
        assert counts.prose == expected, text
        assert counts.runs == {name: " ".join(found) for name, found in words.items()}
        assert counts.sizes == {name: sum(map(len, found)) for name, found in words.items()}
        for run in (text, *counts.runs.values()):
            for least in (1, 5, 40):
                assert _has_letters(run, least) == (len(re.findall(r"[^\W\d_]", run)) >= least)
