"""The working agreement (step 10): an editor, its versions, and a page to print."""

from __future__ import annotations

from datetime import date
from functools import partial

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from mend.domain.enums import Party
from mend.domain.model import AgreementVersion, Person
from mend.errors import InvalidInput, NotFound
from mend.services import ground, signing
from mend.web.pages.common import mailing, mend, render
from mend.web.pages.repairctx import load, render_repair_page, submit

router = APIRouter()

FIELDS = {
    "channel": "channel",
    "frequency": "frequency",
    "response_time": "response_time",
    "tasks": "tasks",
    "task": "tasks",
    "owner": "tasks",
    "raising_problems": "raise_problems",
    "review_on": "review_on",
    "notes": "notes",
}
_BOTH_WORDS = {"both", "both of us", "us", "we", "together"}
_ME_WORDS = {"me", "i", "myself", "mine"}


def owner_label(owner: str, person: Person) -> str:
    return {"me": "Me", "them": person.name, "both": "Both of us"}.get(owner, owner)


def parse_tasks(text: str, person: Person) -> list[tuple[str, str]]:
    """Lines of ``task = owner`` into (task, me|them|both); blank lines are skipped.

    The owner may also be the other person's name (or first name), "us" or "both of us".
    """
    them = {"them", "they", person.name.lower(), person.name.split()[0].lower()}
    tasks = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        task, sep, who = line.rpartition("=")
        if not sep or not task.strip() or not who.strip():
            raise InvalidInput(
                f"Line {number} ({line!r}) needs the form “task = owner”, "
                f"e.g. “Weekly status note = me”.",
                field="tasks",
            )
        owner = who.strip().lower()
        if owner in _ME_WORDS:
            party = Party.ME
        elif owner in them:
            party = Party.THEM
        elif owner in _BOTH_WORDS:
            party = Party.BOTH
        else:
            raise InvalidInput(
                f"Line {number}: the owner {who.strip()!r} is not one of me, them "
                f"({person.name}) or both.",
                field="tasks",
            )
        tasks.append((task.strip(), party.value))
    return tasks


def tasks_text(agreement: AgreementVersion | None) -> str:
    if agreement is None:
        return ""
    return "\n".join(f"{t.get('task', '')} = {t.get('owner', '')}" for t in agreement.tasks)


def _review_on(raw: str, previous: AgreementVersion | None) -> date | None:
    text = raw.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"Cannot read {text!r} as a date; pick one or type it as 2026-06-30.",
            field="review_on",
        ) from None
    if previous is not None and previous.review_on == day:
        return None  # unchanged: carried over even once it has passed
    return day


def _values(agreement: AgreementVersion | None) -> dict[str, str]:
    if agreement is None:
        return {}
    return {
        "channel": agreement.channel,
        "frequency": agreement.frequency,
        "response_time": agreement.response_time,
        "tasks": tasks_text(agreement),
        "raise_problems": agreement.raising_problems,
        "review_on": agreement.review_on.isoformat() if agreement.review_on else "",
        "notes": agreement.notes,
    }


def _values_keys() -> tuple[str, ...]:
    return (
        "channel",
        "frequency",
        "response_time",
        "tasks",
        "raise_problems",
        "review_on",
        "notes",
    )


def _page(
    request: Request,
    repair_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    failed: str = "",
) -> HTMLResponse:
    app = mend(request)
    repair, person = load(app, repair_id)
    current = repair.agreement
    # A refused comment or signature is shown beside its own form; the agreement's
    # form keeps the current version.
    side_errors, side_values = (errors or {}, values or {}) if failed else ({}, {})
    if failed:
        errors, values = {}, None
    return render_repair_page(
        request,
        "agreement.html",
        repair=repair,
        person=person,
        section="agreement",
        status_code=status_code,
        current=current,
        versions=sorted(repair.agreements, key=lambda a: a.version, reverse=True),
        values=values if values is not None else _values(current),
        errors=errors or {},
        owner_label=owner_label,
        saved=request.query_params.get("saved"),
        signing=signing.status(app.uow(write=False), repair_id) if current else None,
        failed=failed,
        side_errors=side_errors,
        side_values=side_values,
        done=request.query_params.get("done", ""),
    )


@router.get("/repairs/{repair_id}/agreement", response_class=HTMLResponse)
def agreement_page(request: Request, repair_id: int) -> Response:
    return _page(request, repair_id)


@router.post("/repairs/{repair_id}/agreement")
async def save_agreement(request: Request, repair_id: int) -> Response:
    app = mend(request)
    repair, person = load(app, repair_id)

    def save(data: dict[str, str]) -> str:
        if not any(data.get(k, "").strip() for k in _values_keys()):
            raise InvalidInput(
                "The agreement is empty; write at least how you keep in touch or who does what.",
                field="channel",
            )
        version = ground.set_agreement(
            app.uow(),
            repair_id,
            channel=data.get("channel", ""),
            frequency=data.get("frequency", ""),
            response_time=data.get("response_time", ""),
            tasks=parse_tasks(data.get("tasks", ""), person),
            raising_problems=data.get("raise_problems", ""),
            review_on=_review_on(data.get("review_on", ""), repair.agreement),
            notes=data.get("notes", ""),
            now=app.now(),
        )
        return f"/repairs/{repair_id}/agreement?saved={version.version}"

    page = partial(_page, request, repair_id)
    return await submit(request, save, page, fallback="channel", names=FIELDS)


@router.post("/repairs/{repair_id}/agreement/comment")
async def comment_on_agreement(request: Request, repair_id: int) -> Response:
    app = mend(request)

    def save(data: dict[str, str]) -> str:
        signing.comment(app.uow(), repair_id, text=data.get("text", ""), now=app.now())
        return f"/repairs/{repair_id}/agreement?done=comment#comments"

    page = partial(_page, request, repair_id)
    return await submit(
        request, save, page, fallback="text", names={"text": "text"}, failed="comment"
    )


@router.post("/repairs/{repair_id}/agreement/sign")
async def sign_agreement(request: Request, repair_id: int) -> Response:
    app = mend(request)

    def save(data: dict[str, str]) -> str:
        raw = data.get("version", "").strip()
        version = int(raw) if raw.isdigit() and len(raw) <= 9 else 0
        signing.sign(
            app.uow(), repair_id, now=app.now(), version=version, mailing=mailing(request, app)
        )
        return f"/repairs/{repair_id}/agreement?done=sign#signatures"

    page = partial(_page, request, repair_id)
    return await submit(
        request, save, page, fallback="version", names={"version": "version"}, failed="sign"
    )


@router.get("/repairs/{repair_id}/agreement/print", response_class=HTMLResponse)
def print_agreement(
    request: Request, repair_id: int, version: int | None = Query(None, ge=1)
) -> Response:
    repair, person = load(mend(request), repair_id)
    chosen = repair.agreement
    if version is not None:
        chosen = next((a for a in repair.agreements if a.version == version), None)
    if chosen is None and version is not None:
        raise NotFound(f"The agreement has no version {version}.", field="version")
    return render(
        request,
        "agreement_print.html",
        page="agreement-print",
        repair=repair,
        person=person,
        agreement=chosen,
        latest=chosen is repair.agreement,
        owner_label=owner_label,
        status_code=200 if chosen is not None else 404,
    )
