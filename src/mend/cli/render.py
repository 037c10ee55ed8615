"""Rich renderings shared by several commands."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from mend.cli import context

if TYPE_CHECKING:
    from mend.domain.enums import StepState
    from mend.domain.trust import Trend, TrustEstimate

STATE_MARK = {"done": "[green]●[/green]", "skipped": "[dim]◌[/dim]", "pending": "[dim]·[/dim]"}
TREND_MARK = {"rising": "[green]↗[/green]", "falling": "[red]↘[/red]", "steady": "→"}


def step_bar(states: list[StepState]) -> str:
    return _bar(tuple(states))


@lru_cache(maxsize=256)  # a board of a thousand repairs has a few dozen patterns
def _bar(states: tuple[StepState, ...]) -> str:
    return "".join(STATE_MARK[s.value] for s in states)


def trust_text(estimate: TrustEstimate, trend: Trend | None = None) -> str:
    text = f"{estimate.value * 100:.0f}% ±{estimate.uncertainty * 50:.0f}"
    if trend is not None:
        text += f" {TREND_MARK[trend.direction]}"
    return text


def human(value: str) -> str:
    return value.replace("_", " ")


def when(value: object) -> str:
    from datetime import datetime

    return context.local(value) if isinstance(value, datetime) else ""
