"""The shipped model file loads, stays small, and scores known texts in the right order."""

from __future__ import annotations

from pathlib import Path

import pytest

from mend.coach import analyze
from mend.coach.features import features
from mend.coach.models import (
    DATA_DIR,
    MODEL_FILE,
    MODEL_NAMES,
    LinearModel,
    mechanisms,
    read_models,
    save_models,
    shipped,
)
from mend.errors import Unsupported


def score(text: str, name: str) -> float:
    value = analyze(text).scores[name]
    assert value is not None
    return value


def test_every_model_loads_from_the_package() -> None:
    models, meta = read_models(MODEL_FILE)
    assert set(models) == set(MODEL_NAMES)
    assert meta["seed"] == 13
    assert set(meta["sources"]) == {"stanford-politeness", "yeomans-receptiveness", "goemotions"}  # type: ignore[arg-type]
    for model in models.values():
        assert len(model.weights) > 1000
    assert shipped()["hostility"].link == "logistic"
    assert shipped()["politeness"].link == "identity"


def test_shipped_weights_stay_under_twenty_megabytes() -> None:
    total = sum(p.stat().st_size for p in DATA_DIR.rglob("*") if p.is_file())
    assert 0 < total <= 20 * 1024 * 1024
    assert (DATA_DIR / "models.json.gz").stat().st_size <= 5 * 1024 * 1024


# (score, the text that should score higher, the one that should score lower)
ORDERED = [
    (
        "politeness",
        "Hi Sam, could you please take a look at the draft when you have a moment? Thanks!",
        "Look at the draft now. Why is it still not done?",
    ),
    (
        "politeness",
        "Thank you so much for the quick reply, I really appreciate your help.",
        "This is wrong. Fix it.",
    ),
    (
        "politeness",
        "Would you mind sharing the figures from last week? I think I may have missed them.",
        "Where are the figures? You were supposed to send them last week.",
    ),
    (
        "receptiveness",
        "I understand why you see it that way, and you make a fair point about the cost. "
        "I think we may agree on more than it seems.",
        "You are wrong and you are ignoring the facts. That is ridiculous.",
    ),
    (
        "receptiveness",
        "That's a good point; I hadn't considered the impact on your team. "
        "Could you say more about it?",
        "No. That makes no sense and I don't see why we are even discussing it.",
    ),
]


@pytest.mark.parametrize(("name", "better", "worse"), ORDERED)
def test_known_texts_score_in_the_right_order(name: str, better: str, worse: str) -> None:
    """A polite request above a rude one; a receptive reply above a dismissive one."""
    assert score(better, name) > score(worse, name) + 10


@pytest.mark.parametrize(
    ("calm", "hostile"),
    [
        ("Thanks for flagging it; I'll fix the report today.", "This report is crap, fix it."),
        ("I see it differently; can we talk it through?", "You are an idiot and this is useless."),
    ],
)
def test_hostile_messages_read_as_less_calm(calm: str, hostile: str) -> None:
    assert score(calm, "calm") >= 50 > score(hostile, "calm")


def test_an_insult_aimed_at_oneself_is_not_hostility() -> None:
    assert score("Sorry, dumb question: where does the config file live?", "calm") >= 50
    assert score("I am so stupid, I forgot the attachment again.", "calm") >= 50
    assert score("Your stupid typo broke the build.", "calm") < 50


def test_empathy_mechanisms_are_seen_in_a_supportive_reply() -> None:
    er, ip, ex = mechanisms(
        features("I'm so sorry to hear that. I've been there too. How are you holding up?")
    )
    assert er >= 60 and ip >= 60 and ex >= 60
    assert mechanisms(features("The meeting moved to room 4 at noon.")) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("text", "shared"),
    [
        ("I lost my job in March and I felt the same way.", True),
        ("Our dog died in the spring and I cried for weeks too.", True),
        ("Same here, I struggle with early mornings too.", True),
        ("I understand how hard this week has been.", True),
        ("I understand, but you should have told me sooner.", False),  # "but" takes it back
        ("I tried the new build and it crashed.", False),  # a report, not a shared story
        ("Sorry, I missed your call yesterday.", False),  # an apology is about the writer
        ("I missed your deadline last week. That was my mistake.", False),
    ],
)
def test_a_similar_story_of_ones_own_counts_as_understanding(text: str, shared: bool) -> None:
    """Sharing a similar experience shows understanding (Sharma et al. 2020), except when
    the draft is about the writer's own doing."""
    assert (score(text, "empathy_interpretation") >= 50) is shared


def test_encouragement_counts_as_an_emotional_reaction() -> None:
    assert (
        score("You got this. Feel free to message me any time.", "empathy_emotional_reaction") >= 50
    )


@pytest.mark.parametrize(
    "text",
    ["I'm sorry you feel that way.", "I understand how you feel, but you need to move on."],
)
def test_a_non_apology_or_fake_empathy_earns_no_empathy(text: str) -> None:
    """The problem finding takes back what the warm words and the models would credit."""
    assert score(text, "empathy_emotional_reaction") < 50
    assert score(text, "empathy_interpretation") < 50


def test_a_caring_reply_scores_higher_emotional_reaction_than_a_neutral_one() -> None:
    caring = "Take care of yourself, I'm worried about you and I hope you feel better soon."
    neutral = "The invoice was sent on Tuesday and the figures are in the shared folder."
    assert score(caring, "empathy_emotional_reaction") > score(
        neutral, "empathy_emotional_reaction"
    )


def test_saved_models_read_back_and_score_the_same(tmp_path: Path) -> None:
    models = {
        "a": LinearModel("a", 0.5, {"w|please": 1.25, "s|gratitude": -0.5}),
        "b": LinearModel("b", -1.0, {"w|please": 2.0, "w|now": -3.0}, link="logistic"),
    }
    path = tmp_path / "m.json.gz"
    save_models(models, {"seed": 1}, path)
    loaded, meta = read_models(path)
    assert meta == {"seed": 1}
    feats = {"w|please": 1.0, "w|now": 1.0, "s|gratitude": 0.8333, "w|unknown": 1.0}
    for name, model in models.items():
        assert loaded[name].raw(feats) == pytest.approx(model.raw(feats), abs=1e-6)
        assert loaded[name].predict(feats) == pytest.approx(model.predict(feats), abs=1e-6)
    assert dict(loaded["b"].weights) == {"w|please": 2.0, "w|now": -3.0}
    first = path.read_bytes()
    save_models(models, {"seed": 1}, path)
    assert path.read_bytes() == first  # byte-identical: no time stamp, sorted features


def test_a_missing_model_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(Unsupported, match="mend coach train"):
        read_models(tmp_path / "nothing.json.gz")
