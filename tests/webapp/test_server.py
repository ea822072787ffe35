"""A long-running `kb serve` (several worker processes) stays right while the knowledge base
changes under it: after every ordinary change — files added, changed, deleted, renamed, uploaded,
a full rebuild — its totals, document listing and searches equal what a fresh process answers,
with no document listed twice and none that is gone."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from indexer.config import Settings
from tests.factories import make_text

QUERIES = ("social", "innovation centre", "marker", "report -draft", "rare*")
#: Requests per check: the server's processes take turns, so each answer is asked for repeatedly.
REPEAT = 4

FRESH = """
import json, sys
from pathlib import Path
from indexer import SearchEngine, SearchRequest, Settings
engine = SearchEngine(Settings.from_env())
out = {"documents": sorted(d["id"] for d in engine.documents()), "searches": {}}
for q in json.loads(sys.argv[1]):
    r = engine.search(SearchRequest(q=q, sort="title", per_page=100))
    out["searches"][q] = [r["total"], [h["id"] for h in r["hits"]]]
print(json.dumps(out))
"""


def report(n: int, words: str = "") -> str:
    return (
        f"Sample report {n} on social innovation and the competence centre. "
        f"It names marker{n} and the rare{n}word. {words}\n\fSecond page of report {n}.\n"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`kb serve` in its own process group, with two worker processes."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "KB_HOME": str(settings.home),
            "KB_CORPUS": str(settings.corpus),
            "KB_WORKERS": "1",
        }
        command = ["serve", "--port", str(self.port), "--workers", "2", "--threads", "3"]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "indexer.cli", *command],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        # Without a password, the admin pages open with the token printed on the terminal.
        printed = ""
        while "token=" not in printed:
            line = self.proc.stdout.readline()  # type: ignore[union-attr]  # piped
            assert line, printed
            printed += line
        self.admin_token = re.search(r"\?token=(\S+)", printed).group(1)  # type: ignore[union-attr]
        cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                self.json("/healthz")
                return
            except OSError:
                assert self.proc.poll() is None, self.proc.stderr.read()  # type: ignore[union-attr]  # piped
                time.sleep(0.3)
        raise AssertionError("kb serve did not answer")

    def json(self, path: str) -> dict:
        with self.opener.open(self.base + path, timeout=60) as resp:
            return json.loads(resp.read())

    def status(self, path: str) -> int:
        try:
            with self.opener.open(self.base + path, timeout=60) as resp:
                return resp.status
        except urllib.error.HTTPError as err:
            return err.code

    def upload(self, name: str, content: str) -> None:
        """What an editor does on the Administration page (allowed from this computer)."""
        with self.opener.open(self.base + f"/admin?token={self.admin_token}", timeout=60) as resp:
            token = re.search(r'name="csrf_token" value="([^"]+)"', resp.read().decode()).group(1)
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n{content}\r\n--{boundary}--\r\n"
        ).encode()
        request = urllib.request.Request(
            self.base + "/admin/upload",
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with self.opener.open(request, timeout=60) as resp:
            assert resp.status == 200
            preview = resp.read().decode()
        # The files are shown as read before they are added (any server process may confirm).
        action = re.search(r'class="panel preview-form" action="([^"]+)"', preview).group(1)
        form = {"csrf_token": token, "action": "confirm"}
        form["include"] = re.search(r'name="include" value="(\d+)"', preview).group(1)
        confirm = urllib.request.Request(
            self.base + action, data=urllib.parse.urlencode(form).encode()
        )
        with self.opener.open(confirm, timeout=60) as resp:
            assert resp.status == 200 and "uploaded" in resp.read().decode()

    def answers(self) -> dict:
        """What the server says, each request asked several times (any process may answer)."""
        seen: list[dict] = []
        for _ in range(REPEAT):
            documents: list[str] = []
            page = 1
            while True:
                listing = self.json(f"/api/documents?per_page=3&page={page}")
                documents += [d["id"] for d in listing["documents"]]
                if page * 3 >= listing["total"]:
                    break
                page += 1
            assert len(documents) == len(set(documents)), "a document listed twice"
            assert len(documents) == listing["total"]
            searches = {}
            for q in QUERIES:
                query = urllib.parse.urlencode({"q": q, "sort": "title", "per_page": 100})
                r = self.json(f"/api/search?{query}")
                ids = [h["id"] for h in r["hits"]]
                assert len(ids) == len(set(ids)), f"a hit listed twice for {q!r}"
                searches[q] = [r["total"], ids]
            seen.append({"documents": sorted(documents), "searches": searches})
        assert all(s == seen[0] for s in seen), "the server's processes disagree"
        return seen[0]

    def close(self) -> None:
        os.killpg(self.proc.pid, 15)
        self.proc.wait(timeout=30)


def kb(settings: Settings, *args: str) -> str:
    env = {**os.environ, "KB_HOME": str(settings.home), "KB_CORPUS": str(settings.corpus)}
    proc = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def fresh(settings: Settings) -> dict:
    return json.loads(kb(settings, "-c", FRESH, json.dumps(QUERIES)))


def index(settings: Settings, *flags: str) -> None:
    kb(settings, "-m", "indexer.cli", "index", "--workers", "1", *flags)


@pytest.fixture
def served(tmp_path: Path):
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs")
    for n in range(8):
        make_text(settings.corpus / f"r{n}.txt", report(n))
    index(settings)
    server = Server(settings)
    yield settings, server
    server.close()


@pytest.mark.slow
def test_a_running_server_answers_as_a_fresh_process_through_many_changes(served):
    settings, server = served
    docs = settings.corpus

    def check(step: str) -> dict:
        expected = fresh(settings)
        got = server.answers()
        assert got == expected, step
        return got

    first = check("start")
    assert len(first["documents"]) == 8
    gone: list[str] = []
    for step in range(3):  # several small runs: Whoosh merges their segments along the way
        make_text(docs / f"new/a{step}.txt", report(100 + step, "draft"))
        index(settings)
        check(f"added {step}")
    make_text(docs / "r1.txt", report(1, "report rewritten with marker and innovation"))
    index(settings)
    check("changed")
    before = fresh(settings)["documents"]
    (docs / "r2.txt").unlink()
    (docs / "r3.txt").unlink()
    index(settings)
    after = check("deleted")
    gone = sorted(set(before) - set(after["documents"]))
    assert len(gone) == 2
    for doc_id in gone:
        assert server.status(f"/documents/{doc_id}") == 404
        assert server.status(f"/api/documents/{doc_id}") == 404
    (docs / "moved").mkdir()
    (docs / "r4.txt").rename(docs / "moved/r4-renamed.txt")
    index(settings)
    check("renamed")
    count = len(fresh(settings)["documents"])
    server.upload("uploaded-report.txt", report(200, "uploaded"))
    deadline = time.monotonic() + 120
    while len(fresh(settings)["documents"]) == count and time.monotonic() < deadline:
        time.sleep(0.5)  # the upload is indexed in the background by the server itself
    uploaded = check("uploaded")
    assert len(uploaded["documents"]) == count + 1
    (docs / "r5.txt").unlink()
    make_text(docs / "r9.txt", report(9))
    index(settings, "--full")
    final = check("full rebuild")
    assert len(final["documents"]) == count + 1  # the upload kept; one removed, one added
    assert server.json("/healthz")["documents"] == count + 1


@pytest.mark.slow
def test_kb_serve_answers_at_once_on_a_folder_never_indexed(tmp_path: Path):
    """Before, `kb serve` on a folder not indexed yet refused connections until the whole
    first index was built. Now it answers at once, says the knowledge base is being built, and
    its documents appear as the run commits them; the terminal shows the run's progress."""
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs")
    count = 300
    for n in range(count):
        make_text(settings.corpus / f"r{n:03}.txt", report(n))
    server = Server(settings)  # returns at the server's first answer
    try:
        first = server.json("/healthz")
        assert first["status"] in ("building", "empty", "ok")
        assert first["documents"] < count  # it answered while the first run went on
        seen = [first["documents"]]
        deadline = time.monotonic() + 240
        while seen[-1] < count and time.monotonic() < deadline:
            health = server.json("/healthz")
            if health["status"] == "building":
                assert health["progress"]["total"] in (0, count)
            seen.append(health["documents"])
            time.sleep(0.2)
        assert seen[-1] == count
        assert any(0 < n < count for n in seen)  # documents came in batches, not at the end
        assert server.json("/api/search?q=marker42")["total"] == 1
    finally:
        server.close()
    terminal = server.proc.stderr.read()  # type: ignore[union-attr]  # piped
    assert f"of {count} files" in terminal  # the run's progress, shown where serve runs


def test_the_servers_processes_share_a_file_of_their_own_gone_when_it_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """What one worker found for a request's words is kept for the other in a file the server
    makes for itself: it outlives a worker that is replaced, and goes when the server stops."""
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs")
    for n in range(4):
        make_text(settings.corpus / f"r{n}.txt", report(n))
    index(settings)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    server = Server(settings)
    try:
        for page in range(1, REPEAT + 1):
            assert server.json(f"/api/search?q=social&per_page=1&page={page}")["hits"]
        (made,) = temporary.glob("kb-serve-*")
        assert (made / "found.sqlite3").is_file()
        workers = subprocess.run(
            ["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(workers) == 2
        os.kill(int(workers[0]), 15)  # the server starts another in its place
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = subprocess.run(
                ["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True
            ).stdout.split()
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.2)
        for page in range(1, REPEAT + 1):  # answered by either process, the new one too
            assert server.json(f"/api/search?q=social&per_page=1&page={page}")["total"] == 4
        assert (made / "found.sqlite3").is_file()
    finally:
        server.close()
    assert not list(temporary.glob("kb-serve-*"))
