"""The trust page: the chart's data, its band, the movers, and nothing the CSP would block."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Api, csrf_token
from tests.web.pagetools import Html


@pytest.fixture
def rid(repair: dict[str, Any]) -> int:
    return int(repair["id"])


def _record(api: Api, rid: int, description: str, status: str) -> None:
    made = api.post(
        f"repairs/{rid}/commitments",
        {"description": description, "due_at": "2026-03-02T09:30:00Z"},
    )
    api.post(f"repairs/{rid}/commitments/{made['id']}/outcomes", {"status": status}, expect=200)


def test_chart_data_band_and_movers_match_the_estimate(
    client: TestClient, api: Api, rid: int
) -> None:
    _record(api, rid, "Send the corrected report", "kept")
    _record(api, rid, "Warn about the next delay early", "missed")
    _record(api, rid, "Share the agenda", "kept")
    report = api.get(f"repairs/{rid}/trust")

    response = client.get(f"/repairs/{rid}/trust")
    assert response.status_code == 200
    page = Html(response.text)
    assert page.one("div#trust-chart")["role"] == "img"
    data_node = page.one("script#trust-data")
    assert data_node["type"] == "application/json"
    data = json.loads(data_node.text)
    assert len(data["x"]) == len(data["value"]) == len(data["low"]) == len(data["high"]) >= 1
    assert data["x"] == sorted(data["x"])
    for low, value, high in zip(data["low"], data["value"], data["high"], strict=True):
        assert 0 <= low <= value <= high <= 1
    estimate = report["estimate"]
    assert data["value"][-1] == pytest.approx(estimate["value"], abs=1e-3)
    width = data["high"][-1] - data["low"][-1]
    assert width == pytest.approx(estimate["uncertainty"], abs=1e-3), "band is ± half of u"

    shown = page.one("#trust-value").text
    assert shown == f"{estimate['value'] * 100:.0f}%"

    rows = page.one("table#trust-events").all("tr", data_kind="missed")
    assert len(rows) == 1 and "Warn about the next delay early" in rows[0].text
    assert rows[0].one("td", class_="down").text.startswith("−")
    kept = page.one("table#trust-events").all("tr", data_kind="kept")
    assert all(row.one("td", class_="up").text.startswith("+") for row in kept)


def test_without_records_the_page_explains_the_neutral_start(client: TestClient, rid: int) -> None:
    page = Html(client.get(f"/repairs/{rid}/trust").text)
    assert page.one("#trust-value").text == "50%"
    assert "Nothing is recorded yet" in page.one("section", class_="trust-now").text
    [empty] = page.one("table#trust-events").one("tbody").all("tr")
    assert empty.one("a")["href"] == f"/repairs/{rid}/commitments"


def test_span_choice_and_unknown_repairs(client: TestClient, rid: int) -> None:
    page = Html(client.get(f"/repairs/{rid}/trust?weeks=4").text)
    assert page.one("a", aria_current="true").text == "4 weeks"
    assert client.get(f"/repairs/{rid}/trust?weeks=0").status_code == 422
    assert client.get("/repairs/4040/trust").status_code == 404


def test_pages_use_no_inline_script_or_style(client: TestClient, api: Api, rid: int) -> None:
    """The CSP forbids inline script and style; every page must work within it."""
    api.post(
        f"repairs/{rid}/commitments",
        {"description": "Weekly note", "recurrence": "weekly"},
    )
    api.post(f"repairs/{rid}/agreement", {"channel": "Chat"})
    paths = [
        f"/repairs/{rid}/{section}"
        for section in ("commitments", "checkins", "trust", "ground", "agreement")
    ] + [f"/repairs/{rid}/agreement/print", "/calendar", "/data"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page = Html(response.text)
        assert len(page.all("h1")) == 1, path
        for script in page.all("script"):
            assert script.get("src") or script.get("type") == "application/json", path
        assert not [el for el in page.walk() if "style" in el.attrs], path
        assert not [el for el in page.walk() if any(a.startswith("on") for a in el.attrs)], path
        for field in page.all("input") + page.all("select") + page.all("textarea"):
            if field.get("type") == "hidden":
                continue
            assert page.all("label", for_=field["id"]), f"{path}: {field.attrs} has a label"
        for form in page.all("form", method="post"):
            assert form.one("input", name="csrf_token")["value"] == csrf_token(client), path


def test_the_chart_script_and_its_library_are_served(client: TestClient, rid: int) -> None:
    page = Html(client.get(f"/repairs/{rid}/trust").text)
    sources = [s["src"] for s in page.all("script") if s.get("src")]
    assert "/static/trust-chart.js" in sources
    assert any("uPlot" in src for src in sources)
    for src in sources:
        assert client.get(src).status_code == 200, src
    chart = client.get("/static/trust-chart.js").text
    assert "trust-data" in chart and "bands" in chart


def test_every_outcome_is_listed_paged_on_the_page_and_in_the_api(
    client: TestClient, api: Api, rid: int
) -> None:
    """Seven outcomes: none left unexplained (the old list stopped at the five largest)."""
    for n, status in enumerate(["kept"] * 5 + ["late", "missed"]):
        _record(api, rid, f"Promise {n}", status)
    report = api.get(f"repairs/{rid}/trust")
    assert report["movers_total"] == 7 and len(report["movers"]) == 7
    assert report["summary"].startswith("up ")
    page = api.get(f"repairs/{rid}/trust?limit=3&offset=6")
    assert page["movers_total"] == 7 and len(page["movers"]) == 1
    html = Html(client.get(f"/repairs/{rid}/trust").text)
    rows = [r for r in html.one("table#trust-events").all("tr") if r.get("data-kind")]
    assert len(rows) == 7
    text = client.get(f"/repairs/{rid}/trust").text
    for n in range(7):
        assert f"Promise {n}" in text
    assert "since the first outcome" in text


def test_a_long_history_is_paged(client: TestClient, api: Api, rid: int) -> None:
    for n in range(30):
        _record(api, rid, f"Promise {n}", "kept" if n % 3 else "late")
    first = client.get(f"/repairs/{rid}/trust")
    assert "Events 1–25 of 30" in first.text
    second = client.get(f"/repairs/{rid}/trust?events=2")
    assert "Events 26–30 of 30" in second.text
    both = first.text + second.text
    shown = {n for n in range(30) if re.search(rf"Promise {n}\b", both)}
    assert len(shown) == 30
