from datetime import UTC, datetime

from indexer.ingest.describe.manifest_file import read_manifest
from indexer.ingest.describe.metadata import describe, describe_key
from indexer.languages import INDEX_LANGUAGES
from indexer.models import Analysed, Page, SourceFile
from indexer.text.taxonomy import country_name, load_taxonomy
from tests.factories import TEXTS

TAX = load_taxonomy()


def source(tmp_path, path: str) -> SourceFile:
    return SourceFile(tmp_path, path, 100, 1, "0" * 64)


def analysed(pages: list[str], lang: str = "en", **meta: str) -> Analysed:
    return Analysed(
        format="pdf",
        pages=[Page(i, t, lang, [lang]) for i, t in enumerate(pages, start=1)],
        language=lang,
        languages=[lang],
        meta=dict(meta),
    )


def test_manifest_is_read_with_bom_and_semicolons(tmp_path):
    (tmp_path / "manifest.csv").write_bytes(
        "\ufeffpath;title;country;topic;year\n"
        'reports\\a.pdf;Доклад;"България; IE";social enterprise;2022\n'.encode()
    )
    manifest = read_manifest(tmp_path)
    row = manifest.row_for("reports/a.pdf")
    assert row is not None and row["title"] == "Доклад"
    doc = describe(source(tmp_path, "reports/a.pdf"), analysed([TEXTS["bg"]], "bg"), TAX, row)
    assert doc.meta["country"].value == ["BG", "IE"]
    assert doc.meta["country"].source == "manifest"
    assert doc.meta["topic"].value == ["social-enterprise"]
    assert doc.meta["year"].value == 2022


def test_manifest_problems_are_reported(tmp_path):
    (tmp_path / "manifest.csv").write_text("path,topic,year\na.pdf,astrology,soon\na.pdf,,\n")
    manifest = read_manifest(tmp_path)
    assert any("listed twice" in p for p in manifest.problems)
    doc = describe(
        source(tmp_path, "a.pdf"),
        analysed([TEXTS["en"]]),
        TAX,
        {"path": "a.pdf", "topic": "astrology", "year": "soon"},
    )
    assert any("unknown topic" in w for w in doc.warnings)
    assert any("not a year" in w for w in doc.warnings)


def test_embedded_title_wins_over_inference_but_junk_titles_do_not(tmp_path):
    good = describe(
        source(tmp_path, "x.pdf"), analysed(["Body"], title="Real Title", heading="H"), TAX
    )
    assert (good.title, good.meta["title"].source) == ("Real Title", "embedded")
    junk = describe(
        source(tmp_path, "draft_v3.pdf"),
        analysed(["Body text"], title="Microsoft Word - draft_v3.docx", heading="Mapping Report"),
        TAX,
    )
    assert junk.title == "Mapping Report"
    assert junk.meta["title"].source == "inferred"
    assert "largest type on the first page" in junk.meta["title"].evidence


def test_title_falls_back_to_first_line_then_file_name(tmp_path):
    doc = describe(
        source(tmp_path, "a.txt"),
        analysed(["Strategic Development of Social Innovation\nText"]),
        TAX,
    )
    assert doc.title == "Strategic Development of Social Innovation"
    doc = describe(source(tmp_path, "ecosystem_mapping-notes.txt"), analysed(["x y"]), TAX)
    assert doc.title == "Ecosystem mapping notes"


def test_year_from_embedded_date_then_file_name_then_text(tmp_path):
    doc = describe(source(tmp_path, "a.pdf"), analysed(["x"], created="2021-05-01T10:00:00"), TAX)
    assert (doc.get("year"), doc.meta["year"].source) == (2021, "embedded")
    doc = describe(source(tmp_path, "minutes-2022-03.txt"), analysed(["x"]), TAX)
    assert doc.get("year") == 2022
    doc = describe(
        source(tmp_path, "a.txt"), analysed(["Sofia, October 2022. Report on 2021 and 2022."]), TAX
    )
    assert doc.get("year") == 2022


def test_an_undated_upload_is_undated_not_given_the_date_its_file_was_made(tmp_path):
    """A PDF exported just before its upload carries that moment as its creation date, and the
    stored name starts with random hex digits: neither dates the document."""
    made = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    written = int((made.timestamp() + 600) * 1e9)  # saved ten minutes later
    fresh = SourceFile(tmp_path, "2025-03/e2019ab1-notes.pdf", 100, written, "0" * 64)
    doc = describe(fresh, analysed(["No date here."], created=made.isoformat()), TAX)
    assert doc.get("year") is None and "year" not in doc.meta
    # The same file with a date on its first page is dated by it.
    doc = describe(fresh, analysed(["Lisbon, May 2021."], created=made.isoformat()), TAX)
    assert (doc.get("year"), doc.meta["year"].source) == (2021, "inferred")
    # A creation date well before the file was written is the document's.
    old = SourceFile(tmp_path, "notes.pdf", 100, written, "0" * 64)
    doc = describe(old, analysed(["x"], created="2020-11-02T08:00:00"), TAX)
    assert (doc.get("year"), doc.meta["year"].source) == (2020, "embedded")


def test_country_from_folder_and_from_mentions(tmp_path):
    doc = describe(source(tmp_path, "cyprus/notes.txt"), analysed([TEXTS["en"]]), TAX)
    assert doc.get("country") == ["CY"]
    assert doc.meta["country"].evidence[0] == "folder cyprus/"
    text = "Bulgaria and the Bulgarian centre. " * 3 + "Sofia hosted it. Ireland once."
    doc = describe(source(tmp_path, "a.txt"), analysed([text]), TAX)
    assert doc.get("country") == ["BG"]
    assert any("Bulgaria" in e for e in doc.meta["country"].evidence)


def test_countries_in_other_languages_and_inflections(tmp_path):
    text = "В България социалните предприятия в страната. Българските организации в България." * 2
    doc = describe(source(tmp_path, "a.txt"), analysed([text], "bg"), TAX)
    assert doc.get("country") == ["BG"]


def test_topics_are_inferred_with_evidence_in_any_language(tmp_path):
    text = (
        "Οι κοινωνικές επιχειρήσεις και η κοινωνική επιχειρηματικότητα. " * 4
        + "Τα ομόλογα κοινωνικού αντίκτυπου και η πληρωμή βάσει αποτελεσμάτων. " * 3
    )
    doc = describe(source(tmp_path, "a.txt"), analysed([text], "el"), TAX)
    topics = doc.get("topic")
    assert "social-enterprise" in topics and "payment-by-results" in topics
    assert doc.meta["topic"].source == "inferred"
    assert any("κοινωνικές επιχειρήσεις" in e for e in doc.meta["topic"].evidence)


def test_type_from_title_or_file_name(tmp_path):
    doc = describe(source(tmp_path, "steering-minutes.txt"), analysed(["x y z"]), TAX)
    assert doc.get("type") == "minutes"
    doc = describe(
        source(tmp_path, "a.pdf"), analysed(["x"], "bg", title="Протокол от срещата"), TAX
    )
    assert doc.get("type") == "minutes"
    doc = describe(source(tmp_path, "a.pdf"), analysed(["x"]), TAX)
    assert doc.get("type") == "other"


def test_work_from_language_suffix_and_manifest_language(tmp_path):
    doc = describe(source(tmp_path, "strategic/payment_bg.pdf"), analysed([TEXTS["bg"]], "bg"), TAX)
    assert doc.get("work") == "strategic/payment"
    doc = describe(
        source(tmp_path, "a.pdf"),
        analysed([TEXTS["en"]]),
        TAX,
        {"path": "a.pdf", "language": "en; bg"},
    )
    assert doc.language == "en" and doc.languages == ["en", "bg"]


def test_organisations_named_on_the_cover(tmp_path):
    doc = describe(
        source(tmp_path, "a.pdf"),
        analysed(["Prepared by BCause Foundation and Rethink Ireland", "body", "end"]),
        TAX,
    )
    assert set(doc.get("organisation")) == {"BCause Foundation", "Rethink Ireland"}


def test_manifest_always_wins(tmp_path):
    doc = describe(
        source(tmp_path, "cyprus/x.pdf"),
        analysed([TEXTS["el"]], "el", title="T"),
        TAX,
        {"path": "cyprus/x.pdf", "country": "EU", "title": "Manifest title", "type": "report"},
    )
    assert (
        doc.get("country") == ["EU"]
        and doc.title == "Manifest title"
        and doc.get("type") == "report"
    )
    assert {doc.meta[k].source for k in ("country", "title", "type")} == {"manifest"}


def test_describe_key_changes_with_the_manifest_row():
    assert describe_key({"title": "a"}, TAX) != describe_key({"title": "b"}, TAX)
    assert describe_key(None, TAX) == describe_key({}, TAX)


def test_a_country_named_in_any_index_language_is_recognised_in_a_manifest():
    """The taxonomy's own names are looked up first and CLDR's names only for what they miss:
    every country's name in every index language gives its code, and an unknown name stays
    unknown however often it comes."""
    for code in TAX.countries:
        for lang in INDEX_LANGUAGES:
            assert TAX.normalise("country", f" {country_name(code, lang)} ") == (code, True)
    for _ in range(2):
        assert TAX.normalise("country", "Atlantis") == ("Atlantis", False)
        assert TAX.normalise("topic", "astrology") == ("astrology", False)
    assert TAX.normalise("type", "Report") == ("report", True)
