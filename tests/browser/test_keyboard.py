"""A step completed with the keyboard alone, with a visible focus ring on every stop."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from tests.browser.actions import expect_step, open_the_repair
from tests.browser.conftest import LiveServer

#: Describes the focused element and whether a clear focus indicator is drawn around it
#: (an outline of 2px or more, or a ring: more than the browser's thin default).
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const ring = s.boxShadow && s.boxShadow !== 'none';
    return {
        tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '',
        id: e.id, text: (e.innerText || '').trim().slice(0, 40),
        type: e.getAttribute('type') || '',
        visible: outline || ring,
        inStep: e.closest('#step-empathize') !== null,
        inStepForm: e.closest('#step-empathize form.step-form') !== null,
        summaryOfStep: e.tagName === 'SUMMARY'
            && e.closest('#step-empathize') !== null
            && !e.parentElement.open,
    };
}"""


def tab_until(page: Page, wanted, *, limit: int = 250, key: str = "Tab") -> dict:
    """Press ``key`` until ``wanted(focused)`` holds; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"{key} never reached the control after {limit} presses")


def test_keyboard_only_completes_the_empathy_step(page: Page, live_server: LiveServer) -> None:
    rid = open_the_repair(page)
    page.goto(f"/repairs/{rid}")
    expect_step(page, "empathize", "pending")
    page.locator("body").focus()

    def field_or_closed_summary(f: dict) -> bool:
        return (f["name"] == "how_it_felt" and f["inStep"]) or f["summaryOfStep"]

    focused = tab_until(page, field_or_closed_summary)
    if focused["summaryOfStep"]:
        page.keyboard.press("Enter")  # opens the step's details
        focused = tab_until(page, lambda f: f["name"] == "how_it_felt" and f["inStep"])
    page.keyboard.type("Embarrassed in front of the client, and let down.")

    button = tab_until(page, lambda f: f["inStepForm"] and f["tag"] == "button")
    # Back and forth: Shift+Tab leaves the button, Tab comes back to it.
    back = tab_until(
        page, lambda f: f["tag"] != "button" or f["text"] != button["text"], key="Shift+Tab"
    )
    assert back["tag"] != "button" or back["text"] != button["text"]
    tab_until(page, lambda f: f["inStep"] and f["tag"] == "button" and f["text"] == button["text"])
    page.keyboard.press("Enter")

    expect_step(page, "empathize", "done")
    expect(page.locator("#step-empathize")).to_contain_text("Embarrassed in front of the client")


def test_keyboard_only_adds_a_commitment_and_marks_it_kept(
    page: Page, live_server: LiveServer
) -> None:
    rid = open_the_repair(page)
    page.goto(f"/repairs/{rid}/commitments")
    page.locator("body").focus()

    tab_until(page, lambda f: f["id"] == "c-title")
    page.keyboard.type("Send Dana the revised report")
    tab_until(page, lambda f: f["id"] == "c-due")
    page.keyboard.type("2026-03-06 17:00")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Add commitment")
    page.keyboard.press("Enter")

    row = page.locator("tr[data-status='pending']").first
    expect(row).to_be_visible()
    row_id = str(row.get_attribute("id"))
    page.locator("body").focus()
    tab_until(page, lambda f: f["id"] == f"{row_id}-kept")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{row_id}")).to_have_attribute("data-status", "kept")
    # The row was swapped in place: the keyboard stays where it was, not back at the top.
    focused = page.evaluate(FOCUSED)
    assert focused is not None and focused["id"].startswith(row_id), focused
    assert focused["visible"], focused
