"""What a user typed is shown as text, never as formatting: the Markdown report escapes it,
and one-line fields (names, titles) refuse line breaks and control characters everywhere.

Threat: text from elsewhere (pasted from an email, imported from a file, and on a team
server written by the other person) turning a shared report into a page with raw HTML,
fake headings or links.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.e2e.cli_helpers import Mend
from tests.factories import at, make_person, make_repair

from mend.services.reports import _md, agreement_markdown, repair_markdown

NOW = at(2025, 6, 2, 8)
HOSTILE = "<img src=x onerror=alert(1)>\n# Fake heading\n[click](http://evil.example) *bold* `code`"


@pytest.fixture
def backend() -> str:
    return "sqlite"


def test_the_report_shows_typed_markup_literally() -> None:
    from datetime import UTC

    person = make_person(name="Dana <b>Ortiz</b>", organisation="[Globex](http://x)", id=1)
    repair = make_repair(title="Late | *really* late", what_happened=HOSTILE, severity=3)
    repair.my_part = "1. I said nothing\n- and I hid it\n> quoted"
    text = repair_markdown(repair, person, tz=UTC, now=NOW)
    assert not re.search(r"(?<!\\)<(img|b)", text), "no raw HTML tag survives"
    assert "\\<img src=x onerror=alert(1)\\>" in text
    assert not re.search(r"^# Fake heading", text, re.MULTILINE)
    assert "\\# Fake heading" in text
    assert "[click](http" not in text and "\\[click\\]" in text
    assert "\\*bold\\*" in text and "\\`code\\`" in text
    assert "# Late \\| \\*really\\* late" in text.splitlines()[0]
    assert "1\\. I said nothing" in text and "\\- and I hid it" in text
    assert "\\> quoted" in text
    assert "\\[Globex\\](http://x)" in text


def test_plain_words_stay_readable() -> None:
    assert _md("I missed Friday's deadline, sorry (again).") == (
        "I missed Friday's deadline, sorry (again)."
    )
    assert _md("3.5 days late") == "3.5 days late"


def test_the_printable_agreement_escapes_too() -> None:
    from datetime import UTC

    from tests.factories import make_agreement

    person = make_person(name="Dana", id=1)
    repair = make_repair()
    repair.agreements = [
        make_agreement(channel="<script>x</script>", raising_problems="# Shout\nquietly")
    ]
    text = agreement_markdown(repair, person, tz=UTC)
    assert not re.search(r"(?<!\\)<script", text)
    assert not re.search(r"^# Shout", text, re.MULTILINE)


@pytest.mark.parametrize(
    "bad", ["Late\r\n# Injected", "Late\nspecs", "Late\x1b[31m", "Late\u2028x"]
)
def test_cli_refuses_a_title_over_two_lines(database_url: str, bad: str) -> None:
    mend = Mend(database_url)
    mend("person", "add", "Ana Ruiz", "--role", "colleague")
    line = mend.fails("repair", "open", "-p", "Ana", "-t", bad, "--what", "w", code=2)
    assert "one line" in line
    assert mend.json("status", "--all") == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Late\r\n# Injected"), ("title", "a tab\tinside")],
)
def test_api_and_pages_refuse_line_breaks_in_a_title(
    api: Any, client: TestClient, person: Any, field: str, value: str
) -> None:
    response = client.post(
        "/api/v1/repairs",
        json={"person_id": person["id"], field: value, "what_happened": "w"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    token = client.cookies.get("mend_csrf") or ""
    page = client.post(
        "/repairs",
        data={
            "csrf_token": token,
            "person_id": str(person["id"]),
            field: value,
            "what_happened": "w",
        },
    )
    assert page.status_code == 422
    assert "one line" in page.text
    assert client.get("/api/v1/repairs").json()["total"] == 0
