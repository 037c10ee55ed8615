"""Jinja filters: dates in the user's zone, labels from enum values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import Any

from jinja2 import Environment

from mend.domain.playbook import guide


def human(value: Any) -> str:
    text = getattr(value, "value", value)
    return str(text or "").replace("_", " ")


def step_title(step: Any) -> str:
    """A step's title as the guide words it ("Show empathy"), for any Step value."""
    return guide(step).title


def sparkline(values: Sequence[float], width: int = 80, height: int = 20) -> str:
    """SVG polyline points for trust values in [0, 1], oldest left, 1 px of margin."""
    if len(values) < 2:
        return ""
    step = (width - 2) / (len(values) - 1)
    return " ".join(
        f"{1 + i * step:.1f},{1 + (1 - v) * (height - 2):.1f}" for i, v in enumerate(values)
    )


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def install(env: Environment, tz: tzinfo) -> None:
    from mend.dates import format_local

    env.filters["localtime"] = lambda v: format_local(v, tz) if isinstance(v, datetime) else ""
    env.filters["localday"] = lambda v: (
        format_local(v, tz, with_time=False)
        if isinstance(v, datetime)
        else v.strftime("%a %d %b %Y")
        if isinstance(v, date)
        else ""
    )
    env.filters["human"] = human
    env.filters["step_title"] = step_title
    env.filters["sparkline"] = sparkline
    env.filters["percent"] = percent
    env.filters["capitalize_first"] = lambda v: str(v)[:1].upper() + str(v)[1:]
    env.globals["isoformat"] = lambda v: v.isoformat() if isinstance(v, date | datetime) else ""
