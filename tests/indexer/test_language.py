from indexer.language import detect, detect_page, detect_text, document_languages
from indexer.models import Extracted, Page
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
