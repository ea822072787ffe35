"""The pages' template environment renders what Jinja's own renders, with less work."""

from __future__ import annotations

import pytest
from babel.support import NullTranslations
from flask.templating import Environment
from jinja2 import DictLoader

from webapp.templating import PageEnvironment, gettext_for

#: Templates and what Jinja's own environment renders from ``DATA``.
TEMPLATES = [
    (
        "{{ d.title }}|{{ d.missing is undefined }}|{{ d.items | default('x') is callable }}",
        "&lt;Social &amp; co&gt;|True|True",
    ),
    (
        "{% for k, v in d.items() %}{{ k }}={{ v | length }};{% endfor %}",
        "title=13;values=25;keys=2;nested=1;",
    ),
    (
        "{{ d.values is callable }}|{{ d.get('title') }}|{{ d['keys'] }}|{{ n.title }}",
        "True|&lt;Social &amp; co&gt;|[1, 2]|attribute",
    ),
    ("{{ d.nested.deep }}|{{ d.nested.gone | default('none') }}", "yes|none"),
    (
        '{{ _("Found %(n)d on “%(t)s”", n=3, t=d.title) }}|{{ _("100%% sure") }}',
        "Found 3 on “&lt;Social &amp; co&gt;”|100% sure",
    ),
    (
        '{{ _("No <em>words</em> to fill") }}|{{ _("50%% off, %(n)d left", n=2) }}',
        "No <em>words</em> to fill|50% off, 2 left",
    ),
    (
        '{% trans %}Plain{% endtrans %}|{{ gettext("<b>%(x)s</b>", x=d.title) }}',
        "Plain|<b>&lt;Social &amp; co&gt;</b>",
    ),
]
DATA = {
    "d": {
        "title": "<Social & co>",
        "values": "a key named like a method",
        "keys": [1, 2],
        "nested": {"deep": "yes"},
    },
    "n": type("Named", (), {"title": "attribute"})(),
}


def _environment(cls: type) -> Environment:
    env = cls(None, loader=DictLoader({}), extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_translations(NullTranslations(), newstyle=True)
    return env


@pytest.mark.parametrize(("source", "expected"), TEMPLATES)
def test_pages_render_as_with_jinjas_own_environment(source, expected):
    plain = _environment(Environment)
    fast = _environment(PageEnvironment)
    fast.globals.update(gettext=gettext_for(NullTranslations), _=gettext_for(NullTranslations))
    assert plain.from_string(source).render(DATA) == expected
    assert fast.from_string(source).render(DATA) == expected


def test_kept_translations_follow_the_language_and_the_numbers():
    """A string formatted once per language and number is given back for that language and
    number only, escaped or not as the template asks."""

    class Shouting(NullTranslations):
        def ugettext(self, message):
            return message.upper().replace("%(N)D", "%(n)d").replace("%(W)S", "%(w)s")

    env = _environment(PageEnvironment)
    current = [NullTranslations()]
    env.globals.update(gettext=gettext_for(lambda: current[0]), _=gettext_for(lambda: current[0]))
    page = env.from_string('{{ _("p. %(n)d", n=n) }}|{{ _("<b>") }}|{{ _("to %(w)s", w=w) }}')
    plain = env.from_string('{% autoescape false %}{{ _("<b>") }}{% endautoescape %}')
    said = [page.render(n=2, w="<i>"), page.render(n=3, w="x")]
    current[0] = Shouting()
    said += [page.render(n=2, w="y"), plain.render()]
    current[0] = NullTranslations()
    said += [page.render(n=2, w="z"), plain.render()]
    assert said == [
        "p. 2|<b>|to &lt;i&gt;",
        "p. 3|<b>|to x",
        "P. 2|<B>|TO y",
        "<B>",
        "p. 2|<b>|to z",
        "<b>",
    ]


def test_a_search_page_translates_without_copying_its_context(client, monkeypatch):
    """Jinja copies a template's context for each call of a function given the context inside
    a block that sets variables; the pages' translations need only whether they escape."""
    from jinja2.runtime import Context

    copies = []
    real = Context.derived

    def derived(self, *args, **kwargs):
        copies.append(self.name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Context, "derived", derived)
    for lang in ("en", "bg"):
        page = client.get(f"/search?q=social&lang={lang}&country=BG")
        assert page.status_code == 200
        assert ("Резултати" if lang == "bg" else "Results") in page.get_data(as_text=True)
    assert copies == []
