"""Both sides of one repair on a team server, in two browsers, over three weeks.

Ana (the owner) logs in, opens a repair and invites Dana; Dana gives her view; Ana
promises a weekly update; as the server's clock moves week by week, Ana records each
Friday and Dana confirms two and disputes the third; both sign the agreement. At every
stage the test reads what each of them sees, and every page Dana sees is checked with
axe-core and at 360 px.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect
from tests.browser.actions import AGREEMENT, fill_form, open_the_repair, submit
from tests.browser.conftest import (
    LiveServer,
    MovableClock,
    Shots,
    assert_accessible,
    assert_fits,
    open_tab,
)
from tests.teamtools import PASSWORD

TITLE = "Getting the client report back on track"
PRIVATE = "I knew on Wednesday it would slip and said nothing."  # Ana's "my part"
PROMISE = "Send Dana a written status update"
DISPUTE = "It came on Monday, after the client had already called me."


def seen_by_dana(tab: Page, name: str, shots: Shots) -> None:
    """Her page at this stage: one heading, nothing private, accessible, fits a phone."""
    expect(tab).to_have_url(re.compile(r"/shared(\?.*)?(#.*)?$"))
    expect(tab.locator("h1")).to_have_text(TITLE)
    expect(tab.locator("main")).not_to_contain_text(PRIVATE)
    shots(tab, name)
    assert_accessible(tab, name)
    assert_fits(tab, name, shots=shots)


def dana_opens(tab: Page, link: str) -> None:
    """Dana opens her link again (a link session ends after 12 hours unused)."""
    tab.goto(link)
    expect(tab).to_have_url(re.compile(r"/shared$"))


def ana_logs_in(tab: Page) -> None:
    """Ana logs in (again: a session ends after days unused, as the clock moves)."""
    tab.goto("/login")
    fill_form(tab.locator("#login-form"), {"email": "ana@example.org", "password": PASSWORD})
    submit(tab.locator("#login-form"))
    expect(tab).not_to_have_url(re.compile(r"/login"))


def timeline(tab: Page) -> list[str]:
    return [
        " ".join(t.split()) for t in tab.locator("#shared-timeline .tl-title").all_inner_texts()
    ]


def test_both_sides_through_a_whole_shared_repair(
    browser: Any, team_server: LiveServer, clock: MovableClock, shots: Shots
) -> None:
    with open_tab(browser, team_server.base) as ana, open_tab(browser, team_server.base) as dana:
        # Ana logs in and opens the repair.
        ana_logs_in(ana)
        rid = open_the_repair(ana)

        # She invites Dana, for six weeks, and looks at the preview first.
        ana.goto(f"/repairs/{rid}/invite")
        invite = ana.locator("#invite-form")
        fill_form(invite, {"shared_title": TITLE, "their_name": "Dana", "valid_days": "42"})
        submit(invite)
        link = ana.locator("#link-copy").input_value()
        assert "/join/" in link
        ana.goto(f"/repairs/{rid}/share-preview")
        expect(ana.locator("h1")).to_have_text(TITLE)
        expect(ana.locator("main")).not_to_contain_text(PRIVATE)
        assert_accessible(ana, "share-preview")

        # Dana opens the link: her page, and nothing of Ana's.
        dana_opens(dana, link)
        expect(dana.locator("#verdict")).to_contain_text("No promises yet.")
        seen_by_dana(dana, "journey-dana-first", shots)
        # (Asked with her cookies outside the tab: a 404 page would be a console error.)
        assert dana.context.request.get(f"/repairs/{rid}").status == 404

        # She says how it was for her; Ana reads it on the repair page.
        view = dana.locator("form[action='/shared/view']")
        fill_form(view, {"text": "I found out from the client, and it made me look careless."})
        submit(view)
        expect(dana.get_by_text("Thank you; your view is saved.")).to_be_visible()
        seen_by_dana(dana, "journey-dana-view", shots)
        ana.goto(f"/repairs/{rid}")
        expect(ana.locator("#their-view")).to_contain_text("made me look careless")

        # Ana proposes a weekly promise; Dana sees it as promised to her.
        ana.goto(f"/repairs/{rid}/commitments")
        promise = ana.locator("#commitment-form")
        fill_form(promise, {"title": PROMISE, "owner": "me", "every": "every Friday"})
        submit(promise)
        expect(ana.locator("main")).to_contain_text(PROMISE)
        dana.goto("/shared")
        expect(dana.locator("#verdict")).to_contain_text(PROMISE)
        expect(dana.locator("#verdict")).to_contain_text("promised to you")

        # Three Fridays: Ana records each the day after; Dana answers.
        answers = [("kept", ""), ("kept", ""), ("disputed", DISPUTE)]
        for week, (verdict, note) in enumerate(answers, start=1):
            clock.advance(days=5 if week == 1 else 7)  # Saturday 7, 14, 21 March
            ana_logs_in(ana)
            ana.goto(f"/repairs/{rid}/commitments")
            row = ana.locator("tr[data-status='pending']:has(button.outcome.kept)").first
            row_id = row.get_attribute("id")
            row.locator("button.outcome.kept").click()
            expect(ana.locator(f"#{row_id}")).to_have_attribute("data-status", "kept")

            dana_opens(dana, link)
            occurrences = dana.locator("#verdict li[id^='occurrence-']")
            expect(occurrences).to_have_count(week)
            latest = occurrences.nth(week - 1)
            expect(latest).to_contain_text("kept")  # as Ana recorded it
            latest.locator("summary").click()
            form = latest.locator("form")
            fill_form(form, {"verdict": verdict, **({"note": note} if note else {})})
            submit(form)
            expect(dana.get_by_text("Thank you; your answer is saved.")).to_be_visible()
            said = "disputes this" if verdict == "disputed" else "kept"
            expect(dana.locator("#verdict li[id^='occurrence-']").nth(week - 1)).to_contain_text(
                f"Dana: {said}"
            )
            if week == 2:  # and how it is going, so far
                pulse = dana.locator("form[action='/shared/pulse']")
                fill_form(pulse, {"score": "4", "note": "Better: the updates help."})
                submit(pulse)
                expect(dana.locator("#pulse")).to_contain_text("4 of 5")
        seen_by_dana(dana, "journey-dana-answers", shots)

        # Ana sees both readings of the third Friday.
        ana.goto(f"/repairs/{rid}")
        expect(ana.locator("#their-view")).to_contain_text(DISPUTE)
        ana.goto(f"/repairs/{rid}/trust")
        expect(ana.locator("#trust-two-sided")).to_contain_text("Dana's word")
        expect(ana.locator("#trust-gaps li")).to_have_count(1)
        expect(ana.locator("#trust-gaps")).to_contain_text(DISPUTE)
        expect(ana.locator("#pulse-latest")).to_have_text("4 out of 5")
        expect(ana.locator("#pulse-chart")).to_be_visible()
        shots(ana, "journey-ana-trust")
        assert_accessible(ana, "trust with their answers")
        assert_fits(ana, "journey-ana-trust", shots=shots)

        # The agreement: Ana writes it, Dana comments and signs, then Ana signs.
        ana.goto(f"/repairs/{rid}/agreement")
        agreement = ana.locator("#agreement-form")
        fill_form(agreement, AGREEMENT)
        submit(agreement)
        dana.goto("/shared")
        expect(dana.locator("#agreement")).to_contain_text("Within one working day")
        comment = dana.locator("form[action='/shared/agreement/comment']")
        fill_form(comment, {"text": "Could the Friday update come by 15:00?"})
        submit(comment)
        dana.locator("form[action='/shared/agreement/sign'] button").click()
        expect(dana.get_by_text("You signed this version of the agreement.")).to_be_visible()
        seen_by_dana(dana, "journey-dana-signed", shots)

        ana.goto(f"/repairs/{rid}/agreement")
        expect(ana.locator("main")).to_contain_text("Could the Friday update come by 15:00?")
        expect(ana.locator("main")).not_to_contain_text("Locked: signed by both")
        ana.locator(f"form[action='/repairs/{rid}/agreement/sign'] button").click()
        expect(ana.locator("main")).to_contain_text("Locked: signed by both")
        assert_accessible(ana, "agreement signed by both")

        dana.goto("/shared")
        expect(dana.locator("#agreement")).to_contain_text("Locked: signed by both")
        expect(dana.locator("#agreement")).to_contain_text("Ana signed version 1")
        expect(dana.locator("form[action='/shared/agreement/sign']")).to_have_count(0)
        seen_by_dana(dana, "journey-dana-locked", shots)

        # Both read the same story, each with "You" for themselves.
        theirs = timeline(dana)
        assert theirs[:2] == [
            "Ana signed version 1 of the agreement",
            "You signed version 1 of the agreement",
        ]
        assert any(
            line.startswith("You marked") and line.endswith("as disputed") for line in theirs
        )
        ana.goto(f"/repairs/{rid}/invite")
        mine = timeline(ana)
        assert mine[:2] == [
            "You signed version 1 of the agreement",
            "Dana signed version 1 of the agreement",
        ]
        assert sum(line.startswith("You marked") for line in mine) == 3
        assert sum(line.startswith("Dana marked") for line in mine) == 3
        assert_accessible(ana, "invite page with the shared timeline")
