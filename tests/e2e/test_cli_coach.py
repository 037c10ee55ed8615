"""`mend coach`: a user checks a draft at the command line, and retrains the models."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import skip_or_fail
from tests.e2e.cli_helpers import Outcome, flat, invoke

from mend.coach.models import MODEL_FILE
from mend.coach.training import datasets

ENV = {"MEND_NOW": "2026-03-02T09:00:00+00:00", "MEND_TIMEZONE": "UTC"}
APOLOGY = (
    "I'm sorry if you felt left out, but you always ignore my emails. "
    "I'll send you the schedule every Friday."
)


def coach(*args: str, stdin: str | None = None) -> Outcome:
    return invoke(["coach", *args], ENV, stdin)


def ok(*args: str, stdin: str | None = None, code: int = 1) -> Outcome:
    """A check that ran: exit 1 when it found a problem (the drafts here have some)."""
    result = coach(*args, stdin=stdin)
    assert result.code == code, str(result)
    assert "Traceback" not in result.out + result.err
    return result


def fails(*args: str, stdin: str | None = None) -> str:
    result = coach(*args, stdin=stdin)
    assert result.code != 0, str(result)
    assert "Traceback" not in result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr\n{result}"
    return lines[0]


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "apology.txt"
    path.write_text(APOLOGY, encoding="utf-8")
    return path


def test_a_file_is_shown_with_its_problems_explained(draft: Path) -> None:
    out = flat(ok("--step", "apology", str(draft)).out)
    assert "I'm sorry if you felt left out" in out  # the draft itself, highlighted
    assert 'non_apology "sorry if you felt"' in out
    assert 'absolute_language "you always ignore my emails"' in out
    assert "missing_responsibility" in out  # what the step still needs
    assert "→" in out  # a suggested rewrite
    assert "Politeness" in out and "Calm" in out and "█" in out  # score bars
    assert "Openness" in out and "Concreteness" in out, "the names the README uses"
    assert "I'll send you the schedule every Friday (me; weekly on friday)" in out


def test_check_is_the_default_command(draft: Path) -> None:
    assert ok(str(draft)).out == ok("check", str(draft)).out


def test_json_is_the_report_and_reads_stdin() -> None:
    report = json.loads(ok("--json", "--step", "apology", "-", stdin=APOLOGY).out)
    assert report["step"] == "apology"
    assert report["length"] == len(APOLOGY)
    codes = [f["code"] for f in report["findings"]]
    assert {"non_apology", "absolute_language", "missing_responsibility"} <= set(codes)
    span = next(f for f in report["findings"] if f["code"] == "non_apology")
    assert APOLOGY[span["start"] : span["end"]] == span["quote"] == "sorry if you felt"
    assert report["commitments"][0]["recurrence"] == "weekly on friday"
    assert set(report["scores"]) >= {"politeness", "receptiveness", "calm", "empathy"}


def test_the_exit_code_says_whether_there_is_a_problem() -> None:
    assert coach("-", stdin=APOLOGY).code == 1
    assert coach("-", stdin="I was wrong to move your slot without asking.").code == 0


def test_a_kind_message_gets_praise_and_nothing_to_fix() -> None:
    text = "I was wrong to move your slot without asking. What would help most now?"
    report = json.loads(ok("--json", "-", stdin=text, code=0).out)
    severities = {f["severity"] for f in report["findings"]}
    assert "problem" not in severities and "praise" in severities


def test_non_english_text_is_reported_as_unsupported() -> None:
    text = "Je suis vraiment désolé de ne pas t'avoir prévenu avant la réunion de lundi."
    out = ok("-", stdin=text, code=0).out
    assert "only understands English" in out
    report = json.loads(ok("--json", "-", stdin=text, code=0).out)
    assert report["language_supported"] is False


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_an_empty_draft_is_one_clear_error(text: str) -> None:
    assert "empty" in fails("-", stdin=text)


def test_a_draft_over_the_limit_is_one_clear_error(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("a" * 50_001, encoding="utf-8")
    line = fails(str(big))
    assert "50,001" in line and "50,000" in line


def test_an_unreadable_file_is_one_clear_error(tmp_path: Path) -> None:
    assert "Cannot read" in fails(str(tmp_path / "missing.txt"))
    assert "folder" in fails(str(tmp_path))
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\xff")
    assert "not UTF-8" in fails(str(binary))


def test_an_unknown_step_is_one_clear_error(draft: Path) -> None:
    assert "unknown step" in fails("--step", "grovel", str(draft))


def test_training_without_the_corpora_says_where_to_put_them(tmp_path: Path) -> None:
    line = fails("train", "--datasets", str(tmp_path / "nowhere"))
    assert "datasets folder not found" in line and "--datasets" in line


@pytest.mark.slow
def test_training_reproduces_the_shipped_models_byte_for_byte(tmp_path: Path) -> None:
    if not (datasets.default_dir() / "stanford-politeness").is_dir():
        skip_or_fail(f"the shared datasets folder is not at {datasets.default_dir()}")
    out = tmp_path / "models.json.gz"
    result = ok("train", "--only", "models", "--out", str(out), code=0)
    assert "politeness" in result.out and "caring" in result.out
    assert out.read_bytes() == MODEL_FILE.read_bytes()
    assert os.path.getsize(out) <= 5 * 1024 * 1024
