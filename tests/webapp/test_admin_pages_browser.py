"""The administration pages as an editor meets them every day, in a real browser at desktop and
phone sizes: dates in the interface language, a deletion that asks first and can be undone, a
deleted document's manifest row told once, runs whose outcomes are links and whose counts stay
current, files dropped anywhere on the page."""

from __future__ import annotations

import re

import pytest

from tests.knowledge_bases import build_sample_kb
from tests.webapp import test_browser as shared

pytestmark = shared.pytestmark
SIZES = pytest.mark.parametrize(
    "viewport", [shared.DESKTOP, shared.PHONE], ids=["desktop", "phone"]
)


@pytest.fixture(scope="module")
def admin_kb(tmp_path_factory):
    return build_sample_kb(tmp_path_factory.mktemp("admin-pages"))


@pytest.fixture(scope="module")
def site(admin_kb):
    yield from shared._served(admin_kb)


@pytest.fixture
def sized(browser, viewport):
    context = browser.new_context(locale="en-GB", viewport=viewport)
    yield context.new_page()
    context.close()


def _doc_id(page, site: str, q: str) -> str:
    return page.request.get(f"{site}/api/search?q={q}").json()["hits"][0]["id"]


def _fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


# The dates the server writes, as each interface language writes them ("6 Dec 2026, 19:45:02";
# "6.12.2026 г., 19:45:02"; "6 Δεκ 2026, 7:45:02 μ.μ."; "06/12/2026, 19:45:02").
WHEN = {
    "en": r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d",
    "bg": r"\d{1,2}\.\d{1,2}\.\d{4}\sг\., \d{1,2}:\d\d:\d\d",
    "el": r"\d{1,2} [Α-Ωα-ωάέήίόύώ]{3,4} \d{4}, \d{1,2}:\d\d:\d\d\s[πμ]\.μ\.",
    "pt": r"\d\d/\d\d/\d{4}, \d\d:\d\d:\d\d",
}


@SIZES
def test_delete_asks_first_and_the_message_after_it_undoes_it(sized, site, viewport):
    page = sized
    doc_id = _doc_id(page, site, "fundos")
    page.goto(f"{site}/documents/{doc_id}")
    page.get_by_role("link", name="Correct or delete").click()
    page.get_by_role("button", name="Delete this document").click()
    # Nothing is deleted yet: the question names the document and what will happen.
    assert page.locator("h1").inner_text() == "Delete this document?"
    assert page.locator(".delete-form .doc-title").inner_text() == "Fundos de resultados"
    assert page.request.get(f"{site}/api/search?q=fundos").json()["total"] == 1
    _fits(page, viewport)
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(f"**/admin/documents/{doc_id}/edit")
    page.get_by_role("button", name="Delete this document").click()
    page.get_by_role("button", name="Move it to the trash").click()
    page.wait_for_url("**/admin/trash")
    message = page.locator(".flash.undo")
    assert message.inner_text().startswith("Fundos de resultados was moved to the trash.")
    assert page.request.get(f"{site}/api/search?q=fundos").json()["total"] == 0
    row = page.locator("table.trash tbody tr", has_text="Fundos de resultados")
    assert re.fullmatch(WHEN["en"], row.locator("time").inner_text().strip())
    undo = message.get_by_role("button", name="Undo")
    assert undo.is_visible() and undo.bounding_box()["height"] >= 24
    _fits(page, viewport)
    undo.click()
    page.wait_for_url("**/admin#progress")
    assert "Fundos de resultados was restored" in page.locator(".flash").first.inner_text()
    page.locator("#runs .run-status", has_text="1 added").wait_for(timeout=60_000)
    assert page.request.get(f"{site}/api/search?q=fundos").json()["total"] == 1


@SIZES
@pytest.mark.parametrize("lang", ["en", "bg", "el", "pt"])
def test_trash_and_changes_say_when_in_the_interface_language(sized, site, viewport, lang):
    page = sized
    doc_id = _doc_id(page, site, "steering")
    page.goto(f"{site}/admin/documents/{doc_id}/edit?lang={lang}")
    # Another year than the one it has, so that this save itself writes the newest change.
    page.fill("#year", "2020" if page.input_value("#year") == "2021" else "2021")
    page.locator(".edit-form button[type=submit]").click()
    page.wait_for_url(f"**/documents/{doc_id}**")
    page.goto(f"{site}/admin/audit")
    when = page.locator("table.audit tbody tr").first.locator("time")
    assert re.fullmatch(WHEN[lang], when.inner_text().strip()), when.inner_text()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", when.get_attribute("datetime")
    )
    _fits(page, viewport)


def _index_now(page) -> None:
    """Start a run from the admin page and wait until the page shows it finished."""
    before = page.locator("#runs").get_attribute("data-run")
    page.locator("form[action$='/admin/reindex'] button").click()
    page.wait_for_url("**/admin")
    page.wait_for_function(
        """before => {
            const runs = document.getElementById('runs');
            return runs.dataset.run !== before && runs.dataset.phase === 'finished';
        }""",
        arg=before,
        timeout=60_000,
    )


def test_a_deleted_documents_manifest_row_is_a_note_told_once(browser, site):
    context = browser.new_context(locale="bg-BG", viewport=shared.DESKTOP)
    page = context.new_page()
    doc_id = _doc_id(page, site, "steering")
    page.goto(f"{site}/admin/documents/{doc_id}/delete?lang=bg")
    page.locator(".delete-form button.danger").click()
    page.wait_for_url("**/admin/trash")
    page.goto(f"{site}/admin")
    _index_now(page)
    note = page.locator("#runs .outcome-manifest")
    assert note.count() == 1
    assert "ie/minutes.docx" in note.inner_text()
    assert "изтрит в браузъра" in note.inner_text()  # said in the interface language
    problems = page.locator('section[aria-labelledby="manifest-title"]')
    assert problems.locator("table").count() == 0  # not a problem of the manifest
    _index_now(page)
    assert page.locator("#runs .outcome-manifest").count() == 0  # told once
    context.close()


@SIZES
def test_a_runs_outcomes_are_links_and_the_counts_follow_the_run(sized, site, admin_kb, viewport):
    page = sized
    name = f"note_{viewport['width']}"
    page.goto(f"{site}/admin")
    documents = page.locator("#index-stats dd").first
    before = int(documents.inner_text().split()[0])
    (admin_kb.corpus / "en" / f"{name}_en.txt").write_text(
        f"A sample note on cooperatives in Cork, {name}."
    )
    (admin_kb.corpus / "en" / f"{name}_broken.pdf").write_bytes(b"%PDF-1.4 not really")
    _index_now(page)
    page.evaluate("window.stillTheSamePage = true")
    # The counts change without reloading the page once the run is over.
    page.wait_for_function(
        "n => parseInt(document.querySelector('#index-stats dd').textContent) === n",
        arg=before + 1,
        timeout=30_000,
    )
    assert page.evaluate("window.stillTheSamePage") is True
    assert "1" in page.locator("#failed-panel").inner_text()
    failed = page.locator("#runs .outcome-failed a", has_text=f"{name}_broken.pdf")
    assert failed.get_attribute("href").startswith("/admin/tasks#task-")
    added = page.locator("#runs .outcome-added a", has_text=f"{name}_en.txt")
    assert added.bounding_box()["height"] > 0
    _fits(page, viewport)
    added.click()
    page.wait_for_url("**/documents/**")
    assert f"{name}_en.txt" in page.locator(".metadata .path").inner_text()
    page.go_back()
    page.locator("#runs .outcome-failed a", has_text=f"{name}_broken.pdf").click()
    page.wait_for_url("**/admin/tasks#task-**")
    task = page.locator("li.task:target")
    assert f"{name}_broken.pdf" in task.locator(".name").inner_text()
    # Removed by hand again so that later tests see the collection as it was.
    task.get_by_role("button", name="Remove").click()


@SIZES
def test_a_file_dropped_beside_the_box_goes_into_the_form(sized, site, viewport):
    page = sized
    page.goto(f"{site}/admin")
    prevented = page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(["A sample note on Braga."], "beside the box.txt", {type: "text/plain"}));
            const target = document.querySelector("h1");  // far from the dashed box
            const over = new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true});
            target.dispatchEvent(over);
            const drop = new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true});
            target.dispatchEvent(drop);
            return [over.defaultPrevented, drop.defaultPrevented];
        }"""
    )
    assert prevented == [True, True]  # the browser neither opens the file nor leaves the page
    assert page.locator(".chosen-files li").all_inner_texts() == ["beside the box.txt"]
    assert page.locator(".chosen-files li").first.is_visible()
    assert page.url.endswith("/admin")
