"""Every page: no serious or critical axe-core violation, and no sideways scroll at 360 px.

The demo repair gives each page real content (steps, timeline, drafts, commitments,
check-ins, trust events, an agreement). A screenshot of each page is kept.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from tests.browser.actions import AGREEMENT, fill_form, repair_id, submit
from tests.browser.conftest import LiveServer, Shots, assert_accessible, assert_fits


def check(page: Page, name: str, shots: Shots) -> None:
    expect(page.locator("h1")).to_have_count(1)
    shots(page, name)
    assert_accessible(page, name)
    assert_fits(page, name, shots=shots)


def test_every_page_is_accessible_and_fits_a_phone(
    page: Page, live_server: LiveServer, shots: Shots
) -> None:
    failures: list[str] = []

    def visit(name: str, path: str | None = None) -> None:
        if path is not None:
            response = page.goto(path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
        try:
            check(page, name, shots)
        except AssertionError as exc:  # collect all pages' problems before failing
            failures.append(str(exc))

    page.goto("/")
    visit("welcome")
    page.get_by_role("button", name=re.compile("demo", re.I)).click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+$"))
    rid = repair_id(page)
    visit("repair")

    pages = {
        "home": "/",
        "people": "/people",
        "new-repair": "/repairs/new",
        "composer": f"/repairs/{rid}/drafts/new?kind=apology",
        "commitments": f"/repairs/{rid}/commitments",
        "checkins": f"/repairs/{rid}/checkins",
        "trust": f"/repairs/{rid}/trust",
        "ground": f"/repairs/{rid}/ground",
        "agreement": f"/repairs/{rid}/agreement",
        "repair-edit": f"/repairs/{rid}/edit",
        "calendar": "/calendar",
        "data": "/data",
    }
    for name, path in pages.items():
        visit(name, path)
    page.goto("/people")
    visit("person", page.locator("a[href^='/people/']").first.get_attribute("href"))

    # The printable agreement, once there is one to print.
    page.goto(f"/repairs/{rid}/agreement")
    form = page.locator("#agreement-form")
    fill_form(form, AGREEMENT)
    submit(form)
    visit("agreement-print", f"/repairs/{rid}/agreement/print")

    # A form sent back with its errors (a POST result: scanned, not reloaded narrow).
    page.goto("/repairs/new")
    submit(page.locator("#repair-form"))
    expect(page.locator("#repair-form [aria-invalid='true']").first).to_be_visible()
    shots(page, "new-repair-errors")
    try:
        assert_accessible(page, "new-repair with errors")
    except AssertionError as exc:
        failures.append(str(exc))

    page.goto(f"/repairs/{rid}")
    drafts = page.locator(f"a[href^='/repairs/{rid}/drafts/']:not([href*='new'])")
    if drafts.count():
        visit("draft", drafts.first.get_attribute("href"))

    assert not failures, "\n\n".join(failures)
