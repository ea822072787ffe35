"""Other sites' front ends reading the JSON API from the browser (CORS), only when configured.

Off by default: a browser then lets no other site's page read the API's answers. With
``KB_CORS_ORIGINS`` listing origins (or ``*``), the API and the health check answer those
origins' requests with the headers that allow it. Only reading is offered: the API has no
request that changes anything, credentials are never allowed, and the admin pages are never
shared.
"""

from __future__ import annotations

from flask import Flask, Response, request

from indexer import Settings

#: Paths other sites may read.
SHARED_PREFIXES = ("/api/", "/healthz")
#: … except these: the administration's JSON twins are never shared.
PRIVATE_PREFIXES = ("/api/admin/",)
#: How long a browser may remember a preflight answer, in seconds.
PREFLIGHT_MAX_AGE = 600


def allowed_origin(origin: str, origins: tuple[str, ...]) -> str | None:
    """The value of Access-Control-Allow-Origin for a request from ``origin``, if any."""
    if not origin or not origins:
        return None
    if "*" in origins:
        return "*"
    return origin if origin.rstrip("/").lower() in origins else None


def init_app(app: Flask, settings: Settings) -> None:
    origins = settings.cors_origins
    if not origins:
        return

    @app.after_request
    def share(response: Response) -> Response:
        path = request.path
        if not path.startswith(SHARED_PREFIXES) or path.startswith(PRIVATE_PREFIXES):
            return response
        allowed = allowed_origin(request.headers.get("Origin", ""), origins)
        if allowed is None:
            return response
        response.headers["Access-Control-Allow-Origin"] = allowed
        response.headers["Access-Control-Expose-Headers"] = "Link"
        if allowed != "*":
            response.vary.add("Origin")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            wanted = request.headers.get("Access-Control-Request-Headers")
            if wanted:
                response.headers["Access-Control-Allow-Headers"] = wanted
            response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        return response
