"""A team server under load: PostgreSQL, worker processes, many accounts, many clients.

    .venv/bin/python benchmarks/team_server.py --database-url postgresql+psycopg://...
        [--accounts 1000] [--repairs-per-account 5] [--clients 100] [--workers 2]
        [--seconds 60] [--think-ms 1000] [--guests 20]

The database (it must be empty or made by an earlier run of this script, which it
reuses) gets ``--accounts`` accounts, each with ``--repairs-per-account`` repairs with a
person of their own. Then `mend serve --team --workers N` runs on it, and ``--clients``
simulated people, each logged in as a different account in a browser of their own (own
connection, own cookies), work in their own repairs: 80% reads (the board ``GET /``, a
repair's page, the API's repair list and a repair's interactions) and 20% writes (an
interaction logged through the API), each followed by a think time drawn uniformly from
0.5x to 1.5x ``--think-ms``. ``--guests`` of the clients are invited people instead:
each is invited into one repair of an account no owner client uses, opens the link (a
link session, no login) and then reads their shared page (80%) or answers the "how are
we doing?" pulse (20%), with the same think time. Everything runs on this one machine:
server, PostgreSQL and the load generator share its cores.

Each run starts from the seeded state: what earlier runs wrote is deleted first, so
that runs compare (kept, it made every run's pages heavier than the last).

Every client logs in first (argon2 costs tens of milliseconds of CPU on purpose, so a
hundred logins at once are a burst of their own); the measured part starts when all have.
Printed: requests, errors (any answer that is not the expected 2xx), p50 / p95 / p99
latency per kind and overall, the CPU a request cost the server's processes,
PostgreSQL and this load generator (which shares their cores; steadier than latency on a
busy machine), and a check that every write is
in the database afterwards (nothing lost). Targets (issue 9): p95 <= 100 ms, 0 errors, nothing lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "correct horse battery staple"
TARGET_P95_MS = 100.0


def email(k: int) -> str:
    return f"person{k:05d}@example.org"


def seed(database_url: str, accounts: int, per_account: int) -> None:
    """Accounts and their repairs, unless an earlier run made them."""
    from mend.app import build
    from mend.passwords import hash_password
    from mend.services import accounts as account_service
    from mend.services.people import add_person
    from mend.services.repairs import open_repair
    from mend.settings import load_settings

    app = build(load_settings({"database_url": database_url, "team": True}))
    try:
        have = {a.email for a in account_service.list_accounts(app.uow(write=False))}
        hashed = hash_password(PASSWORD)  # one hash for all: seeding is not the benchmark
        now = datetime.now(UTC)
        started = time.perf_counter()
        for k in range(accounts):
            if email(k) in have:
                continue
            with app.uow() as uow:
                account_id = uow.accounts.add(
                    email=email(k),
                    display_name=f"Person {k}",
                    password_hash=hashed,
                    is_admin=False,
                    now=now,
                )
                uow.commit()
            mine = app.acting_as(account_id)
            for r in range(per_account):
                person = add_person(
                    mine.uow(), name=f"Colleague {k}-{r}", role="colleague", now=now
                )
                open_repair(
                    mine.uow(),
                    person=str(person.id),
                    title=f"Missed handoff {r}",
                    what_happened="The handoff notes went out two days late.",
                    now=now,
                )
            if k % 100 == 99:
                print(f"  seeded {k + 1} accounts ({time.perf_counter() - started:.0f} s)")
    finally:
        app.close()


def forget_earlier_runs(database_url: str) -> None:
    """Back to the seeded state: delete what earlier runs wrote (every interaction, every
    invitation and what came through it) and rebuild those repairs' status rows.

    Each run writes hundreds of interactions into the same accounts' repairs; kept, they
    would make every run's pages heavier than the one before, and no two runs compare.
    """
    from sqlalchemy import create_engine, text

    from mend.store import board

    engine = create_engine(database_url)
    with engine.begin() as conn:
        touched = list(conn.execute(text("SELECT DISTINCT repair_id FROM interactions")).scalars())
        for table in (
            "their_pulses", "their_views", "their_verdicts", "agreement_comments",
            "agreement_signatures", "link_sessions", "mail_outbox", "invitations",
            "interactions", "web_sessions", "login_failures",
        ):  # fmt: skip
            conn.execute(text(f"DELETE FROM {table}"))
        board.refresh(conn, touched)
    engine.dispose()


def cpu_seconds(server_pid: int) -> tuple[float, float] | None:
    """CPU seconds used so far by the server's processes and by PostgreSQL's (Linux's
    /proc; None elsewhere). Processes that end in between are not counted."""
    proc = Path("/proc")
    if not (proc / str(server_pid)).exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def used(pid: str) -> float:
        try:
            fields = (proc / pid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    def tree(pid: str) -> list[str]:
        found = [pid]
        for children in (proc / pid / "task").glob("*/children"):
            try:
                found += [c for child in children.read_text().split() for c in tree(child)]
            except OSError:
                continue
        return found

    postgres = []
    for entry in proc.iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().startswith("postgres"):
                postgres.append(entry.name)
        except OSError:
            continue
    return sum(map(used, tree(str(server_pid)))), sum(map(used, postgres))


def count_writes(database_url: str) -> int:
    """Interactions logged by owners and pulse answers given by invited people."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM interactions)"
                    " + (SELECT count(*) FROM their_pulses)"
                )
            ).scalar_one()
        )


async def timed(
    out: dict[str, list],
    kind: str,
    label: str,
    send: Callable[[], Awaitable[httpx.Response]],
    expected: tuple[int, ...],
    *,
    write: int | None = None,
) -> None:
    """Send one request, note its latency under ``kind``, an error unless its status is
    ``expected``, and (for a write that went through) ``write`` to check later."""
    started = time.perf_counter()
    try:
        answer = await send()
        ok, status = answer.status_code in expected, str(answer.status_code)
    except httpx.HTTPError as exc:
        ok, status = False, type(exc).__name__
    out.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    if not ok:
        out["errors"].append(f"{label} {status}")
    elif write is not None:
        out["writes"].append(write)


async def measured_part(
    start: asyncio.Barrier, seconds: float, think: float, rng: random.Random, out: dict[str, list]
) -> float:
    """Wait for every client to be ready (the first through notes the CPU used so far),
    then a random part of a think time, so the first requests spread; when to stop."""
    await start.wait()
    if not out["cpu"]:
        out["cpu"], out["client"] = [cpu_seconds(out["server"][0])], [time.process_time()]
    until = time.perf_counter() + seconds
    await asyncio.sleep(think * rng.random())
    return until


async def guest(
    k: int,
    base: str,
    start: asyncio.Barrier,
    seconds: float,
    think: float,
    rng: random.Random,
    out: dict[str, list],
) -> None:
    """An invited person: their owner (account ``k``) invites them, then they work."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as owner:
        await owner.post("/login", json={"email": email(k), "password": PASSWORD})
        listed = await owner.get("/api/v1/repairs")
        rid = listed.json()["items"][0]["repair_id"]
        made = await owner.post(
            f"/api/v1/repairs/{rid}/invitations",
            json={"shared_title": "Getting the handoffs back on time", "their_name": "Sam"},
        )
        link = made.json()["link"]
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        opened = await client.get(link.removeprefix(base), follow_redirects=True)
        if opened.status_code != 200:
            out["errors"].append(f"join {opened.status_code}")
            return
        until = await measured_part(start, seconds, think, rng, out)
        while time.perf_counter() < until:
            if rng.random() < 0.2:
                token = client.cookies.get("mend_csrf", "")
                form = {"score": "4", "csrf_token": token}
                send = partial(client.post, "/shared/pulse", data=form)
                await timed(out, "their write", "POST /shared/pulse", send, (303,), write=k)
            else:
                send = partial(client.get, "/shared")
                await timed(out, "their page", "GET /shared", send, (200,))
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def person(
    k: int,
    base: str,
    start: asyncio.Barrier,
    seconds: float,
    think: float,
    rng: random.Random,
    out: dict[str, list],
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        login = await client.post("/login", json={"email": email(k), "password": PASSWORD})
        if login.status_code != 204:
            out["errors"].append(f"login {login.status_code}")
        listed = await client.get("/api/v1/repairs")
        ids = [r["repair_id"] for r in listed.json()["items"]] if listed.is_success else []
        # Everyone logs in first (argon2 is slow on purpose), then the measured part starts.
        until = await measured_part(start, seconds, think, rng, out)
        while ids and time.perf_counter() < until:
            rid = rng.choice(ids)
            roll = rng.random()
            if roll < 0.2:
                kind, method, path = "write", "POST", f"/api/v1/repairs/{rid}/interactions"
                body = {"kind": "message", "initiated_by": "them", "summary": "A quick word."}
            elif roll < 0.4:
                kind, method, path, body = "board", "GET", "/", None
            elif roll < 0.6:
                kind, method, path, body = "repair page", "GET", f"/repairs/{rid}", None
            elif roll < 0.8:
                kind, method, path, body = "API list", "GET", "/api/v1/repairs", None
            else:
                kind, method, path = "API list", "GET", f"/api/v1/repairs/{rid}/interactions"
                body = None
            send = partial(client.request, method, path, json=body)
            write = rid if kind == "write" else None
            await timed(out, kind, f"{method} {path}", send, (200, 201), write=write)
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def load(
    base: str,
    clients: int,
    guests: int,
    accounts: int,
    seconds: float,
    think: float,
    server_pid: int,
) -> dict:
    out: dict[str, list] = {
        "errors": [],
        "writes": [],
        "cpu": [],
        "client": [],
        "server": [server_pid],
    }
    rng = random.Random(7)
    chosen = rng.sample(range(accounts), clients)
    owners, inviters = chosen[guests:], chosen[:guests]
    start = asyncio.Barrier(clients)
    await asyncio.gather(
        *(person(k, base, start, seconds, think, random.Random(k), out) for k in owners),
        *(guest(k, base, start, seconds, think, random.Random(k), out) for k in inviters),
    )
    out["cpu"].append(cpu_seconds(server_pid))
    out["client"].append(time.process_time())
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def team_server(database_url: str, workers: int, port: int) -> Iterator[tuple[str, int]]:
    """`mend serve --team` on ``database_url`` while the block runs: its base URL and pid.

    Its error output goes to a file named when it stops, not to a pipe nobody reads: a
    full pipe would block the server's logging.
    """
    env = {**os.environ, "MEND_DATABASE_URL": database_url, "NO_COLOR": "1"}
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"mend-team-server-{port}.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            *(sys.executable, "-c", "from mend.cli.main import run; run()"),
            *("serve", "--team", "--workers", str(workers), "--port", str(port)),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("the team server did not start")
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        print(f"server log: {log.name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("MEND_BENCH_POSTGRES_URL"))
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--repairs-per-account", type=int, default=5)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think-ms", type=float, default=1000.0)
    parser.add_argument("--guests", type=int, default=20, help="invited people among clients")
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit(
            "pass --database-url postgresql+psycopg://... (or MEND_BENCH_POSTGRES_URL)"
        )
    print(f"seeding {args.accounts} accounts x {args.repairs_per_account} repairs")
    seed(args.database_url, args.accounts, args.repairs_per_account)
    forget_earlier_runs(args.database_url)
    before = count_writes(args.database_url)
    with team_server(args.database_url, args.workers, args.port) as (base, server_pid):
        print(
            f"{args.clients} clients ({args.guests} of them invited people), "
            f"{args.workers} workers, {args.seconds:.0f} s, "
            f"think {args.think_ms:.0f} ms; load average {os.getloadavg()[0]:.1f}"
        )
        out = asyncio.run(
            load(
                base,
                args.clients,
                args.guests,
                args.accounts,
                args.seconds,
                args.think_ms / 1000,
                server_pid,
            )
        )
    after = count_writes(args.database_url)
    every: list[float] = []
    print(f"{'kind':14} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in out.items():
        if kind in ("errors", "writes", "cpu", "client", "server") or not values:
            continue
        every += values
        print(
            f"{kind:14} {len(values):8d} {statistics.median(values):8.1f} "
            f"{pct(values, 0.95):8.1f} {pct(values, 0.99):8.1f}"
        )
    p95 = pct(every, 0.95)
    print(
        f"{'all':14} {len(every):8d} {statistics.median(every):8.1f} {p95:8.1f} "
        f"{pct(every, 0.99):8.1f}   target p95 <= {TARGET_P95_MS:.0f} ms: "
        f"{'ok' if p95 <= TARGET_P95_MS else 'MISSED'}"
    )
    start_cpu, end_cpu = (out["cpu"] + [None, None])[:2]
    if start_cpu and end_cpu and every:
        server_ms = (end_cpu[0] - start_cpu[0]) * 1000 / len(every)
        postgres_ms = (end_cpu[1] - start_cpu[1]) * 1000 / len(every)
        client_ms = (out["client"][1] - out["client"][0]) * 1000 / len(every)
        print(
            f"CPU per request: server {server_ms:.1f} ms, PostgreSQL {postgres_ms:.1f} ms, "
            f"this load generator {client_ms:.1f} ms ({len(every) / args.seconds:.0f} requests/s)"
        )
    print(f"errors: {len(out['errors'])} {out['errors'][:5]}")
    lost = len(out["writes"]) - (after - before)
    print(
        f"writes acknowledged {len(out['writes'])}, in the database {after - before}: "
        f"{'nothing lost' if lost == 0 else f'{lost} LOST'}"
    )


if __name__ == "__main__":
    main()
