"""The README is a contract: its commands run, exactly as written, in their human form.

The tour is run as a shell script, line by line as a user would paste it, on a fresh
database in an empty folder: with the clock pinned on several days of the week (the
tour must work any day) and once with the real clock. Every other `mend ...` the README
names must exist. The two set-up commands (`make run`, `make test`) are what CI runs.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def tour() -> str:
    section = README.split("## A five-minute tour", 1)[1]
    return section.split("```sh\n", 1)[1].split("\n```", 1)[0]


def run_script(script: str, folder: Path, now: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEND_") and k != "COLUMNS"}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        MEND_DATABASE_URL=str(folder / "mend.db"),
        MEND_CONFIG=str(folder / "no-config.toml"),
        XDG_DATA_HOME=str(folder / "xdg-data"),
        MEND_TIMEZONE="Europe/Madrid",
        NO_COLOR="1",
        COLUMNS="120",
    )
    if now:
        env["MEND_NOW"] = now
    # Stop at the first failing line and name it, as a careful user would.
    guarded = "set -e\ntrap 'echo \"README line failed: $BASH_COMMAND\" >&2' ERR\n" + script
    return subprocess.run(
        ["bash", "-c", guarded],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "now",
    [
        "2026-03-08T10:00:00+01:00",  # a Sunday (the review's day: the weekly promise)
        "2026-03-13T18:30:00+01:00",  # a Friday evening, after the weekly note was due
        "2026-03-11T07:45:00+01:00",  # a Wednesday morning
        None,  # today, whatever day it is
    ],
    ids=["sunday", "friday-evening", "wednesday-morning", "real-clock"],
)
def test_the_tour_runs_as_written(tmp_path: Path, now: str | None) -> None:
    done = run_script(tour(), tmp_path, now)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for bad in ("error:", "Traceback", "please report", "unexpected"):
        assert bad not in output, output
    # What a person reading along expects to see, in the human form.
    for expected in (
        "Added Ana Ruiz",
        "Opened repair 1: Late specs",
        "Step 2: Open the conversation",
        "Saved draft 1 (version 1)",
        "Draft 1 marked as sent",
        "regret_expressed \"I'm sorry I sat on the specs",  # the coach quotes the words it means
        "Post a written status note in our channel",
        "1 commitment added",
        "Commitment 2 recorded",
        "Recorded kept",
        "Agreement version 1 saved",
        "Late specs",
        "Trust now:",
        "since the first outcome",
        "What moved it",
        "Wrote repair.md",
        "Wrote backup.json",
    ):
        assert expected in output, f"{expected!r} missing from:\n{output}"
    assert "looks like commitment" not in output, "the tour adds no duplicate promise"
    for name in ("repair.md", "mend.ics", "backup.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert "## Trust" in (tmp_path / "repair.md").read_text(encoding="utf-8")


def test_the_weekly_promise_of_the_tour_first_falls_due_on_a_friday(tmp_path: Path) -> None:
    script = tour() + "\nmend commit list 1 --json\n"
    done = run_script(script, tmp_path, "2026-03-08T10:00:00+01:00")
    assert done.returncode == 0, done.stderr
    listing = done.stdout[done.stdout.rindex("\n[") + 1 :]
    weekly = next(c for c in __import__("json").loads(listing) if c["recurrence"])
    assert weekly["due_at"].startswith("2026-03-13T16:00"), weekly  # Fri 17:00 in Madrid


def _named_commands() -> list[list[str]]:
    """Every `mend ...` in README prose and code: its command words (no options/args)."""
    found = set()
    for snippet in re.findall(r"`(mend [^`]+)`", README) + [
        line.strip() for line in tour().splitlines() if line.startswith("mend ")
    ]:
        words = []
        for word in snippet.split()[1:]:
            if not re.fullmatch(r"[a-z]+", word):
                break
            words.append(word)
        found.add(tuple(words))
    return [list(w) for w in sorted(found) if w]


@pytest.mark.parametrize("words", _named_commands(), ids=" ".join)
def test_every_command_the_readme_names_exists(words: list[str]) -> None:
    done = subprocess.run(
        [str(BIN / "mend"), *words, "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout


def test_every_setting_and_score_in_the_readme_is_real() -> None:
    from mend.coach.report import SCORE_LABELS

    scores = README.split("Scores run 0–100 for", 1)[1].split(".", 1)[0]
    named = {w.strip(" ,\n") for w in " ".join(scores.split()).replace(" and ", ", ").split(",")}
    shown = {label.lower() for label, _ in SCORE_LABELS.values()}
    assert named <= shown, named - shown
