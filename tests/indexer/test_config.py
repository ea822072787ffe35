"""One configuration path: every KB_* variable is read by Settings.from_env, and documented."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.config import ENVIRONMENT, Settings
from indexer.errors import ConfigError

PROJECT = Path(__file__).resolve().parents[2]
SOURCES = ("indexer", "webapp", "bench", "tests", "docs", ".ci")
VARIABLE = re.compile(r"\bKB_[A-Z][A-Z0-9_]*\b")


def _project_files():
    for folder in SOURCES:
        for path in (PROJECT / folder).rglob("*"):
            if (
                path.is_file()
                and path.suffix in (".py", ".md", ".html", ".js", "")
                and ("__pycache__" not in path.parts)
            ):
                yield path


def _mentioned() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in _project_files():
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for name in VARIABLE.findall(text):
            found.setdefault(name, set()).add(str(path.relative_to(PROJECT)))
    return found


def test_every_variable_is_documented_in_the_readme_or_admin_guide():
    documented = (PROJECT / "README.md").read_text("utf-8") + (
        PROJECT / "docs" / "admin.md"
    ).read_text("utf-8")
    names = set(_mentioned()) | {name for name, _field, _parse in ENVIRONMENT}
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert not missing, f"not documented in README.md or docs/admin.md: {missing}"


def test_the_program_reads_kb_variables_only_through_settings():
    fields = {f for _n, f, _p in ENVIRONMENT}
    assert fields <= set(Settings.__dataclass_fields__)
    for folder in ("indexer", "webapp"):
        for path in (PROJECT / folder).rglob("*.py"):
            if path.name == "config.py":
                continue
            text = path.read_text("utf-8")
            assert "os.environ" not in text and "getenv" not in text, path
    program_variables = {
        n
        for n, places in _mentioned().items()
        if any(p.startswith(("indexer", "webapp")) for p in places)
    }
    assert program_variables <= {n for n, _f, _p in ENVIRONMENT}


def test_from_env_reads_every_variable():
    env = {
        "KB_HOME": "~/kb-home",
        "KB_CORPUS": "/srv/docs",
        "KB_CACHE": "/var/cache/kb",
        "KB_WORKERS": "3",
        "KB_FILE_TIMEOUT": "12.5",
        "KB_WORKER_MEMORY_MB": "512",
        "KB_MAX_UPLOAD_MB": "20",
        "KB_MAX_DOCUMENT_CHARS": "100000",
        "KB_SERVE_WORKERS": "3",
        "KB_OCR": "0",
        "KB_OCR_LANGUAGES": "bg+el, en",
        "KB_DICTIONARIES": "/opt/dictd",
        "KB_PREVIEW_CACHE_MB": "64",
        "KB_ADMIN_PASSWORD": "pw",
        "KB_ADMIN_PASSWORD_HASH": "scrypt:32768:8:1$salt$hash",
        "KB_SECRET_KEY": "key",
        "KB_SECURE_COOKIES": "1",
        "KB_ALLOWED_HOSTS": "kb.example.org, .centres.example",
        "KB_TRUSTED_PROXIES": "127.0.0.1 10.0.0.0/8",
        "KB_CORS_ORIGINS": "https://portal.example.org *",
    }
    assert set(env) == {n for n, _f, _p in ENVIRONMENT}
    s = Settings.from_env(env)
    assert s.home == Path("~/kb-home").expanduser() and s.corpus == Path("/srv/docs")
    assert s.cache == Path("/var/cache/kb") and s.workers == 3 and s.file_timeout == 12.5
    assert s.worker_memory_mb == 512 and s.max_upload_mb == 20 and s.secure_cookies is True
    assert s.serve_workers == 3 and s.ocr is False and s.ocr_languages == ("bg", "el", "en")
    assert s.preview_cache_mb == 64 and s.max_document_chars == 100_000
    assert s.dictionaries == Path("/opt/dictd")
    assert s.allowed_hosts == ("kb.example.org", ".centres.example")
    assert s.trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    assert s.cors_origins == ("https://portal.example.org", "*")
    assert s.admin_password == "pw" and s.secret_key == "key"
    assert "pw" not in repr(s) and "key'" not in repr(s)  # secrets stay out of logs
    assert Settings.from_env({"KB_WORKERS": "  "}).workers == Settings().workers  # blank = unset
    assert Settings.from_env(env, home=Path("/x")).home == Path("/x")  # explicit wins


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KB_WORKERS", "many"),
        ("KB_FILE_TIMEOUT", "soon"),
        ("KB_SECURE_COOKIES", "maybe"),
        ("KB_TRUSTED_PROXIES", "proxy.example"),
    ],
)
def test_bad_values_name_the_variable(variable, value):
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_a_bad_variable_is_one_line_from_the_cli(tmp_path):
    env = {**os.environ, "KB_HOME": str(tmp_path), "KB_WORKERS": "lots"}
    proc = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "status"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["kb: KB_WORKERS must be a whole number, not 'lots'"]


def test_create_app_has_one_signature():
    from webapp import create_app

    assert list(inspect.signature(create_app).parameters) == ["settings"]
