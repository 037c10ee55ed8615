"""The draft composer: write with the live coach, keep versions, send, track the promises.

The coach's findings are shown on the exact words they are about (``<mark>``), with
an explanation and a suggestion each, and its scores as ``<meter>`` bars. As the user
types, HTMX posts the text to ``/repairs/{id}/coach`` and swaps the partial in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import pairwise
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from mend.coach.report import SCORE_LABELS
from mend.dates import format_local
from mend.domain.enums import DraftKind, Step
from mend.domain.guides import StepGuide, guide
from mend.domain.model import Draft, Person, Repair
from mend.domain.recurrence import describe, parse_recurrence
from mend.domain.validation import MAX_DRAFT as MAX_CHARS  # mend.coach loads on first use
from mend.errors import MendError, NotFound, PatienceWarning
from mend.services import drafts, repairs
from mend.services.coaching import coach_report, report_for
from mend.web.pages.common import form, mend, redirect, render
from mend.web.pages.forms import Failed, choices
from mend.web.pages.repairctx import load
from mend.web.pages.repairs import STEP_DRAFTS

router = APIRouter()

SEVERITY_RANK = {"problem": 3, "warning": 2, "suggestion": 1, "praise": 0}
SEVERITY_WORDS = {
    "problem": "Problem",
    "warning": "Worth a look",
    "suggestion": "Suggestion",
    "praise": "Good",
}
#: Each score's label and what it measures; every score runs 0-100, higher is better.
SCORES = SCORE_LABELS
DETAIL_SCORES = ("empathy_emotional_reaction", "empathy_interpretation", "empathy_exploration")
KIND_STEPS: Mapping[DraftKind, Step] = {kind: step for step, kind in STEP_DRAFTS.items()}
KIND_LABELS = {
    "acknowledgment": "Acknowledgment (for yourself: what happened and your part)",
    "outreach": "Outreach (asking to talk)",
    "listening": "Listening (questions and reflecting back)",
    "empathy": "Empathy (showing you understand)",
    "apology": "Apology",
    "solution": "Solution (what will change)",
    "agreement": "Agreement (how you will work together)",
}
CHANNELS = [
    ("email", "By email"),
    ("message", "By message"),
    ("meeting", "In a meeting"),
    ("call", "On a call"),
    ("", "Don't log it as an outreach (for example, I only wrote it for myself)"),
]


# --- the coach as the page shows it ---------------------------------------------------


@dataclass(frozen=True)
class CoachView:
    text: str
    highlighted: Markup
    findings: list[dict[str, Any]]
    scores: list[tuple[str, str, str, float | None]]
    details: list[tuple[str, str, str, float | None]]
    commitments: list[dict[str, Any]]
    language_supported: bool
    too_long: bool = False

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def summary(self) -> str:
        if self.empty:
            return "The coach is waiting for your text."
        if self.too_long:
            return "The text is too long for the coach."
        counts = {s: sum(1 for f in self.findings if f["severity"] == s) for s in SEVERITY_RANK}
        if not (counts["problem"] or counts["warning"] or counts["suggestion"]):
            return "The coach found nothing to change."
        parts = []
        if counts["problem"]:
            parts.append(f"{counts['problem']} problem{'s' if counts['problem'] > 1 else ''}")
        if counts["warning"]:
            parts.append(f"{counts['warning']} to look at")
        if counts["suggestion"]:
            parts.append(
                f"{counts['suggestion']} suggestion{'s' if counts['suggestion'] > 1 else ''}"
            )
        return "Coach: " + ", ".join(parts) + "."


def highlight(text: str, findings: Sequence[Mapping[str, Any]]) -> Markup:
    """``text`` escaped, with each finding's words wrapped in a ``<mark>``.

    Overlapping findings nest: the text is cut at every span boundary and each piece is
    wrapped once per finding covering it, the most severe outermost, so every finding
    keeps a mark with its own ``data-code`` over exactly its words.
    """
    size = len(text)
    spans = [
        (max(0, int(f["start"])), min(size, int(f["end"])), f)
        for f in findings
        if int(f["end"]) > int(f["start"]) and int(f["start"]) < size
    ]
    if not spans:
        return escape(text)
    focus = [
        (int(f["focus"]["start"]), int(f["focus"]["end"]))
        for f in findings
        if isinstance(f.get("focus"), Mapping) and f["severity"] in ("problem", "warning")
    ]
    cuts = sorted(
        {0, size, *(s for s, _, _ in spans), *(e for _, e, _ in spans)}
        | {x for pair in focus for x in pair if 0 <= x <= size}
    )
    out = []
    for a, b in pairwise(cuts):
        piece: Markup = escape(text[a:b])
        if any(s <= a and e >= b for s, e in focus):  # the words a problem rests on most
            piece = Markup('<strong class="focus">{}</strong>').format(piece)
        covering = sorted(
            (f for s, e, f in spans if s <= a and e >= b),
            key=lambda f: (SEVERITY_RANK.get(f["severity"], 0), -int(f["start"])),
        )
        for f in covering:  # least severe first: it ends up innermost
            piece = Markup(
                '<mark class="finding sev-{}" data-code="{}" title="{}">{}</mark>'
            ).format(f["severity"], f["code"], f["explanation"], piece)
        out.append(piece)
    return Markup("").join(out)


def coach_view(text: str, report: Mapping[str, Any] | None) -> CoachView:
    if report is None:
        return CoachView(text, escape(text), [], [], [], [], True, too_long=len(text) > MAX_CHARS)
    findings = sorted(
        report.get("findings", []),
        key=lambda f: (-SEVERITY_RANK.get(f["severity"], 0), f["start"]),
    )
    numbered = [
        {**f, "n": n, "label": SEVERITY_WORDS.get(f["severity"], f["severity"])}
        for n, f in enumerate(findings, 1)
    ]
    scores = report.get("scores", {})
    rows = [
        (name, label, meaning, scores.get(name))
        for name, (label, meaning) in SCORES.items()
        if name in scores
    ]
    return CoachView(
        text=text,
        highlighted=highlight(text, numbered),
        findings=numbered,
        scores=[r for r in rows if r[0] not in DETAIL_SCORES],
        details=[r for r in rows if r[0] in DETAIL_SCORES],
        commitments=list(report.get("commitments", [])),
        language_supported=bool(report.get("language_supported", True)),
    )


def live_coach(text: str, kind: DraftKind | None, now: datetime) -> CoachView:
    if not text.strip() or len(text) > MAX_CHARS:
        return coach_view(text, None)
    return coach_view(text, coach_report(text, kind, now=now))


def _kind(value: str | None) -> DraftKind | None:
    try:
        return DraftKind((value or "").strip().lower())
    except ValueError:
        return None


def _guide_for(kind: DraftKind | None) -> StepGuide | None:
    step = KIND_STEPS.get(kind) if kind else None
    return guide(step) if step else None


# --- loading --------------------------------------------------------------------------


def _load(request: Request, repair_id: int) -> tuple[Repair, Person]:
    return load(mend(request), repair_id)


def _draft(repair: Repair, draft_id: int) -> Draft:
    return drafts.find_draft(repair, draft_id)


# --- the composer ---------------------------------------------------------------------


def composer_page(
    request: Request, repair_id: int, *, kind: str = "", failed: Failed | None = None
) -> Response:
    app = mend(request)
    repair, person = _load(request, repair_id)
    chosen = _kind(failed.values.get("kind") if failed else kind) or DraftKind.APOLOGY
    text = failed.values.get("text", "") if failed else ""
    return render(
        request,
        "draft_new.html",
        status_code=failed.status if failed else 200,
        page="draft",
        repair=repair,
        person=person,
        kind=chosen,
        kinds=choices(DraftKind, KIND_LABELS),
        step_guide=_guide_for(chosen),
        coach=live_coach(text, chosen, app.now()),
        failed=failed,
    )


@router.get("/repairs/{repair_id:int}/drafts", response_class=HTMLResponse)
def list_drafts(request: Request, repair_id: int) -> Response:
    repairs.require_repair(mend(request).uow(write=False), repair_id)
    return redirect(f"/repairs/{repair_id}#drafts")


@router.get("/repairs/{repair_id:int}/drafts/new", response_class=HTMLResponse)
def new_draft(request: Request, repair_id: int, kind: str = "") -> Response:
    return composer_page(request, repair_id, kind=kind)


@router.post("/repairs/{repair_id:int}/coach", response_class=HTMLResponse)
async def coach(request: Request, repair_id: int) -> Response:
    data = await form(request)
    repairs.require_repair(mend(request).uow(write=False), repair_id)
    kind = _kind(data.get("kind"))
    return render(
        request,
        "_coach.html",
        coach=live_coach(data.get("text", ""), kind, mend(request).now()),
        live=True,
    )


@router.post("/repairs/{repair_id:int}/drafts")
async def save_draft(request: Request, repair_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    try:
        draft = drafts.save_draft(
            app.uow(),
            repair_id,
            text=data.get("text", ""),
            kind=data.get("kind") or None,
            title=data.get("title", ""),
            now=app.now(),
        )
    except NotFound as exc:
        if exc.field == "repair":
            raise
        return composer_page(request, repair_id, failed=Failed.of("draft", exc, data))
    except MendError as exc:
        return composer_page(request, repair_id, failed=Failed.of("draft", exc, data))
    return redirect(f"/repairs/{repair_id}/drafts/{draft.id}")


# --- one draft ------------------------------------------------------------------------


def draft_page(
    request: Request,
    repair_id: int,
    draft_id: int,
    *,
    failed: Failed | None = None,
    warning: str = "",
) -> Response:
    repair, person = _load(request, repair_id)
    draft = _draft(repair, draft_id)
    current = draft.current
    revising = failed is not None and failed.form == "version"
    text = failed.values.get("text", "") if failed and revising else current.text
    coach = (
        live_coach(text, draft.kind, mend(request).now())
        if revising
        else coach_view(current.text, report_for(current, draft.kind))
    )
    return render(
        request,
        "draft.html",
        status_code=failed.status if failed else 200,
        page="draft",
        repair=repair,
        person=person,
        draft=draft,
        current=current,
        versions=sorted(draft.versions, key=lambda v: v.number, reverse=True),
        coach=coach,
        step_guide=_guide_for(draft.kind),
        channels=CHANNELS,
        failed=failed,
        warning=warning,
        text=text,
    )


@router.get("/repairs/{repair_id:int}/drafts/{draft_id:int}", response_class=HTMLResponse)
def show_draft(request: Request, repair_id: int, draft_id: int) -> Response:
    return draft_page(request, repair_id, draft_id)


@router.post("/repairs/{repair_id:int}/drafts/{draft_id:int}/versions")
async def new_version(request: Request, repair_id: int, draft_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    try:
        drafts.save_draft(
            app.uow(),
            repair_id,
            draft_id=draft_id,
            text=data.get("text", ""),
            title=data.get("title", ""),
            now=app.now(),
        )
    except NotFound:
        raise
    except MendError as exc:
        return draft_page(request, repair_id, draft_id, failed=Failed.of("version", exc, data))
    return redirect(f"/repairs/{repair_id}/drafts/{draft_id}")


@router.post("/repairs/{repair_id:int}/drafts/{draft_id:int}/send")
async def send(request: Request, repair_id: int, draft_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    channel = data.get("channel", "").strip() or None
    try:
        drafts.send_draft(
            app.uow(),
            repair_id,
            draft_id,
            channel=channel,
            force=bool(data.get("force")),
            now=app.now(),
            tz=app.tz,
        )
    except NotFound:
        raise
    except PatienceWarning as exc:
        message = exc.message.replace(" (CLI: --force)", "")
        return draft_page(
            request,
            repair_id,
            draft_id,
            failed=Failed("send", {}, data, exc.http_status),
            warning=message,
        )
    except MendError as exc:
        failed = Failed.of("send", exc, data, fields={"draft": "_form", "repair": "_form"})
        return draft_page(request, repair_id, draft_id, failed=failed)
    return redirect(f"/repairs/{repair_id}/drafts/{draft_id}/sent")


OWNER_WORDS = {"me": "Yours", "them": "Theirs", "both": "Shared"}


@dataclass(frozen=True)
class Offer:
    """A promise found in a sent draft, as the page offers it for tracking."""

    index: int
    description: str
    owner: str
    when: str
    tracked: bool


def _when(recurrence: str | None, due_at: datetime | None, tz: tzinfo) -> str:
    if recurrence:
        return describe(parse_recurrence(recurrence))
    return f"due {format_local(due_at, tz)}" if due_at else ""


def sent_page(
    request: Request, repair_id: int, draft_id: int, *, failed: Failed | None = None
) -> Response:
    app = mend(request)
    repair, person = _load(request, repair_id)
    draft = _draft(repair, draft_id)
    if not draft.is_sent:
        return redirect(f"/repairs/{repair_id}/drafts/{draft_id}")
    proposals = drafts.preview_commitments(
        app.uow(write=False), repair_id, draft_id, now=draft.sent_at or app.now(), tz=app.tz
    )
    tracked = {c.description for c in repair.commitments if c.source_draft_id == draft.id}
    offers = [
        Offer(
            index=i,
            description=p.description,
            owner=OWNER_WORDS[p.owner.value],
            when=_when(p.recurrence, p.due_at, app.tz),
            tracked=p.description in tracked,
        )
        for i, p in enumerate(proposals)
    ]
    return render(
        request,
        "draft_sent.html",
        status_code=failed.status if failed else 200,
        page="draft",
        repair=repair,
        person=person,
        draft=draft,
        offers=offers,
        failed=failed,
    )


@router.get("/repairs/{repair_id:int}/drafts/{draft_id:int}/sent", response_class=HTMLResponse)
def sent(request: Request, repair_id: int, draft_id: int) -> Response:
    return sent_page(request, repair_id, draft_id)


@router.post("/repairs/{repair_id:int}/drafts/{draft_id:int}/commitments")
async def track(request: Request, repair_id: int, draft_id: int) -> Response:
    data = await form(request)
    chosen = (await request.form()).getlist("accept")
    app = mend(request)
    try:
        accept = [int(str(value)) for value in chosen]
    except ValueError:
        failed = Failed("offer", {"accept": "Choose promises from the list."}, data)
        return sent_page(request, repair_id, draft_id, failed=failed)
    try:
        drafts.track_proposals(app.uow(), repair_id, draft_id, accept, now=app.now(), tz=app.tz)
    except NotFound:
        raise
    except MendError as exc:
        failed = Failed.of("offer", exc, {**data, "accept": ""}, fields={"due_at": "accept"})
        return sent_page(request, repair_id, draft_id, failed=failed)
    return redirect(f"/repairs/{repair_id}")
