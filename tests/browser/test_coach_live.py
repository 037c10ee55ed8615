"""The composer's live coach points at the words that turn an apology into a non-apology."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from tests.browser.actions import open_the_repair
from tests.browser.conftest import LiveServer, Shots, assert_accessible

from mend.coach import analyze

NON_APOLOGY = "I'm sorry if you felt left out, but the deadline moved."


def test_live_coach_marks_a_non_apology(page: Page, live_server: LiveServer, shots: Shots) -> None:
    rid = open_the_repair(page)
    page.goto(f"/repairs/{rid}/drafts/new?kind=apology")
    text = page.locator("#draft-text")
    text.click()
    # Typed key by key, as a person would: the coach answers after a pause.
    text.press_sequentially(NON_APOLOGY, delay=5)

    mark = page.locator("#coach mark[data-code='non_apology']")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("sorry if you felt")
    expect(mark).to_have_class(re.compile(r"\bfinding\b"))
    finding = page.locator("#coach li[data-code='non_apology']")
    expect(finding).to_be_visible()
    # The coach's own explanation of the finding is shown with it.
    report = analyze(NON_APOLOGY, "apology")
    explanation = next(f.explanation for f in report.findings if f.code == "non_apology")
    expect(finding).to_contain_text(explanation)
    shots(page, "coach-non-apology")
    assert_accessible(page, "composer with findings")

    # Rewriting it as a real apology takes the mark away.
    text.fill("I'm sorry that I moved the deadline without telling you; that was my mistake.")
    expect(mark).to_have_count(0)
