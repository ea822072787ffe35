"""Take the README's screenshots of the running app (Chromium through Playwright).

    python docs/screenshots.py            # uses KB_HOME / KB_CORPUS like the CLI

Indexes the documents folder if needed, serves the app on a free local port, and writes
docs/screenshots/search.png, docs/screenshots/document.png and docs/screenshots/phone.png.
"""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from waitress.server import create_server  # noqa: E402

from indexer.config import Settings  # noqa: E402
from indexer.pipeline import run_index  # noqa: E402
from webapp import create_app  # noqa: E402

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
        browser.close()
    server.close()
    print(f"wrote {OUT / 'search.png'}, {OUT / 'document.png'} and {OUT / 'phone.png'}")


if __name__ == "__main__":
    main()
