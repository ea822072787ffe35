"""The kb command as outside tools use it: real processes, real exit codes, JSON on stdout."""

import json
import os
import re
import subprocess
import sys

import pytest

from indexer.config import Settings
from tests.factories import TEXTS, encrypt_pdf, make_docx, make_pdf, make_text


def kb(settings, *args, check=True):
    env = {
        **os.environ,
        "KB_HOME": str(settings.home),
        "KB_CORPUS": str(settings.corpus),
        "KB_WORKERS": "2",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"kb {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    docs = root / "docs"
    settings = Settings(home=root / "home", corpus=docs)
    make_pdf(
        docs / "reports/centres_en.pdf",
        [TEXTS["en"], "Annex on readiness assessment."],
        title="National Competence Centres",
    )
    make_docx(docs / "bulgaria/centre_bg.docx", [[TEXTS["bg"]]], title="Център за компетентност")
    make_text(
        docs / "manifest.csv",
        "path,country,topic,type,year\n"
        "reports/centres_en.pdf,EU,competence-centres,strategic-document,2022\n"
        "bulgaria/centre_bg.docx,BG,competence-centres,report,2023\n",
    )
    plain = make_pdf(docs / "x.pdf", [TEXTS["en"]])
    encrypt_pdf(plain, docs / "locked.pdf", user_password="pw")
    plain.unlink()
    proc = kb(settings, "index")
    assert "2 added" in proc.stdout and "1 failed" in proc.stdout
    return settings


def test_index_summary_json(settings, docs):
    make_text(docs / "a.txt", TEXTS["pt"])
    summary = json.loads(kb(settings, "index", "--json").stdout)
    assert summary["added"] == 1 and summary["pages"] == 1
    assert set(summary) >= {"added", "updated", "removed", "failed", "pages", "seconds"}
    again = json.loads(kb(settings, "index", "--json").stdout)
    assert again["added"] == 0 and again["unchanged"] == 1


def test_search_json_has_hits_pages_and_all_facets(indexed):
    result = json.loads(kb(indexed, "search", "readiness", "--no-expand", "--json").stdout)
    assert result["total"] == 1
    hit = result["hits"][0]
    assert hit["path"] == "reports/centres_en.pdf" and hit["pages"] == [2]
    assert hit["snippets"][0]["page"] == 2
    assert all(result["facets"][f] for f in ("country", "topic", "language", "type", "year"))


def test_search_filters_or_within_and_across(indexed):
    both = json.loads(
        kb(indexed, "search", "", "--country", "EU", "--country", "BG", "--json").stdout
    )
    assert both["total"] == 2
    one = json.loads(
        kb(
            indexed, "search", "", "--country", "EU", "--country", "BG", "--year", "2023", "--json"
        ).stdout
    )
    assert [h["path"] for h in one["hits"]] == ["bulgaria/centre_bg.docx"]


def test_search_text_output(indexed):
    out = kb(indexed, "search", "центъра").stdout
    assert "1 document(s)" in out and "bulgaria/centre_bg.docx" in out


def test_search_that_finds_nothing_says_what_to_change(indexed):
    out = kb(indexed, "search", "zqxwv?").stdout
    assert "0 document(s)" in out and "No document has: zqxwv. Check the spelling." in out


def test_bad_query_is_a_clear_error_with_status_1(indexed):
    proc = kb(indexed, "search", "*tion", check=False)
    assert proc.returncode == 1
    assert "cannot start with" in proc.stderr


def test_list_json(indexed):
    docs = json.loads(kb(indexed, "list", "--json").stdout)
    assert [d["path"] for d in docs] == ["bulgaria/centre_bg.docx", "reports/centres_en.pdf"]
    assert set(docs[0]) >= {
        "id",
        "path",
        "title",
        "language",
        "languages",
        "country",
        "topic",
        "type",
        "year",
        "pages",
    }
    assert docs[1]["pages"] == 2 and docs[1]["languages"] == ["en"]


def test_status_lists_failures(indexed):
    status = json.loads(kb(indexed, "status", "--json").stdout)
    assert status["counts"]["indexed"] == 2 and status["counts"]["failed"] == 1
    assert status["failed"][0]["path"] == "locked.pdf"
    assert "password" in status["failed"][0]["reason"]
    assert status["index_size"] > 0 and status["last_run"]["finished"]
    text = kb(indexed, "status").stdout
    assert "locked.pdf" in text


def test_strict_fails_when_a_file_failed(indexed):
    assert kb(indexed, "index", "--strict", check=False).returncode == 3
    assert kb(indexed, "index").returncode == 0


def test_a_command_loads_its_own_modules_only(settings, tmp_path):
    """`kb index` starts its run without loading the search side or the web app (a fifth of
    its start before), and every command is still listed and answers."""
    make_text(settings.corpus / "note.txt", TEXTS["en"])
    script = (
        "import sys\n"
        "from indexer.cli import main\n"
        "try:\n"
        "    main(['index'])\n"
        "except SystemExit as end:\n"
        "    assert not end.code, end.code\n"
        "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('indexer.')}))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('flask', 'webapp'))))\n"
    )
    env = {**os.environ, "KB_HOME": str(settings.home), "KB_CORPUS": str(settings.corpus)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    packages, web = done.stdout.splitlines()[-2:]
    assert "ingest" in packages and "store" in packages
    assert "search" not in packages and "translation" not in packages
    assert web == "[]"
    listed = kb(settings, "--help").stdout
    commands = ["export-manifest", "hash-password", "index", "list", "search", "serve"]
    commands += ["status", "watch"]
    for command in commands:
        assert re.search(rf"^  {command} ", listed, re.M), command
    # Each command's help, asked in one process of its own (one start instead of one each):
    # each answer is written apart, so a command that fails to answer is named.
    helps = (
        "import contextlib, io, json, sys\n"
        "from indexer.cli import main\n"
        "answers = {}\n"
        "for command in sys.argv[1:]:\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        try:\n"
        "            main([command, '--help'])\n"
        "        except SystemExit as end:\n"
        "            assert not end.code, (command, end.code)\n"
        "    answers[command] = out.getvalue()\n"
        "print(json.dumps(answers))\n"
    )
    answered = subprocess.run(
        [sys.executable, "-c", helps, *commands],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert answered.returncode == 0, answered.stderr
    answers = json.loads(answered.stdout)
    assert sorted(answers) == sorted(commands)
    for command in commands:
        assert "Usage: " in answers[command], command


def test_missing_folder_is_an_error(settings, tmp_path):
    proc = kb(settings, "index", str(tmp_path / "nope"), check=False)
    assert proc.returncode != 0
    assert "nope" in proc.stderr


def _serve(settings, port):
    env = {**os.environ, "KB_HOME": str(settings.home), "KB_CORPUS": str(settings.corpus)}
    return subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _health(port, timeout=120.0):
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return json.loads(r.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_once(settings, documents=0):
    """Start `kb serve`, wait for its health check (and until it has ``documents``: the index
    is built beside the server), stop it: the health and what it printed."""
    import time

    port = _free_port()
    server = _serve(settings, port)
    try:
        health = _health(port)
        deadline = time.monotonic() + 120
        while health.get("documents", 0) < documents and time.monotonic() < deadline:
            time.sleep(0.2)
            health = _health(port)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    return health, output


def test_serve_indexes_an_empty_data_folder_while_it_answers(tmp_path):
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs")
    make_text(settings.corpus / "note.txt", TEXTS["en"])
    health, output = _serve_once(settings, documents=1)
    assert health["status"] == "ok" and health["documents"] == 1
    assert "indexing" in output and "while serving" in output and "Serving on" in output


def test_serve_starts_while_another_run_builds_the_index(tmp_path):
    from indexer.store import index as store

    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs")
    make_text(settings.corpus / "note.txt", TEXTS["en"])
    port = _free_port()
    with store.run_lock(settings):  # as a second server or `kb index` would hold it
        server = _serve(settings, port)
        try:
            assert _health(port)["status"] == "empty"
        finally:
            server.terminate()
            output = server.communicate(timeout=10)[0]
    assert "Another run is building the index" in output


def test_serve_without_a_password_prints_the_admin_address_with_its_token(tmp_path):
    """No proxy can make strangers local: the admin opens only with the printed secret."""
    import urllib.error
    import urllib.request

    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs")
    settings.corpus.mkdir()
    port = _free_port()
    server = _serve(settings, port)
    try:
        printed = ""
        while "?token=" not in printed:
            line = server.stdout.readline()
            assert line, printed
            printed += line
        address = re.search(r"(http://\S+/admin\?token=\S+)", printed).group(1)
        assert address.startswith(f"http://127.0.0.1:{port}/admin?token=")
        _health(port)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/admin/runs", timeout=10)
        assert refused.value.code == 403
        with urllib.request.urlopen(address.replace("/admin?", "/api/admin/runs?")) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        server.communicate(timeout=10)


@pytest.mark.slow
def test_every_error_is_one_line_and_debug_shows_the_traceback(tmp_path, indexed):
    settings = indexed
    cases = [
        (("index", str(tmp_path / "nope")), "documents folder not found"),
        (("search", "*tion"), "cannot start with"),
    ]
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    cases.append((("--home", str(a_file), "index"), "is a file where a folder is needed"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "catalog.sqlite3").write_bytes(b"not a database, just bytes " * 200)
    cases.append((("--home", str(broken), "status"), "the catalog cannot be used"))
    for args, message in cases:
        proc = kb(settings, *args, check=False)
        assert proc.returncode == 1, args
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kb: ") and message in lines[0], proc.stderr
        debug = kb(settings, "--debug", *args, check=False)
        assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr


def test_search_years_as_ranges(reader_settings):
    def paths(*args):
        out = json.loads(kb(reader_settings, "search", "", *args, "--json").stdout)
        return {h["path"] for h in out["hits"]}

    assert paths("--year", "2021-2023") == {
        "en/handbook_en.pdf",
        "bg/report_bg.pdf",
        "el/brief_el.pdf",
    }
    assert paths("--year-from", "2022") == paths("--year", "2022-")
    assert paths("--year", "undated") == {"en/notes_en.txt"}
    bad = kb(reader_settings, "search", "", "--year", "2021-20x", check=False)
    assert bad.returncode != 0 and "year" in bad.stderr


def test_search_text_output_says_the_best_page_and_other_alphabets(reader_settings):
    out = kb(reader_settings, "search", "payment deadline", "--no-expand").stdout
    assert "best match on p. 6" in out
    out = kb(reader_settings, "search", "plashtane").stdout
    assert "plashtane as плащане" in out


def test_an_index_in_an_earlier_layout_is_named_and_serve_rebuilds_it_first(tmp_path):
    from indexer.store import index as store

    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs")
    make_text(settings.corpus / "note.txt", TEXTS["en"])
    kb(settings, "index")
    (store.current_dir(settings) / "kb-schema-version").write_text("4", "utf-8")

    assert "written by an earlier version: `kb index` rebuilds it" in kb(settings, "status").stdout
    search = kb(settings, "search", "centre", check=False)
    assert search.returncode == 1
    assert search.stderr.count("\n") == 1 and "run `kb index`" in search.stderr

    health, output = _serve_once(settings, documents=1)
    assert health["status"] == "ok" and health["documents"] == 1
    assert "written by an earlier version: rebuilding it while serving" in output
    assert not store.index_outdated(settings)


def test_status_says_whether_scans_are_read_and_what_is_missing(indexed, tmp_path):
    from indexer.ingest.extract import ocr

    if ocr.engine_version() is not None:
        found = json.loads(kb(indexed, "status", "--json").stdout)["ocr"]
        assert found["enabled"] and found["engine"].startswith("Tesseract")
        assert {"bul", "ell", "eng", "por"} <= set(found["packs"]) and found["missing"] == []
        assert "ocr:         Tesseract" in kb(indexed, "status").stdout
    # Without Tesseract on the path: what is missing, and how to install it.
    env = {**os.environ, "KB_HOME": str(indexed.home), "PATH": str(tmp_path / "no-programs")}
    proc = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "status"], env=env, capture_output=True, text=True
    )
    assert "ocr:         Tesseract is not installed" in proc.stdout, proc.stderr
    assert "apt-get install tesseract-ocr" in proc.stdout
    off = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "status", "--json"],
        env={**env, "KB_OCR": "0"},
        capture_output=True,
        text=True,
    )
    assert json.loads(off.stdout)["ocr"]["enabled"] is False
