"""Settings shared by the CLI, the pipeline and the web app.

Everything that varies between machines comes in through one `Settings` value built from the
environment (``KB_HOME``, ``KB_CORPUS`` …); nothing below reads the environment at import time,
so tests and the web app can run several configurations side by side in one process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

#: Languages that get their own stemmed field in the index.
INDEX_LANGUAGES: tuple[str, ...] = ("en", "bg", "el", "pt")

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_home() -> Path:
    """Per-user data folder, following the XDG convention on Linux."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "si-knowledge-base"


def default_corpus() -> Path:
    """The bundled sample corpus when running from a checkout, else ``./corpus``."""
    bundled = _PROJECT_ROOT / "corpus"
    return bundled if bundled.is_dir() else Path.cwd() / "corpus"


@dataclass(frozen=True)
class Settings:
    """Where data lives and how hard the pipeline may work."""

    home: Path = field(default_factory=default_home)
    corpus: Path = field(default_factory=default_corpus)
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
    languages: tuple[str, ...] = INDEX_LANGUAGES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``KB_*`` variables; explicit overrides win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("KB_HOME"):
            values["home"] = Path(env["KB_HOME"]).expanduser()
        if env.get("KB_CORPUS"):
            values["corpus"] = Path(env["KB_CORPUS"]).expanduser()
        for key, name, conv in (
            ("KB_WORKERS", "workers", int),
            ("KB_FILE_TIMEOUT", "file_timeout", float),
            ("KB_WORKER_MEMORY_MB", "worker_memory_mb", int),
            ("KB_MAX_DOCUMENT_CHARS", "max_document_chars", int),
            ("KB_MAX_UPLOAD_MB", "max_upload_mb", int),
        ):
            if env.get(key):
                values[name] = conv(env[key])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

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
