"""Take the README's screenshots of the running app (Chromium through Playwright).

    python -m docs.screenshots            # uses KB_HOME / KB_CORPUS like the CLI
    python -m docs.screenshots --editors  # only the editors' pages

Indexes the documents folder if needed, serves the app on a free local port, and writes
docs/screenshots/search.png, docs/screenshots/document.png and docs/screenshots/phone.png; then
the editors' pages (editors-*.png) on a temporary data folder over the bundled corpus, where
sample files are uploaded (the real data folder is not changed).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from waitress.server import create_server

from indexer.config import Settings
from indexer.ingest.run import run_index
from tests.factories import (
    TEXTS,
    encrypt_pdf,
    make_eml,
    make_pdf,
    make_xlsx,
    truncate,
)
from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "docs" / "screenshots"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    settings = Settings.from_env()
    run_index(settings)
    server = create_server(create_app(settings), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="en-GB")
        page.goto(base + "/search?q=социалните+предприятия&country=BG&country=EU")
        page.wait_for_load_state("networkidle")  # page pictures load lazily
        page.screenshot(path=str(OUT / "search.png"))
        target = page.locator("a.pageref").first.get_attribute("href") or "/"
        page.goto(base + target.split("#")[0])
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "document.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
        phone.goto(base + "/search?q=plashtane+po+rezultati")
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=str(OUT / "phone.png"))
        editors(browser)
        browser.close()
    server.close()
    print(f"wrote {OUT / 'search.png'}, {OUT / 'document.png'} and {OUT / 'phone.png'}")


def editors(browser: Browser) -> None:
    """The editors' pages: files checked before they are added, a run followed live, files to
    fix, a correction."""
    with tempfile.TemporaryDirectory(prefix="kb-screens-") as tmp:
        folder = Path(tmp)
        settings = Settings(home=folder / "home", corpus=ROOT / "corpus", host="127.0.0.1")
        run_index(settings)
        server = create_server(create_app(settings), host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}"
        files = folder / "files"
        files.mkdir()
        good = make_pdf(files / "Social economy plan 2024.pdf", [TEXTS["en"]] * 4)
        bg = make_pdf(files / "Доклад за кооперациите.pdf", [TEXTS["bg"]] * 2)
        broken = truncate(good, files / "Minutes (damaged copy).pdf", keep=0.3)
        plain = make_pdf(files / "plain.pdf", [TEXTS["pt"]])
        locked = encrypt_pdf(plain, files / "Plano com palavra-passe.pdf", "secret")
        sheet = make_xlsx(
            files / "Budget annex.xlsx",
            {"2024": [["Line", "EUR"], ["Mentoring", 12500]], "2025": [["Line", "EUR"]]},
        )
        mail = make_eml(
            files / "Invitation.eml",
            "Invitation to the Plovdiv workshop",
            "The workshop on cooperatives is in Plovdiv on 12 March.",
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1100}, locale="en-GB")
        page.goto(base + "/admin")
        uploaded = (good, bg, sheet, mail, broken, locked)
        page.set_input_files("#files", [str(p) for p in uploaded])
        page.get_by_role("group", name="Country").get_by_label("Portugal").check()
        page.screenshot(path=str(OUT / "editors-upload.png"))
        page.get_by_role("button", name="Read the files").click()
        page.wait_for_url("**/admin/upload/**")
        page.screenshot(path=str(OUT / "editors-check.png"))
        page.get_by_label("Add Minutes (damaged copy).pdf").check()
        page.get_by_label("Add Plano com palavra-passe.pdf").check()
        page.get_by_role("button", name="Add and index").click()
        page.wait_for_url("**/admin#progress")
        page.locator("#runs .run-status", has_text="added").wait_for(timeout=120_000)
        page.locator("#progress").scroll_into_view_if_needed()
        page.locator("#progress").screenshot(path=str(OUT / "editors-progress.png"))
        page.goto(base + "/admin/tasks")
        page.screenshot(path=str(OUT / "editors-tasks.png"))
        page.goto(base + "/search?q=cooperatives")
        page.locator("article.hit h3 a").first.click()
        page.get_by_role("link", name="Correct or delete").click()
        page.screenshot(path=str(OUT / "editors-correct.png"))
        page.close()
        server.close()
    print(f"wrote the editors' pages to {OUT}/editors-*.png")


def editors_only() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=FLAGS
        )
        editors(browser)
        browser.close()


if __name__ == "__main__":
    editors_only() if sys.argv[1:] == ["--editors"] else main()
