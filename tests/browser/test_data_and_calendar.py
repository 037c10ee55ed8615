"""Taking data out and back in, and the calendar feed, as a person does it in the browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from tests.browser.actions import load_demo
from tests.browser.conftest import LiveServer


def test_export_download_and_import_from_the_data_page(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    load_demo(page)
    page.goto("/data")
    with page.expect_download() as download_info:
        page.locator("#export-link").click()
    download = download_info.value
    saved = tmp_path / (download.suggested_filename or "export.json")
    download.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert len(exported["repairs"]) == 1 and len(exported["people"]) == 1
    assert exported["interactions"] and exported["commitments"] and exported["drafts"]

    # A broken file is refused as a whole, with the reason beside the file field.
    broken = tmp_path / "broken.json"
    broken.write_text('{"not": "a Mend export"', encoding="utf-8")
    page.locator("#import-file").set_input_files(broken)
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator("#file-error")).to_be_visible()
    expect(page.locator("#import-file")).to_have_attribute("aria-invalid", "true")

    # The real export comes back in: the board now holds the demo repair twice.
    page.locator("#import-file").set_input_files(saved)
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator("[role=status]")).to_contain_text("Imported")
    expect(page.locator("[role=status]")).to_contain_text("1 repair")
    page.goto("/")
    expect(page.locator("ul.repairs > li")).to_have_count(2)


def test_calendar_feed_is_private_and_can_be_renewed(page: Page, live_server: LiveServer) -> None:
    load_demo(page)
    page.goto("/calendar")
    feed_url = page.locator("#feed-url").input_value()
    assert re.search(r"/calendar/[^/]+\.ics$", feed_url), feed_url
    # Any calendar app can fetch it without a session: only the secret in the URL counts.
    feed = page.context.request.get(feed_url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body

    with page.expect_download() as download_info:
        page.locator("#ics-download").click()
    assert "BEGIN:VEVENT" in Path(download_info.value.path()).read_text(encoding="utf-8")

    # A new address replaces the old one, which stops working.
    page.locator("#regenerate-form button").click()
    new_url = page.locator("#feed-url").input_value()
    assert new_url != feed_url
    assert page.context.request.get(feed_url).status == 404
    assert page.context.request.get(new_url).status == 200
