"""On a team server no account can read or change another's data: walked over every route.

Threat: another account on the same server (docs/security.md). Account A records one of
everything, with a canary string in it; account B then asks for every route of the app
with A's ids filled in. Each answer must be a plain 404, the very answer an id that
never existed gets, and none may contain the canary; after B's writes A's data is
exactly as it was. The routes come from the app itself: a route this test does not
know how to fill fails it, so a new route is walked as soon as it exists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Route
from tests.conftest import NOW
from tests.routes import all_routes
from tests.teamtools import add_account, log_in
from tests.web.conftest import csrf_token

from mend.app import App
from mend.web.app import create_app
from mend.web.security import CSRF_COOKIE

CANARY = "Canary5f1d9c"
#: An id no row has: what B gets for A's ids must be what B gets for this one.
NEVER = 987654
_STAMP = "%Y%m%dT%H%M%SZ"  # the due-time stamp in /commitments/{id}/due/{stamp}/...
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Records:
    """The ids of one account's records (one of everything)."""

    person: int
    repair: int
    interaction: int
    draft: int
    commitment: int
    occurrence: int
    due_at: str
    check_in: int
    initiative: int
    invitation: int = 1

    def path_values(self) -> dict[str, str]:
        """What to put in each path parameter to name these records."""
        due = NOW.fromisoformat(self.due_at).astimezone(UTC).strftime(_STAMP)
        return {
            "person_id": str(self.person),
            "repair_id": str(self.repair),
            "interaction_id": str(self.interaction),
            "draft_id": str(self.draft),
            "number": "1",
            "commitment_id": str(self.commitment),
            "occurrence_id": str(self.occurrence),
            "check_in_id": str(self.check_in),
            "initiative_id": str(self.initiative),
            "invitation_id": str(self.invitation),
            "stamp": due,
            "step": "empathize",
            "outcome": "kept",
        }


def record_everything(client: TestClient, label: str) -> Records:
    """One of everything, through the API, with ``label`` in every text."""

    def post(path: str, body: dict[str, Any], expect: int = 201) -> Any:
        response = client.post(f"/api/v1/{path}", json=body)
        assert response.status_code == expect, (path, response.text)
        return response.json()

    person = post(
        "people",
        {"name": f"Ana {label}", "role": "colleague", "organisation": label, "notes": label},
    )
    repair = post(
        "repairs",
        {
            "person_id": person["id"],
            "title": f"Late specs {label}",
            "what_happened": f"I was late: {label}",
            "my_part": f"My part: {label}",
            "impact": f"Impact: {label}",
        },
    )["repair"]
    r = f"repairs/{repair['id']}"
    post(f"{r}/steps/empathize/answers", {"answers": {"how_it_felt": label}}, expect=200)
    interaction = post(
        f"{r}/interactions",
        {"kind": "meeting", "initiated_by": "them", "their_perspective": label},
    )
    draft = post(f"{r}/drafts", {"kind": "apology", "text": f"I'm sorry. {label}"})
    due = (NOW + timedelta(days=2)).isoformat()
    commitment = post(f"{r}/commitments", {"description": f"Send it {label}", "due_at": due})
    check_in = post(
        f"{r}/check-ins",
        {"scheduled_at": (NOW + timedelta(days=3)).isoformat(), "note": label},
    )
    post(f"{r}/common-ground", {"text": f"Goal {label}"})
    initiative = post(f"{r}/initiatives", {"title": f"Checklist {label}"})
    post(f"{r}/agreement", {"channel": label, "notes": label})
    invitation = post(f"{r}/invitations", {"shared_title": f"Shared {label}", "their_name": label})
    return Records(
        person=person["id"],
        repair=repair["id"],
        interaction=interaction["id"],
        draft=draft["id"],
        commitment=commitment["id"],
        occurrence=commitment["occurrences"][0]["id"],
        due_at=commitment["occurrences"][0]["due_at"],
        check_in=check_in["id"],
        initiative=initiative["id"],
        invitation=invitation["id"],
    )


# --- what B sends to each write route ----------------------------------------------

Ids = dict[str, str]
Body = Callable[[Ids], dict[str, Any]]


def form(**fields: str) -> Body:
    """A page's form post (the CSRF token is added when it is sent)."""
    return lambda ids: {"data": {k: v.format(**ids) for k, v in fields.items()}}


def body(value: dict[str, Any] | None = None) -> Body:
    """A JSON body; string values may name ids as ``{person_id}``."""

    def fill(ids: Ids) -> dict[str, Any]:
        def sub(v: Any) -> Any:
            if isinstance(v, str) and v.startswith("{") and v.endswith("}"):
                return int(ids[v[1:-1]])
            return v

        return {"json": {k: sub(v) for k, v in (value or {}).items()}}

    return fill


SOON = (NOW + timedelta(days=5)).isoformat()

#: Every write route that names A's records (in its path, or in its body): B gets 404.
FOREIGN: dict[tuple[str, str], Body] = {
    # the JSON API
    ("PATCH", "/api/v1/people/{person_id}"): body({"name": "Taken"}),
    ("DELETE", "/api/v1/people/{person_id}"): body(),
    ("POST", "/api/v1/repairs"): body(
        {"person_id": "{person_id}", "title": "Mine now", "what_happened": "x"}
    ),
    ("PATCH", "/api/v1/repairs/{repair_id}"): body({"title": "Taken"}),
    ("POST", "/api/v1/repairs/{repair_id}/status"): body({"to": "in_progress", "reason": "x"}),
    ("DELETE", "/api/v1/repairs/{repair_id}"): body(),
    ("POST", "/api/v1/repairs/{repair_id}/steps/{step}/answers"): body(
        {"answers": {"how_it_felt": "x"}}
    ),
    ("POST", "/api/v1/repairs/{repair_id}/steps/{step}/done"): body({"force": True}),
    ("POST", "/api/v1/repairs/{repair_id}/steps/{step}/skip"): body({"reason": "x"}),
    ("POST", "/api/v1/repairs/{repair_id}/steps/{step}/reopen"): body(),
    ("POST", "/api/v1/repairs/{repair_id}/interactions"): body(
        {"kind": "meeting", "initiated_by": "them"}
    ),
    ("POST", "/api/v1/repairs/{repair_id}/interactions/{interaction_id}/reply"): body(),
    ("POST", "/api/v1/repairs/{repair_id}/drafts"): body({"kind": "apology", "text": "x"}),
    ("POST", "/api/v1/repairs/{repair_id}/drafts/{draft_id}/versions"): body({"text": "x"}),
    ("POST", "/api/v1/repairs/{repair_id}/drafts/{draft_id}/send"): body({"force": True}),
    ("POST", "/api/v1/repairs/{repair_id}/drafts/{draft_id}/track"): body({"accept": [1]}),
    ("POST", "/api/v1/repairs/{repair_id}/commitments"): body({"description": "x", "due_at": SOON}),
    ("POST", "/api/v1/repairs/{repair_id}/commitments/{commitment_id}/outcomes"): body(
        {"status": "missed"}
    ),
    ("POST", "/api/v1/repairs/{repair_id}/commitments/{commitment_id}/cancel"): body(),
    ("POST", "/api/v1/repairs/{repair_id}/check-ins"): body({"scheduled_at": SOON}),
    ("POST", "/api/v1/repairs/{repair_id}/check-ins/{check_in_id}/complete"): body(
        {"outcome": "x"}
    ),
    ("POST", "/api/v1/repairs/{repair_id}/check-ins/{check_in_id}/cancel"): body(),
    ("POST", "/api/v1/repairs/{repair_id}/common-ground"): body({"text": "x"}),
    ("POST", "/api/v1/repairs/{repair_id}/initiatives"): body({"title": "x"}),
    ("PATCH", "/api/v1/repairs/{repair_id}/initiatives/{initiative_id}"): body(
        {"status": "dropped"}
    ),
    ("POST", "/api/v1/repairs/{repair_id}/agreement"): body({"channel": "x"}),
    ("POST", "/api/v1/repairs/{repair_id}/agreement/comments"): body({"text": "x"}),
    ("POST", "/api/v1/repairs/{repair_id}/agreement/sign"): body({}),
    ("POST", "/api/v1/repairs/{repair_id}/invitations"): body(
        {"shared_title": "x", "their_name": "y"}
    ),
    ("POST", "/api/v1/repairs/{repair_id}/invitations/{invitation_id}/revoke"): body(),
    # the pages
    ("POST", "/people/{person_id}"): form(name="Taken", role="client"),
    ("POST", "/repairs"): form(person_id="{person_id}", title="Mine now", what_happened="x"),
    ("POST", "/repairs/{repair_id}/edit"): form(title="Taken", what_happened="x", severity="3"),
    ("POST", "/repairs/{repair_id}/status"): form(status="in_progress", reason="x"),
    ("POST", "/repairs/{repair_id}/steps/{step}"): form(how_it_felt="x"),
    ("POST", "/repairs/{repair_id}/steps/{step}/skip"): form(reason="x"),
    ("POST", "/repairs/{repair_id}/steps/{step}/done"): form(force="1"),
    ("POST", "/repairs/{repair_id}/steps/{step}/reopen"): form(),
    ("POST", "/repairs/{repair_id}/interactions"): form(kind="meeting", started_by="them"),
    ("POST", "/repairs/{repair_id}/interactions/{interaction_id}/reply"): form(replied="yes"),
    ("POST", "/repairs/{repair_id}/coach"): form(text="I'm sorry", kind="apology"),
    ("POST", "/repairs/{repair_id}/drafts"): form(text="x", kind="apology"),
    ("POST", "/repairs/{repair_id}/drafts/{draft_id}/versions"): form(text="x"),
    ("POST", "/repairs/{repair_id}/drafts/{draft_id}/send"): form(force="1"),
    ("POST", "/repairs/{repair_id}/drafts/{draft_id}/commitments"): form(accept="1"),
    ("POST", "/repairs/{repair_id}/commitments"): form(title="x", due="in 5 days"),
    ("POST", "/repairs/{repair_id}/commitments/{commitment_id}/cancel"): form(),
    ("POST", "/repairs/{repair_id}/occurrences/{occurrence_id}/{outcome}"): form(),
    ("POST", "/repairs/{repair_id}/commitments/{commitment_id}/due/{stamp}/{outcome}"): form(),
    ("POST", "/repairs/{repair_id}/checkins"): form(at="in 5 days"),
    ("POST", "/repairs/{repair_id}/checkins/{check_in_id}/done"): form(outcome="x"),
    ("POST", "/repairs/{repair_id}/checkins/{check_in_id}/cancel"): form(),
    ("POST", "/repairs/{repair_id}/ground"): form(text="x", kind="goal"),
    ("POST", "/repairs/{repair_id}/initiatives"): form(title="x"),
    ("POST", "/repairs/{repair_id}/initiatives/{initiative_id}"): form(status="dropped"),
    ("POST", "/repairs/{repair_id}/agreement"): form(channel="x"),
    ("POST", "/repairs/{repair_id}/agreement/comment"): form(text="x"),
    ("POST", "/repairs/{repair_id}/agreement/sign"): form(version="1"),
    ("POST", "/repairs/{repair_id}/share-preview"): form(shared_title="x"),
    ("POST", "/with-me/{invitation_id}/open"): form(),
    ("POST", "/repairs/{repair_id}/invitations"): form(shared_title="x", their_name="y"),
    ("POST", "/repairs/{repair_id}/invitations/{invitation_id}/revoke"): form(),
    # the invited person's page: B has no link session, so nothing is there at all
    ("POST", "/shared/occurrences/{occurrence_id}"): form(verdict="kept"),
}

#: Forms that show "no such person" beside the field it was chosen in (422), the same
#: answer an id that never existed gets, rather than a whole 404 page.
REFUSED_BESIDE_THE_FIELD = {("POST", "/repairs")}

#: Write routes that name no one else's records: B acts on B's own data (or session).
#: They are sent too; their answers must not hold A's canary, and A's data stays.
OWN: dict[tuple[str, str], Body] = {
    ("POST", "/api/v1/people"): body({"name": "Bo", "role": "client"}),
    ("POST", "/api/v1/coach"): body({"text": "I'm sorry", "step": "apology"}),
    ("POST", "/api/v1/demo"): body(),
    ("POST", "/api/v1/calendar/feed"): body(),
    ("POST", "/api/v1/import"): lambda ids: {"content": ids["export"]},
    ("POST", "/api/v1/account/password"): body(
        {"old_password": "not it", "new_password": "something new"}
    ),
    ("POST", "/demo"): form(),
    ("POST", "/people"): form(name="Bo", role="client"),
    ("POST", "/calendar"): form(),
    ("POST", "/data/import"): lambda ids: {"files": {"file": ("b.json", ids["export"])}},
    ("POST", "/account/password"): form(
        old_password="not it", new_password="something new", confirm="something new"
    ),
    ("POST", "/login"): body({"email": "a@example.org", "password": "a guess"}),
    ("POST", "/logout"): form(),  # sent last: it ends B's session
    ("POST", "/reset/{token}"): body({"password": "something new"}),
    ("POST", "/shared/view"): form(text="x"),
    ("POST", "/shared/pulse"): form(score="3"),
    ("POST", "/shared/agreement/comment"): form(text="x"),
    ("POST", "/shared/agreement/sign"): form(version="1"),
    ("POST", "/shared/leave"): form(),
    ("POST", "/shared/keep"): form(),
}

# --- the walk ----------------------------------------------------------------------


def _params(route: Route) -> list[str]:
    return _PARAM.findall(route.path)


def _fill(route: Route, values: Ids) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            pytest.fail(f"the isolation test cannot fill {{{name}}} in {route.path}: teach it")
        return values[name]

    return _PARAM.sub(sub, route.path)


def _template(route: Route) -> str:
    """The path as the tables above write it (without converters such as ``:int``)."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)


#: Paths with a private link's token rather than an id: tested on their own below.
TOKEN_ROUTES = {"/calendar/{token}.ics", "/reset/{token}", "/join/{token}"}
#: Paths only an invited person's link session reaches (the owner gets 404 too):
#: tests/security/test_invitations.py walks them with a link session.
LINK_SESSION_ROUTES = {"/shared/check-ins/{check_in_id}.ics"}


@dataclass
class World:
    web: FastAPI
    app: App
    a: TestClient
    b: TestClient
    a_ids: Records
    b_ids: Records
    #: An export B made of B's own data (for the import routes).
    b_export: str


@pytest.fixture
def world(app_factory: Any) -> Iterator[World]:
    app = app_factory(team=True)
    add_account(app, "a@example.org", name="Ana")
    add_account(app, "b@example.org", name="Ben")
    web = create_app(app)
    with TestClient(web) as a, TestClient(web) as b:
        log_in(a, "a@example.org")
        log_in(b, "b@example.org")
        a_ids = record_everything(a, CANARY)
        b_ids = record_everything(b, "Bens")
        yield World(web, app, a, b, a_ids, b_ids, b.get("/api/v1/export").text)


def _a_data(world: World) -> dict[str, Any]:
    data: dict[str, Any] = world.a.get("/api/v1/export").json()
    data.pop("exported_at")
    return data


def _routes(web: FastAPI) -> list[Route]:
    routes = [r for r in all_routes(web.routes) if not r.path.startswith("/static")]
    assert len(routes) > 100, "the route table was walked"
    return routes


def _send(client: TestClient, method: str, path: str, request: dict[str, Any]) -> Any:
    if "data" in request:
        request = {"data": {**request["data"], "csrf_token": csrf_token(client)}}
    elif "files" in request:
        request = {**request, "data": {"csrf_token": csrf_token(client)}}
    return client.request(method, path, follow_redirects=False, **request)


def _never(values: Ids) -> Ids:
    """``values`` with every id replaced by one no row has."""
    return {k: (str(NEVER) if k.endswith("_id") else v) for k, v in values.items()}


def _same_answer(a: Any, b: Any) -> None:
    """Two 404s say the same thing but for the ids in them."""

    def said(answer: Any) -> tuple[int, str]:
        return answer.status_code, re.sub(r"\d+", "N", answer.text)

    assert said(a) == said(b)


def test_every_get_route_with_ids_is_404_for_another_account(world: World) -> None:
    a_values = world.a_ids.path_values()
    never = _never(a_values)
    walked = 0
    for route in _routes(world.web):
        if "GET" not in (route.methods or set()) or not _params(route):
            continue
        if _template(route) in TOKEN_ROUTES:
            continue
        path = _fill(route, a_values)
        if _template(route) in LINK_SESSION_ROUTES:
            for client in (world.a, world.b):  # neither has a link session
                answer = client.get(path, follow_redirects=False)
                assert answer.status_code == 404 and CANARY not in answer.text, path
            continue
        # The owner can read it: the id is real, so B's 404 means "not yours".
        own = world.a.get(path, follow_redirects=False)
        assert own.status_code in (200, 303), (path, own.status_code, own.text[:300])
        answer = world.b.get(path, follow_redirects=False)
        assert answer.status_code == 404, (path, answer.status_code, answer.text[:300])
        assert CANARY not in answer.text, path
        _same_answer(answer, world.b.get(_fill(route, never), follow_redirects=False))
        walked += 1
    assert walked > 25


def test_every_write_route_naming_anothers_records_is_404_and_changes_nothing(
    world: World,
) -> None:
    before = _a_data(world)
    a_values = world.a_ids.path_values()
    never = _never(a_values)
    writes = [
        (method, route)
        for route in _routes(world.web)
        for method in sorted((route.methods or set()) & WRITE_METHODS)
    ]
    known = FOREIGN.keys() | OWN.keys()
    unknown = [(m, _template(r)) for m, r in writes if (m, _template(r)) not in known]
    assert not unknown, f"teach the isolation test these routes (FOREIGN or OWN): {unknown}"
    last = []
    for method, route in writes:
        key = (method, _template(route))
        if key == ("POST", "/logout"):
            last.append((method, route))
            continue
        if key in OWN:
            values = {
                **world.b_ids.path_values(),
                "token": "no-such-token",
                "export": world.b_export,
            }
            answer = _send(world.b, method, _fill(route, values), OWN[key](values))
            assert answer.status_code < 500, (key, answer.text[:300])
        else:
            answer = _send(world.b, method, _fill(route, a_values), FOREIGN[key](a_values))
            expected = 422 if key in REFUSED_BESIDE_THE_FIELD else 404
            assert answer.status_code == expected, (key, answer.status_code, answer.text[:300])
            unknown = _send(world.b, method, _fill(route, never), FOREIGN[key](never))
            _same_answer(answer, unknown)
        assert CANARY not in answer.text, key
    assert _a_data(world) == before, "B changed A's data"
    assert len(FOREIGN) > 40
    for method, route in last:
        assert _send(world.b, method, route.path, OWN[(method, route.path)]({})).status_code == 303
    assert world.b.get("/api/v1/people").status_code == 401, "B is logged out"


def test_no_listing_or_document_of_b_holds_anything_of_a(world: World) -> None:
    """Every GET route, filled with B's own ids: the board, agenda, people, export,
    calendar feed, Markdown report and every page show B's data and none of A's."""
    b_values = {**world.b_ids.path_values()}
    feed = world.b.get("/api/v1/calendar/feed").json()["url"]
    b_values["token"] = feed.rsplit("/", 1)[1].removesuffix(".ics")
    shown = 0
    for route in _routes(world.web):
        if "GET" not in (route.methods or set()) or _template(route) == "/reset/{token}":
            continue
        answer = world.b.get(_fill(route, b_values), follow_redirects=False)
        assert answer.status_code < 500, (route.path, answer.text[:300])
        assert CANARY not in answer.text, route.path
        if answer.status_code == 200 and "Bens" in answer.text:
            shown += 1
    assert shown > 20, "B's own pages show B's data"
    for path in ("/api/v1/status", "/api/v1/agenda", "/api/v1/export", "/api/v1/calendar.ics"):
        assert "Bens" in world.b.get(path).text, path
    assert "Bens" in world.b.get(f"/api/v1/repairs/{world.b_ids.repair}/report").text
    assert "Bens" in world.b.get(feed.replace("http://testserver", "")).text
    everything = json.loads(world.b.get("/api/v1/export").text)
    assert [p["name"] for p in everything["people"]] == ["Ana Bens"]


def test_calendar_links_open_only_their_own_accounts_feed(world: World) -> None:
    a_feed = world.a.get("/api/v1/calendar/feed").json()["url"].replace("http://testserver", "")
    b_feed = world.b.get("/api/v1/calendar/feed").json()["url"].replace("http://testserver", "")
    assert a_feed != b_feed
    with TestClient(world.web) as calendar_app:  # no login: a calendar app
        assert CANARY in calendar_app.get(a_feed).text
        assert CANARY not in calendar_app.get(b_feed).text
        a_id = a_feed.rsplit("/", 1)[1].split("-")[0]
        forged = [f"/calendar/{a_id}-{'0' * 40}.ics", f"/calendar/{a_id}.ics", "/calendar/x.ics"]
        for path in forged:
            assert calendar_app.get(path).status_code == 404, path
    renewed = world.a.post("/api/v1/calendar/feed").json()["url"]
    assert world.a.get(a_feed).status_code == 404, "the old link stops working"
    assert world.b.get(b_feed).status_code == 200, "B's link is B's alone"
    assert CANARY in world.a.get(renewed.replace("http://testserver", "")).text


def test_an_import_into_an_account_gives_it_what_it_adds(world: World) -> None:
    exported = world.a.get("/api/v1/export").content
    world.b.post("/api/v1/import", content=exported)
    b_people = world.b.get("/api/v1/people").json()["items"]
    assert sorted(p["name"] for p in b_people) == ["Ana Bens", f"Ana {CANARY}"]
    a_people = world.a.get("/api/v1/people").json()["items"]
    assert [p["name"] for p in a_people] == [f"Ana {CANARY}"], "A still has only its own"
    tampered = json.loads(exported)
    tampered["people"][0]["account_id"] = 1
    refused = world.b.post("/api/v1/import", json=tampered)
    assert refused.status_code == 422
    assert "account_id" in refused.json()["error"]["message"]


# --- without a session ---------------------------------------------------------------

#: Routes answered without a login on a team server, and what they answer a stranger.
PUBLIC = {
    ("GET", "/login"): 200,
    ("POST", "/login"): 401,  # an empty email and password
    ("GET", "/healthz"): 200,
    ("GET", "/calendar/mend.ics"): 303,  # the download checks the login itself
    ("GET", "/calendar/{token}.ics"): 404,
    ("GET", "/reset/{token}"): 404,
    ("POST", "/reset/{token}"): 404,
    # the invited person's link and page: nothing without a live link session
    ("GET", "/join/{token}"): 404,
    ("GET", "/shared"): 404,
    ("POST", "/shared/view"): 404,
    ("POST", "/shared/occurrences/{occurrence_id}"): 404,
    ("POST", "/shared/pulse"): 404,
    ("POST", "/shared/agreement/comment"): 404,
    ("POST", "/shared/agreement/sign"): 404,
    ("POST", "/shared/leave"): 404,
    ("POST", "/shared/keep"): 404,
    ("GET", "/shared/check-ins/{check_in_id}.ics"): 404,
}


def test_without_a_session_pages_go_to_login_and_the_api_is_401(app_factory: Any) -> None:
    app = app_factory(team=True)
    add_account(app, "a@example.org")
    web = create_app(app)
    values = {**Records(1, 1, 1, 1, 1, 1, NOW.isoformat(), 1, 1).path_values(), "token": "x"}
    with TestClient(web) as stranger:
        stranger.get("/login")
        token = stranger.cookies.get(CSRF_COOKIE)
        for route in _routes(web):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                path = _fill(route, values)
                answer = stranger.request(
                    method,
                    path,
                    follow_redirects=False,
                    json={} if method != "GET" and path.startswith("/api/") else None,
                    data={"csrf_token": token} if method != "GET" and "/api/" not in path else None,
                )
                key = (method, _template(route))
                if key in PUBLIC:
                    expected = PUBLIC[key]
                elif path.startswith("/api/"):
                    expected = 401
                else:
                    expected = 303
                assert answer.status_code == expected, (key, answer.status_code, answer.text[:200])
                if expected == 303 and key not in PUBLIC:
                    assert answer.headers["location"] == "/login", key
                if expected == 401 and path.startswith("/api/"):
                    assert answer.json()["error"]["code"] == "unauthorized", key
