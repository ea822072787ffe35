import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

import pytest

from indexer.ingest.preparing.file_text import extract_file
from indexer.ingest.preparing.workers import Failure, Limits, Named
from indexer.ingest.preparing.workers import run as run_workers
from indexer.ingest.preparing.workers import start as start_workers
from indexer.ingest.run import run_index
from indexer.models import Analysed
from tests.factories import TEXTS, make_pdf, make_text

#: Thirty long pages: seconds of a worker's processor time and megabytes of its memory, far
#: past the limits the tests below set. One document for all of them: made once per process.
LONG_PAGES = [TEXTS["en"] * 20] * 30


@contextlib.contextmanager
def busy_cores(processes: int):
    """Other work on the machine: processes that keep every core busy until the block ends."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


def healthy_collection(docs, count: int) -> None:
    languages = list(TEXTS)
    for n in range(count):
        lang = languages[n % len(languages)]
        pages = [f"{TEXTS[lang]} ({n}, {p})\n\n" * 25 for p in range(4)]
        make_text(docs / lang / f"note-{n:03d}_{lang}.md", f"# Note {n}\n\n" + "\f".join(pages))


@pytest.mark.slow
def test_no_healthy_file_fails_while_the_machine_is_busy(settings, docs):
    """Each file takes a fraction of a second of CPU; the limit of one and a half seconds must
    count that, not the time the file waits for a core or for the main process to write."""
    healthy_collection(docs, 40)
    with busy_cores(4):
        summary = run_index(settings.with_(file_timeout=1.5, workers=2))
    assert summary.failures == []
    assert (summary.added, summary.failed) == (40, 0)


@pytest.mark.slow
def test_time_the_caller_spends_on_a_result_does_not_count(tmp_path):
    """The main process may spend seconds on one result (a long commit); files other workers
    finished meanwhile are results, not timeouts."""
    files = [make_text(tmp_path / f"n{n}.txt", f"{TEXTS['en']} {n}") for n in range(6)]
    results = []
    tasks = [(n, str(path)) for n, path in enumerate(files)]
    for key, result in run_workers(
        tasks, Limits(cpu_seconds=1.0, memory_mb=0, max_pages=10), workers=2
    ):
        time.sleep(1.5)
        results.append((key, result))
    assert sorted(key for key, _ in results) == list(range(6))
    assert all(isinstance(result, Analysed) for _, result in results), results


def test_workers_that_ended_before_their_first_task_cost_no_run(tmp_path):
    """A worker may end before it reads a task (killed from outside while starting), taking
    with it the sibling it was to fork: handing either one a task must not end the run. The
    sibling never started on its tasks, so they are read by a worker started in its place;
    the file the ended worker had in hand is reported with the reason."""
    files = [make_text(tmp_path / f"n{n}.txt", f"{TEXTS['en']} {n}") for n in range(4)]
    limits = Limits(cpu_seconds=30.0, memory_mb=0, max_pages=10)
    started = start_workers(limits, extract_file, count=2)
    if len(started) < 2:
        pytest.skip("this system cannot fork a worker's siblings")
    first = started[0]
    first.process.kill()
    first.process.wait()
    tasks = [(n, str(path)) for n, path in enumerate(files)]
    results = dict(run_workers(tasks, limits, workers=2, early=started))
    assert sorted(results) == [0, 1, 2, 3]
    assert isinstance(results[0], Failure) and results[0].code == "memory", results[0]
    assert all(isinstance(results[n], Analysed) for n in (1, 2, 3)), results


def test_a_file_over_the_time_limit_fails_and_the_next_one_is_read(tmp_path):
    slow = make_pdf(tmp_path / "long.pdf", LONG_PAGES)
    quick = make_text(tmp_path / "quick.txt", TEXTS["en"])
    tasks = [("slow", str(slow)), ("quick", str(quick)), ("quick2", str(quick))]
    results = dict(
        run_workers(tasks, Limits(cpu_seconds=0.05, memory_mb=0, max_pages=1000), workers=1)
    )
    assert results["slow"].code == "timeout"
    assert "processor time" in results["slow"].reason
    assert results["quick"].pages[0].text.startswith("Social innovation")
    assert results["quick2"].pages[0].text.startswith("Social innovation")


def test_texts_over_the_limit_are_cut_and_the_cut_is_noted(tmp_path):
    page = "Social innovation needs patient funding. " * 500  # 20,500 characters
    path = make_text(tmp_path / "long.txt", "\f".join([page] * 10))
    [(_, result)] = run_workers(
        [("long", str(path))],
        Limits(cpu_seconds=60, memory_mb=0, max_pages=100, max_chars=50_000),
        workers=1,
    )
    assert 45_000 < result.char_count <= 50_000
    assert len(result.pages) == 3
    assert result.pages[-1].text.split()[-1] in page.split()  # cut between words
    total = f"{len(page.strip()) * 10:,}"
    assert any(f"of {total} characters" in w and "pages 1–3 of 10" in w for w in result.warnings)


@pytest.mark.slow
def test_workers_stop_a_file_that_takes_too_long(tmp_path):
    path = make_pdf(tmp_path / "long.pdf", LONG_PAGES)
    results = dict(
        run_workers(
            [("long", str(path))], Limits(cpu_seconds=0.05, memory_mb=0, max_pages=1000), workers=1
        )
    )
    assert results["long"].code == "timeout"


def test_workers_survive_a_file_that_needs_too_much_memory(tmp_path):
    path = make_pdf(tmp_path / "big.pdf", LONG_PAGES)
    ok = make_text(tmp_path / "ok.txt", TEXTS["en"])
    tasks = [("big", str(path)), ("ok", str(ok))]
    results = dict(
        run_workers(tasks, Limits(cpu_seconds=60, memory_mb=1, max_pages=1000), workers=1)
    )
    # The file that needs memory fails with a reason; the pool goes on to the next file.
    assert results["big"].code in ("memory", "crashed", "error")
    assert results["big"].reason
    assert set(results) == {"big", "ok"}
    results = dict(
        run_workers(tasks, Limits(cpu_seconds=60, memory_mb=2048, max_pages=1000), workers=1)
    )
    assert len(results["big"].pages) == 30
    assert results["ok"].pages[0].text.startswith("Social innovation")


def test_the_caller_readies_its_side_while_the_workers_start(tmp_path):
    """``started`` is called once, with the workers already starting and no result yet in,
    so whatever the caller does then overlaps with the workers' start."""
    files = [make_text(tmp_path / f"n{n}.txt", f"{TEXTS['en']} {n}") for n in range(3)]
    tasks = [(n, str(path)) for n, path in enumerate(files)]
    results: list[int] = []
    calls: list[tuple[int, set[int]]] = []

    def started() -> None:
        # The workers are the only children of this process at this point.
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(os.getpid())], capture_output=True, text=True
        ).stdout.split()
        calls.append((len(results), {int(pid) for pid in children}))

    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    for key, result in run_workers(tasks, limits, workers=2, handler=extract_file, started=started):
        assert isinstance(result, Analysed)
        results.append(key)
    assert sorted(results) == [0, 1, 2]
    assert len(calls) == 1
    before_any_result, children = calls[0]
    assert before_any_result == 0
    assert len(children) >= 1


def mark_at_exit(work: str, limits: Limits) -> int:
    """A handler whose process writes ``work`` (a path) if it ends by the interpreter's
    orderly exit; its result is the worker's process id."""
    import atexit
    from pathlib import Path

    atexit.register(Path(work).write_text, "exited in order")
    return os.getpid()


def test_a_worker_ends_at_once_after_its_last_result(tmp_path):
    """A worker's orderly exit would free every object it made (its word caches among them)
    while the run's last commit waits for it: it ends without one, after sending everything,
    and every worker is gone when the results end."""
    marks = [tmp_path / f"mark{n}" for n in range(4)]
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    tasks = [(n, str(mark)) for n, mark in enumerate(marks)]
    results = dict(run_workers(tasks, limits, workers=2, handler=mark_at_exit))
    assert sorted(results) == [0, 1, 2, 3]
    for pid in set(results.values()):
        with pytest.raises(ProcessLookupError):  # ended, and its end collected
            os.kill(pid, 0)
    assert [mark.name for mark in marks if mark.exists()] == []


def test_workers_run_this_package_whatever_folder_they_start_in(settings, docs, monkeypatch):
    """A worker is a new interpreter: it finds the package its run was loaded from, not a
    folder of the same name where the run was started, nor one named first on PYTHONPATH."""
    make_text(docs / "en" / "note_en.md", f"# Note\n\n{TEXTS['en']}")
    elsewhere = settings.home.parent / "elsewhere"
    (elsewhere / "indexer").mkdir(parents=True)
    (elsewhere / "indexer" / "__init__.py").write_text("raise ImportError('not this one')\n")
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("PYTHONPATH", str(elsewhere))
    summary = run_index(settings)
    assert summary.added == 1 and not summary.failed


def loaded_tables(work: str, limits: Limits) -> tuple[int, int, int]:
    """A handler telling which process it ran in, that process's parent, and where the
    taxonomy the worker loaded before its first file lies in its memory."""
    from indexer.text.taxonomy import load_taxonomy

    return os.getpid(), os.getppid(), id(load_taxonomy())


def test_the_second_worker_is_forked_from_the_first_once_its_tables_are_loaded(tmp_path):
    """Two workers: one interpreter loads the tables, the other is forked from it (the
    taxonomy it uses is the first one's, at the same address), and both are this process's
    children, so their ends are collected here."""
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    tasks = [(n, str(n)) for n in range(8)]
    results = dict(run_workers(tasks, limits, workers=2, handler=loaded_tables))
    seen = set(results.values())
    assert len({pid for pid, _, _ in seen}) == 2
    assert {parent for _, parent, _ in seen} == {os.getpid()}
    assert len({address for _, _, address in seen}) == 1
    for pid, _, _ in seen:
        with pytest.raises(ProcessLookupError):  # ended, and its end collected here
            os.kill(pid, 0)
    assert not adopting()  # this process adopts orphans only while siblings are on their way


def adopting() -> bool:
    """Whether this process is a child subreaper (Linux's ``PR_GET_CHILD_SUBREAPER``)."""
    flag = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(37, ctypes.byref(flag), 0, 0, 0)
    return bool(flag.value)


def stopped_by_the_system(work: str, limits: Limits) -> int:
    """A handler whose process is ended the way the system ends one out of memory."""
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


def test_a_forked_worker_stopped_by_the_system_is_told_apart_from_a_crash(tmp_path):
    """How a worker ended reaches the run for a forked one too: each file whose worker the
    system killed fails for memory, and a fresh worker takes the next."""
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    tasks = [(n, str(n)) for n in range(4)]
    results = dict(run_workers(tasks, limits, workers=2, handler=stopped_by_the_system))
    assert sorted(results) == [0, 1, 2, 3]
    assert {result.code for result in results.values()} == {"memory"}


def read_and_tell_modules(work: str, limits: Limits) -> tuple[Analysed | Failure, list[str]]:
    """A handler that reads a file as a run does, then tells which of the loads only some files
    need its process has made by then."""
    result = extract_file(work, limits)
    # Not pypdf itself: this module's factories load it in the worker with the handler.
    wanted = ("indexer.ingest.extract.pdf", "dateparser")
    return result, sorted(name for name in wanted if name in sys.modules)


def test_a_worker_whose_first_file_waits_loads_only_what_that_file_needs(tmp_path):
    """The PDF readers and dateparser's tables are loaded before the first file only while
    the worker has no task: with a Markdown file already waiting, a lone worker reads it without
    ever loading the PDF side, and reads it as this process does."""
    path = make_text(tmp_path / "note_en.md", f"# Note\n\n{TEXTS['en']}")
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    results = dict(run_workers([(0, str(path))], limits, workers=1, handler=read_and_tell_modules))
    result, loaded = results[0]
    assert isinstance(result, Analysed)
    assert result == extract_file(str(path), limits)
    assert "indexer.ingest.extract.pdf" not in loaded


def test_a_pdf_first_file_loads_its_readers_when_it_needs_them(tmp_path):
    """A worker that skipped loading the PDF readers still reads a PDF that comes first, with
    the same result as a reader in this process."""
    path = make_pdf(tmp_path / "report_en.pdf", [TEXTS["en"], TEXTS["en"]])
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    results = dict(run_workers([(0, str(path))], limits, workers=1, handler=read_and_tell_modules))
    result, loaded = results[0]
    assert isinstance(result, Analysed)
    assert result == extract_file(str(path), limits)
    assert "indexer.ingest.extract.pdf" in loaded


def test_a_worker_with_siblings_reads_its_first_file_then_loads_the_pdf_side_for_all(tmp_path):
    """The run's first file comes first: a worker with siblings to fork reads it as soon as it
    is there (its document is the first one found), and only then loads the PDF readers and
    dateparser's tables and forks. Loaded before the fork they are shared, while each sibling
    would load them again after it: every file after the first finds them, Markdown or not."""
    paths = [
        make_text(tmp_path / f"note{n}_en.md", f"# Note {n}\n\n{TEXTS['en']}") for n in range(8)
    ]
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    tasks = [(n, str(path)) for n, path in enumerate(paths)]
    results = dict(run_workers(tasks, limits, workers=2, handler=read_and_tell_modules))
    assert sorted(results) == list(range(8))
    first, loaded = results.pop(0)
    assert isinstance(first, Analysed)
    assert "indexer.ingest.extract.pdf" not in loaded
    for result, loaded in results.values():
        assert isinstance(result, Analysed)
        assert loaded == ["dateparser", "indexer.ingest.extract.pdf"]


def test_a_named_handler_is_imported_by_the_workers_not_by_the_process_starting_them(tmp_path):
    """A run starts its first worker as soon as a file is coming: with the handler named
    (`Named`), the process starting it imports neither the handler nor the analysis behind
    it (they load in the worker), and the workers, forked ones included, do what the handler
    itself does."""
    path = make_text(tmp_path / "note_en.md", f"# Note\n\n{TEXTS['en']}")
    script = (
        "import sys\n"
        "from indexer.ingest.preparing.workers import Limits, Named, run, start\n"
        "limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)\n"
        "handler = Named('indexer.ingest.preparing.file_text', 'extract_file')\n"
        "early = start(limits, handler, count=2)\n"
        "loaded = [m for m in ('indexer.ingest.preparing.file_text', 'indexer.text.detect',"
        " 'numpy') if m in sys.modules]\n"
        f"tasks = [(n, {str(path)!r}) for n in range(4)]\n"
        "results = dict(run(tasks, limits, workers=2, handler=handler, early=early))\n"
        "print(loaded, sorted(results), {type(r).__name__ for r in results.values()})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split("\n")[0] == "[] [0, 1, 2, 3] {'Analysed'}"
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    named = Named("indexer.ingest.preparing.file_text", "extract_file")
    assert named.resolve() is extract_file
    (result,) = dict(run_workers([(0, str(path))], limits, workers=1, handler=named)).values()
    assert result == extract_file(str(path), limits)


def slow_first_pdf(work: str, limits: Limits) -> tuple[int, list[str]]:
    """A handler that takes its time over the run's first file, then tells its process and
    which of the loads only some files need that process has made."""
    if work.endswith("first.pdf"):
        time.sleep(2)
    wanted = ("indexer.ingest.extract.pdf", "dateparser")
    return os.getpid(), sorted(name for name in wanted if name in sys.modules)


def test_a_worker_with_siblings_forks_them_before_reading_a_first_pdf(tmp_path):
    """A PDF that comes first needs the PDF readers and dateparser's tables, all a worker
    loads before forking its siblings: it loads them, forks, and only then reads the file,
    while the siblings read the next ones (their results come before the first file's)."""
    paths = [str(tmp_path / "first.pdf"), *(str(tmp_path / f"next{n}.pdf") for n in range(7))]
    limits = Limits(cpu_seconds=60, memory_mb=0, max_pages=10)
    results = list(run_workers(list(enumerate(paths)), limits, workers=2, handler=slow_first_pdf))
    assert sorted(key for key, _ in results) == list(range(8))
    assert results[0][0] != 0
    assert len({pid for _, (pid, _) in results}) == 2
    for _, (_, loaded) in results:
        assert loaded == ["dateparser", "indexer.ingest.extract.pdf"]
