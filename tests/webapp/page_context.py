"""What a page's template was given: the page's data (its JSON twin) and, beside it, what only
the page shows (labels, links, pictures), which the JSON twins leave out."""

from __future__ import annotations

from typing import Any

from flask import template_rendered


def given_to_template(client: Any, url: str) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []

    def record(sender: Any, template: Any, context: dict[str, Any], **extra: Any) -> None:
        seen.append(context["data"])

    with template_rendered.connected_to(record, client.application):
        response = client.get(url)
    assert response.status_code == 200, url
    return seen[0]
