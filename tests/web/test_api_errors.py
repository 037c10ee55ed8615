"""Every API error has one shape: {"error": {"code", "message", "field"}}, with a 4xx status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Api


def _shape(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code
    assert body["error"]["message"].strip()
    if field is not None:
        assert body["error"]["field"] == field
    return dict(body["error"])


UNKNOWN_IDS = [
    ("GET", "/api/v1/people/404"),
    ("PATCH", "/api/v1/people/404"),
    ("DELETE", "/api/v1/people/404"),
    ("GET", "/api/v1/repairs/404"),
    ("PATCH", "/api/v1/repairs/404"),
    ("DELETE", "/api/v1/repairs/404"),
    ("GET", "/api/v1/repairs/404/steps"),
    ("GET", "/api/v1/repairs/404/interactions"),
    ("GET", "/api/v1/repairs/404/patience"),
    ("GET", "/api/v1/repairs/404/drafts"),
    ("GET", "/api/v1/repairs/404/commitments"),
    ("GET", "/api/v1/repairs/404/check-ins"),
    ("GET", "/api/v1/repairs/404/common-ground"),
    ("GET", "/api/v1/repairs/404/agreement"),
    ("GET", "/api/v1/repairs/404/trust"),
    ("GET", "/api/v1/repairs/{rid}/interactions/404"),
    ("GET", "/api/v1/repairs/{rid}/drafts/404"),
    ("GET", "/api/v1/repairs/{rid}/drafts/404/proposed-commitments"),
    ("GET", "/api/v1/repairs/{rid}/commitments/404"),
    ("POST", "/api/v1/repairs/{rid}/commitments/404/cancel"),
    ("GET", "/api/v1/repairs/{rid}/check-ins/404"),
    ("POST", "/api/v1/repairs/{rid}/check-ins/404/cancel"),
    ("GET", "/api/v1/nothing-here"),
]


@pytest.mark.parametrize(("method", "path"), UNKNOWN_IDS)
def test_unknown_ids_are_404(
    client: TestClient, repair: dict[str, Any], method: str, path: str
) -> None:
    body = {"name": "x"} if method == "PATCH" and "people" in path else {}
    response = client.request(method, path.format(rid=repair["id"]), json=body)
    _shape(response, 404, "not_found")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/people", {"name": "A", "role": "colleague", "extra": 1}, "extra"),
        ("/api/v1/repairs", {"person_id": "one", "title": "t", "what_happened": "w"}, "person_id"),
        ("/api/v1/repairs", {"person_id": 0, "title": "t", "what_happened": "w"}, "person_id"),
        ("/api/v1/coach", {}, "text"),
        ("/api/v1/coach", {"text": 5}, "text"),
    ],
)
def test_invalid_fields_are_422_with_the_field(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    _shape(client.post(path, json=body), 422, "invalid_input", field)


def test_bodies_that_are_not_json(api: Api, client: TestClient) -> None:
    broken = client.post(
        "/api/v1/people", content=b"{not json", headers={"content-type": "application/json"}
    )
    error = _shape(broken, 422, "invalid_input", None)
    assert "not valid JSON" in error["message"] and error["field"] is None
    wrong_type = _shape(client.post("/api/v1/people", json=["a", "list"]), 422, "invalid_input")
    assert "JSON object" in wrong_type["message"] and wrong_type["field"] is None
    empty = _shape(client.post("/api/v1/people"), 422, "invalid_input")
    assert "needs a JSON object" in empty["message"]
    assert api.get("people")["total"] == 0


def test_path_ids_must_be_whole_numbers(client: TestClient) -> None:
    _shape(client.get("/api/v1/repairs/abc"), 422, "invalid_input", "repair_id")
    _shape(client.get("/api/v1/people/1.5"), 422, "invalid_input", "person_id")
    huge = str(2**63)
    _shape(client.get(f"/api/v1/repairs/{huge}/interactions"), 422, "invalid_input", "repair_id")
    _shape(client.get("/api/v1/repairs/1/drafts/0"), 422, "invalid_input", "draft_id")


def test_wrong_method_is_405_in_the_same_shape(client: TestClient) -> None:
    _shape(client.put("/api/v1/people", json={}), 405, "method_not_allowed")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people",
        "/api/v1/repairs",
        "/api/v1/repairs/{rid}/interactions",
        "/api/v1/repairs/{rid}/drafts",
        "/api/v1/repairs/{rid}/commitments",
        "/api/v1/repairs/{rid}/check-ins",
    ],
)
def test_paging_bounds(client: TestClient, repair: dict[str, Any], path: str) -> None:
    url = path.format(rid=repair["id"])
    _shape(client.get(url, params={"limit": 0}), 422, "invalid_input", "limit")
    _shape(client.get(url, params={"limit": 501}), 422, "invalid_input", "limit")
    _shape(client.get(url, params={"offset": -1}), 422, "invalid_input", "offset")
    _shape(client.get(url, params={"limit": "many"}), 422, "invalid_input", "limit")
    page = client.get(url, params={"limit": 500, "offset": 0}).json()
    assert (page["limit"], page["offset"]) == (500, 0)
    default = client.get(url).json()
    assert (default["limit"], default["offset"]) == (50, 0)


def test_interactions_page_in_order(api: Api, repair: dict[str, Any]) -> None:
    base = f"repairs/{repair['id']}/interactions"
    for day in range(1, 8):
        api.post(
            base,
            {"kind": "call", "initiated_by": "them", "occurred_at": f"2026-02-{day:02d}T10:00Z"},
        )
    pages = [api.get(base, params={"limit": 3, "offset": o}) for o in (0, 3, 6)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert all(p["total"] == 7 for p in pages)
    days = [i["occurred_at"][:10] for p in pages for i in p["items"]]
    assert sorted(days) == [f"2026-02-{d:02d}" for d in range(1, 8)]
    assert len(set(days)) == 7


# --- size limits ---------------------------------------------------------------------------


def test_body_over_the_limit_is_413_before_it_is_read(api: Api, client: TestClient) -> None:
    from mend.web.security import MAX_BODY

    big = b'{"name": "' + b"x" * MAX_BODY + b'", "role": "colleague"}'
    response = client.post(
        "/api/v1/people", content=big, headers={"content-type": "application/json"}
    )
    _shape(response, 413, "too_large")
    assert "1,048,576" in response.json()["error"]["message"]
    assert api.get("people")["total"] == 0


def test_chunked_body_without_length_is_413(api: Api, client: TestClient) -> None:
    from mend.web.security import MAX_BODY

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536
        yield b'", "role": "colleague"}'

    response = client.post(
        "/api/v1/people", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in {k.lower() for k in response.request.headers}
    _shape(response, 413, "too_large")
    assert api.get("people")["total"] == 0


def test_body_just_under_the_limit_is_read(client: TestClient) -> None:
    from mend.web.security import MAX_BODY

    notes = "n" * (MAX_BODY - 200)
    response = client.post(
        "/api/v1/people", json={"name": "Ana", "role": "colleague", "notes": notes}
    )
    assert response.status_code == 422, "read in full, then the notes field is too long"
    assert response.json()["error"]["field"] == "notes"


# --- cross-site writes -----------------------------------------------------------------


def test_foreign_origin_cannot_write(api: Api, client: TestClient) -> None:
    for method, path in [
        ("POST", "/api/v1/people"),
        ("PATCH", "/api/v1/people/1"),
        ("DELETE", "/api/v1/people/1"),
        ("POST", "/api/v1/import"),
    ]:
        response = client.request(
            method,
            path,
            json={"name": "Mallory", "role": "other"},
            headers={"origin": "https://evil.example"},
        )
        _shape(response, 403, "forbidden")
    assert api.get("people")["total"] == 0


def test_same_origin_and_no_origin_may_write(api: Api, client: TestClient) -> None:
    same = client.post(
        "/api/v1/people",
        json={"name": "Ana", "role": "colleague"},
        headers={"origin": "http://testserver"},
    )
    assert same.status_code == 201
    api.post("people", {"name": "Bo", "role": "colleague"})
    read = client.get("/api/v1/people", headers={"origin": "https://evil.example"})
    assert read.status_code == 200, "reads are not writes"
    assert read.json()["total"] == 2


def test_openapi_document_lists_every_route(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    paths = set(doc["paths"])
    for path in [
        "/api/v1/people",
        "/api/v1/repairs/{repair_id}/steps/{step}/skip",
        "/api/v1/repairs/{repair_id}/drafts/{draft_id}/send",
        "/api/v1/repairs/{repair_id}/commitments/{commitment_id}/outcomes",
        "/api/v1/repairs/{repair_id}/check-ins/{check_in_id}/complete",
        "/api/v1/repairs/{repair_id}/agreement",
        "/api/v1/repairs/{repair_id}/trust",
        "/api/v1/coach",
        "/api/v1/export",
        "/api/v1/import",
        "/api/v1/calendar.ics",
    ]:
        assert path in paths
    assert all(p.startswith("/api/v1/") for p in paths), "pages stay out of the API document"
    error = doc["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["error"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("interactions", {"kind": "email", "initiated_by": "them", "occurred_at": "{t}"}),
        ("commitments", {"description": "Report", "due_at": "{t}"}),
        ("check-ins", {"scheduled_at": "{t}"}),
    ],
)
@pytest.mark.parametrize(
    "when",
    ["2026-03-10T10:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1850-01-01Z"],
)
def test_moments_need_an_offset_and_a_sane_year(
    api: Api, repair: dict[str, Any], path: str, body: dict[str, Any], when: str
) -> None:
    sent = {k: (when if v == "{t}" else v) for k, v in body.items()}
    name = next(k for k, v in body.items() if v == "{t}")
    response = api.client.post(f"/api/v1/repairs/{repair['id']}/{path}", json=sent)
    _shape(response, 422, "invalid_input", name)
    assert api.get(f"repairs/{repair['id']}/{path}")["total"] == 0


def test_days_and_patience_times_in_range(api: Api, repair: dict[str, Any]) -> None:
    base = f"/api/v1/repairs/{repair['id']}"
    _shape(
        api.client.patch(base, json={"occurred_on": "0001-01-01"}),
        422,
        "invalid_input",
        "occurred_on",
    )
    _shape(
        api.client.post(f"{base}/agreement", json={"review_on": "9999-12-31"}),
        422,
        "invalid_input",
        "review_on",
    )
    _shape(
        api.client.get(f"{base}/patience", params={"at": "9999-12-31T23:59:59-14:00"}),
        422,
        "invalid_input",
        "at",
    )
    local = api.get(f"{base}/patience", params={"at": "2026-03-10T10:00"})
    assert local["allowed"] is True, "a time without an offset is read in Mend's time zone"


def test_text_with_a_nul_character_is_refused(api: Api, repair: dict[str, Any]) -> None:
    base = f"/api/v1/repairs/{repair['id']}"
    _shape(
        api.client.post("/api/v1/people", json={"name": "A\x00B", "role": "other"}),
        422,
        "invalid_input",
        "name",
    )
    _shape(
        api.client.post(f"{base}/steps/listen/answers", json={"answers": {"learned": "x\x00"}}),
        422,
        "invalid_input",
        "answers",
    )
    _shape(
        api.client.post(f"{base}/agreement", json={"tasks": [{"task": "\x00", "owner": "me"}]}),
        422,
        "invalid_input",
        "tasks",
    )
    assert api.get("people")["total"] == 1
    assert api.get(f"repairs/{repair['id']}/agreement")["current"] is None
