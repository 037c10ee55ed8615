"""What a person does on the pages, written once for the browser tests.

Selectors follow the page contract (docs in the web pages brief): form ids, field names
and the ``#step-<step>`` items with ``data-state``.
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
