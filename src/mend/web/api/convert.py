"""Build API schemas from the read models the services return."""

from __future__ import annotations

from mend.domain.guides import guide
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
    report: TrustReport, *, limit: int | None = None, offset: int = 0
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
            s.TrustMover(at=event.at, kind=event.kind, label=event.label, delta=delta)
            for event, delta in movers
        ],
    )
