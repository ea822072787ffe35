import pytest

from tests.factories import build_sample_kb
from webapp import create_app


@pytest.fixture(scope="package")
def kb_settings(tmp_path_factory):
    return build_sample_kb(tmp_path_factory.mktemp("webkb"))


@pytest.fixture(scope="package")
def app(kb_settings):
    app = create_app(kb_settings)
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(app):
    return app.test_client()
