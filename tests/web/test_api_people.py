"""/api/v1/people: add, read, edit, list with pages, remove."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Api


def test_add_read_and_edit_a_person(api: Api) -> None:
    made = api.post("people", {"name": "Sam Okafor", "role": "colleague", "notes": "Design lead"})
    assert made["name"] == "Sam Okafor"
    assert made["role"] == "colleague"
    assert made["organisation"] == ""
    assert made["notes"] == "Design lead"
    assert made["created_at"].startswith("2026-03-02T09:00")

    assert api.get(f"people/{made['id']}") == made

    edited = api.patch(f"people/{made['id']}", {"role": "manager", "organisation": "Acme"})
    assert edited["role"] == "manager"
    assert edited["organisation"] == "Acme"
    assert edited["name"] == "Sam Okafor", "fields left out of a PATCH stay as they were"
    assert api.get(f"people/{made['id']}")["role"] == "manager"


def test_people_list_pages_through_everyone(api: Api) -> None:
    names = [f"Person {n:02d}" for n in range(7)]
    for name in names:
        api.post("people", {"name": name, "role": "colleague"})

    first = api.get("people", params={"limit": 3})
    assert (first["total"], first["limit"], first["offset"]) == (7, 3, 0)
    assert len(first["items"]) == 3
    rest = api.get("people", params={"limit": 3, "offset": 3})
    last = api.get("people", params={"limit": 3, "offset": 6})
    assert len(last["items"]) == 1
    seen = [p["name"] for page in (first, rest, last) for p in page["items"]]
    assert sorted(seen) == names, "pages together hold every person exactly once"

    beyond = api.get("people", params={"offset": 50})
    assert beyond["items"] == [] and beyond["total"] == 7


def test_removing_a_person_with_a_repair_needs_with_repairs(
    api: Api, person: dict[str, Any], repair: dict[str, Any]
) -> None:
    refused = api.delete(f"people/{person['id']}", expect=409)
    assert refused["error"]["code"] == "conflict"
    assert api.get(f"repairs/{repair['id']}")["person"]["id"] == person["id"]

    api.delete(f"people/{person['id']}", params={"with_repairs": "true"})
    assert api.get(f"people/{person['id']}", expect=404)["error"]["code"] == "not_found"
    assert api.get(f"repairs/{repair['id']}", expect=404)["error"]["code"] == "not_found"


def test_removing_a_person_without_repairs(api: Api, person: dict[str, Any]) -> None:
    api.delete(f"people/{person['id']}")
    assert api.get("people")["total"] == 0
    gone = api.delete(f"people/{person['id']}", expect=404)
    assert gone["error"]["code"] == "not_found"


def test_person_input_errors_name_the_field(api: Api) -> None:
    missing = api.post("people", {"role": "colleague"}, expect=422)
    assert missing["error"] == {
        "code": "invalid_input",
        "message": missing["error"]["message"],
        "field": "name",
    }
    bad_role = api.post("people", {"name": "Kim", "role": "boss"}, expect=422)
    assert bad_role["error"]["field"] == "role"
    unknown = api.post("people", {"name": "Kim", "role": "client", "age": 40}, expect=422)
    assert unknown["error"]["field"] == "age"
    too_long = api.post("people", {"name": "K" * 5000, "role": "client"}, expect=422)
    assert too_long["error"]["field"] == "name"
    blank = api.patch("people/1", {"name": ""}, expect=422)
    assert blank["error"]["field"] == "name"
    assert api.get("people")["total"] == 0, "nothing is saved from a refused request"
