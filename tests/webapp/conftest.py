import pytest

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
