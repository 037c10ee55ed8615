"""The missed-deadline repair, from the first-run page to a restored relationship.

Everything happens through the pages, as a person would do it; the server's clock is
moved forward between visits so commitments can be kept over three weeks.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from tests.browser.actions import (
    AGREEMENT,
    expect_step,
    fill_form,
    home_card,
    log_interaction,
    open_the_repair,
    step,
    submit,
)
from tests.browser.conftest import LiveServer, MovableClock, Shots, assert_accessible

APOLOGY = (
    "Dana, I'm sorry that I missed the Friday deadline for the client report without "
    "warning you. It left you explaining the delay to the client on your own, and that "
    "was my mistake. From now on I will send you a written status update every Friday, "
    "and I will flag any risk to a deadline at least two days ahead."
)


def test_missed_deadline_repair_end_to_end(
    page: Page, live_server: LiveServer, clock: MovableClock, shots: Shots
) -> None:
    rid = open_the_repair(page, check_errors=True)
    # Writing down what happened, my part and its impact is the acknowledgement.
    expect_step(page, "acknowledge", "done")
    expect_step(page, "open_conversation", "pending")
    expect(page.locator("#next-step")).to_contain_text("step 2")
    # With nothing kept or missed yet, trust sits at the neutral 50%.
    expect(page.locator(".repair-head .meta")).to_contain_text("trust 50%")

    # Step 2: reach out (no reply yet), then try again too soon.
    log_interaction(
        page,
        rid,
        kind="message",
        started_by="me",
        occurred_at="2026-03-02T09:00",
        summary="Asked Dana for half an hour to talk about the report.",
        tension="calm",
    )
    expect_step(page, "open_conversation", "done")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Asked Dana for half an hour")
    log_interaction(
        page,
        rid,
        kind="message",
        started_by="me",
        occurred_at="2026-03-02T09:00",
        summary="Chasing my earlier message.",
        tension="calm",
    )
    expect(page.locator("#patience-warning")).to_be_visible()
    expect(page.locator("#patience-warning")).to_contain_text("reply")
    # The warning takes the focus (read out first) and offers to log it anyway.
    expect(page.locator("#patience-warning")).to_be_focused()
    expect(page.locator("#patience-warning input[name='force'][type='checkbox']")).to_be_visible()
    page.goto(f"/repairs/{rid}")
    expect(page.locator("#timeline")).not_to_contain_text("Chasing my earlier message")

    # Step 3: the next day Dana books a meeting and says how it was for her.
    clock.advance(days=1)
    log_interaction(
        page,
        rid,
        kind="meeting",
        started_by="them",
        occurred_at="2026-03-03T08:30",
        summary="Half an hour in the small meeting room.",
        their_view="Hearing about the delay from the client made me look careless.",
        tension="calm",
    )
    expect_step(page, "listen", "done")
    expect(page.locator("#timeline")).to_contain_text("made me look careless")

    # Step 4: empathy, written into the step's own form.
    empathy = step(page, "empathize").locator("form.step-form")
    fill_form(empathy, {"how_it_felt": "Embarrassed in front of the client, and let down."})
    submit(empathy)
    expect_step(page, "empathize", "done")

    # Step 5: the apology, written in the composer with the live coach.
    start = page.locator(f"form[action='/repairs/{rid}/drafts/new']")
    fill_form(start, {"kind": "apology"})
    submit(start)
    expect(page).to_have_url(re.compile(rf"/repairs/{rid}/drafts/new\?kind=apology$"))
    page.locator("#draft-text").fill(APOLOGY)
    coach = page.locator("#coach")
    expect(coach.locator("li[data-code]").first).to_be_visible()
    expect(coach.locator("meter").first).to_be_attached()
    expect(coach.locator("mark[data-code='non_apology']")).to_have_count(0)
    shots(page, "journey-composer")
    submit(page.locator("#draft-form"))
    expect(page).to_have_url(re.compile(rf"/repairs/{rid}/drafts/\d+$"))
    expect(page.locator("main")).to_contain_text("written status update")

    send = page.locator("#send-form")
    fill_form(send, {"channel": "email"})
    submit(send)
    expect(page).to_have_url(re.compile(rf"/repairs/{rid}/drafts/\d+/sent$"))
    offer = page.locator("#offer-form")
    weekly = offer.locator("input[name='accept']").first
    expect(offer).to_contain_text("status update")
    weekly.check()
    shots(page, "journey-offer")
    assert_accessible(page, "sent draft with offered commitments")
    submit(offer)
    expect(page).to_have_url(re.compile(rf"/repairs/{rid}(#.*)?$"))
    expect_step(page, "apologize", "done")
    expect_step(page, "offer_solutions", "done")
    expect_step(page, "be_patient", "pending")

    # The home board shows the progress, trust, and the promise due this week.
    page.goto("/")
    card = home_card(page, rid)
    expect(card).to_contain_text("Dana Whitfield")
    expect(card.locator("[aria-label^='Progress']")).to_have_attribute(
        "aria-label", "Progress: 6 of 10 steps"
    )
    expect(card).to_contain_text("Trust 50%")
    expect(page.locator(".agenda")).to_contain_text("written status update")

    # Step 7: two days later Dana gets in touch first.
    clock.advance(days=2)
    log_interaction(
        page,
        rid,
        kind="message",
        started_by="them",
        occurred_at="2026-03-05T09:00",
        summary="Dana asked for the draft of the next report.",
        tension="calm",
    )
    expect_step(page, "be_patient", "done")

    # A weekly check-in.
    page.goto(f"/repairs/{rid}/checkins")
    checkin = page.locator("#checkin-form")
    fill_form(checkin, {"at": "2026-03-09 10:00", "every_days": "7", "note": "Monday sync"})
    submit(checkin)
    expect(page.locator("main")).to_contain_text("Monday sync")

    # Step 8: keep the weekly update three Fridays running.
    # (The day after each Friday: Saturday 7th, Saturday 14th, Sunday 22nd.)
    for days in (2, 7, 8):
        clock.advance(days=days)
        if days == 2:
            # A day after it was due, the home board calls it overdue.
            page.goto("/")
            expect(home_card(page, rid).locator(".overdue")).to_contain_text("1 overdue")
        page.goto(f"/repairs/{rid}/commitments")
        row = page.locator("tr[data-status='pending']:has(button.outcome.kept)").first
        row_id = row.get_attribute("id")
        page.evaluate("() => { window.stillHere = true; }")
        row.locator("button.outcome.kept").click()
        # One click: the row is swapped in place (HTMX, no page load) and reads kept.
        expect(page.locator(f"#{row_id}")).to_have_attribute("data-status", "kept")
        expect(page.locator(f"#{row_id}")).to_contain_text("Kept")
        assert page.evaluate("() => window.stillHere === true"), "the page was reloaded"
    page.reload()
    expect(page.locator("main")).to_contain_text("kept")
    shots(page, "journey-commitments")

    page.goto(f"/repairs/{rid}/trust")
    expect(page.locator("#trust-chart canvas").first).to_be_visible()
    expect(page.locator("#trust-value")).to_have_text(re.compile(r"^(6[5-9]|[7-9]\d)%$"))
    expect(page.locator("table#trust-events tbody tr")).to_have_count(3)
    shots(page, "journey-trust")

    page.goto(f"/repairs/{rid}")
    expect_step(page, "rebuild_trust", "done")

    # Step 9: common ground.
    page.goto(f"/repairs/{rid}/ground")
    ground = page.locator("#ground-form")
    fill_form(ground, {"kind": "goal", "text": "Clients who trust our reports"})
    submit(ground)
    initiative = page.locator("#initiative-form")
    fill_form(
        initiative,
        {
            "title": "Joint client review",
            "my_contribution": "Prepare the numbers",
            "their_contribution": "Lead the client call",
        },
    )
    submit(initiative)
    page.goto(f"/repairs/{rid}")
    expect_step(page, "find_common_ground", "done")

    # Step 10: the working agreement, with a review date.
    page.goto(f"/repairs/{rid}/agreement")
    agreement = page.locator("#agreement-form")
    fill_form(agreement, AGREEMENT)
    submit(agreement)
    page.goto(f"/repairs/{rid}/agreement/print")
    expect(page.locator("main")).to_contain_text("Within one working day")
    page.goto(f"/repairs/{rid}")
    expect_step(page, "set_expectations", "done")
    expect(page.locator("#steps > li[data-state='done']")).to_have_count(10)
    expect(page.locator("#next-step")).to_contain_text("Every step is done")
    page.goto("/")
    card = home_card(page, rid)
    expect(card.locator("[aria-label^='Progress']")).to_have_attribute(
        "aria-label", "Progress: 10 of 10 steps"
    )
    expect(card).to_contain_text(re.compile(r"Trust (6[5-9]|[7-9]\d)%"))
    page.goto(f"/repairs/{rid}")

    # Restored.
    status = page.locator("form[action$='/status']")
    fill_form(status, {"status": "restored", "reason": "Three months of kept promises."})
    submit(status)
    expect(page.locator(".repair-head .status-restored")).to_have_text("Restored")
    expect(page.locator("#status")).to_contain_text("restored")
    shots(page, "journey-restored")
