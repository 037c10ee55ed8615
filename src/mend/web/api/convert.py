"""Build API schemas from the read models the services return."""

from __future__ import annotations

from datetime import UTC, tzinfo
from functools import partial

from mend.dates import format_local
from mend.domain import trust
from mend.domain.guides import guide
from mend.domain.pulse import Pulse
from mend.services.overview import RepairView, StatusRow, TrustReport
from mend.web import schemas as s


def repair_detail(view: RepairView) -> s.RepairDetail:
    records = {r.step: r for r in view.repair.steps}
    steps = []
    for step, check in view.checks.items():
        record = records.get(step)
        g = guide(step)
        steps.append(
            s.StepPublic(
                step=step,
                number=step.number,
                title=g.title,
                purpose=g.purpose,
                state=record.state if record else "pending",  # type: ignore[arg-type]
                completed_at=record.completed_at if record else None,
                skip_reason=record.skip_reason if record else "",
                answers=dict(record.answers) if record else {},
                check=s.StepCheckPublic(met=check.met, missing=check.missing),
            )
        )
    return s.RepairDetail(
        repair=s.RepairPublic.model_validate(view.repair),
        person=s.PersonPublic.model_validate(view.person),
        steps=steps,
        next_step=s.NextStepPublic.model_validate(view.next_step) if view.next_step else None,
        patience=s.PatiencePublic.model_validate(view.verdict),
        trust=s.TrustPublic.model_validate(view.trust),
    )


def status_row(row: StatusRow) -> s.StatusRowPublic:
    return s.StatusRowPublic(
        repair_id=row.repair_id,
        title=row.title,
        person=row.person,
        role=row.role,
        status=row.status,
        severity=row.severity,
        progress=row.progress,
        steps=row.steps,
        trust=s.TrustPublic.model_validate(row.trust),
        trend=s.TrendPublic.model_validate(row.trend),
        trend_text=row.trend_text,
        next_step=s.NextStepPublic.model_validate(row.next_step) if row.next_step else None,
        overdue=[s.DueItemPublic.model_validate(d) for d in row.overdue],
        due_soon=[s.DueItemPublic.model_validate(d) for d in row.due_soon],
    )


def trust_report(
    report: TrustReport, *, limit: int | None = None, offset: int = 0, tz: tzinfo = UTC
) -> s.TrustReportPublic:
    movers = report.movers[offset : None if limit is None else offset + limit]
    return s.TrustReportPublic(
        repair_id=report.repair_id,
        estimate=s.TrustPublic.model_validate(report.estimate),
        trend=s.TrendPublic.model_validate(report.trend),
        summary=report.summary,
        movers_total=len(report.movers),
        trajectory=[
            s.TrustPoint(week_ending=day, value=e.value, uncertainty=e.uncertainty)
            for day, e in report.trajectory
        ],
        movers=[
            s.TrustMover(
                at=event.at,
                kind=event.kind,
                label=event.label,
                delta=delta,
                word=event.word,
                whose=event.whose,
            )
            for event, delta in movers
        ],
        gaps=[
            s.TrustGap(
                occurrence_id=gap.occurrence_id,
                description=gap.description,
                due_at=gap.due_at,
                mine=gap.mine,
                theirs=gap.theirs,
                their_name=gap.their_name,
                their_note=gap.their_note,
                their_at=gap.their_at,
                counted=gap.kind,
                text=trust.gap_text(gap, partial(format_local, tz=tz, with_time=False)),
            )
            for gap in report.gaps
        ],
        pulses=[_pulse(p) for p in report.pulses],
        pulse=s.PulseFigures(
            count=report.pulse.count,
            average=report.pulse.average,
            latest=_pulse(report.pulse.latest) if report.pulse.latest else None,
            change=report.pulse.change,
        ),
    )


def _pulse(answer: Pulse) -> s.PulseAnswer:
    return s.PulseAnswer(at=answer.at, score=answer.score, author=answer.author, note=answer.note)
