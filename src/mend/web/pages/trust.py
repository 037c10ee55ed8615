"""The trust page: the estimate over time with its uncertainty, and what moved it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from mend.domain.trust import TrustEstimate
from mend.services import overview
from mend.web.pages.common import mend
from mend.web.pages.repairctx import load, render_repair_page

router = APIRouter()

#: The spans the page offers, in weeks.
SPANS = (4, 12, 26, 52)
#: Events listed per page of "What moved it".
EVENTS_PER_PAGE = 25


def band(estimate: TrustEstimate) -> tuple[float, float]:
    """The range the page shades: the estimate plus and minus half its uncertainty."""
    half = estimate.uncertainty / 2
    return max(0.0, estimate.value - half), min(1.0, estimate.value + half)


def chart_data(trajectory: Sequence[tuple[date, TrustEstimate]]) -> str:
    """The chart's series as JSON for ``<script type="application/json">``.

    ``x`` is seconds since the epoch at the end of each point's day (UTC). The JSON is
    made safe to sit inside a script element: ``<``, ``>`` and ``&`` are escaped.
    """
    xs, values, lows, highs = [], [], [], []
    for day, estimate in trajectory:
        moment = datetime.combine(day, time(12), UTC)
        low, high = band(estimate)
        xs.append(int(moment.timestamp()))
        values.append(round(estimate.value, 4))
        lows.append(round(low, 4))
        highs.append(round(high, 4))
    text = json.dumps({"x": xs, "value": values, "low": lows, "high": highs})
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _reading(estimate: TrustEstimate) -> str:
    """A plain sentence about how sure the estimate is."""
    if estimate.n_events == 0:
        return (
            "Nothing is recorded yet, so Mend starts in the middle and is very unsure. "
            "Mark your commitments as kept, late or missed and the picture sharpens."
        )
    if estimate.uncertainty > 0.5:
        return "It rests on little evidence so far, so it can still move a lot either way."
    if estimate.uncertainty > 0.25:
        return "It rests on a fair amount of evidence; single events still move it visibly."
    return "It rests on plenty of recent evidence; one event changes it only a little."


@router.get("/repairs/{repair_id}/trust", response_class=HTMLResponse)
def trust_page(
    request: Request,
    repair_id: int,
    weeks: int = Query(12, ge=1, le=260),
    events: int = Query(1, ge=1, le=100_000),
) -> Response:
    app = mend(request)
    repair, person = load(app, repair_id)
    report = overview.trust_report(app.uow(write=False), repair_id, now=app.now(), weeks=weeks)
    low, high = band(report.estimate)
    pages = max(1, -(-len(report.movers) // EVENTS_PER_PAGE))
    page = min(events, pages)
    return render_repair_page(
        request,
        "trust.html",
        repair=repair,
        person=person,
        section="trust",
        report=report,
        low=low,
        high=high,
        reading=_reading(report.estimate),
        chart_json=chart_data(report.trajectory),
        points=[(day, e, *band(e)) for day, e in report.trajectory],
        weeks=weeks,
        spans=SPANS,
        movers=report.movers[(page - 1) * EVENTS_PER_PAGE : page * EVENTS_PER_PAGE],
        movers_page=page,
        movers_pages=pages,
        movers_page_size=EVENTS_PER_PAGE,
        half_life_weeks=round(report.params.half_life_days / 7),
    )
