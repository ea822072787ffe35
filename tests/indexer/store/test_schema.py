from whoosh.fields import TEXT
from whoosh.formats import Positions

from indexer.languages import latin_language
from indexer.models import Document, Page, Value
from indexer.store.packed_positions import PackedPositions
from indexer.store.schema import LANGUAGE_FIELDS, build_schema, index_record
from indexer.text.identifiers import IDENTIFIER, identifier_key
from indexer.text.terms import WORD, page_marker
from tests.factories import TEXTS

# Pages that exercise every path of the analysers: four languages and their scripts, a page
# mixing two, a page of unknown language, hyphenated compounds, stop words, numbers, codes,
# apostrophes, accents typed and not, capitals, numbers in four styles and a page with no words
# at all; stress marks, letter variants, combining accents and tokens gluing letters to digits
# or apostrophes.
PAGES = [
    Page(
        1, TEXTS["en"] + " Co-creation and one-stop-shop pilots; the 2021/1060 rules.", "en", ["en"]
    ),
    Page(2, TEXTS["bg"] + " Пилотният проект по ЕСФ+ и COM(2021) 778.", "bg", ["bg"]),
    Page(3, TEXTS["el"] + " Νόμος 207(Ι)/2020 για την ΚΟΙΝΩΝΙΚΗ οικονομία.", "el", ["el"]),
    Page(4, TEXTS["pt"] + " Inovação social e co-criação: o FSE+ apoia.", "pt", ["pt"]),
    Page(
        5,
        TEXTS["en"] + "\n" + TEXTS["bg"] + " Ireland's AD&C report, 1303/2013.",
        "en",
        ["en", "bg"],
    ),
    Page(6, "Données sociales 42 — ½ ★ naïve café O'Brien", "und", []),
    Page(7, "— 12 — ", "und", []),
    Page(8, "Бюджет 125 000 лв., 125.000 €, EUR 125,000; 1,5 % и 330 000 560 000.", "bg", ["bg"]),
    Page(
        9,
        "Уда\u0301рение в слове ёлка, ґанок і пам'ять (памʼять); favorito4, d’alembertiano, "
        "Schlömer's e\u0323\u0301ko\u0323\u0301 2021г. COVID-19 H2020-report co-creation.",
        "ru",
        ["ru", "pt"],
    ),
]


def sample_document() -> Document:
    return Document(
        id="d1",
        root="/docs",
        path="mixed/report_en.pdf",
        sha256="0" * 64,
        size=1,
        mtime_ns=1,
        format="pdf",
        language="en",
        languages=["en", "bg", "el", "pt"],
        pages=PAGES,
        meta={"title": Value("Social-economy plan 2021/1060: κοινωνική οικονομία", "manifest")},
    )


def analyser_input(doc: Document) -> str:
    """The text the analysers read: the pages joined, each after its language marker."""
    return "".join(
        page_marker(latin_language(p.languages, doc.languages)) + p.text + "\n\n" for p in doc.pages
    )


def by_analyser(schema, name: str, value: str) -> dict[bytes, tuple[int, float, list[int] | int]]:
    field = schema[name]
    out = {}
    for term, freq, weight, encoded in TEXT.index(field, value):
        if isinstance(field.format, Positions):
            out[term] = (freq, weight, field.format.decode_positions(encoded))
        else:
            out[term] = (freq, weight, encoded)
    return out


def ready_made(schema, name: str, value) -> dict[bytes, tuple[int, float, list[int] | int]]:
    field = schema[name]
    out = {}
    for term, freq, weight, encoded in field.index(value):
        if isinstance(field.format, Positions):
            out[term] = (freq, weight, field.format.decode_positions(encoded))
        else:
            out[term] = (freq, weight, encoded)
    return out


def test_body_fields_hold_exactly_the_terms_their_analysers_yield():
    schema = build_schema()
    doc = sample_document()
    record = index_record(doc, added=0)
    body = analyser_input(doc)
    expected = {"text": body, "vocab": doc.title + "\n" + body}
    expected |= {name: body for name in LANGUAGE_FIELDS.values()}
    for name, text in expected.items():
        want = by_analyser(schema, name, text)
        assert want, name
        assert ready_made(schema, name, record[name]) == want, name
    # Every language got its own terms (the sample is not trivially empty anywhere).
    assert all(record[name] for name in LANGUAGE_FIELDS.values())


def test_codes_are_found_at_the_word_where_they_start():
    schema = build_schema()
    doc = sample_document()
    record = index_record(doc, added=0)
    codes = ready_made(schema, "ident", record["ident"])
    analysed = by_analyser(schema, "ident", analyser_input(doc) + "\n" + doc.title)
    # The same codes, as often, as the analyser finds them …
    assert {t: v[:2] for t, v in codes.items()} == {t: v[:2] for t, v in analysed.items()}
    assert {b"esf+", b"com(2021)778", b"207(i)/2020", b"2021/1060", b"ad&c"} <= set(codes)
    # … each at the position of its first word in the exact-form field, so it maps to its page.
    text = ready_made(schema, "text", record["text"])
    firsts = {
        b"com(2021)778": b"com",
        b"207(i)/2020": b"207",
        b"ad&c": b"ad",
        b"1303/2013": b"1303",
    }
    for code, word in firsts.items():
        assert set(codes[code][2]) <= set(text[word][2]), code
    starts = record["data"]["page_starts"]
    assert starts == [
        sum(len(WORD.findall(p.text)) for p in doc.pages[:i]) for i in range(len(doc.pages))
    ]
    [com] = codes[b"com(2021)778"][2]
    assert starts[1] <= com < starts[2]  # on page 2, where it is written


def test_many_codes_far_into_a_page_are_each_at_the_word_where_it_starts():
    """A page with more codes than a few, near its start and far past many words, at word
    boundaries and inside a run of punctuation: each code's position is the count of the
    words that start at or before it, as the straightforward count over the whole page has it."""
    filler = " ".join(TEXTS["en"].split()[:37])
    text = (
        "ESF+ opens; "
        + filler
        + " COM(2021) 778, 2021/1060 and 1303/2013 — (AD&C) "
        + filler
        + " …ЕСФ+ "
        + filler
        + " 207(I)/2020. FSE+"
    )
    doc = sample_document()
    doc.pages = [Page(1, "Short first page.", "en", ["en"]), Page(2, text, "en", ["en"])]
    record = index_record(doc, added=0)
    codes = ready_made(build_schema(), "ident", record["ident"])
    first = record["data"]["page_starts"][1]
    expected: dict[bytes, list[int]] = {}
    for match in IDENTIFIER.finditer(text):
        before = sum(1 for word in WORD.finditer(text) if word.start() <= match.start())
        key = identifier_key(match.group(0)).encode()
        expected.setdefault(key, []).append(first + before - 1)
    assert len(expected) >= 7
    end = first + len(WORD.findall(text))  # the title's words and codes follow
    for code, positions in expected.items():
        assert [at for at in codes[code][2] if at < end] == positions, code


def test_numbers_far_into_a_long_page_have_the_terms_the_analysers_give_them():
    """A page with numbers whose context decides their terms, near its start and far past
    many words (grouped by spaces, with currency signs, a group that is no number's start,
    at a page's last word) has in every body field the terms, positions and counts the
    analysers give the page."""
    filler = " ".join(TEXTS["pt"].split()[:37])
    text = (
        "125 000 € abrem; "
        + filler
        + " 330 000 560 000 e 1 500,50 € (EUR 1.500) "
        + filler
        + " $ 2 000 000 "
        + " ".join([filler] * 3)
        + " £12 e 7 000"
    )
    doc = sample_document()
    doc.pages = [Page(1, "Short first page.", "pt", ["pt"]), Page(2, text, "pt", ["pt"])]
    doc.languages = ["pt"]
    schema = build_schema()
    record = index_record(doc, added=0)
    body = analyser_input(doc)
    for name in ("text", "text_pt", "vocab"):
        want = by_analyser(schema, name, doc.title + "\n" + body if name == "vocab" else body)
        assert ready_made(schema, name, record[name]) == want, name
    numbered = ready_made(schema, "text", record["text"])
    assert {b"125000", b"330000", b"560000", b"1500.50", b"2000000", b"7000", b"eur"} <= set(
        numbered
    )


def test_each_body_fields_postings_come_in_the_order_of_their_terms():
    """The writer sorts the postings of many documents at once: each document's postings of a
    field, in term order, are one run to merge instead of postings to sort one by one."""
    record = index_record(sample_document(), added=0)
    schema = build_schema()
    for name in ("text", "ident", "vocab", *LANGUAGE_FIELDS.values()):
        terms = [term for term, *_ in schema[name].index(record[name])]
        assert len(terms) > 1, name
        assert terms == sorted(terms), name


def test_encoded_positions_are_read_back_by_the_fields_own_format():
    """Ready-made positions are written as the body fields' format writes them (near the start
    or far into a long document) and Whoosh's readers, which ask the format, read them back."""
    schema = build_schema()
    cases = [[0], [7], [127], [128], [255], [16_383], [16_384], [65_536], [2**31], [3, 9]]
    cases += [[0, 1, 2, 300, 70_000], [5, 6, 7, 8], [100, 228, 229, 16_613]]
    for name in ("text", "ident", "text_en"):
        field = schema[name]
        assert isinstance(field.format, PackedPositions), name
        encoded = field.encode({f"w{i}": at for i, at in enumerate(cases)})
        for term, freq, weight, value in encoded:
            at = cases[int(term[1:])]
            assert value == field.format.encode(at)
            assert field.format.decode_positions(value) == at
            assert freq == field.format.decode_frequency(value) == len(at)
            assert weight == field.format.decode_weight(value)
