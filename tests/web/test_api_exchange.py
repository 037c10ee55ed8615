"""/api/v1/export and /api/v1/import: a round trip, and refusals that write nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Api


def _fill(api: Api) -> int:
    """A repair with something in every kind of record; returns its id."""
    rid = int(api.post("demo")["repair_id"])
    base = f"repairs/{rid}"
    api.post(f"{base}/common-ground", {"text": "Both want a calm release"})
    api.post(f"{base}/initiatives", {"title": "Shared checklist"})
    api.post(f"{base}/agreement", {"channel": "Call on Mondays"})
    return rid


def test_export_then_import_into_an_emptied_database(api: Api) -> None:
    rid = _fill(api)
    exported = api.get("export")
    assert exported["format"] and exported["schema_version"] >= 1
    before = api.get(f"repairs/{rid}")
    counts = {k: len(v) for k, v in exported.items() if isinstance(v, list) and v}
    assert counts["repairs"] == 1 and counts["interactions"] > 0

    api.delete(f"people/{before['person']['id']}", params={"with_repairs": "true"})
    assert api.get("repairs", params={"include_closed": "true"})["total"] == 0

    result = api.post("import", exported, expect=200)
    assert {k: v for k, v in result["counts"].items() if v} == counts
    assert api.get(f"repairs/{rid}") == before, "ids and every field come back as they were"
    again = api.get("export")
    assert {k: v for k, v in again.items() if k != "exported_at"} == {
        k: v for k, v in exported.items() if k != "exported_at"
    }


def test_importing_twice_adds_a_copy_with_new_ids(api: Api) -> None:
    rid = _fill(api)
    exported = api.get("export")
    result = api.post("import", exported, expect=200)
    assert result["counts"]["repairs"] == 1
    board = api.get("repairs")
    assert board["total"] == 2
    assert {r["title"] for r in board["items"]} == {api.get(f"repairs/{rid}")["repair"]["title"]}


def test_refused_imports_write_nothing(api: Api, client: TestClient) -> None:
    _fill(api)
    exported = api.get("export")
    before = api.get("export")

    newer = {**exported, "schema_version": exported["schema_version"] + 1}
    refused = api.post("import", newer, expect=422)
    assert refused["error"]["code"] == "import_failed"
    assert refused["error"]["field"] == "schema_version"
    assert "newer" in refused["error"]["message"]

    broken_row = json.loads(json.dumps(exported))
    broken_row["repairs"][0]["severity"] = "very"
    refused = api.post("import", broken_row, expect=422)
    assert refused["error"]["field"].startswith("repairs[0]")

    dangling = json.loads(json.dumps(exported))
    dangling["interactions"][-1]["repair_id"] = 9999
    assert api.post("import", dangling, expect=422)["error"]["code"] == "import_failed"

    cut = json.dumps(exported)[:-40]
    response = client.post(
        "/api/v1/import", content=cut, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "file"
    assert "not valid JSON" in response.json()["error"]["message"]

    not_mend = api.post("import", {"hello": "world"}, expect=422)
    assert not_mend["error"]["field"] == "format"
    listed = client.post("/api/v1/import", json=[1, 2])
    assert listed.status_code == 422 and listed.json()["error"]["field"] == "file"

    after = api.get("export")
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }


def test_import_may_be_larger_than_other_requests(client: TestClient) -> None:
    from mend.web.security import MAX_BODY

    padding = " " * (MAX_BODY + 10)
    response = client.post(
        "/api/v1/import",
        content='{"format": "nothing"}' + padding,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422, "over 1 MiB reaches the importer, which reads it"
    assert response.json()["error"]["field"] == "format"


def test_import_over_its_own_limit_is_413(
    api: Api, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mend.web import security

    monkeypatch.setattr(security, "IMPORT_MAX_BODY", 4096)
    body = json.dumps({"format": "x", "padding": "p" * 5000}).encode()
    sized = client.post(
        "/api/v1/import", content=body, headers={"content-type": "application/json"}
    )
    assert sized.status_code == 413
    assert sized.json()["error"]["code"] == "too_large"
    assert "4,096" in sized.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    chunked = client.post(
        "/api/v1/import", content=chunks(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413
    assert api.get("people")["total"] == 0
