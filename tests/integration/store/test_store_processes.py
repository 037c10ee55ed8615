"""Several Mend processes on one database: concurrent writers, and a writer killed mid-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Insert, func, select, text

from mend.app import App, build
from mend.settings import load_settings
from mend.store import tables

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")

#: Each worker imports Mend, says "ready", waits for the go file, then opens the app
#: (upgrading the schema if needed) and runs its mode.
WORKER = r"""
import sys, time
from pathlib import Path
from datetime import UTC, datetime
from mend.app import build
from mend.domain.enums import Role
from mend.domain.model import Person
from mend.settings import load_settings

url, tag, rows, go, mode = sys.argv[1:6]
rows, go = int(rows), Path(go)
print("ready", flush=True)
deadline = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("never told to go")
    time.sleep(0.002)
app = build(load_settings({"database_url": url, "auto_upgrade": True}))
now = datetime.now(UTC)
if mode == "commit-each":
    for i in range(rows):
        with app.uow() as uow:
            uow.people.add(Person(name=f"{tag}-{i}", role=Role.COLLEAGUE, created_at=now))
            uow.commit()
    print("done", flush=True)
elif mode == "die-before-commit":
    uow = app.uow().__enter__()
    for i in range(rows):
        # Big rows, so SQLite spills uncommitted pages to the WAL before the kill.
        uow.people.add(Person(name=f"{tag}-{i}", role=Role.OTHER, notes="x" * 20_000,
                              created_at=now))
    uow.session.flush()
    print("flushed", flush=True)
    time.sleep(120)
"""


def start_workers(
    url: str, tmp_path: Path, *, tags: list[str], rows: int, mode: str
) -> list[subprocess.Popen[str]]:
    """Start the workers, wait until each has imported Mend, then let them all go at once."""
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, tag, str(rows), str(go), mode],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in tags
    ]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line == "ready\n", f"worker did not start: {line!r} {proc.stderr.read()}"  # type: ignore[union-attr]
    go.touch()
    return procs


def finish(procs: list[subprocess.Popen[str]]) -> None:
    results = [proc.communicate(timeout=90) for proc in procs]
    failures = [
        f"worker {i} exited {proc.returncode}:\n{err[-3000:]}"
        for i, (proc, (_out, err)) in enumerate(zip(procs, results, strict=True))
        if proc.returncode != 0
    ]
    assert not failures, "\n".join(failures)


def person_row(name: str, app: App) -> Insert:
    values = {"role": "colleague", "organisation": "", "notes": "", "created_at": app.now()}
    return tables.people.insert().values(name=name, **values)


def people_names(app: App) -> list[str]:
    with app.engine.connect() as conn:
        return list(conn.scalars(select(tables.people.c.name)))


def test_two_processes_writing_at_once_both_succeed(
    database_url: str, app: App, tmp_path: Path
) -> None:
    rows = 40
    procs = start_workers(database_url, tmp_path, tags=["a", "b"], rows=rows, mode="commit-each")
    finish(procs)
    assert sorted(people_names(app)) == sorted(f"{t}-{i}" for t in "ab" for i in range(rows))


def test_two_processes_starting_on_a_new_database_at_once(
    empty_database_url: str, tmp_path: Path
) -> None:
    """Both find no schema; one creates it while the other waits, then both write.

    Before schema.upgrade took the write lock first, the second process failed with
    "database is locked" on SQLite in most runs.
    """
    procs = start_workers(empty_database_url, tmp_path, tags=["a", "b"], rows=3, mode="commit-each")
    finish(procs)
    app = build(load_settings({"database_url": empty_database_url, "auto_upgrade": False}))
    try:
        assert sorted(people_names(app)) == ["a-0", "a-1", "a-2", "b-0", "b-1", "b-2"]
    finally:
        app.close()


def test_a_process_killed_mid_write_leaves_the_database_consistent(
    database_url: str, app: App, tmp_path: Path, backend: str
) -> None:
    with app.engine.begin() as conn:
        conn.execute(person_row("before", app))
    [proc] = start_workers(
        database_url, tmp_path, tags=["doomed"], rows=200, mode="die-before-commit"
    )
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline()
        assert line == "flushed\n", f"{line!r} {proc.stderr.read()}"  # type: ignore[union-attr]
        if backend == "sqlite":
            wal = Path(str(app.engine.url.database) + "-wal")
            # The kill lands after uncommitted pages reached the disk, the hard case.
            assert wal.stat().st_size > 1_000_000
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    app.engine.dispose()  # reconnect, as a new process would
    with app.engine.connect() as conn:
        if backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert people_names(app) == ["before"]

    deadline = time.monotonic() + 10
    while True:  # PostgreSQL notices the dead client at once; keep a margin anyway
        try:
            with app.uow() as uow:
                uow.session.execute(person_row("after", app))
                uow.commit()
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    assert sorted(people_names(app)) == ["after", "before"]
    with app.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(tables.people)) == 2
        if backend == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
