"""Inviting the other person, in two browsers: the owner's invitation page and preview,
and the invited person's page, each accessible (axe-core: no serious or critical
violation) and without sideways scroll at 360 px."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect
from tests.browser.actions import fill_form, load_demo, submit
from tests.browser.conftest import VIEWPORT, LiveServer, Shots, assert_accessible, assert_fits


def check(page: Page, name: str, shots: Shots) -> None:
    expect(page.locator("h1")).to_have_count(1)
    shots(page, name)
    assert_accessible(page, name)
    assert_fits(page, name, shots=shots)


def test_the_owner_invites_and_the_other_person_answers(
    page: Page, browser: Any, live_server: LiveServer, shots: Shots
) -> None:
    rid = load_demo(page)
    page.goto(f"/repairs/{rid}/invite")
    check(page, "invite", shots)
    form = page.locator("#invite-form")
    fill_form(form, {"shared_title": "Getting the launch back on track", "their_name": "Sam"})
    submit(form)
    link = page.locator("#link-copy").input_value()
    assert "/join/" in link
    check(page, "invite-made", shots)
    page.goto(f"/repairs/{rid}/share-preview")
    check(page, "share-preview", shots)

    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.base)
    try:
        guest = context.new_page()
        guest.goto(link)
        expect(guest).to_have_url(re.compile(r"/shared$"))
        expect(guest.locator("h1")).to_have_text("Getting the launch back on track")
        check(guest, "shared", shots)
        view = guest.locator("form[action='/shared/view']")
        fill_form(view, {"text": "I felt left to guess what was happening."})
        submit(view)
        expect(guest.get_by_text("Thank you; your view is saved.")).to_be_visible()
        check(guest, "shared-after-view", shots)
        assert guest.goto(f"/repairs/{rid}").status == 404  # nothing of the owner's
    finally:
        context.close()

    page.goto(f"/repairs/{rid}")
    expect(page.locator("#their-view")).to_contain_text("I felt left to guess")
