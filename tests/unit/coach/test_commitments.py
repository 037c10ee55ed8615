"""Promises pulled out of drafts: owner, action, due date (clock pinned), rhythm, words.

Dates resolve against Monday 2026-03-02. Every recurrence the coach produces must be
one Mend's recurrence parser accepts, since the services store it as a rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mend.coach import extract_commitments
from mend.domain.recurrence import parse_recurrence

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday

# text -> [(owner, action, due, due_text, recurrence, quoted words)]
CASES = [
    # The reported bug: two promises in one sentence stay two, each with its own when.
    (
        "I'll send you a status note every Friday, and by the 15th I will share the revised plan.",
        [
            (
                "me",
                "send you a status note",
                None,
                None,
                "weekly on friday",
                "I'll send you a status note every Friday",
            ),
            (
                "me",
                "share the revised plan",
                date(2026, 3, 15),
                "by the 15th",
                None,
                "by the 15th I will share the revised plan",
            ),
        ],
    ),
    (
        "I'll send the corrected invoice by Wednesday.",
        [
            (
                "me",
                "send the corrected invoice",
                date(2026, 3, 4),
                "by Wednesday",
                None,
                "I'll send the corrected invoice by Wednesday",
            )
        ],
    ),
    (
        "By Friday, I'll send the deck.",
        [
            (
                "me",
                "send the deck",
                date(2026, 3, 6),
                "By Friday",
                None,
                "By Friday, I'll send the deck",
            )
        ],
    ),
    (
        "We'll review how this is going on 30 June.",
        [
            (
                "us",
                "review how this is going",
                date(2026, 6, 30),
                "on 30 June",
                None,
                "We'll review how this is going on 30 June",
            )
        ],
    ),
    (
        "We will hold a joint review on May 14.",
        [
            (
                "us",
                "hold a joint review",
                date(2026, 5, 14),
                "on May 14",
                None,
                "We will hold a joint review on May 14",
            )
        ],
    ),
    (
        "I'll update the tracker daily.",
        [("me", "update the tracker", None, None, "daily", "I'll update the tracker daily")],
    ),
    (
        "We'll hold a check-in every two weeks until the end of the quarter.",
        [
            (
                "us",
                "hold a check-in",
                date(2026, 3, 31),
                "until the end of the quarter",
                "every 2 weeks",
                "We'll hold a check-in every two weeks until the end of the quarter",
            )
        ],
    ),
    (
        "Our team will send status reports every second Monday.",
        [
            (
                "us",
                "send status reports",
                None,
                None,
                "every other monday",
                "Our team will send status reports every second Monday",
            )
        ],
    ),
    (
        "Let's review the split in a month.",
        [
            (
                "us",
                "review the split",
                date(2026, 4, 2),
                "in a month",
                None,
                "Let's review the split in a month",
            )
        ],
    ),
    (
        "Let me take the minutes tomorrow.",
        [
            (
                "me",
                "take the minutes",
                date(2026, 3, 3),
                "tomorrow",
                None,
                "Let me take the minutes tomorrow",
            )
        ],
    ),
    (
        "I'm going to send you the agenda in 2 weeks.",
        [
            (
                "me",
                "send you the agenda",
                date(2026, 3, 16),
                "in 2 weeks",
                None,
                "I'm going to send you the agenda in 2 weeks",
            )
        ],
    ),
    (
        "I'll publish the rota by the end of the month, then rotate it every sprint.",
        [
            (
                "me",
                "publish the rota",
                date(2026, 3, 31),
                "by the end of the month",
                None,
                "I'll publish the rota by the end of the month",
            ),
            ("me", "rotate it", None, None, "every 2 weeks", "then rotate it every sprint"),
        ],
    ),
    (
        "I promise to share the risk log each morning.",
        [
            (
                "me",
                "share the risk log",
                None,
                None,
                "daily",
                "I promise to share the risk log each morning",
            )
        ],
    ),
    (
        "Mondays I'll send the plan.",
        [("me", "send the plan", None, None, "weekly on monday", "Mondays I'll send the plan")],
    ),
    (
        "I'll move the review to Tuesdays so you can prepare.",
        [
            (
                "me",
                "move the review to Tuesdays so you can prepare",
                None,
                None,
                "weekly on tuesday",
                "I'll move the review to Tuesdays so you can prepare",
            )
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extraction(text: str, expected: list[tuple[object, ...]]) -> None:
    found = extract_commitments(text, now=NOW)
    got = [
        (c.owner, c.action, c.due, c.due_text, c.recurrence, text[c.start : c.end]) for c in found
    ]
    assert got == expected
    for c in found:
        assert c.text == text[c.start : c.end]


@pytest.mark.parametrize(
    "text",
    [
        "Let me know by Friday.",  # a request, not a promise
        "Shall I send it on Monday?",  # a question
        "I'll try to do better.",  # no action to check
        "I won't let that happen.",
        "You'll get the report tomorrow from Sam.",  # not the writer's promise
        "Thanks for the notes.",
        "Let's just try to get along better.",
    ],
)
def test_no_promise(text: str) -> None:
    assert extract_commitments(text, now=NOW) == []


def test_without_now_only_the_words_are_kept() -> None:
    (c,) = extract_commitments("I'll send it by Friday.", now=None)
    assert (c.due, c.due_text) == (None, "by Friday")


def test_impossible_dates_give_no_date_rather_than_a_wrong_one() -> None:
    (c,) = extract_commitments("I'll send it by 2026-13-01.", now=NOW)
    assert c.due is None


def test_dates_in_the_past_roll_forward() -> None:
    (c,) = extract_commitments("I'll call you on the 1st.", now=NOW)
    assert c.due == date(2026, 4, 1)
    (c,) = extract_commitments("We'll review it on 14 January.", now=NOW)
    assert c.due == date(2027, 1, 14)


@pytest.mark.parametrize(
    "phrase",
    [
        "every day", "each morning", "every evening", "every week", "every weekday",
        "every working day", "every month", "every sprint", "every quarter", "quarterly",
        "daily", "weekly", "monthly", "fortnightly", "biweekly", "every other week",
        "every 3 days", "every two months", "every Friday", "each Tuesday",
        "every other Thursday", "every second Monday", "on Wednesdays",
    ],
)  # fmt: skip
def test_every_recurrence_is_one_mend_can_store(phrase: str) -> None:
    (c,) = extract_commitments(f"I'll send the update {phrase}.", now=NOW)
    assert c.recurrence is not None
    assert parse_recurrence(c.recurrence)


def test_spans_survive_text_before_the_promise() -> None:
    text = "Hi Ana 👋\n\nThanks for today. I'll send the notes tomorrow, and we'll meet on Friday."
    found = extract_commitments(text, now=NOW)
    assert [(c.owner, c.action, c.due) for c in found] == [
        ("me", "send the notes", date(2026, 3, 3)),
        ("us", "meet", date(2026, 3, 6)),
    ]
    assert [text[c.start : c.end] for c in found] == [
        "I'll send the notes tomorrow",
        "we'll meet on Friday",
    ]
    assert found[0].start == text.index("I'll")
