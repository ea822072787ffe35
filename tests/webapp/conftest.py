import pytest

from tests.webapp.page_context import given_to_template
from webapp import create_app


@pytest.fixture(scope="package")
def kb_settings(sample_kb):
    """The session's sample knowledge base, which the web app's tests only read."""
    return sample_kb


@pytest.fixture(scope="package")
def app(kb_settings):
    app = create_app(kb_settings)
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def page_context(client):
    """What a page's template was given for an address (see ``page_context.py``)."""
    return lambda url: given_to_template(client, url)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for all the browser modules a worker runs (each test opens a context of
    its own, with its own cookies, storage and cache): starting it costs seconds."""
    from playwright.sync_api import sync_playwright

    from tests.webapp.test_browser import CHROMIUM, FLAGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
