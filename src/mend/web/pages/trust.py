"""The trust page: the estimate over time with its uncertainty, and what moved it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import partial

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from mend.dates import format_local
from mend.domain.pulse import HIGHEST, LOWEST, Pulse
from mend.domain.trust import TrustEstimate, gap_text, is_two_sided
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


@dataclass(frozen=True)
class PulseDot:
    """One answer placed on the pulse chart (SVG user units)."""

    x: float
    y: float
    answer: Pulse


@dataclass(frozen=True)
class PulseChart:
    """The pulse chart, drawn on the server as SVG: no script needed."""

    width: int
    height: int
    left: int
    right: int
    #: (score, y) of each horizontal grid line, 1 to 5.
    levels: list[tuple[int, float]]
    dots: list[PulseDot]
    #: The polyline through the answers, oldest first.
    line: str
    start: datetime
    end: datetime


#: The pulse chart's box (SVG units; it scales to its column beside the trust chart).
PULSE_WIDTH, PULSE_HEIGHT, PULSE_LEFT, PULSE_RIGHT, PULSE_TOP, PULSE_BOTTOM = (
    420,
    220,
    26,
    410,
    14,
    188,
)


def pulse_chart(answers: Sequence[Pulse], start: datetime, end: datetime) -> PulseChart:
    """Each answer's place: time across the same span as the trust chart, score up."""
    span = max((end - start).total_seconds(), 1.0)

    def x(at: datetime) -> float:
        share = min(1.0, max(0.0, (at - start).total_seconds() / span))
        return round(PULSE_LEFT + share * (PULSE_RIGHT - PULSE_LEFT), 1)

    def y(score: int) -> float:
        share = (score - LOWEST) / (HIGHEST - LOWEST)
        return round(PULSE_BOTTOM - share * (PULSE_BOTTOM - PULSE_TOP), 1)

    dots = [PulseDot(x(a.at), y(a.score), a) for a in answers]
    return PulseChart(
        width=PULSE_WIDTH,
        height=PULSE_HEIGHT,
        left=PULSE_LEFT,
        right=PULSE_RIGHT,
        levels=[(score, y(score)) for score in range(LOWEST, HIGHEST + 1)],
        dots=dots,
        line=" ".join(f"{d.x},{d.y}" for d in dots),
        start=start,
        end=end,
    )


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
    start = report.start or app.now()
    day = partial(format_local, tz=app.tz, with_time=False)
    their_name = next(
        (e.their_name for e, _ in report.movers if e.their_name),
        report.pulse.latest.author if report.pulse.latest else "",
    )
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
        two_sided=is_two_sided(e for e, _ in report.movers),
        their_name=their_name,
        gaps=[(gap, gap_text(gap, day)) for gap in report.gaps],
        pulse_chart=pulse_chart(report.pulses, start, app.now()),
    )
