"""`mend coach …`: check a draft before sending it, and retrain the coach's models.

``mend coach FILE`` is short for ``mend coach check FILE``; nothing here touches the
database.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

if TYPE_CHECKING:
    from datetime import datetime


STEPS_HELP = "acknowledgment, outreach, listening, empathy, apology, solution, agreement"
SEVERITY_STYLE = {
    "problem": "bold red",
    "warning": "yellow",
    "suggestion": "cyan",
    "praise": "green",
}
# Underline colours of the highlighted spans in the draft, by severity.
SPAN_STYLE = {
    "problem": "bold red underline",
    "warning": "yellow underline",
    "suggestion": "cyan underline",
    "praise": "green",
}
BAR_WIDTH = 20


class _CoachGroup(TyperGroup):
    """A group whose default command is ``check``: ``mend coach draft.txt`` just works."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


coach_app = typer.Typer(
    cls=_CoachGroup,
    help="Check a draft before you send it: the words that may hurt, why, and what to say "
    "instead. `mend coach FILE` is short for `mend coach check FILE`.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(coach_app, name="coach")


def _read(source: str) -> str:
    from mend.errors import InvalidInput

    if source == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        if isinstance(data, bytes):
            return data.decode("utf-8", "replace")
        return data
    path = Path(source)
    try:
        raw = path.read_bytes()
    except IsADirectoryError as exc:
        raise InvalidInput(f"Cannot read {source}: it is a folder, not a file.") from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot read {source}: {exc.strerror or exc}.", field="file") from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"Cannot read {source}: it is not UTF-8 text.", field="file") from exc


def _now() -> datetime:
    """The pinned clock (MEND_NOW) when set, else the system's; no database needed."""
    from datetime import UTC, datetime

    from mend.app import parse_pinned_now
    from mend.settings import load_settings

    pinned = load_settings(context._state["overrides"]).now
    return parse_pinned_now(pinned) if pinned else datetime.now(UTC)


def _bar(value: float | None) -> str:
    if value is None:
        return "[dim]n/a[/dim]"
    filled = round(value / 100 * BAR_WIDTH)
    colour = "green" if value >= 67 else "yellow" if value >= 40 else "red"
    return (
        f"[{colour}]{'█' * filled}[/{colour}][dim]{'░' * (BAR_WIDTH - filled)}[/dim] {value:3.0f}"
    )


def show_report(
    report: Mapping[str, Any], text: str, *, with_text: bool = True, indent: str = ""
) -> None:
    """The coach's report as people read it, from its JSON form (a fresh report or one
    kept with a draft): the draft with the words marked, each finding with the exact
    words it is about, why, and what to say instead, then the scores."""
    from rich.text import Text

    from mend.coach.report import SCORE_LABELS

    findings = [f for f in report.get("findings", []) if isinstance(f, Mapping)]
    if not report.get("language_supported", True):
        for f in findings:
            console.print(f"{indent}[yellow]![/yellow] {f.get('explanation', '')}")
        return
    if with_text:
        body = Text(text)
        # Strengths first, problems last, so a problem's colour wins where spans overlap.
        order = ("praise", "suggestion", "warning", "problem")
        ranked = sorted(findings, key=lambda f: order.index(f.get("severity", "praise")))
        for f in ranked:
            start, end = int(f.get("start", 0)), int(f.get("end", 0))
            if 0 <= start < end <= len(text):
                body.stylize(SPAN_STYLE.get(f.get("severity", ""), ""), start, end)
        console.print(body)
        console.print()
    if findings:
        for f in findings:
            severity = str(f.get("severity", ""))
            quote = " ".join(str(f.get("quote") or "").split())
            where = f' "{quote}"' if quote else ""
            line = Text.assemble(
                indent, (f"{severity:<10}", SEVERITY_STYLE.get(severity, "")),
                (str(f.get("code", "")), "bold"), (where, "italic"),
                "\n    " + indent, str(f.get("explanation", "")),
            )  # fmt: skip
            if f.get("suggestion"):
                line.append("\n    " + indent + "→ ")
                line.append(str(f["suggestion"]))
            if f.get("replacement") == "" and quote:
                line.append("\n    " + indent + "→ or leave out the quoted words")
            elif f.get("replacement"):
                line.append("\n    " + indent + f'→ or write "{f["replacement"]}"')
            console.print(line)
    else:
        console.print(f"{indent}Nothing to flag.")
    scores = report.get("scores") or {}
    if scores:
        console.print()
        for name, (label, _meaning) in SCORE_LABELS.items():
            if name in scores:
                shown = ("  " + label) if name.startswith("empathy_") else label
                console.print(f"{indent}{shown:<22}{_bar(scores.get(name))}")
    commitments = [c for c in report.get("commitments", []) if isinstance(c, Mapping)]
    if commitments:
        console.print(f"\n{indent}Promises in this draft:")
        for c in commitments:
            when = c.get("due") or c.get("recurrence") or c.get("due_text") or "no date"
            said = " ".join(str(c.get("text", "")).split())
            line = Text.assemble(f"{indent}  • ", said, (f" ({c.get('owner')}; {when})", "dim"))
            console.print(line)


@coach_app.command("check")
def check(
    source: str = typer.Argument(
        ..., metavar="FILE|-", help="The draft: a UTF-8 file, or - for stdin."
    ),
    step: str | None = typer.Option(
        None, "--step", "-s", help=f"The step it is for: {STEPS_HELP}."
    ),
    json_out: bool = JsonOption,
) -> None:
    """Check a draft: highlight the words that may hurt, explain why, suggest better ones.

    Exits 1 when it finds a problem (so scripts and hooks can stop), 0 otherwise.
    Example: mend coach --step apology apology.txt
    """
    from mend.coach import analyze

    text = _read(source)
    report = analyze(text, step, now=_now()).to_dict()
    if json_out:
        context.print_json(report)
    else:
        show_report(report, text)
    findings: list[dict[str, Any]] = report["findings"]  # type: ignore[assignment]
    if any(f["severity"] == "problem" for f in findings):
        raise typer.Exit(1)


@coach_app.command("train")
def train(
    datasets: Path | None = typer.Option(
        None,
        "--datasets",
        help="Folder of the public corpora (default: $MEND_DATASETS or ../shared/datasets).",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Where to write the graded models (default: the package's file)."
    ),
    detectors_out: Path | None = typer.Option(
        None,
        "--detectors-out",
        help="Where to write the learned detectors (default: the package's file).",
    ),
    only: str | None = typer.Option(
        None, "--only", help="Train just 'models' (the graded scores) or 'detectors'."
    ),
    seed: int = typer.Option(13, "--seed", help="Random seed; the same seed gives the same file."),
    json_out: bool = JsonOption,
) -> None:
    """Retrain the coach: its graded models and its learned detectors.

    The graded models learn from the public corpora marked for training; the detectors
    from Mend's own labelled drafts (data/coach) and the Enron units' labels. Needs
    scikit-learn (pip install 'mend[train]'). Example: mend coach train --out /tmp/m.json.gz
    """
    from mend.errors import InvalidInput, Unsupported

    if only not in (None, "models", "detectors"):
        raise InvalidInput("--only takes 'models' or 'detectors'.", field="only")
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise Unsupported(
            "Training needs scikit-learn: pip install 'mend[train]'.", field="datasets"
        ) from exc
    from mend.coach.detect import DETECTOR_FILE
    from mend.coach.models import MODEL_FILE
    from mend.coach.training import datasets as corpora
    from mend.coach.training.detectors import train_shipped
    from mend.coach.training.fit import train_all

    root = corpora.resolve(datasets)
    result: dict[str, Any] = {}
    if only in (None, "models"):
        target = out or MODEL_FILE
        result["models"] = {"out": str(target), **train_all(root, seed=seed, out=target)}
    if only in (None, "detectors"):
        target = detectors_out or DETECTOR_FILE
        result["detectors"] = {"out": str(target), **train_shipped(root, seed=seed, out=target)}
    if json_out:
        context.print_json(result)
        return
    if "models" in result:
        meta = result["models"]
        context.ok(f"Trained the graded models from {root} (seed {seed}); wrote {meta['out']}.")
        for name, n in meta.get("rows", {}).items():
            console.print(f"  {name}: {n:,} texts, {meta['features'].get(name, 0):,} weights")
    if "detectors" in result:
        meta = result["detectors"]
        context.ok(
            f"Trained the detectors on {meta['texts']:,} labelled texts "
            f"({meta['sentences']:,} sentences, {meta['features']:,} features); "
            f"wrote {meta['out']}."
        )
