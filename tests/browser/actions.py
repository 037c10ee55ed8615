"""What a person does on the pages, written once for the browser tests.

Selectors follow the pages' stable hooks: form ids, field names, and the
``#step-<step>`` items with ``data-state`` on the repair page.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

REPAIR_URL = re.compile(r"/repairs/(\d+)(?:#.*)?$")


def set_field(form: Locator, name: str, value: str | bool) -> None:
    """Give the field called ``name`` in ``form`` a value, whatever kind of control it is."""
    fields = form.locator(f"[name='{name}']")
    first = fields.first
    expect(first).to_be_attached()
    tag = first.evaluate("e => e.tagName.toLowerCase()")
    kind = (first.get_attribute("type") or "").lower()
    if tag == "select":
        first.select_option(str(value))
    elif kind == "checkbox":
        first.set_checked(bool(value))
    elif kind == "radio":
        form.locator(f"[name='{name}'][value='{value}']").check()
    else:
        first.fill(str(value))


def fill_form(form: Locator, values: dict[str, Any]) -> None:
    for name, value in values.items():
        set_field(form, name, value)


def submit(form: Locator) -> None:
    """Press the form's (first) submit button and let the page load."""
    form.locator("button:not([type=button]):not([type=reset])").first.click()


def repair_id(page: Page) -> int:
    match = REPAIR_URL.search(page.url)
    assert match, f"not on a repair page: {page.url}"
    return int(match.group(1))


def step(page: Page, name: str) -> Locator:
    return page.locator(f"#steps #step-{name}")


def expect_step(page: Page, name: str, state: str) -> None:
    expect(step(page, name)).to_have_attribute("data-state", state)


def step_states(page: Page) -> dict[str, str]:
    items = page.locator("#steps > li[id^='step-']")
    return {
        str(item.get_attribute("id"))[5:]: str(item.get_attribute("data-state"))
        for item in items.all()
    }


def log_interaction(page: Page, rid: int, **values: Any) -> None:
    """Log a conversation or outreach with form#interaction-form on the repair page."""
    if not re.search(rf"/repairs/{rid}(#.*)?$", page.url):
        page.goto(f"/repairs/{rid}")
    form = page.locator("#interaction-form")
    fill_form(form, values)
    submit(form)


AGREEMENT = {
    "channel": "Short written updates in our team chat",
    "frequency": "Every Friday",
    "response_time": "Within one working day",
    "tasks": "client report = me\nclient call = them",
    "raise_problems": "Say it early, in private, the same day.",
    "review_on": "2026-06-19",
}


def home_card(page: Page, rid: int) -> Locator:
    """The repair's entry on the home board."""
    return page.locator(f"[data-repair-id='{rid}'], li.repair:has(a[href='/repairs/{rid}'])").first


def open_the_repair(page: Page, *, check_errors: bool = False) -> int:
    """From the first-run page, open the missed-deadline repair; returns its id.

    With ``check_errors`` the form is first sent without a title, and the test checks
    the error shown beside the field and that nothing was saved.
    """
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Welcome to Mend")
    page.get_by_role("link", name="Start your first repair").click()
    expect(page).to_have_url(re.compile(r"/repairs/new$"))
    form = page.locator("#repair-form")
    if check_errors:
        # Without a title the form comes back with the problem beside the field, and
        # nothing is saved: not even the new person.
        fill_form(form, {"new_person_name": "Dana Whitfield", "what_happened": "Missed it."})
        submit(form)
        title = page.locator("#repair-form [name='title']")
        expect(title).to_have_attribute("aria-invalid", "true")
        described = str(title.get_attribute("aria-describedby"))
        expect(page.locator(f"#{described.split()[-1]}")).to_have_attribute("role", "alert")
        expect(page.locator("#repair-form [name='new_person_name']")).to_have_value(
            "Dana Whitfield"
        )
        page.goto("/people")
        expect(page.locator("main")).not_to_contain_text("Dana Whitfield")
        page.goto("/repairs/new")
    fill_form(
        form,
        {
            "new_person_name": "Dana Whitfield",
            "new_person_role": "colleague",
            "title": "Missed the client report deadline",
            "what_happened": "I missed the Friday deadline for the client report and "
            "did not tell Dana until the client asked her.",
            "my_part": "I knew on Wednesday it would slip and said nothing.",
            "impact": "Dana had to explain the delay to the client unprepared.",
            "severity": "3",
            "occurred_on": "2026-02-27",
        },
    )
    submit(form)
    expect(page).to_have_url(re.compile(r"/repairs/\d+$"))
    expect(page.locator("h1")).to_contain_text("Missed the client report deadline")
    return repair_id(page)


def load_demo(page: Page) -> int:
    """Load the demo from the first-run page; returns the demo repair's id."""
    page.goto("/")
    page.get_by_role("button", name=re.compile("demo", re.I)).click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+$"))
    return repair_id(page)
