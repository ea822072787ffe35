"""The search page's repeated parts — its hits and its facet values — written as HTML here.

A search page shows ten hits of some twenty elements each and some eighty facet values: written
by template macros, they were most of the page's own cost (each value looked up, tested and
escaped through Jinja's runtime, a macro call per hit). Here each part is one pass over the
page's dicts that escapes what it writes (`markupsafe.escape`) and translates through the same
kept strings as the templates (`i18n.texts`). The templates call these functions where the loops
were; ``tests/webapp/test_search_html.py`` compares every page with the one the templates
write with the plain macros of ``tests/webapp/reference_pages/`` in place of these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from .i18n import current_language, texts
from .i18n import plural as ngettext

#: `i18n.texts`: a string translated into the page's language and formatted, as markup.
Said = Callable[..., Markup]


def _e(value: Any) -> str:
    """``markupsafe.escape(value)`` as text, without making a `Markup` of each value."""
    if type(value) is str:
        # Most values (titles, labels, paths) have none of the five characters: looking for
        # them costs less than replacing each in turn.
        text: str = value
        if "&" in text:
            text = text.replace("&", "&amp;")
        if "<" in text or ">" in text or "'" in text or '"' in text:
            return (
                text.replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&#39;")
                .replace('"', "&#34;")
            )
        return text
    if type(value) is int:  # counts, years, page numbers
        return str(value)
    return str(escape(value))


def hit_items(hits: Sequence[Mapping[str, Any]]) -> Markup:
    """The hits of a result page, each a list item (``<li><article class="hit">``)."""
    _ = texts()
    lang = current_language()
    return Markup("".join([f"<li>{_hit(hit, _, lang)}</li>" for hit in hits]))


def _hit(hit: Mapping[str, Any], _: Said, lang: str) -> str:
    labels = hit["labels"]
    thumbnail = hit.get("thumbnail")
    out = [f'<article class="hit{" has-thumb" if thumbnail else ""}">\n']
    if thumbnail:
        out.append(
            f'<a class="thumb" href="{_e(thumbnail["page_url"])}">'
            f'<img src="{_e(thumbnail["url"])}" srcset="{_e(thumbnail["srcset"])}"'
            f' sizes="6rem"\n width="{_e(thumbnail["width"])}"'
            f' height="{_e(thumbnail["height"])}" loading="lazy" decoding="async"'
            f' alt="{_e(thumbnail["alt"])}"></a>\n'
        )
    out.append(
        f"<h3{_lang(hit['language'])}>"
        f'<a href="{_e(hit["url"])}">{_e(hit["title"])}</a></h3>\n'
        f'<p class="meta">\n<span class="badge">{_e(labels["type"])}</span>\n'
    )
    if hit.get("year"):
        out.append(f"<span>{_e(hit['year'])}</span>")
    if labels["country"]:
        out.append(f"<span>{_e(', '.join(labels['country']))}</span>")
    out.append(f"\n<span>{_e(', '.join(labels['languages']))}</span>\n")
    if hit.get("organisation"):
        out.append(f"<span>{_e(', '.join(hit['organisation']))}</span>")
    out.append(f'\n<span class="path">{_e(hit["path"])}</span>\n</p>\n')
    best, pages = hit.get("best_page"), hit.get("pages") or ()
    if best and hit["page_count"] > 1:
        said = _("Best match on p. %(n)d", n=best)
        out.append(f'<p class="best">{said}')
        if len(pages) > 1:
            with_hits = ngettext(
                "of %(num)d page with hits", "of %(num)d pages with hits", len(pages)
            )
            out.append(f" <small>({with_hits})</small>")
        out.append("</p>")
    for snippet in hit["snippets"]:
        out.append(_snippet(snippet, _, lang))
    if hit.get("more_pages"):
        links = ", ".join(
            [f'<a href="{_e(m["url"])}">{_e(m["page"])}</a>' for m in hit["more_pages"]]
        )
        said = _("Also on pages:")
        out.append(f'\n<p class="morepages">{said}\n{links}\n</p>\n')
    if hit.get("versions"):
        links = " · ".join(
            [
                f'<a href="{_e(v["url"])}" hreflang="{_e(v["language"])}"'
                f' title="{_e(v["title"])}">{_e(v["language"].upper())}</a>'
                for v in hit["versions"]
            ]
        )
        said = _("Also in:")
        out.append(f'\n<p class="versions">{said}\n{links}\n</p>\n')
    out.append(_why(hit.get("why"), _))
    out.append("</article>")
    return "".join(out)


def _lang(language: str) -> str:
    return "" if language == "und" else f' lang="{_e(language)}"'


def _snippet(snippet: Mapping[str, Any], _: Said, lang: str) -> str:
    page = snippet["page"]
    title, said, at = _page_labels(_, lang, page)
    pdf = ""
    if snippet.get("file_url"):
        pdf = f'<a class="pdflink" href="{_e(snippet["file_url"])}">{at}</a>'
    return (
        f'\n<p class="snippet"><a class="pageref" href="{_e(snippet["url"])}"'
        f' title="{title}">{said}</a>\n'
        f"<span{_lang(snippet['language'])}>{snippet['html']}</span>\n{pdf}</p>\n"
    )


#: A snippet's three labels of its page number, by interface language and page (see
#: `_page_labels`); emptied when it holds this many.
KEPT_PAGE_LABELS = 4096
_page_labels_kept: dict[tuple[str, int], tuple[str, str, str]] = {}


def _page_labels(_: Said, lang: str, page: int) -> tuple[str, str, str]:
    """The link title, the link text and the PDF link's text of a snippet on ``page``, said
    once per interface language and page: a page shows some thirty snippets, each of which
    said its three strings through the translations' look-ups."""
    key = (lang, page)
    found = _page_labels_kept.get(key)
    if found is None:
        found = (
            _("Open at page %(n)d", n=page),
            _("p. %(n)d", n=page),
            _("PDF, p. %(n)d", n=page),
        )
        if len(_page_labels_kept) >= KEPT_PAGE_LABELS:
            _page_labels_kept.clear()
        _page_labels_kept[key] = found
    return found


def _why(why: Mapping[str, Any] | None, _: Said) -> str:
    """Why the hit matched: the version of which report it is, or the concepts and languages."""
    if not why:
        return ""
    if why.get("version_of"):
        version = _(
            "Another language version of “%(title)s”, which matches the search",
            title=why["version_of"]["title"],
        )
        return f'\n<p class="why">{version}</p>\n'
    if not (why["expansions"] or why["languages"]):
        return ""
    said: str
    if why["expansions"] and not why["typed"]:
        said = "; ".join(
            [
                _(
                    "Found through “%(concept)s” in %(langs)s",
                    concept=e["label"],
                    langs=", ".join([x.upper() for x in e["languages"]]),
                )
                for e in why["expansions"]
            ]
        )
    else:
        langs = ", ".join([x.upper() for x in why["languages"]])
        said = _("Matched in: %(langs)s", langs=langs)
        if why["codes"]:
            code = _("code")
            said = Markup(f"{said} · {code}")
    return f'\n<p class="why">\n{said}\n</p>\n'


def facet_values(values: Sequence[Mapping[str, Any]]) -> Markup:
    """A facet's values as toggle links (``<li><a class="fv">``), in the order given."""
    out = []
    chosen = ""
    for v in values:
        count = v["count"]
        if v["selected"]:
            chosen = chosen or _chosen(texts())
            out.append(
                f'{_toggle(v, True, count)}\n  <span class="box" aria-hidden="true">✓</span>\n'
                f'  <span class="label">{_e(v["label"])}</span>\n{chosen}'
                f'  <span class="count">{count}</span></a></li>'
            )
        else:  # most values: one piece of text each
            out.append(
                f'<li><a class="fv{" zero" if count == 0 else ""}" href="{_e(v["toggle_url"])}"'
                '\n>\n  <span class="box" aria-hidden="true"></span>\n'
                f'  <span class="label">{_e(v["label"])}</span>\n'
                f'  <span class="count">{count}</span></a></li>'
            )
    return Markup("".join(out))


def year_bars(values: Sequence[Mapping[str, Any]]) -> Markup:
    """The year facet's values as toggle links, each with a bar as long as its count is
    against the largest."""
    top = max(v["count"] for v in values) or 1

    def content(v: Mapping[str, Any], on: bool, count: int, chosen: str) -> str:
        return (
            f'<span class="label">{_e(v["label"])}</span>\n{chosen if on else ""}\n'
            '<svg class="yearbar" viewBox="0 0 100 10" preserveAspectRatio="none"'
            ' aria-hidden="true" focusable="false"><rect class="fill"'
            f' width="{100 * count / top:.1f}" height="10"></rect></svg>\n'
            f'<span class="count">{_e(count)}</span></a></li>\n'
        )

    return _toggles(values, content)


def _toggles(
    values: Sequence[Mapping[str, Any]], content: Callable[[Mapping[str, Any], bool, int, str], str]
) -> Markup:
    """Facet values as list items of toggle links, each link's ``content`` after its start."""
    chosen = _chosen(texts())
    out = []
    for v in values:
        on, count = v["selected"], v["count"]
        out.append(f"{_toggle(v, on, count)}\n{content(v, on, count, chosen)}")
    return Markup("".join(out))


def _chosen(_: Said) -> str:
    said = _("selected")
    return f'<span class="visually-hidden">({said})</span>'


def _toggle(value: Mapping[str, Any], on: bool, count: int) -> str:
    """A facet value's list item and the start of its link, up to its content."""
    kind = " on" if on else " zero" if count == 0 else ""
    current = 'aria-current="true"' if on else ""
    return f'<li><a class="fv{kind}" href="{_e(value["toggle_url"])}"\n{current}>'


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(hit_items=hit_items, facet_values=facet_values)
    app.jinja_env.globals["year_bars"] = year_bars
