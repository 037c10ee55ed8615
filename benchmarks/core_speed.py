"""Core speed figures against the issue's targets, measured as whole `mend` processes.

Targets, on SQLite with 1,000 repairs and 100,000 interactions: `mend status` under
250 ms wall on Debian's own Python (issue "Scale"; it was 350 ms), `mend --help` under
200 ms, import of that JSON under 10 s, database under 100 MB. `mend status --json`,
`mend next`, `mend agenda`, `mend trust ID` and `mend repair show ID` (one of the
busiest repairs) are held to the status target too.

The data set (benchmarks/datagen.py) is written once as JSON into the work folder (a
temporary folder by default, or --workdir) and rebuilt when the generator or the sizes
change. `mend import` loads it into a fresh database --import-runs times (timed); the
last one is kept as the database the commands run on. With --import-runs 0 the kept
database is reused (imported once if missing). The
clock is pinned (MEND_NOW) to the data's "now", so overdue and due-soon items are what
a user would see. Mend's modules are compiled to bytecode first, as an installed copy
is. Each command runs --runs times after one warm-up run; the figures
are the median wall time (what PASS/FAIL is judged on), the slowest and the fastest
run, and the median CPU time (user + system) of the process, which a busy machine
disturbs less than wall time. Output goes to a pipe with colour forced on and 120
columns, as in a terminal.

Run: ``.venv/bin/python benchmarks/core_speed.py [--workdir DIR] [--runs 10]``, with a
venv made from Debian's Python for the target's figure (``/usr/bin/python3 -m venv
.venv-debian && .venv-debian/bin/pip install -e .``, then that venv's python).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGET_STATUS_MS = 250.0
TARGET_HELP_MS = 200.0
TARGET_IMPORT_S = 10.0
TARGET_DB_MB = 100.0

#: (label, arguments, target in ms); "{id}" is one of the busiest repairs.
COMMANDS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("mend --help", ("--help",), TARGET_HELP_MS),
    ("mend status", ("status",), TARGET_STATUS_MS),
    ("mend status --json", ("status", "--json"), TARGET_STATUS_MS),
    ("mend next", ("next",), TARGET_STATUS_MS),
    ("mend agenda", ("agenda",), TARGET_STATUS_MS),
    ("mend trust ID", ("trust", "{id}"), TARGET_STATUS_MS),
    ("mend repair show ID", ("repair", "show", "{id}"), TARGET_STATUS_MS),
)


@dataclass(frozen=True)
class Figure:
    name: str
    median: float
    high: float
    low: float
    target: float
    unit: str
    cpu: float | None = None

    @property
    def passed(self) -> bool:
        return self.median < self.target


def mend_executable() -> Path:
    """The `mend` script next to this Python (the venv's), else the one on PATH."""
    local = Path(sys.executable).with_name("mend")
    if local.exists():
        return local
    found = shutil.which("mend")
    if found is None:
        raise SystemExit("no `mend` command found; install Mend in this environment first")
    return Path(found)


def base_env(work: Path, database: Path) -> dict[str, str]:
    from datagen import NOW

    # A user's installed Mend runs from compiled bytecode (see compile_bytecode); a
    # PYTHONDONTWRITEBYTECODE left in the environment must not make it otherwise.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MEND_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        MEND_DATABASE_URL=str(database),
        MEND_NOW=NOW.isoformat(),
        MEND_TIMEZONE="Europe/Berlin",
        MEND_CONFIG=str(work / "no-config.toml"),
        COLUMNS="120",
        LINES="50",
        FORCE_COLOR="1",
    )
    return env


def compile_bytecode(mend: Path) -> None:
    """Compile Mend's modules as `pip install` does, so no timed run compiles them.

    An editable install (``pip install -e``) leaves that to the first import, and a
    shell with PYTHONDONTWRITEBYTECODE set never does it: every run would then spend
    tens of milliseconds compiling sources no installed copy compiles at run time.
    """
    python = mend.with_name("python")
    if not python.exists():
        python = Path(sys.executable)
    package = subprocess.run(
        [str(python), "-c", "import mend, os; print(os.path.dirname(mend.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([str(python), "-m", "compileall", "-q", package], check=True)


def data_key(repairs: int, interactions: int) -> str:
    """Changes when the sizes or the generator change, so a stale cache is rebuilt."""
    digest = hashlib.sha256((HERE / "datagen.py").read_bytes()).hexdigest()[:10]
    return f"{repairs}r-{interactions}i-{digest}"


def ensure_export(work: Path, key: str, repairs: int, interactions: int) -> Path:
    source = work / f"export-{key}.json"
    if not source.exists():
        from datagen import generate_export

        started = time.perf_counter()
        data = generate_export(repairs, interactions)
        partial = source.with_suffix(".partial")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(source)
        print(f"generated {source.name} in {time.perf_counter() - started:.1f} s")
    return source


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def database_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def timed_import(mend: Path, work: Path, source: Path, target: Path) -> float:
    """Wall seconds of `mend import` into a fresh database at ``target``."""
    remove_database(target)
    started = time.perf_counter()
    done = subprocess.run(
        [str(mend), "import", str(source)],
        env=base_env(work, target),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"`mend import` failed ({done.returncode}):\n{done.stderr}")
    return seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(
    mend: Path, env: dict[str, str], args: tuple[str, ...], runs: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``runs`` runs of `mend ARGS`, after one warm-up run."""
    walls, cpus = [], []
    for index in range(runs + 1):
        cpu = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run([str(mend), *args], env=env, capture_output=True, check=False)
        elapsed = (time.perf_counter() - started) * 1000
        if done.returncode != 0:
            raise SystemExit(
                f"`mend {' '.join(args)}` failed ({done.returncode}):\n{done.stderr.decode()}"
            )
        if index:
            walls.append(elapsed)
            cpus.append((_children_cpu() - cpu) * 1000)
    return walls, cpus


def summarize(
    name: str, values: list[float], target: float, unit: str, cpu: list[float] | None = None
) -> Figure:
    return Figure(
        name,
        statistics.median(values),
        max(values),
        min(values),
        target,
        unit,
        statistics.median(cpu) if cpu else None,
    )


def busiest_repair(database: Path) -> int:
    """The active repair with the most interactions (ties: the lowest id)."""
    with contextlib.closing(sqlite3.connect(database)) as conn:
        row = conn.execute(
            "SELECT r.id FROM repairs r JOIN interactions i ON i.repair_id = r.id "
            "WHERE r.status IN ('open', 'in_progress', 'monitoring') "
            "GROUP BY r.id ORDER BY count(*) DESC, r.id LIMIT 1"
        ).fetchone()
    if row is None:
        raise SystemExit("the data set has no active repair with interactions")
    return int(row[0])


def vacuumed_bytes(database: Path, work: Path) -> int:
    copy = work / "vacuum-copy.db"
    remove_database(copy)
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(database, copy)
    conn = sqlite3.connect(copy)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()
    size = copy.stat().st_size
    remove_database(copy)
    return size


def machine() -> str:
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{platform.machine()}, {cores} cores ({usable} usable), load {load}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def loop_seconds() -> float:
    """Seconds this Python takes for a fixed loop: how fast the machine is right now.

    A shared virtual machine's speed swings (here the same loop took 0.9 s in one hour
    and 1.8 s in the next); figures measured while it is slow are slow by as much, so
    the loop is timed before and after, beside them.
    """
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def print_table(figures: list[Figure]) -> None:
    print()
    print(
        f"{'figure':<28} {'median':>10} {'max':>10} {'min':>10} {'cpu':>8} {'target':>10}  result"
    )
    for f in figures:
        cells = [
            f"{v:,.0f} {f.unit}" if f.unit == "ms" else f"{v:,.1f} {f.unit}"
            for v in (f.median, f.high, f.low)
        ]
        cpu = f"{f.cpu:,.0f} ms" if f.cpu is not None else ""
        target = f"{f.target:,.0f} {f.unit}"
        print(
            f"{f.name:<28} "
            + " ".join(f"{c:>10}" for c in cells)
            + f" {cpu:>8} {target:>10}  {'PASS' if f.passed else 'FAIL'}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, help="keep the data set here between runs")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per command (≥ 5)")
    parser.add_argument(
        "--import-runs",
        type=int,
        default=3,
        help="timed imports into a fresh database (0: reuse the cache only)",
    )
    parser.add_argument("--repairs", type=int, default=1000)
    parser.add_argument("--interactions", type=int, default=100_000)
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")

    work = args.workdir or Path(tempfile.gettempdir()) / "mend-core-speed"
    work.mkdir(parents=True, exist_ok=True)
    mend = mend_executable()
    compile_bytecode(mend)
    before_loop = loop_seconds()
    print(f"machine: {machine()}; a fixed loop took {before_loop:.2f} s")
    print(f"work folder: {work}")

    key = data_key(args.repairs, args.interactions)
    source = ensure_export(work, key, args.repairs, args.interactions)
    database = work / f"mend-{key}.db"
    fresh = work / "fresh-import.db"

    import_seconds: list[float] = []
    for _ in range(args.import_runs):
        import_seconds.append(timed_import(mend, work, source, fresh))
        print(f"import: {import_seconds[-1]:.2f} s")
    if import_seconds:  # the newest import is the database measured below
        remove_database(database)
        fresh.replace(database)
    elif not database.exists():
        import_seconds.append(timed_import(mend, work, source, database))
    remove_database(fresh)
    size = database_bytes(database)

    env = base_env(work, database)
    repair_id = str(busiest_repair(database))
    print(f"ID: repair {repair_id}")
    figures = []
    for name, cmd_args, target in COMMANDS:
        command = tuple(a.format(id=repair_id) for a in cmd_args)
        walls, cpus = time_command(mend, env, command, args.runs)
        figures.append(summarize(name, walls, target, "ms", cpus))
        print(f"{name}: median {figures[-1].median:.0f} ms (CPU {figures[-1].cpu:.0f} ms)")
    if import_seconds:
        figures.append(summarize("import (mend import)", import_seconds, TARGET_IMPORT_S, "s"))
    mb = size / 2**20
    figures.append(Figure("database size", mb, mb, mb, TARGET_DB_MB, "MiB"))
    vac = vacuumed_bytes(database, work) / 2**20
    figures.append(Figure("database size after VACUUM", vac, vac, vac, TARGET_DB_MB, "MiB"))

    with contextlib.closing(sqlite3.connect(database)) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("repairs", "interactions", "commitments", "occurrences", "check_ins")
        }
    print(f"data: {', '.join(f'{v:,} {k}' for k, v in counts.items())}")
    print(f"runs per command: {args.runs} (+1 warm-up); imports: {len(import_seconds)}")
    print_table(figures)
    print(f"\nload after: {machine().split('load ')[1]}")
    print(
        f"a fixed loop took {before_loop:.2f} s before and {loop_seconds():.2f} s after "
        "(compare runs by it: slower loop, slower machine)"
    )
    return 0 if all(f.passed for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
