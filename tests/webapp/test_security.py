"""Who may reach the app and its administration: hosts, proxies, passwords, throttling, headers
and cookies — each as a stranger, a proxy or a careless setup would meet it."""

from __future__ import annotations

import base64
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.knowledge_bases import make_app

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
HTML = {"Accept": "text/html"}


def basic(password, user="admin"):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


# Admin without a password ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "header",
    [
        {"X-Forwarded-For": "203.0.113.7"},
        {"X-Real-IP": "203.0.113.7"},
        {"Forwarded": "for=203.0.113.7;proto=https"},
        {"Via": "1.1 proxy"},
    ],
)
def test_a_proxy_on_this_computer_does_not_make_visitors_local(tmp_path, header):
    """A reverse proxy on the same machine connects from 127.0.0.1: its headers give it away."""
    client = make_app(tmp_path).test_client()
    assert client.get("/admin").status_code == 200  # really local
    response = client.get("/admin", headers=header)
    assert response.status_code == 403
    assert "csrf_token" not in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", None])
def test_without_a_password_admin_is_closed_unless_bound_to_loopback(tmp_path, host):
    client = make_app(tmp_path, host=host).test_client()
    response = client.get("/admin")
    assert response.status_code == 403
    assert "KB_ADMIN_PASSWORD" in response.get_data(as_text=True)


def test_trusted_proxies_without_a_password_close_the_admin(tmp_path):
    client = make_app(tmp_path, trusted_proxies=("127.0.0.1",)).test_client()
    response = client.get("/admin")
    assert response.status_code == 403
    assert "proxy" in response.get_data(as_text=True)


# Hosts ------------------------------------------------------------------------------------------
def test_dns_rebinding_is_refused(tmp_path):
    """Another site's name pointed at 127.0.0.1 must not read the admin page (or its token)."""
    client = make_app(tmp_path).test_client()
    for host in ("attacker.example", "attacker.example:5000", "localhost.attacker.example"):
        response = client.get("/admin", headers={"Host": host})
        body = response.get_data(as_text=True)
        assert response.status_code == 400, host
        assert "KB_ALLOWED_HOSTS" in body and "csrf_token" not in body
    json_error = client.get("/api/search?q=x", headers={"Host": "attacker.example"}).get_json()
    assert json_error["error"]["code"] == "unknown_host"


def test_allowed_hosts(tmp_path):
    client = make_app(
        tmp_path, host="0.0.0.0", allowed_hosts=("kb.example.org", ".centres.example")
    ).test_client()
    ok = ["localhost:5000", "127.0.0.1", "[::1]:8080", "KB.example.org", "a.centres.example"]
    for host in ok:
        assert client.get("/healthz", headers={"Host": host}).status_code == 200, host
    for host in ("0.0.0.0", "example.org", "centres.example.evil", "kb.example.org:x", ""):
        assert client.get("/healthz", headers={"Host": host}).status_code == 400, host
    bound = make_app(tmp_path, host="192.0.2.10").test_client()
    assert bound.get("/healthz", headers={"Host": "192.0.2.10:5000"}).status_code == 200


# Passwords and sign-in --------------------------------------------------------------------------
def test_sign_in_session_csrf_and_sign_out(tmp_path):
    client = make_app(tmp_path, admin_password="correct horse").test_client()
    page = client.get("/admin", headers=HTML)
    assert page.status_code == 401 and 'type="password"' in page.get_data(as_text=True)
    token = csrf(page.get_data(as_text=True))
    wrong = client.post("/admin/sign-in", data={"csrf_token": token, "password": "nope"})
    assert wrong.status_code == 401 and "Wrong password" in wrong.get_data(as_text=True)
    signed = client.post(
        "/admin/sign-in",
        data={"csrf_token": token, "password": "correct horse", "next": "/admin"},
    )
    assert signed.status_code == 302 and signed.headers["Location"] == "/admin"
    html = client.get("/admin").get_data(as_text=True)
    assert "Sign out" in html
    token = csrf(html)
    assert client.post("/admin/reindex", data={}).status_code == 400  # no token
    assert client.post("/admin/reindex", data={"csrf_token": token}).status_code == 302
    client.post("/admin/sign-out", data={"csrf_token": token})
    assert client.get("/admin").status_code == 401


def test_sign_in_needs_the_form_token_and_stays_on_this_site(tmp_path):
    client = make_app(tmp_path, admin_password="pw-1234").test_client()
    assert client.post("/admin/sign-in", data={"password": "pw-1234"}).status_code == 400
    token = csrf(client.get("/admin/sign-in").get_data(as_text=True))
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            "/admin/sign-in", data={"csrf_token": token, "password": "pw-1234", "next": target}
        )
        assert response.headers["Location"] == "/admin", target
        client.post("/admin/sign-out", data={"csrf_token": csrf(client.get("/admin").text)})
        token = csrf(client.get("/admin/sign-in").get_data(as_text=True))


def test_basic_auth_for_scripts_needs_no_form_token(tmp_path):
    client = make_app(tmp_path, admin_password="pw-1234").test_client()
    refused = client.get("/admin")
    assert refused.status_code == 401 and "Basic" in refused.headers["WWW-Authenticate"]
    assert client.get("/admin?format=json", headers=basic("pw-1234")).status_code == 200
    response = client.post("/admin/reindex", headers=basic("pw-1234"))
    assert response.status_code == 302
    assert client.post("/admin/reindex", headers=basic("wrong")).status_code == 401


def test_the_plain_password_is_not_kept(tmp_path):
    app = make_app(tmp_path, admin_password="plain-secret-42")
    kept = repr(dict(app.config)) + repr(app.extensions["kb_settings"])
    kept += repr(vars(app.extensions["kb_jobs"])) + repr(vars(app.extensions["kb_engine"]))
    assert "plain-secret-42" not in kept
    assert app.extensions["kb_settings"].admin_password is None
    assert app.extensions["kb_admin"].password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_password_hash_from_kb_hash_password(tmp_path):
    made = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "hash-password"],
        input="from-a-script\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert "from-a-script" not in made
    client = make_app(tmp_path, admin_password_hash=made).test_client()
    assert client.get("/admin", headers=basic("from-a-script")).status_code == 200
    assert client.get("/admin", headers=basic("from-a-scrip")).status_code == 401
    from indexer.errors import ConfigError

    with pytest.raises(ConfigError, match="KB_ADMIN_PASSWORD_HASH"):
        make_app(tmp_path, admin_password_hash="from-a-script")


# Throttling -------------------------------------------------------------------------------------
def test_throttle_doubles_the_wait_then_locks_out_and_forgets():
    from webapp.security.throttle import SignInThrottle

    throttle = SignInThrottle(None)
    t = 1000.0
    waits = []
    for _ in range(SignInThrottle.CLIENT.lock_after):
        throttle.failed("client:a", now=t)
        waits.append(throttle.retry_after("client:a", now=t))
    free = SignInThrottle.CLIENT.free
    assert waits[:free] == [0.0] * free
    assert waits[free : free + 4] == [1.0, 2.0, 4.0, 8.0]
    assert waits[-1] == SignInThrottle.WINDOW  # locked out for the window
    assert throttle.retry_after("client:b", now=t) == 0.0  # others are not affected …
    later = t + SignInThrottle.WINDOW + 1
    assert throttle.retry_after("client:a", now=later) == 0.0
    throttle.failed("client:a", now=later)  # … and a window later it starts afresh
    assert throttle.retry_after("client:a", now=later) == 0.0


def test_throttle_overall_catches_many_clients():
    from webapp.security.throttle import SignInThrottle

    throttle = SignInThrottle(None)
    for n in range(SignInThrottle.OVERALL.free + 1):
        throttle.failed(f"client:{n}", now=50.0)
    assert throttle.retry_after("client:new", now=50.0) > 0


def test_throttle_is_shared_by_server_processes(tmp_path):
    from webapp.security.throttle import SignInThrottle

    one, two = SignInThrottle(tmp_path / "s.sqlite3"), SignInThrottle(tmp_path / "s.sqlite3")
    for _ in range(SignInThrottle.CLIENT.free + 1):
        one.failed("client:x", now=10.0)
    assert two.retry_after("client:x", now=10.0) == 1.0


def test_guessing_is_refused_unchecked_and_logged(tmp_path, caplog):
    """Before: 2,000 wrong passwords at 355/s, never slowed."""
    from webapp.security.throttle import SignInThrottle

    app = make_app(tmp_path, admin_password="the-right-one")
    # The guesses arrive within one second however slowly a busy machine answers them (on a
    # slow one the first wait had run out before the last guess, and one more was checked).
    app.extensions["kb_admin"].throttle.clock = lambda: 1_000_000.0
    client = app.test_client()
    attacker = {"REMOTE_ADDR": "127.0.0.1"}
    statuses = []
    with caplog.at_level(logging.INFO, logger="webapp.security"):
        for n in range(60):
            response = client.get("/admin", headers=basic(f"guess-{n}"), environ_base=attacker)
            statuses.append(response.status_code)
        right = client.get("/admin", headers=basic("the-right-one"), environ_base=attacker)
    free = SignInThrottle.CLIENT.free
    assert statuses[:free] == [401] * free
    assert statuses[free:].count(429) >= 55  # the rest never reach the password check
    assert right.status_code == 429 and int(right.headers["Retry-After"]) >= 1
    failures = [r for r in caplog.records if "sign-in failed from 127.0.0.1" in r.getMessage()]
    refusals = [r for r in caplog.records if "refused (throttled" in r.getMessage()]
    assert len(failures) == free + 1 and len(refusals) >= 55


def test_each_client_behind_a_trusted_proxy_has_its_own_throttle(tmp_path):
    from webapp.security.clients import client_key
    from webapp.security.throttle import SignInThrottle

    client = make_app(
        tmp_path, admin_password="pw-1234", trusted_proxies=("127.0.0.1",)
    ).test_client()

    def attempt(visitor, password):
        return client.get(
            "/admin", headers={**basic(password), "X-Forwarded-For": visitor}
        ).status_code

    for _ in range(SignInThrottle.CLIENT.free + 1):
        attempt("198.51.100.1", "wrong")
    assert attempt("198.51.100.1", "pw-1234") == 429
    assert attempt("198.51.100.2", "pw-1234") == 200
    # An untrusted peer's X-Forwarded-For is ignored: it is judged by its own address.
    direct = client.get(
        "/admin",
        headers={**basic("pw-1234"), "X-Forwarded-For": "198.51.100.2"},
        environ_base={"REMOTE_ADDR": "192.0.2.99"},
    )
    assert direct.status_code == 200
    assert client_key("2001:db8::1") == client_key("2001:db8::ffff")  # one /64, one client


# Headers and cookies ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    ["/", "/search?q=results", "/api/search?q=x", "/admin", "/nope", "/static/app.js", "/healthz"],
)
def test_security_headers_on_every_response(tmp_path, url):
    response = make_app(tmp_path).test_client().get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_handlers():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert "javascript:" not in text, template.name


def test_session_cookie_flags(tmp_path):
    app = make_app(tmp_path, trusted_proxies=("127.0.0.1",))
    client = app.test_client()
    plain = client.get("/?lang=bg").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    https = client.get("/?lang=el", base_url="https://localhost").headers["Set-Cookie"]
    assert "Secure" in https
    proxied = client.get("/?lang=pt", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in proxied.headers["Set-Cookie"]
    forced = make_app(tmp_path, secure_cookies=True).test_client()
    assert "Secure" in forced.get("/?lang=bg").headers["Set-Cookie"]


def test_a_session_is_good_in_every_server_process(tmp_path):
    """Prefork: each process hashes a plain password with its own salt; a session signed in on
    one must still count on the others (they share the data folder's secret key)."""
    one = make_app(tmp_path, admin_password="pw-1234").test_client()
    two = make_app(tmp_path, admin_password="pw-1234").test_client()
    token = csrf(one.get("/admin/sign-in").get_data(as_text=True))
    one.post("/admin/sign-in", data={"csrf_token": token, "password": "pw-1234"})
    cookie = one.get_cookie("session")
    two.set_cookie("session", cookie.value)
    assert two.get("/admin").status_code == 200
    other = make_app(tmp_path, admin_password="changed-5678").test_client()
    other.set_cookie("session", cookie.value)
    assert other.get("/admin").status_code == 401  # a new password ends old sessions


def test_deleting_the_sign_in_counts_clears_them_and_throttling_goes_on(tmp_path):
    """As the admin guide says, deleting sign-in.sqlite3 clears the counts (before: every later
    failed sign-in answered 500, and nothing was throttled until a restart)."""
    from webapp.security.throttle import SignInThrottle

    app = make_app(tmp_path, admin_password="the-right-one")
    client = app.test_client()
    counts = app.extensions["kb_settings"].home / "sign-in.sqlite3"
    free = SignInThrottle.CLIENT.free
    for n in range(free):
        assert client.get("/admin", headers=basic(f"guess-{n}")).status_code == 401
    assert counts.is_file()
    counts.unlink()
    statuses = [client.get("/admin", headers=basic(f"again-{n}")).status_code for n in range(6)]
    assert statuses[:free] == [401] * free and statuses[free + 1 :] == [429] * (5 - free)
    assert counts.is_file()
    assert client.get("/admin", headers=basic("the-right-one")).status_code == 429


def test_after_signing_in_only_this_apps_own_pages_are_gone_to(tmp_path):
    """Before: ``next=/%09/evil.example`` led to ``Location: //evil.example`` (the tab is dropped
    on the way out), and ``next=/%0a/x`` answered 500."""
    client = make_app(tmp_path, admin_password="pw-1234").test_client()
    kept = {"/admin/runs": "/admin/runs", "/search?q=coop&page=2": "/search?q=coop&page=2"}
    refused = [
        "/\t/evil.example",
        "/%09/evil.example",
        "/\n/x",
        "/\r\nSet-Cookie: x=1",
        "/ /evil.example",
        "///evil.example",
        "/\\/evil.example",
        "https://evil.example/admin",
        "/no/such/page",
        "javascript:alert(1)",
        "/admin\x00",
    ]
    for target in [*kept, *refused]:
        token = csrf(client.get("/admin/sign-in").get_data(as_text=True))
        response = client.post(
            "/admin/sign-in", data={"csrf_token": token, "password": "pw-1234", "next": target}
        )
        assert response.status_code == 302, target
        assert response.headers["Location"] == kept.get(target, "/admin"), target
        client.post("/admin/sign-out", data={"csrf_token": csrf(client.get("/admin").text)})
    # The address a visitor asked for before signing in is where the form leads.
    page = client.get("/admin/runs?format=html", headers=HTML)
    assert 'value="/admin/runs?format=html"' in page.get_data(as_text=True)


def test_without_a_password_the_admin_needs_the_token_kb_serve_printed(tmp_path):
    """A reverse proxy that adds no header of its own connects from 127.0.0.1 like a local
    browser (before: the admin was open to anyone behind it, and a remote upload was indexed).
    Only whoever saw `kb serve`'s terminal knows the token."""
    app = make_app(tmp_path, admin_token="terminal-secret-123")
    proxied = app.test_client()  # a bare proxy_pass: local address, no forwarding header
    for path in ("/admin", "/api/admin/runs", "/admin/runs?token=wrong-guess"):
        refused = proxied.get(path)
        assert refused.status_code == 403, path
        assert "printed on its terminal" in refused.get_data(as_text=True)
    assert proxied.post("/admin/reindex").status_code == 403
    assert "/admin/documents" not in proxied.get("/").get_data(as_text=True)

    browser = app.test_client()
    opened = browser.get("/admin/runs?token=terminal-secret-123&format=html", headers=HTML)
    assert opened.status_code == 302 and opened.headers["Location"] == "/admin/runs?format=html"
    page = browser.get("/admin", headers=HTML)
    assert page.status_code == 200
    assert browser.post("/admin/reindex", data={"csrf_token": csrf(page.text)}).status_code == 302
    # Scripts show it each time: as the password of HTTP Basic, or in the address.
    script = app.test_client()
    assert script.get("/api/admin/runs", headers=basic("terminal-secret-123")).status_code == 200
    assert script.get("/api/admin/runs?token=terminal-secret-123").status_code == 200
    assert script.get("/api/admin/runs").status_code == 403
    # A proxy's header still closes it, token or not.
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    assert browser.get("/admin", headers=forwarded).status_code == 403


def test_signing_out_ends_every_copy_of_the_session(tmp_path):
    """Before: a session cookie copied before Sign out kept working for 8 hours."""
    app = make_app(tmp_path, admin_password="correct horse")
    client = app.test_client()
    token = csrf(client.get("/admin", headers=HTML).text)
    client.post("/admin/sign-in", data={"csrf_token": token, "password": "correct horse"})
    cookie = client.get_cookie("session")
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/admin").status_code == 200
    client.post("/admin/sign-out", data={"csrf_token": csrf(client.get("/admin").text)})
    assert client.get("/admin").status_code == 401
    assert copy.get("/admin").status_code == 401
    # Signing in again gives a new session that works.
    token = csrf(client.get("/admin", headers=HTML).text)
    client.post("/admin/sign-in", data={"csrf_token": token, "password": "correct horse"})
    assert client.get("/admin").status_code == 200
