"""Properties of the coach that hold for any text a user (or a bad decoder) can produce."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mend.coach import MAX_CHARS, SCORE_NAMES, STEPS, analyze
from mend.coach._text import json_text
from mend.errors import InvalidInput, TooLarge

# Phrases that make rules, commitments and models fire, mixed with arbitrary characters.
PHRASES = [
    "I'm sorry if you felt ",
    "sorry, but ",
    "You always ",
    "I'll send you the notes every Friday",
    "by the 15th I will ",
    "What was that like for you?",
    "It sounds like you ",
    "That must have been hard. ",
    "I understand, but ",
    "WHY IS THIS LATE",
    "!!!",
    "I was wrong to ",
    " and ",
    "\n",
    ". ",
    "?",
    "’",
]
# Every code point, lone surrogates, controls and unassigned ones included.
ANY_CHAR = st.characters(exclude_categories=())
TRICKY = st.sampled_from(
    [
        "\ud800",  # a lone high surrogate (from decoding with surrogateescape)
        "\udcff",
        "\x00",
        "\x1b[31m",
        "\u202e",  # right-to-left override
        "שלום",
        "مرحبا",
        "e\u0301\u0301",  # combining marks
        "👩🏽‍💻",
        "🙂",
        "\u200d",
        "\ufeff",
        "ǅ",
        "İ",  # lower() changes its length
        "ß",
    ]
)
DRAFTS = st.lists(
    st.one_of(st.sampled_from(PHRASES), TRICKY, st.text(ANY_CHAR, max_size=12)), max_size=25
).map("".join)
STEP = st.sampled_from((None, *STEPS))

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, step: str | None) -> dict[str, object] | None:
    """The report as a dict, or None when the text is rightly refused as empty."""
    if not text.strip():
        with pytest.raises(InvalidInput):
            analyze(text, step)
        return None
    return analyze(text, step).to_dict()


@FAST
@given(DRAFTS, STEP)
def test_any_text_gives_a_report_with_spans_inside_it(text: str, step: str | None) -> None:
    report = _check(text, step)
    if report is None:
        return
    assert report["length"] == len(text)
    for finding in report["findings"]:  # type: ignore[attr-defined]
        assert 0 <= finding["start"] <= finding["end"] <= len(text)
        assert finding["quote"] == json_text(text[finding["start"] : finding["end"]])
        assert finding["severity"] in ("praise", "suggestion", "warning", "problem")
        assert finding["explanation"]
    for promise in report["commitments"]:  # type: ignore[attr-defined]
        assert 0 <= promise["start"] < promise["end"] <= len(text)
        assert promise["text"] == json_text(text[promise["start"] : promise["end"]])
    scores = report["scores"]
    assert list(scores) == list(SCORE_NAMES)  # type: ignore[call-overload]
    for value in scores.values():  # type: ignore[attr-defined]
        assert value is None or 0.0 <= value <= 100.0


@FAST
@given(st.text(ANY_CHAR, min_size=1, max_size=200), STEP)
def test_arbitrary_code_points_never_crash(text: str, step: str | None) -> None:
    report = _check(text, step)
    if report is not None:
        for f in report["findings"]:  # type: ignore[attr-defined]
            assert f["quote"] == json_text(text[f["start"] : f["end"]])


@settings(max_examples=150, deadline=None)
@given(DRAFTS, STEP)
def test_the_same_draft_always_gets_the_same_report(text: str, step: str | None) -> None:
    if not text.strip():
        return
    assert analyze(text, step).to_dict() == analyze(text, step).to_dict()


@settings(max_examples=150, deadline=None)
@given(DRAFTS, STEP)
def test_to_dict_round_trips_through_json(text: str, step: str | None) -> None:
    if not text.strip():
        return
    report = analyze(text, step).to_dict()
    # ensure_ascii (the default) escapes lone surrogates, which UTF-8 cannot carry.
    assert json.loads(json.dumps(report)) == report


@pytest.mark.parametrize("text", ["", " ", "\n\t  \r\n", "\u3000\u2003"])
def test_empty_or_blank_drafts_are_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        analyze(text)


def test_drafts_over_the_documented_limit_are_refused() -> None:
    assert MAX_CHARS == 50_000
    at_limit = ("I am sorry I was late. " * 3000)[:MAX_CHARS]
    assert analyze(at_limit).length == MAX_CHARS
    with pytest.raises(TooLarge, match="50,000"):
        analyze(at_limit + "x")


@pytest.mark.parametrize(
    "text",
    [
        "Je suis vraiment désolé de ne pas t'avoir prévenu avant la réunion de lundi.",
        "Es tut mir leid, dass ich dich in der Besprechung nicht unterstützt habe.",
        "Lo siento mucho por lo que pasó en la reunión del lunes; no fue justo contigo.",
        "很抱歉我错过了截止日期，这是我的错。",
        "أنا آسف لأنني لم أخبرك بالتغيير في الوقت المناسب.",
        "Прости, что я не предупредил тебя о переносе встречи.",
    ],
)
def test_non_english_drafts_are_reported_as_unsupported(text: str) -> None:
    report = analyze(text, "apology")
    assert report.language_supported is False
    assert [f.code for f in report.findings] == ["unsupported_language"]
    assert all(v is None for v in report.scores.values())
