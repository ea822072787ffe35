"""An editor's whole path in a real browser: add files and follow their indexing live, deal with
files that cannot be read, correct a title, delete and restore, and a watched folder.

Each step prints what it measured (seconds from the click, or from the file landing in the
folder, until the search finds the document)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from indexer.ingest.watch import follow
from tests.factories import TEXTS, encrypt_pdf, make_pdf, truncate
from tests.knowledge_bases import build_sample_kb
from tests.webapp import test_browser as shared

pytestmark = shared.pytestmark
# A fresh page per test, as the other browser tests have it (the browser: conftest.py).
page = shared.page


@pytest.fixture(scope="module")
def editors_kb(tmp_path_factory):
    return build_sample_kb(tmp_path_factory.mktemp("editors"))


@pytest.fixture(scope="module")
def site(editors_kb):
    yield from shared._served(editors_kb)


def _found(page, site: str, q: str) -> list[str]:
    result = page.request.get(f"{site}/api/search?q={q}").json()
    return [h["title"] for h in result["hits"]]


def _until(check, seconds: float = 30.0) -> float:
    """Seconds until ``check()`` is true (fails after ``seconds``)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < seconds, "not within the time allowed"
        time.sleep(0.1)
    return time.monotonic() - start


def test_upload_live_progress_then_searchable(page, site, tmp_path):
    pdf = make_pdf(tmp_path / "Годишен отчет.pdf", [TEXTS["bg"], "Кооперативите в Пловдив."])
    page.goto(site + "/admin")
    page.set_input_files("#files", str(pdf))
    assert page.locator(".chosen-files li").all_inner_texts() == ["Годишен отчет.pdf"]
    page.get_by_role("group", name="Country").get_by_label("Bulgaria").check()
    page.get_by_role("button", name="Read the files").click()
    page.wait_for_url("**/admin/upload/**")
    row = page.locator("tr.staged-ok")
    assert "2 pages" in row.inner_text() and "bg" in row.inner_text()
    page.get_by_role("button", name="Add and index").click()
    start = time.monotonic()
    page.wait_for_url("**/admin#progress")
    # Something typed while the page follows the run stays where it is: no reload.
    page.fill("#organisation", "typed while indexing")
    url = page.url
    page.locator("#runs .outcome-added", has_text="Годишен отчет.pdf").wait_for(timeout=60_000)
    seconds = _until(lambda: _found(page, site, "Пловдив") != [])
    total = time.monotonic() - start
    print(
        f"\nupload: searchable {total:.1f} s after confirming ({seconds:.1f} s after the outcome showed)"
    )
    assert page.input_value("#organisation") == "typed while indexing" and page.url == url
    status = page.locator("#runs .run-status", has_text="1 added")
    status.wait_for(timeout=30_000)
    assert "this site" in status.inner_text() and "uploads" not in status.inner_text()


def test_a_spreadsheet_an_email_and_a_photo_are_uploaded_and_found(page, site, tmp_path):
    """The files editors have besides reports: each is checked with its pages, added, found,
    and the photo's document page shows the photo."""
    import textwrap

    from tests.factories import make_eml, make_picture, make_xlsx

    sheet = make_xlsx(
        tmp_path / "Indicators 2024.xlsx",
        {"Regions": [["Region", "Enterprises"], ["Tarnovo", 23]], "Notes": [["Source: survey"]]},
    )
    mail = make_eml(
        tmp_path / "Invitation.eml",
        "Invitation to the Gabrovo workshop",
        "Dear colleagues, the workshop on mutual aid is in Gabrovo.",
        attachments=[("agenda.txt", "text/plain", b"Agenda: cooperatives of Gabrovo.")],
    )
    photo = make_picture(
        tmp_path / "whiteboard.jpg", "\n".join(textwrap.wrap(TEXTS["en"], 50)), width=900
    )
    page.set_viewport_size({"width": 390, "height": 844})  # an editor on a phone
    page.goto(site + "/admin")
    page.set_input_files("#files", [str(sheet), str(mail), str(photo)])
    page.get_by_role("button", name="Read the files").click()
    page.wait_for_url("**/admin/upload/**", timeout=60_000)
    rows = page.locator("tr.staged-ok")
    assert rows.count() == 3
    found = {r.locator(".path").inner_text(): r.inner_text() for r in rows.all()}
    assert "2 pages" in found["Indicators 2024.xlsx"] and "2 pages" in found["Invitation.eml"]
    assert "1 page" in found["whiteboard.jpg"]
    page.get_by_role("button", name="Add and index").click()
    page.wait_for_url("**/admin#progress")
    page.locator("#runs .run-status", has_text="3 added").wait_for(timeout=120_000)
    [title] = _found(page, site, "Tarnovo")
    assert title.lower().endswith("indicators 2024")  # the file's name, not a row of cells
    assert _found(page, site, "Gabrovo") == ["Invitation to the Gabrovo workshop"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/search?q=innovators")
    hit = page.locator("article.hit", has_text="whiteboard").first
    hit.locator("h3 a").click()
    picture = page.locator("img[src^='/documents/']").first
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0 && img.naturalHeight > img.naturalWidth",
        arg=picture.element_handle(),
        timeout=30_000,
    )  # the photo, upright


def test_broken_and_password_protected_uploads_are_explained_then_removed(page, site, tmp_path):
    good = make_pdf(tmp_path / "good.pdf", [TEXTS["en"]] * 3)
    broken = truncate(good, tmp_path / "Broken report.pdf", keep=0.3)
    locked = encrypt_pdf(
        make_pdf(tmp_path / "plain.pdf", [TEXTS["pt"]]), tmp_path / "Locked plan.pdf", "secret"
    )
    page.goto(site + "/admin")
    page.set_input_files("#files", [str(broken), str(locked)])
    page.get_by_role("button", name="Read the files").click()
    page.wait_for_url("**/admin/upload/**")
    failed = page.locator("tr.staged-failed")
    assert failed.count() == 2
    assert "protected by a password" in failed.filter(has_text="Locked plan.pdf").inner_text()
    # Not offered by default; an editor may still add them (they then wait on the tasks page).
    page.get_by_label("Add Broken report.pdf").check()
    page.get_by_label("Add Locked plan.pdf").check()
    page.get_by_role("button", name="Add and index").click()
    page.wait_for_url("**/admin#progress")
    page.locator("#runs .outcome-failed", has_text="Locked plan.pdf").wait_for(timeout=60_000)
    page.goto(site + "/admin/tasks")
    tasks = page.locator("li.task")
    assert sorted(tasks.locator(".name").all_inner_texts()) == [
        "Broken report.pdf",
        "Locked plan.pdf",
    ]
    locked_task = tasks.filter(has_text="Locked plan.pdf")
    assert "protected by a password" in locked_task.locator(".reason").inner_text()
    assert "uploads" not in tasks.first.inner_text()  # never the internal path
    with page.expect_download() as download:
        locked_task.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "Locked plan.pdf"
    for _ in range(2):
        page.locator("li.task").first.get_by_role("button", name="Remove").click()
        page.wait_for_load_state()
    page.goto(site + "/admin/tasks")
    assert page.locator("li.task").count() == 0
    assert "Nothing to fix" in page.content()
    page.goto(site + "/admin/trash")  # a removed upload waits in the trash
    assert page.locator("table.trash tbody tr", has_text="Locked plan.pdf").count() == 1


def test_a_corrected_title_is_found_at_once(page, site):
    page.goto(site + "/search?q=steering")
    page.locator("article.hit h3 a").first.click()
    page.get_by_role("link", name="Correct or delete").click()
    page.fill("#title", "Rethink Ireland board notes")
    page.get_by_role("button", name="Save").click()
    start = time.monotonic()
    page.wait_for_url("**/documents/**")
    assert page.locator("h1").inner_text() == "Rethink Ireland board notes"
    assert _found(page, site, "board notes") == ["Rethink Ireland board notes"]
    print(f"\nedit: found by the new title {time.monotonic() - start:.2f} s after saving")
    page.goto(site + "/admin/audit")
    assert "Rethink Ireland board notes" in page.locator("table.audit tbody tr").first.inner_text()


def test_delete_leaves_the_search_and_restore_brings_it_back(page, site):
    page.goto(site + "/search?q=resultados")
    page.locator("article.hit h3 a", has_text="Fundos de resultados").click()
    page.get_by_role("link", name="Correct or delete").click()
    page.get_by_role("button", name="Delete this document").click()
    page.get_by_role("button", name="Move it to the trash").click()
    page.wait_for_url("**/admin/trash")
    assert _found(page, site, "fundos") == []
    row = page.locator("table.trash tbody tr", has_text="Fundos de resultados")
    row.get_by_role("button", name="Restore").click()
    start = time.monotonic()
    page.wait_for_url("**/admin#progress")
    seconds = _until(lambda: _found(page, site, "fundos") == ["Fundos de resultados"])
    print(
        f"\nrestore: searchable again {time.monotonic() - start:.1f} s after the click ({seconds:.1f} s of waiting)"
    )
    page.goto(site + "/admin/trash")
    assert page.locator("table.trash tbody tr", has_text="Fundos de resultados").count() == 0


def test_a_file_dropped_in_the_watched_folder_is_searchable_within_seconds(
    page, site, editors_kb, tmp_path
):
    stop = threading.Event()
    watcher = threading.Thread(
        target=follow, args=(editors_kb,), kwargs={"stop": stop, "workers": 1}, daemon=True
    )
    watcher.start()
    try:
        _until(lambda: _found(page, site, "Пловдив") != [], 30)  # the first catch-up run is done
        time.sleep(1.5)
        staged = make_pdf(tmp_path / "watched.pdf", ["Zebrafinch cooperatives of Lisbon."])
        dropped = time.monotonic()
        staged.rename(editors_kb.corpus / "en" / "watched_en.pdf")
        seconds = _until(lambda: _found(page, site, "zebrafinch") != [], 30)
        print(f"\nwatched folder: searchable {seconds:.1f} s after the file was dropped")
        assert seconds < 15
        page.goto(site + "/admin")
        assert "folder watcher" in page.locator("#runs").inner_text()
        assert time.monotonic() - dropped < 30
    finally:
        stop.set()
        watcher.join(30)


def test_files_dropped_on_the_page_go_into_the_upload_form(page, site):
    page.goto(site + "/admin")
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            const text = "A sample note on cooperatives in Porto, dropped on the page.";
            data.items.add(new File([text], "dropped note.txt", {type: "text/plain"}));
            const zone = document.querySelector("[data-dropzone]");
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }"""
    )
    assert page.locator(".chosen-files li").all_inner_texts() == ["dropped note.txt"]
    page.get_by_role("button", name="Read the files").click()
    page.wait_for_url("**/admin/upload/**")
    assert "dropped note.txt" in page.locator("tr.staged-ok").inner_text()
    page.get_by_role("button", name="Discard").click()
    page.wait_for_url("**/admin")


def test_a_run_started_in_a_terminal_is_followed_live(page, site, editors_kb):
    folder = editors_kb.corpus / "terminal"
    folder.mkdir()
    # Enough files for the run to outlast the page's idle poll (3 s) on a fast, idle machine:
    # about twice over here (240 notes took 2.5 s once reading a file got cheaper).
    for n in range(900):
        (folder / f"note_{n:03d}.txt").write_text(
            f"Sample note {n} on social enterprises in Braga and Porto."
        )
    page.goto(site + "/admin")
    env = {**os.environ, "KB_HOME": str(editors_kb.home), "KB_CORPUS": str(editors_kb.corpus)}
    command = [sys.executable, "-m", "indexer.cli", "index", "--workers", "1"]
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = set()
    try:
        while run.poll() is None:
            seen.add(page.locator("#runs .run-status").inner_text())
            time.sleep(0.1)
    finally:
        run.wait(120)
    page.locator("#runs .run-status", has_text="900 added").wait_for(timeout=30_000)
    live = [s for s in seen if s.startswith("Indexing:") and "command line" in s]
    assert live, seen
    print(
        f"\nterminal run: {len(live)} distinct progress states seen live, e.g. {sorted(live)[len(live) // 2]!r}"
    )


def test_axe_finds_nothing_on_the_editors_pages(page, site, tmp_path):
    doc_id = page.request.get(f"{site}/api/search?q=mapping").json()["hits"][0]["id"]
    page.goto(site + "/admin")
    page.set_input_files("#files", str(make_pdf(tmp_path / "axe check.pdf", [TEXTS["el"]])))
    page.get_by_role("button", name="Read the files").click()
    page.wait_for_url("**/admin/upload/**")
    problems = {"preview": shared._violations(page)}
    for path in (
        "/admin",
        "/admin/tasks",
        "/admin/trash",
        "/admin/audit",
        "/admin/runs",
        f"/admin/documents/{doc_id}/edit",
    ):
        page.goto(site + path)
        problems[path] = shared._violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_check_step_shows_what_was_inferred_and_takes_the_editors_changes(page, site, tmp_path):
    from tests.webapp.test_upload_check import protocol_docx

    note = tmp_path / "Document1.docx"
    note.write_bytes(protocol_docx())
    page.goto(site + "/admin")
    page.set_input_files("#files", str(note))
    page.get_by_role("button", name="Read the files").click()
    page.wait_for_url("**/admin/upload/**")
    found = page.locator("#found-0")
    # Each value as inferred, with the words it came from.
    assert page.input_value("#f-0-year") == "2023"  # the date written in it, not the template's
    assert page.locator("#f-0-type").input_value() == "minutes"
    assert (
        found.get_by_role("group", name="Country — Document1.docx")
        .get_by_label("Bulgaria")
        .is_checked()
    )
    why = found.locator("details.evidence").first
    why.locator("summary").click()
    assert "14 март 2023" in why.inner_text()
    assert "Габрово" in found.text_content() and "Gabrovo" in page.input_value("#f-0-place")
    # A wrong value is refused with the reason, the page keeps what was typed.
    page.fill("#f-0-year", "someday")
    page.get_by_role("button", name="Add and index").click()
    assert "is not a year" in page.locator("#found-0 [role=alert]").inner_text()
    assert page.input_value("#f-0-year") == "someday"
    page.fill("#f-0-year", "2022")
    page.select_option("#f-0-type", "report")
    page.get_by_role("button", name="Add and index").click()
    page.wait_for_url("**/admin#progress")
    _until(lambda: _found(page, site, "заседание работната група") != [], 60)
    hit = page.request.get(f"{site}/api/search?q=заседание работната група").json()["hits"][0]
    assert (hit["year"], hit["type"], hit["country"], hit["place"]) == (
        2022,
        "report",
        ["BG"],
        ["Gabrovo"],
    )
    page.goto(f"{site}/documents/{hit['id']}")
    assert not page.locator("h1").inner_text().startswith("Document1")
