"""The CPU one request of each kind costs a team server and PostgreSQL, one at a time.

    .venv/bin/python benchmarks/request_cpu.py --database-url postgresql+psycopg://...
        [--requests 150] [--only "their page,write"]

Runs on a database seeded by benchmarks/team_server.py (same accounts and password):
starts `mend serve --team --workers 1`, logs in as one account, invites a person into
one repair of another account and opens the link, then sends ``--requests`` requests of
each kind in a row (after ten to warm up) and prints, per kind, the wall time and the
CPU the server's processes and PostgreSQL's used, per request (Linux's /proc). With one
request at a time there is no queue: this is what each kind costs, the figure to read
before and after a change (team_server.py's latency depends on everything at once).
The requests write to the database like the load test does; its next run starts from
the seeded state again.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from team_server import PASSWORD, cpu_seconds, email, team_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("MEND_BENCH_POSTGRES_URL"))
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--only", default="", help="comma-separated kinds")
    parser.add_argument("--port", type=int, default=8811)
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("pass --database-url (or MEND_BENCH_POSTGRES_URL)")
    with team_server(args.database_url, 1, args.port) as (base, server_pid):
        measure(base, server_pid, args.requests, {k for k in args.only.split(",") if k})


def measure(base: str, server_pid: int, count: int, only: set[str]) -> None:
    owner = httpx.Client(base_url=base, timeout=30)
    owner.post("/login", json={"email": email(3), "password": PASSWORD})
    ids = [r["repair_id"] for r in owner.get("/api/v1/repairs").json()["items"]]
    inviter = httpx.Client(base_url=base, timeout=30)
    inviter.post("/login", json={"email": email(4), "password": PASSWORD})
    theirs = inviter.get("/api/v1/repairs").json()["items"][0]["repair_id"]
    link = inviter.post(
        f"/api/v1/repairs/{theirs}/invitations", json={"shared_title": "t", "their_name": "Sam"}
    ).json()["link"]
    guest = httpx.Client(base_url=base, timeout=30)
    guest.get(link.removeprefix(base), follow_redirects=True)
    said = {"kind": "message", "initiated_by": "them", "summary": "A quick word."}
    kinds: dict[str, Callable[[int], httpx.Response]] = {
        "healthz": lambda i: owner.get("/healthz"),
        "board": lambda i: owner.get("/"),
        "API list": lambda i: owner.get("/api/v1/repairs"),
        "interactions": lambda i: owner.get(f"/api/v1/repairs/{ids[i % len(ids)]}/interactions"),
        "repair page": lambda i: owner.get(f"/repairs/{ids[i % len(ids)]}"),
        "write": lambda i: owner.post(
            f"/api/v1/repairs/{ids[i % len(ids)]}/interactions", json=said
        ),
        "their page": lambda i: guest.get("/shared"),
        "their write": lambda i: guest.post(
            "/shared/pulse", data={"score": "4", "csrf_token": guest.cookies.get("mend_csrf", "")}
        ),
    }
    print(f"{'kind':14} {'wall ms':>8} {'server CPU ms':>14} {'PostgreSQL CPU ms':>18}")
    for name, send in kinds.items():
        if only and name not in only:
            continue
        for i in range(10):
            send(i)
        before, started = cpu_seconds(server_pid), time.perf_counter()
        for i in range(count):
            answer = send(i)
            if answer.status_code >= 400:
                raise SystemExit(f"{name}: {answer.status_code} {answer.text[:200]}")
        wall = (time.perf_counter() - started) * 1000 / count
        after = cpu_seconds(server_pid)
        if before is None or after is None:
            print(f"{name:14} {wall:8.1f}")
            continue
        server_ms = (after[0] - before[0]) * 1000 / count
        postgres_ms = (after[1] - before[1]) * 1000 / count
        print(f"{name:14} {wall:8.1f} {server_ms:14.2f} {postgres_ms:18.2f}")


if __name__ == "__main__":
    main()
