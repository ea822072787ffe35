"""Settings shared by the CLI, the pipeline and the web app.

Everything that varies between machines comes in through one `Settings` value built from the
environment (``KB_HOME``, ``KB_CORPUS`` …) by `Settings.from_env`, the only reader of ``KB_*``
variables; nothing reads the environment at import time, so tests and the web app can run
several configurations side by side in one process.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .languages import INDEX_LANGUAGES

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_home() -> Path:
    """Per-user data folder, following the XDG convention on Linux."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "si-knowledge-base"


def default_corpus() -> Path:
    """The bundled sample corpus when running from a checkout, else ``./corpus``."""
    bundled = _PROJECT_ROOT / "corpus"
    return bundled if bundled.is_dir() else Path.cwd() / "corpus"


def default_cache() -> Path:
    """Per-user cache folder (derived data, safe to delete), following XDG on Linux."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "si-knowledge-base"


def environment_with_module_path(first: str) -> dict[str, str]:
    """This process's environment for a child process, with the folder ``first`` first on the
    child's module path (the workers run the package their run was loaded from)."""
    inherited = os.environ.get("PYTHONPATH")
    paths = [first, *(inherited.split(os.pathsep) if inherited else [])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _whole(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _number(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None


def _path(name: str, raw: str) -> Path:
    return Path(raw).expanduser()


def _text(name: str, raw: str) -> str:
    return raw


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be 1 or 0, not {raw!r}")


def _names(name: str, raw: str) -> tuple[str, ...]:
    return tuple(v for v in raw.replace(",", " ").split() if v)


def _languages(name: str, raw: str) -> tuple[str, ...]:
    return tuple(v.lower() for v in raw.replace("+", " ").replace(",", " ").split() if v)


def _networks(name: str, raw: str) -> tuple[str, ...]:
    values = _names(name, raw)
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name}: {value!r} is not an IP address or network (such as 127.0.0.1 or "
                "10.0.0.0/8)"
            ) from None
    return values


def _origins(name: str, raw: str) -> tuple[str, ...]:
    """Web origins (``https://example.org``, a port if not the default) or ``*`` for any."""
    values = _names(name, raw)
    for value in values:
        scheme, _, rest = value.partition("://")
        if value != "*" and (scheme not in ("http", "https") or not rest or "/" in rest):
            raise ConfigError(
                f"{name}: {value!r} is not a web origin (such as https://example.org, without a "
                "path) or *"
            )
    return tuple(v.rstrip("/").lower() for v in values)


#: Every environment variable the knowledge base reads: (variable, Settings field, parser).
#: The only place that looks at ``KB_*`` variables; the README and docs/admin.md list each one.
ENVIRONMENT: tuple[tuple[str, str, Callable[[str, str], object]], ...] = (
    ("KB_HOME", "home", _path),
    ("KB_CORPUS", "corpus", _path),
    ("KB_CACHE", "cache", _path),
    ("KB_WORKERS", "workers", _whole),
    ("KB_FILE_TIMEOUT", "file_timeout", _number),
    ("KB_WORKER_MEMORY_MB", "worker_memory_mb", _whole),
    ("KB_MAX_UPLOAD_MB", "max_upload_mb", _whole),
    ("KB_MAX_DOCUMENT_CHARS", "max_document_chars", _whole),
    ("KB_SERVE_WORKERS", "serve_workers", _whole),
    ("KB_OCR", "ocr", _flag),
    ("KB_OCR_LANGUAGES", "ocr_languages", _languages),
    ("KB_DICTIONARIES", "dictionaries", _path),
    ("KB_PREVIEW_CACHE_MB", "preview_cache_mb", _whole),
    ("KB_ADMIN_PASSWORD", "admin_password", _text),
    ("KB_ADMIN_PASSWORD_HASH", "admin_password_hash", _text),
    ("KB_SECRET_KEY", "secret_key", _text),
    ("KB_SECURE_COOKIES", "secure_cookies", _flag),
    ("KB_ALLOWED_HOSTS", "allowed_hosts", _names),
    ("KB_TRUSTED_PROXIES", "trusted_proxies", _networks),
    ("KB_CORS_ORIGINS", "cors_origins", _origins),
)


@dataclass(frozen=True)
class Settings:
    """Where data lives, how hard the pipeline may work, and who may change things."""

    home: Path = field(default_factory=default_home)
    corpus: Path = field(default_factory=default_corpus)
    #: Derived data shared by every data folder on the machine (the lemma table).
    cache: Path = field(default_factory=default_cache)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    #: Wall-clock seconds one file may take to extract before its worker is killed.
    file_timeout: float = 120.0
    #: Address-space limit of an extraction worker, in MiB (0 = no limit).
    worker_memory_mb: int = 2048
    #: Pages beyond this are not extracted (recorded as a warning on the file).
    max_pages: int = 3000
    #: Characters of text indexed per document; the rest is left out (a warning on the file).
    max_document_chars: int = 2_000_000
    #: Largest upload the web app accepts, in MiB.
    max_upload_mb: int = 100
    #: Processes of `kb serve` (0 = one per core).
    serve_workers: int = 0
    languages: tuple[str, ...] = INDEX_LANGUAGES
    #: Address the server is bound to (set by ``kb serve --host``); None when another server
    #: runs the app, which then counts as reachable from anywhere.
    host: str | None = None
    #: Host names the web app answers to besides the loopback names and the bound address.
    allowed_hosts: tuple[str, ...] = ()
    #: Addresses or networks of the reverse proxies whose X-Forwarded-* headers are believed.
    trusted_proxies: tuple[str, ...] = ()
    #: Administration password, hashed by the web app at start (never kept in its config).
    admin_password: str | None = field(default=None, repr=False)
    #: The password's hash as werkzeug writes it (``kb hash-password``); wins over the above.
    admin_password_hash: str | None = field(default=None, repr=False)
    #: The secret that opens the administration without a password (``kb serve`` makes one
    #: and prints the address with it); None: no such secret is asked for.
    admin_token: str | None = field(default=None, repr=False)
    #: Key that signs sessions; else one kept in the data folder.
    secret_key: str | None = field(default=None, repr=False)
    #: Session cookies only over HTTPS even when a request does not say it came over HTTPS.
    secure_cookies: bool = False
    #: Read scanned pages with OCR (needs Tesseract installed).
    ocr: bool = True
    #: Tesseract language packs for a scan whose script is not known yet (ISO 639-1 codes).
    ocr_languages: tuple[str, ...] = INDEX_LANGUAGES
    #: Where the bilingual dictionaries are installed (dictd's files of Debian's FreeDict
    #: packages); without them the glossary alone carries a query into other languages.
    dictionaries: Path = Path("/usr/share/dictd")
    #: Disk space for cached page pictures (thumbnails, page views), in MiB.
    preview_cache_mb: int = 500
    #: Web origins whose pages may read the JSON API from the browser (CORS); ``*`` for any.
    cors_origins: tuple[str, ...] = ()
    #: The file through which the processes of one server share what they found for a
    #: request's words (``store/shared_memory.py``); set by ``kb serve``, not read
    #: from the environment.
    shared_memory: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``KB_*`` variables; explicit overrides win.

        An empty variable counts as unset. A value that cannot be understood raises
        `ConfigError` naming the variable.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}  # each parser gives its field's type
        for variable, name, parse in ENVIRONMENT:
            raw = env.get(variable, "")
            if raw.strip():
                values[name] = parse(variable, raw.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    # Locations inside the data folder -------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.sqlite3"

    @property
    def index_root(self) -> Path:
        return self.home / "index"

    @property
    def uploads_dir(self) -> Path:
        return self.home / "uploads"

    def default_roots(self) -> list[Path]:
        """Folders indexed when none are named: the documents folder and the uploads folder."""
        roots = [self.corpus]
        if self.uploads_dir.is_dir():
            roots.append(self.uploads_dir)
        return roots

    @property
    def lock_path(self) -> Path:
        return self.home / "indexing.lock"


def one_thread_per_library() -> None:
    """Libraries that start a thread per core (Tesseract's OpenMP) get one thread: extraction
    already runs one worker process per core. The one place the program writes its environment,
    which child processes inherit."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
