import random

import pytest

from indexer.text.analysers import FoldingAnalyzer, IdentifierAnalyzer, LanguageAnalyzer
from indexer.text.document_terms import analyse_document
from indexer.text.identifiers import IDENTIFIER, find_codes
from indexer.text.terms import WORD, bulgarian_stem, fold, page_marker, term


def same_term(lang: str, *words: str) -> bool:
    return len({term(lang, w) for w in words}) == 1


@pytest.mark.parametrize(
    "words",
    [
        ("социална", "социалните", "социален", "социално"),
        ("иновация", "иновации", "иновациите", "иновацията"),
        ("предприятие", "предприятия", "предприятието", "предприятията"),
        ("център", "центъра", "центърът", "центрове", "центровете"),
        ("облигация", "облигации", "облигациите"),
        ("готовност", "готовността"),
        ("скалиране", "скалирането"),
    ],
)
def test_bulgarian_inflections_share_a_term(words):
    assert same_term("bg", *words)


def test_bulgarian_keeps_short_i_distinct():
    # й is its own letter: "край" (end) must not become "краи"
    assert fold("Край") == "край"
    assert "й" in term("bg", "Край")
    assert term("bg", "мой") != term("bg", "мои")


def test_bulgarian_stemmer_leaves_short_words():
    assert bulgarian_stem("ЕС".lower()) == "ес"


@pytest.mark.parametrize(
    "words",
    [
        ("καινοτομία", "καινοτομίες", "καινοτομιών", "ΚΑΙΝΟΤΟΜΙΑ", "καινοτομια"),
        ("κοινωνική", "κοινωνικές", "κοινωνικής", "κοινωνικη"),
        ("επιχείρηση", "επιχειρήσεις", "επιχειρήσεων", "ΕΠΙΧΕΙΡΗΣΕΙΣ"),
        ("οικοσύστημα", "οικοσυστήματα", "οικοσυστημάτων"),
    ],
)
def test_greek_inflections_accents_and_final_sigma(words):
    assert same_term("el", *words)


def test_greek_final_sigma_folds():
    assert fold("ΕΠΙΧΕΙΡΗΣΕΙΣ") == fold("επιχειρήσεις") == "επιχειρησεισ"


@pytest.mark.parametrize(
    "words",
    [
        ("inovação", "inovações"),
        ("social", "sociais"),
        ("empresa", "empresas"),
        ("título", "títulos"),
    ],
)
def test_portuguese_inflections(words):
    assert same_term("pt", *words)


def test_portuguese_terms_are_accent_folded():
    assert term("pt", "inovação").isascii()
    assert term("pt", "competências") == term("pt", "competência")


def test_english_stemming_and_stop_words():
    assert same_term("en", "innovation", "innovations")
    assert same_term("en", "enterprise", "enterprises")
    assert term("en", "the") is None


def test_language_fields_keep_only_their_words_but_share_positions():
    text = (
        page_marker("en")
        + "The scaling of social innovations "
        + page_marker("pt")
        + "inovações sociais "
        + "социалните иновации "
        + "κοινωνικές καινοτομίες"
    )
    en = [(t.text, t.pos) for t in LanguageAnalyzer("en")(text, positions=True, mode="index")]
    pt = [(t.text, t.pos) for t in LanguageAnalyzer("pt")(text, positions=True, mode="index")]
    bg = [(t.text, t.pos) for t in LanguageAnalyzer("bg")(text, positions=True, mode="index")]
    el = [(t.text, t.pos) for t in LanguageAnalyzer("el")(text, positions=True, mode="index")]
    neutral = [(t.text, t.pos) for t in FoldingAnalyzer()(text, positions=True, mode="index")]
    assert [p for _, p in en] == [1, 3, 4]
    assert [p for _, p in pt] == [5, 6]
    assert [p for _, p in bg] == [7, 8]
    assert [p for _, p in el] == [9, 10]
    assert [p for _, p in neutral] == list(range(11))
    assert neutral[5][0] == "inovacoes"


def test_queries_are_analysed_for_every_latin_language():
    words = [t.text for t in LanguageAnalyzer("pt")("inovações", mode="query")]
    assert words == [term("pt", "inovações")]
    words = [t.text for t in LanguageAnalyzer("en")("innovations", mode="query")]
    assert words == ["innov"]


def test_hyphenated_compounds_are_findable_whole_and_by_parts():
    tokens = [
        (t.text, t.pos)
        for t in FoldingAnalyzer()("multi-stakeholder forum", positions=True, mode="index")
    ]
    assert ("multi-stakeholder", 0) in tokens
    assert ("stakeholder", 0) in tokens
    assert ("forum", 1) in tokens


def test_identifiers_stay_whole():
    text = "Under ESF+ and COM(2021) 778, Regulation (EU) 2021/1060, Ν. 207(Ι)/2020, AD&C and ЕСФ+."
    codes = [t.text for t in IdentifierAnalyzer()(text, mode="index")]
    assert codes == ["esf+", "com(2021)778", "2021/1060", "207(i)/2020", "ad&c", "есф+"]


def test_identifier_positions_match_word_positions():
    text = "The ESF+ budget and 2021/1060"
    tokens = [(t.text, t.pos) for t in IdentifierAnalyzer()(text, positions=True, mode="index")]
    assert tokens == [("esf+", 1), ("2021/1060", 4)]


def test_codes_found_around_their_marks_are_the_patterns_own_matches():
    """`find_codes` tries the codes' pattern only shortly before each "(", "/", "+" or "&";
    it finds what the pattern finds scanning the whole text: the same codes, at the same
    places, also where codes touch, overlap or sit inside longer runs of those characters."""
    texts = [
        "Under ESF+ and COM(2021) 778, Regulation (EU) 2021/1060, Ν. 207(Ι)/2020, AD&C и ЕСФ+.",
        "COM(2021) 778 COM (2021)5 SWD(2020) 1 C(2021)1 C (2021) 1 SEC(2019)12",
        "207 (ΙΙ) / 2020, 2021/1060/2013/12, 1303/2013 12/2020/21, ESF+/2021 2021/ESF+",
        "ESF+ ЕСФ+, ΕΚΤ+ FSE++ ABCDEFGHI+ ABCDEFGH+ x+ ab+cd+ef+ AD&C A&B ABCDE&F AB&&C",
        "((((//++&& nothing here (a) / b + c & d",
    ]
    rnd = random.Random(7)
    texts += [
        "".join(rnd.choice("ABCabc 0129()/+&IΙ.-ЕСФ") for _ in range(80)) for _ in range(3000)
    ]
    for text in texts:
        theirs = [(m.start(), m.group(0)) for m in IDENTIFIER.finditer(text)]
        assert [(m.start(), m.group(0)) for m in find_codes(text)] == theirs, text


def test_words_and_checkpoints_read_together_are_those_read_apart():
    """A page's words and its checkpoints (the end of every 16th word) come from one reading
    of the page; they are the words ``WORD`` finds one by one and the ends of every 16th."""
    pieces = ["word", "co-creation", "d'Alembert", "__ snake_case __", "x2", "ESF+", "½", "Ωμέγα"]
    rnd = random.Random(3)
    pages = ["", "one", " ".join(["w"] * 16), " ".join(["w"] * 17) + " ..."]
    pages += [" ".join(rnd.choice(pieces) for _ in range(rnd.randrange(60))) for _ in range(200)]
    terms = analyse_document([("en", page) for page in pages], "")
    position = 0
    for page, start, checkpoints in zip(pages, terms.page_starts, terms.checkpoints, strict=True):
        words = list(WORD.finditer(page))
        assert start == position
        assert checkpoints == [m.end() for n, m in enumerate(words, 1) if not n % 16]
        for n, m in enumerate(words, position):
            assert n in terms.folded[fold(m.group(0))], m.group(0)
        position += len(words)


def folded_tokens(text: str, mode: str = "index") -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in FoldingAnalyzer()(text, positions=True, mode=mode)]


def test_a_word_with_a_stress_mark_is_one_word_found_without_it():
    assert folded_tokens("уда\u0301рение важно") == [("ударение", 0), ("важно", 1)]
    assert term("bg", "уда\u0301рение") == term("bg", "ударение")
    # A letter with a combining accent that has no precomposed form stays inside its word.
    assert folded_tokens("e\u0323\u0301ko\u0323\u0301 ni") == [("eko", 0), ("ni", 1)]


def test_cyrillic_letters_with_marks_of_their_own_are_kept_and_variants_match():
    assert fold("Ёлка") == fold("елка") == "елка"
    assert fold("ґанок") == "ганок"
    assert term("bg", "ёлка") == term("bg", "елка")
    # й, ї, ў and Macedonian ѓ are letters, not accented ones; a stress mark on them is kept
    # only where it makes a letter.
    assert fold("йод") == "йод" and fold("їжак") == "їжак" and fold("ўсё") == "ўсе"
    assert fold("ѓавол") == "ѓавол"
    assert fold("ѝ") == "и"


def test_glued_tokens_are_also_found_by_their_parts():
    tokens = folded_tokens("favorito4 d’alembertiano Schlömer's пам'ять памʼять 2021г.")
    at = {}
    for text, pos in tokens:
        at.setdefault(pos, set()).add(text)
    assert {"favorito4", "favorito", "4"} <= at[0]
    assert {"d'alembertiano", "alembertiano", "dalembertiano"} <= at[1]
    assert {"schlomer's", "schlomer"} <= at[2]
    assert {"пам'ять", "память"} <= at[3]
    assert at[4] == at[3]  # the modifier letter apostrophe is an apostrophe
    assert {"2021г", "2021", "г"} <= at[5]
    # A query searches an apostrophe's or a hyphen's parts, and a glued token whole.
    assert [t for t, _ in folded_tokens("пам’ять", mode="query")] == ["пам", "ять"]
    assert [t for t, _ in folded_tokens("favorito4", mode="query")] == ["favorito4"]


def test_a_hyphenated_compound_is_also_indexed_joined():
    at = {t for t, p in folded_tokens("co-creation") if p == 0}
    assert {"co-creation", "co", "creation", "cocreation"} <= at


def test_codes_stay_codes_beside_glued_tokens():
    text = "ESF+ funds COVID19 and 2021/1060 with COM(2021) 778"
    codes = [t.text for t in IdentifierAnalyzer()(text, mode="index")]
    assert codes == ["esf+", "2021/1060", "com(2021)778"]
