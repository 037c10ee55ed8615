"""How fast the coach is, on one core, for drafts of about 100 words.

Prints ``analyze()`` throughput with every dimension on (all scores, rules, commitments,
and each draft checked for its step), its p50/p99 latency, VADER's ``polarity_scores``
throughput on the same texts in the same run, and the time to ``import mend.coach`` and
load the models in a fresh interpreter. Targets from the coach issue are printed beside
each figure. Run: ``.venv/bin/python benchmarks/coach_speed.py``.
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# Sentences a person in a repair might write, good and bad; drafts are ~100-word mixes.
SENTENCES = [
    "I'm sorry I missed the deadline on Friday; that was my mistake.",
    "I know the delay put your launch at risk and left you explaining it to the client.",
    "I'll send you the revised schedule every Monday morning until the project ships.",
    "Can we find thirty minutes this week to talk it through?",
    "What was the hardest part of the last two weeks for you?",
    "It sounds like you felt left out when the plan changed without you.",
    "I'm sorry if you felt ignored, but the timeline was not my call.",
    "You always wait until the last minute and then blame everyone else.",
    "Honestly, it's not a big deal, everyone misses a meeting now and then.",
    "I need an answer by the end of today or I'll take it to your manager.",
    "Thanks for telling me plainly how it landed; I appreciate it.",
    "Mistakes were made on both sides and we should just move on.",
    "Would you be open to a shared tracker so nothing falls through the cracks?",
    "I will do better next time, I promise.",
    "That sounds really exhausting, and I'm sorry I added to it.",
    "By the 15th I will have the hand-over notes written and shared with you.",
    "Could you help me understand what you expected from me on that call?",
    "I hear that the workload has felt unfair, and I want to fix that with you.",
    "WHY DOES THIS KEEP HAPPENING",
    "Let me know what works for you; there is no rush at all.",
]
STEPS = (None, "acknowledgment", "outreach", "listening", "empathy", "apology", "solution")


def drafts(n: int, seed: int = 7) -> list[str]:
    """``n`` drafts of about 100 words each, deterministic."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words: list[str] = []
        while len(words) < 95:
            words += rng.choice(SENTENCES).split()
        out.append(" ".join(words))
    return out


def import_time(repeats: int = 5) -> float:
    """Best wall time (ms) of `import mend.coach` plus loading the models, fresh process."""
    code = (
        "import time; t=time.perf_counter(); import mend.coach; "
        "from mend.coach.models import shipped; from mend.coach.features import vader_lexicon; "
        "shipped(); vader_lexicon(); print((time.perf_counter()-t)*1000)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    best = float("inf")
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        best = min(best, float(out.stdout.strip()))
    return best


def main() -> None:
    with contextlib.suppress(AttributeError, OSError):  # one core, where the OS allows
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from mend.coach import analyze
    from mend.coach.models import shipped

    shipped()
    texts = drafts(3000)
    words = statistics.mean(len(t.split()) for t in texts)
    now = None
    for i, t in enumerate(texts[:200]):  # warm-up
        analyze(t, STEPS[i % len(STEPS)], now=now)

    lat: list[float] = []
    t0 = time.perf_counter()
    for i, t in enumerate(texts):
        s = time.perf_counter()
        analyze(t, STEPS[i % len(STEPS)], now=now)
        lat.append(time.perf_counter() - s)
    ours = len(texts) / (time.perf_counter() - t0)
    lat.sort()
    p50 = lat[len(lat) // 2] * 1000
    p99 = lat[int(len(lat) * 0.99)] * 1000

    vader = SentimentIntensityAnalyzer()
    for t in texts[:200]:
        vader.polarity_scores(t)
    t0 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    theirs = len(texts) / (time.perf_counter() - t0)
    load = import_time()

    def line(name: str, value: str, target: str, ok: bool) -> None:
        print(f"{name:<44}{value:>14}   target {target:<14}{'ok' if ok else 'MISSED'}")

    print(f"{len(texts)} drafts, {words:.0f} words on average, one core\n")
    line("analyze() drafts/s (every dimension on)", f"{ours:,.0f}", ">= 2,000", ours >= 2000)
    line("analyze() p50 latency", f"{p50:.2f} ms", "", True)
    line("analyze() p99 latency", f"{p99:.2f} ms", "<= 3 ms", p99 <= 3)
    line("VADER polarity_scores texts/s (same texts)", f"{theirs:,.0f}", "", True)
    line("ours / VADER", f"{ours / theirs:.2f}x", ">= 0.25x", ours / theirs >= 0.25)
    line("import mend.coach + load models (fresh)", f"{load:.0f} ms", "<= 300 ms", load <= 300)


if __name__ == "__main__":
    main()
