"""What a server's worker makes before its first page, as the search engine warms what every
search needs: the templates compiled and the interface's translations read in each language.

Otherwise the first page a worker writes compiles its templates (some 50 ms for the search page
and those it includes) and the first page in each language reads that language's catalogue
(some 15 ms): paid inside the requests of the first readers, and by every worker again after
it is renewed.
"""

from __future__ import annotations

from flask import Flask

from .i18n import LANGUAGES, texts


def warm_pages(app: Flask) -> None:
    """Compile every page template and read each interface language's translations."""
    env = app.jinja_env
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    for lang in LANGUAGES:
        with app.test_request_context(f"/?lang={lang}"):
            texts()  # the request's translations, read in and kept by the app
