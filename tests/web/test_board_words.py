"""What the home board and the draft pages say in words (issue 7: waits lead, trust in
words that agree with the chart, a draft's title follows the words that are sent)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tests.web.conftest import Api


def test_a_wait_for_their_reply_leads_on_the_card(
    client: TestClient, api: Api, repair: dict[str, Any]
) -> None:
    rid = repair["id"]
    api.patch(f"repairs/{rid}", {"my_part": "I said nothing", "impact": "Her sprint stalled"})
    for day in ("2026-02-20", "2026-02-23", "2026-02-26"):
        api.post(
            f"repairs/{rid}/interactions",
            {
                "kind": "message",
                "initiated_by": "me",
                "occurred_at": f"{day}T09:00:00Z",
                "replied": False,
                "force": True,
            },
        )
    (row,) = api.get("status")
    assert row["next_step"]["waiting_for_reply"] is True
    home = client.get("/").text
    assert "wait for Dana Reyes&#39;s reply" in home or "wait for Dana Reyes's reply" in home
    suggestion = api.get("next")
    assert suggestion["text"] == "Wait for Dana Reyes's reply"


def test_the_card_says_trust_in_words(client: TestClient, api: Api, repair: dict[str, Any]) -> None:
    rid = repair["id"]
    made = api.post(
        f"repairs/{rid}/commitments", {"description": "Send it", "due_at": "2026-03-02T09:30:00Z"}
    )
    api.post(f"repairs/{rid}/commitments/{made['id']}/outcomes", {"status": "kept"}, expect=200)
    home = client.get("/").text
    assert "since the first outcome" in home and "over the last 4 weeks" in home


def test_a_made_up_title_follows_the_words_until_sent(api: Api, repair: dict[str, Any]) -> None:
    rid = repair["id"]
    draft = api.post(f"repairs/{rid}/drafts", {"kind": "apology", "text": "Sorry about that."})
    assert draft["title"] == "Sorry about that."
    again = api.post(
        f"repairs/{rid}/drafts/{draft['id']}/versions",
        {"text": "I'm sorry I missed the deadline on Friday."},
    )
    assert again["title"] == "I'm sorry I missed the deadline on Friday."
    named = api.post(
        f"repairs/{rid}/drafts", {"kind": "apology", "text": "First words.", "title": "Mine"}
    )
    kept = api.post(f"repairs/{rid}/drafts/{named['id']}/versions", {"text": "Other words."})
    assert kept["title"] == "Mine", "a title the user chose stays"
