"""`mend agreement comment|sign`: the owner's side of comments and signatures; one clear
line and the usual exit code for every mistake (both backends)."""

from __future__ import annotations

from tests.e2e.cli_helpers import Mend, flat


def test_comment_then_sign_the_current_version(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    mend("agreement", "set", repair, "--channel", "Chat first")
    said = mend.json("agreement", "comment", repair, "Weekly is enough.", "--name", "Sam")
    assert said["comments"] == [
        {
            "id": said["comments"][0]["id"],
            "agreement_id": said["agreement_id"],
            "by": "owner",
            "author": "Sam",
            "text": "Weekly is enough.",
            "created_at": said["comments"][0]["created_at"],
        }
    ]
    signed = mend("agreement", "sign", repair, "--version", "1")
    assert "still needs their signature" in flat(signed.out)
    again = mend.json("agreement", "sign", repair)
    assert again["owner_signed"] and not again["they_signed"] and not again["locked"]
    assert len(again["signatures"]) == 1  # signing twice changes nothing


def test_mistakes_are_one_line(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    line = mend.fails("agreement", "sign", repair, code=3)
    assert line.startswith("error: ") and "no agreement" in line
    line = mend.fails("agreement", "comment", repair, "Hello", code=3)
    assert "no agreement" in line
    mend.fails("agreement", "sign", "999", code=3)
    mend("agreement", "set", repair, "--channel", "Chat first")
    mend("agreement", "set", repair, "--channel", "Call first")
    line = mend.fails("agreement", "sign", repair, "--version", "1", code=4)
    assert "not the current agreement" in line
    line = mend.fails("agreement", "comment", repair, "   ", code=2)
    assert line.startswith("error: ")
