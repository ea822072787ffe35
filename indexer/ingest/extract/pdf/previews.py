"""Pictures of PDF pages for readers (thumbnails, a page view) and where each word sits on them.

Documents come from anyone, and PDF renderers have had crashes and runaway loops on hostile
files, so a page is never rendered in the serving process: a child process does it, under a
memory limit, with a time limit per page after which it is killed (and a new one started), at
most two per serving process. What it makes is cached under ``KB_HOME/previews`` by the file's
content hash (a picture stays valid as long as the content is the same), within
``KB_PREVIEW_CACHE_MB``; the oldest go first. A page that could not be rendered is remembered
and not tried again, unless the reason was passing (see `preview_failures`).

The child is ``python -m indexer.ingest.extract.pdf.previews``: it reads one JSON request per
line on its input and answers one line each.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import resource
import select
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ....config import Settings
from ....text.mojibake import repair_document
from ..picture_pages import PICTURED as PICTURED
from ..picture_pages import picture_layout
from . import preview_failures
from .rendering import PageLayout

#: Picture widths the web app asks for: thumbnails (1x, 2x) and the page view (1x, 2x).
THUMBNAIL, THUMBNAIL_2X, VIEW, VIEW_2X = 160, 320, 800, 1200
WIDTHS = (THUMBNAIL, THUMBNAIL_2X, VIEW, VIEW_2X)
FORMAT = "webp"
MIMETYPE = "image/webp"
#: Where the package is: the child process runs from there (``indexer/ingest/extract/pdf`` up).
_PACKAGE_PARENT = Path(__file__).resolve().parents[4]
#: Limits of a rendering process: its memory, and the time one page may take.
MEMORY_MB = 1024
SECONDS_PER_PAGE = 30.0
#: OCR of one page's picture stops in time for the page to be answered.
OCR_SECONDS = SECONDS_PER_PAGE * 0.8
#: A rendering process is replaced after this many pages (leaks of a C library stay bounded).
PAGES_PER_PROCESS = 200
#: Rendering processes per serving process; more requests wait their turn.
PROCESSES = 2
#: A stored layout larger than this is not read (one of MAX_LAYOUT_CHARS characters takes
#: well under a megabyte): what a page view holds in memory stays small.
MAX_LAYOUT_BYTES = 4 * 1024 * 1024
#: Boxes drawn on one page view at most.
MAX_MARKS = 1000


class PreviewError(Exception):
    """The page could not be rendered (a damaged or hostile file, or a limit was reached).

    ``passing``: the reason may not hold next time (the renderer was killed or ran out of
    time), so the page is tried again later (see `preview_failures`).
    """

    def __init__(self, message: str, passing: bool = False) -> None:
        super().__init__(message)
        self.passing = passing


class PreviewCache:
    """Rendered pages and page layouts of one data folder."""

    def __init__(self, settings: Settings) -> None:
        self.root = settings.home / "previews"
        self.limit = max(settings.preview_cache_mb, 1) * 1024 * 1024
        self._lock = threading.Lock()
        self._making = [threading.Lock() for _ in range(64)]

    def _folder(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def image(self, source: Path, sha256: str, page: int, width: int) -> Path:
        """The picture of a page, ``width`` pixels wide (one of WIDTHS), rendering it if needed."""
        if width not in WIDTHS:
            raise ValueError(f"width must be one of {WIDTHS}")
        target = self._folder(sha256) / f"{page}-{width}.{FORMAT}"
        self._ensure(target, {"file": str(source), "page": page, "image": width})
        return target

    def layout(
        self, source: Path, sha256: str, page: int, ocr_packs: str | None = None
    ) -> PageLayout:
        """The page's text layer with a box for each word (its first MAX_LAYOUT_CHARS
        characters); for a page that was read by OCR, the words Tesseract reads with
        ``ocr_packs``. Made once by a rendering process and kept with the pictures."""
        target = self._folder(sha256) / f"{page}{'.ocr' if ocr_packs else ''}.words.json"
        self._ensure(target, {"file": str(source), "page": page, "layout": True, "ocr": ocr_packs})
        try:
            if target.stat().st_size > MAX_LAYOUT_BYTES:
                raise PreviewError("the page's layout is too large to show")
            return PageLayout.from_dict(json.loads(target.read_text("utf-8")))
        except FileNotFoundError as err:  # removed by the cache's size limit meanwhile
            raise PreviewError("the page's layout was removed; ask again", passing=True) from err

    def _ensure(self, target: Path, request: dict[str, Any]) -> None:
        # One request makes a picture; others asking for it meanwhile wait and find it made.
        with self._making[hash(target) % len(self._making)]:
            if target.is_file():
                return
            failed = target.with_name(target.name + ".failed")
            reason = preview_failures.holding(failed)
            if reason is not None:
                raise PreviewError(reason)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".part")
            os.close(fd)
            try:
                _POOL.run({**request, "out": temp})
                os.replace(temp, target)
            except PreviewError as err:
                preview_failures.remember(failed, str(err), err.passing)
                raise
            finally:
                if os.path.exists(temp):
                    os.unlink(temp)
            failed.unlink(missing_ok=True)
        self._evict()

    def _evict(self) -> None:
        """Remove the oldest files while the cache is over its size."""
        with self._lock:
            files = []
            total = 0
            for path in self.root.rglob("*"):
                try:
                    st = path.stat()
                except FileNotFoundError:
                    continue
                if path.is_file():
                    files.append((st.st_mtime, st.st_size, path))
                    total += st.st_size
            if total <= self.limit:
                return
            for _mtime, size, path in sorted(files):
                path.unlink(missing_ok=True)
                total -= size
                if total <= self.limit * 0.9:
                    break


class _Renderer:
    """One rendering child process, answering requests one at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indexer.ingest.extract.pdf.previews"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=str(_PACKAGE_PARENT),
        )
        self.pages = 0

    def run(self, request: dict[str, Any]) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.pages += 1
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as err:
            raise PreviewError("the renderer stopped", passing=True) from err
        ready, _, _ = select.select([self.process.stdout], [], [], SECONDS_PER_PAGE)
        if not ready:
            self.stop()
            raise PreviewError(f"rendering took longer than {SECONDS_PER_PAGE:g} s", passing=True)
        line = self.process.stdout.readline()
        if not line:
            self.stop()
            raise PreviewError("the renderer crashed on this page", passing=True)
        error = json.loads(line).get("error")
        if error:
            raise PreviewError(f"the page could not be rendered: {error}")

    @property
    def usable(self) -> bool:
        return self.process.poll() is None and self.pages < PAGES_PER_PROCESS

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


class _Pool:
    """Up to PROCESSES renderers shared by the serving threads, started when first needed."""

    def __init__(self) -> None:
        self.slots = threading.BoundedSemaphore(PROCESSES)
        self.idle: list[_Renderer] = []
        self.lock = threading.Lock()

    def run(self, request: dict[str, Any]) -> None:
        with self.slots:
            with self.lock:
                renderer = self.idle.pop() if self.idle else None
            if renderer is None or not renderer.usable:
                if renderer is not None:
                    renderer.stop()
                renderer = _Renderer()
            try:
                renderer.run(request)
            finally:
                if renderer.usable:
                    with self.lock:
                        self.idle.append(renderer)


_POOL = _Pool()


# ---------------------------------------------------------------------------------------------
# The child process
# ---------------------------------------------------------------------------------------------
def _serve() -> int:
    """Answer rendering requests from the standard input until it closes."""
    limit = MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from .. import picture_pages
    from .rendering import layout, open_pdf, render

    for line in sys.stdin:
        try:
            request = json.loads(line)
            if picture_pages.is_picture(Path(request["file"])):
                picture_pages.answer(request, FORMAT.upper(), OCR_SECONDS)
                print(json.dumps({"ok": True}), flush=True)
                continue
            document = open_pdf(Path(request["file"]))
            try:
                number = int(request["page"])
                if not 1 <= number <= len(document):
                    raise ValueError(f"no page {number}")
                page = document[number - 1]
                if request.get("image"):
                    picture = render(page, width=int(request["image"]))
                    picture.save(request["out"], format=FORMAT.upper(), quality=80, method=4)
                if request.get("layout"):
                    found = layout(page)
                    if not found.text.strip() and request.get("ocr"):
                        found = _ocr_layout(page, request["ocr"])
                    data = found.to_dict()
                    Path(request["out"]).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
                page.close()
            finally:
                document.close()
            reply: dict[str, Any] = {"ok": True}
        except Exception as err:  # a bad file costs one answer, not the process
            reply = {"error": f"{type(err).__name__}: {err}"[:300]}
        print(json.dumps(reply), flush=True)
    return 0


def _ocr_layout(page: Any, packs: str) -> PageLayout:
    """A scanned page's words as Tesseract reads them, with their boxes."""
    from .rendering import image_dpi, render

    dpi = min(max(image_dpi(page) or 300.0, 200.0), 300.0)
    picture = render(page, dpi=dpi, grayscale=True)
    page_w, page_h = page.get_size()
    return picture_layout(picture, packs, page_w, page_h, OCR_SECONDS)


#: A word broken at a line end in a text layer: PDFium's mark for a line-end hyphen (U+FFFE,
#: or 0x02 from some fonts), or a hyphen and a line break between letters.
_BROKEN_WORD = re.compile(r"[\ufffe\x02]|(?<=[^\W\d_])[-\u00ad\x7f][ \t]*\r?\n[ \t]*(?=[^\W\d_])")


def page_marks(
    found: PageLayout,
    spans_of: Callable[[str], list[tuple[int, int]]],
    codepage: str | None = None,
) -> list[dict[str, Any]]:
    """`marks` of the words ``spans_of`` finds in a page's text layer read as search reads the
    page: text in a legacy code page (``codepage``, as the document's extraction decided)
    decoded, a word broken at a line end whole ("inno-" + "vation": marked on both lines)."""
    if codepage:
        text = repair_document([found.text], codepage)[0][0]  # one character for one
        found = PageLayout(text, found.words, found.width, found.height, found.complete)
    out = marks(found, word_spans(found.text, spans_of))
    for mark in out:
        mark["text"] = _BROKEN_WORD.sub("", mark["text"])
    return out


def word_spans(
    text: str, spans_of: Callable[[str], list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """The spans of ``text`` that ``spans_of`` finds in it with the words broken at line ends
    read whole; a broken word's span runs over both lines."""
    pieces: list[str] = []
    origin: list[int] = []
    last = 0
    for m in _BROKEN_WORD.finditer(text):
        pieces.append(text[last : m.start()])
        origin.extend(range(last, m.start()))
        last = m.end()
    pieces.append(text[last:])
    origin.extend(range(last, len(text)))
    origin.append(len(text))
    return [(origin[a], origin[b - 1] + 1) for a, b in spans_of("".join(pieces)) if b > a]


def marks(found: PageLayout, spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Boxes, in percent of the page, around the words of each span (a span that runs onto the
    next line gets a box on each line); at most MAX_MARKS."""
    starts = [w[0] for w in found.words]
    out: list[dict[str, Any]] = []
    for start, end in spans:
        lines: list[list[tuple[float, float, float, float]]] = []
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        for word in found.words[first:]:
            if word[0] >= end:
                break
            if word[1] <= start:
                continue
            box = (word[2], word[3], word[4], word[5])
            if lines and box[1] < lines[-1][-1][3]:  # overlaps the line so far: same line
                lines[-1].append(box)
            else:
                lines.append([box])
        out += [_union(line, found.text[start:end]) for line in lines]
        if len(out) >= MAX_MARKS:
            return out[:MAX_MARKS]
    return out


def _union(boxes: list[tuple[float, float, float, float]], text: str) -> dict[str, Any]:
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    return {
        "left": round(left * 100, 2),
        "top": round(top * 100, 2),
        "width": round((right - left) * 100, 2),
        "height": round((bottom - top) * 100, 2),
        "text": text,
    }


if __name__ == "__main__":
    sys.exit(_serve())
