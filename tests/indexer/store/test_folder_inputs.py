"""The catalog's fingerprints of what each folder's latest run read: kept, forgotten, gained by
an older catalog, and the digest of what changes between runs."""

from indexer.store import audit, folder_inputs
from indexer.store.catalog import Catalog
from indexer.store.corrections import drop_corrections, keep_corrections


def test_an_older_catalog_gains_the_table_when_opened_for_writing(tmp_path):
    path = tmp_path / "catalog.sqlite"
    with Catalog(path, readonly=False) as catalog:
        catalog.db.execute("DROP TABLE folder_inputs")
    with Catalog(path, readonly=True) as catalog:  # a reader changes nothing
        tables = {r[0] for r in catalog.db.execute("SELECT name FROM sqlite_master")}
        assert "folder_inputs" not in tables
    with Catalog(path, readonly=False) as catalog:
        assert folder_inputs.recorded(catalog, "/docs") is None
        folder_inputs.record(catalog, {"/docs": "a", "/more": "b"})
    with Catalog(path, readonly=False) as catalog:
        assert folder_inputs.recorded(catalog, "/docs") == "a"
        folder_inputs.record(catalog, {"/docs": "c"})
        folder_inputs.forget(catalog, ["/more", "/never-recorded"])
        assert folder_inputs.recorded(catalog, "/docs") == "c"
        assert folder_inputs.recorded(catalog, "/more") is None


def test_corrections_and_the_audit_log_change_the_digest_of_what_runs_did_not_do(tmp_path):
    with Catalog(tmp_path / "catalog.sqlite", readonly=False) as catalog:
        seen = [folder_inputs.outside_runs(catalog)]
        keep_corrections(catalog, "ab" * 32, {"title": "One"}, "admin")
        seen.append(folder_inputs.outside_runs(catalog))
        keep_corrections(catalog, "ab" * 32, {"title": "Two"}, "admin")
        seen.append(folder_inputs.outside_runs(catalog))
        drop_corrections(catalog, "ab" * 32)
        assert folder_inputs.outside_runs(catalog) == seen[0]  # the corrections' content counts
        audit.record(catalog, "admin", "delete", "some-id", "A report")
        seen.append(folder_inputs.outside_runs(catalog))
        assert len(set(seen)) == 4
        assert folder_inputs.outside_runs(catalog) == seen[-1]


def test_a_folders_live_rows_in_one_look(tmp_path):
    with Catalog(tmp_path / "catalog.sqlite", readonly=False) as catalog:
        for n, status in enumerate(("indexed", "failed", "removed")):
            catalog.db.execute(
                "INSERT INTO files(id, root, path, size, mtime_ns, sha256, status, reason_code,"
                " first_seen, updated) VALUES (?,?,?,?,?,?,?,?,0,0)",
                (f"id{n}", "/docs", f"f{n}.txt", n, n * 10, "x", status, "code" if n else None),
            )
        assert folder_inputs.live_files(catalog, "/docs") == {
            "f0.txt": (0, 0, None),
            "f1.txt": (1, 10, "code"),
        }
        assert folder_inputs.live_files(catalog, "/elsewhere") == {}
