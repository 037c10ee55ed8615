"""Six repairs worked from the first step to the last through the real `mend` command.

Each test is one situation from the README, on SQLite and on PostgreSQL, with the
clock moved forward between commands the way weeks pass for a user. At every stage
it checks what a user relies on: which steps are done, what `mend next` advises, what
patience refuses, trust and its trend, and the status board.
"""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.cli_helpers import Mend, flat
from tests.factories import at

OUTREACH = "Hi, could we take 20 minutes this week? I'd like to hear how it landed for you."


def apologize(mend: Mend, repair_id: int, text: str) -> None:
    """An hour later, write the apology, give it, mark it sent: step 5 is done."""
    assert mend.steps(repair_id)["apologize"] == "pending"
    mend.advance(hours=1)
    mend.send(repair_id, "apology", text)
    assert mend.steps(repair_id)["apologize"] == "done"


def keep_fridays(mend: Mend, repair_id: int, commitment_id: int, outcomes: str) -> list[float]:
    """One outcome per Friday from now on (k kept, l late, m missed), recorded at 17:30.

    Returns trust after each record. The clock must be before the first Friday 17:00.
    """
    values = []
    for outcome in outcomes:
        days_to_friday = (4 - mend.now.weekday()) % 7 or 7
        friday = (mend.now + timedelta(days=days_to_friday)).replace(hour=17, minute=30)
        mend.at(friday)
        word = {"k": "kept", "l": "late", "m": "missed"}[outcome]
        mend("commit", word, repair_id, commitment_id)
        values.append(mend.trust(repair_id)["estimate"]["value"])
    return values


def share_ground(mend: Mend, repair_id: int, goal: str, title: str, mine: str, theirs: str) -> None:
    mend("ground", "add", repair_id, goal)
    mend("ground", "initiative", repair_id, title, "--mine", mine, "--theirs", theirs)
    assert mend.steps(repair_id)["find_common_ground"] == "done"


# --- 1. a missed deadline ------------------------------------------------------------


def test_missed_deadline_ends_with_a_tracker_and_weekly_check_ins(mend: Mend) -> None:
    mend.person("Ana Ruiz", "colleague", "--org", "Design")
    rid = mend.open_repair(
        "Ana",
        "Late specs",
        what="I delivered the API specs four days late",
        my_part="I saw it slipping and said nothing",
        impact="Her sprint stalled for two days",
        severity=4,
    )
    # Owning it on the first screen completes step 1 and puts the repair to work.
    row = mend.board(rid)
    assert row["status"] == "in_progress"
    assert row["progress"] == 1
    assert row["trust"]["value"] == 0.5
    assert row["next_step"]["step"] == "open_conversation"
    assert mend.json("next")["repair_id"] == rid

    # Day 1: a short message asking to talk.
    mend.send(rid, "outreach", OUTREACH, "--channel", "message")
    outreach = mend.json("interaction", "list", rid)[-1]
    assert outreach["initiated_by"] == "me"
    assert mend.steps(rid)["open_conversation"] == "done"
    assert mend.next_step(rid) == "listen"

    # Day 2: she says yes and comes to talk; her side is logged in her words.
    mend.advance(days=1)
    mend("interaction", "reply", rid, outreach["id"])
    mend.listen(
        rid,
        "She found out from the board, not from me",
        my_view="The silence hurt more than the delay",
        tension="tense",
    )
    mend("step", "answer", rid, "empathize", "how_it_felt=Blindsided in front of her team")
    steps = mend.steps(rid)
    assert steps["listen"] == steps["empathize"] == "done"
    assert mend.next_step(rid) == "apologize"

    apologize(mend, rid, "Ana, I'm sorry I kept quiet about the delay; it left your team waiting.")
    tracker = mend.commit(
        rid, "Update our shared tracker", "--every", "friday", "--starting", "2026-03-06 17:00"
    )
    assert mend.steps(rid)["offer_solutions"] == "done"
    checkin = mend.json("checkin", "add", rid, "--at", "next Monday 10:00", "--every-days", "7")
    assert checkin["scheduled_at"] == "2026-03-09T10:00:00+00:00"
    assert checkin["cadence_days"] == 7
    agenda = mend.json("agenda")
    assert [i["label"] for i in agenda["this_week"]] == [
        "Update our shared tracker",  # Friday
        "Check-in with Ana Ruiz",  # next Monday
    ]

    # Three Fridays kept, a check-in every Monday: trust grows, the next one is planned.
    keep_fridays(mend, rid, tracker, "k")
    for week in range(3):
        mend.at(at(2026, 3, 9 + 7 * week, 10, 30))
        open_ = [k for k in mend.json("checkin", "list", rid) if k["completed_at"] is None]
        assert [k["scheduled_at"][:10] for k in open_] == [f"2026-03-{9 + 7 * week:02d}"]
        mend("checkin", "done", rid, open_[0]["id"], "--outcome", "Fine", "--keep-cadence")
        planned = [k for k in mend.json("checkin", "list", rid) if k["completed_at"] is None]
        assert [(k["scheduled_at"], k["cadence_days"]) for k in planned] == [
            ((mend.now + timedelta(days=7)).isoformat(), 7)
        ]
        if week < 2:
            keep_fridays(mend, rid, tracker, "k")
    done = [k for k in mend.json("checkin", "list", rid) if k["completed_at"]]
    assert len(done) == 3

    steps = mend.steps(rid)
    assert steps["be_patient"] == "done"  # a week since the apology, no pushing
    assert steps["rebuild_trust"] == "done"  # 3 kept over 14 days, trust above 0.65
    report = mend.trust(rid)
    assert report["estimate"]["n_events"] == 3
    assert report["estimate"]["value"] > 0.75
    assert report["trend"]["direction"] == "rising"

    share_ground(
        mend, rid, "We both want the launch to go smoothly", "Joint release checklist",
        "Draft it", "Review it",
    )  # fmt: skip
    mend(
        "agreement", "set", rid, "--channel", "Slack; a call for anything tense",
        "--problems", "Say it the same day, privately", "--review-on", "in 6 weeks",
    )  # fmt: skip
    mend.finish(rid)
    # Restored, the tracker keeps counting: weeks later every Friday is still there.
    history = mend.json("commit", "list", rid)[0]["occurrences"]
    assert [o["status"] for o in history] == ["kept"] * 3


# --- 2. a disagreement with a manager -----------------------------------------------


def test_manager_disagreement_listens_before_any_solution(mend: Mend) -> None:
    mend.person("Marta Lindqvist", "manager")
    rid = mend.open_repair(
        "Marta",
        "Roadmap clash",
        what="I argued against her roadmap in front of the whole team",
        my_part="I dismissed her plan publicly instead of raising it with her",
        impact="She felt undermined in front of her reports",
        severity=3,
    )
    ask = mend.log(rid, "--kind", "message", "--summary", "Asked for a one-on-one on Thursday")
    assert mend.steps(rid)["open_conversation"] == "done"
    # Until she answers, Mend holds back: nothing to do but give it time.
    assert mend.json("next")["text"] == "Give it time"
    mend.advance(hours=2)
    mend("interaction", "reply", rid, ask["id"])

    # Listening comes first, and Mend says why.
    nxt = mend.json("next")
    assert nxt["text"] == "Listen to their side with Marta Lindqvist"
    assert "Listening comes before any apology or solution" in nxt["why"]
    assert mend.next_step(rid) == "listen"
    assert mend.board(rid)["next_step"]["step"] == "listen"
    # A solution with nothing to show for it is refused, saying what is missing.
    refusal = mend.fails("step", "done", rid, "offer_solutions", code=4)
    assert "offer solutions, is not done yet" in refusal
    assert "Record a concrete commitment with a date or a repeat" in refusal
    assert mend.steps(rid)["offer_solutions"] == "pending"
    refusal = mend.fails("commit", "add", rid, "Be more collaborative", code=2)
    assert "needs a due date (--due) or a recurrence (--every)" in refusal

    mend.advance(days=3)
    mend.listen(
        rid,
        "I found out you disagreed at the same moment as my whole team did",
        tension="tense",
    )
    assert mend.steps(rid)["listen"] == "done"
    assert mend.next_step(rid) == "empathize"
    mend("step", "answer", rid, "empathize", "how_it_felt=Undermined and exposed")
    apologize(mend, rid, "Marta, I'm sorry I challenged your plan in front of the team.")
    mend.commit(rid, "Bring objections to our 1:1 first", "--every", "monday")
    assert mend.steps(rid)["offer_solutions"] == "done"

    # She raises the roadmap again herself a week later: patience has done its work.
    mend.advance(days=2)
    assert mend.steps(rid)["be_patient"] == "pending"
    mend.listen(rid, "Let's try the quarterly review together")
    assert mend.steps(rid)["be_patient"] == "done"
    assert mend.next_step(rid) == "rebuild_trust"
    assert "keep 3 more commitments" in mend.missing(rid, "rebuild_trust")

    mend.advance(days=1)
    for week in range(3):
        mend.at(at(2026, 3, 16 + 7 * week, 11))
        mend("commit", "kept", rid, 1)
    assert mend.steps(rid)["rebuild_trust"] == "done"
    share_ground(
        mend, rid, "A roadmap the team believes in", "Quarterly review prep",
        "Gather the data", "Set the agenda",
    )  # fmt: skip
    mend(
        "agreement",
        "set",
        rid,
        "--problems",
        "Disagree in private first",
        "--review-on",
        "in 8 weeks",
    )
    mend.finish(rid, "Review went well")


# --- 3. a colleague who felt left out ----------------------------------------------


def test_left_out_colleague_finds_common_ground_and_a_joint_initiative(mend: Mend) -> None:
    mend.person("Kofi Mensah", "colleague", "--org", "Research")
    rid = mend.open_repair(
        "Kofi",
        "Left off the pilot",
        what="I staffed the pilot project without asking Kofi, who had proposed it",
        my_part="I picked the people I knew best and didn't think of him",
        impact="He felt his idea was taken and he was shut out",
    )
    mend("checkin", "add", rid, "--at", "tomorrow 15:00", "--note", "Coffee to talk it over")
    assert mend.steps(rid)["open_conversation"] == "done"  # a planned talk opens it too

    mend.at(at(2026, 3, 3, 15, 30))
    mend("checkin", "done", rid, 1, "--outcome", "He talked, I listened")
    mend.listen(rid, "It was my idea and I read about the kickoff in the newsletter")
    mend.send(rid, "empathy", "It must have stung to see your idea go ahead without you.")
    assert mend.steps(rid)["empathize"] == "done"
    apologize(mend, rid, "Kofi, I'm sorry I left you out of the pilot you proposed.")
    mend.commit(rid, "Invite Kofi to the pilot steering meeting", "--due", "Friday 14:00")
    assert mend.steps(rid)["offer_solutions"] == "done"

    # Common ground takes a shared goal AND an initiative where both contribute.
    mend("ground", "add", rid, "We both want the pilot to prove the idea works")
    assert mend.steps(rid)["find_common_ground"] == "pending"
    assert "plan one initiative together" in mend.missing(rid, "find_common_ground").lower()
    mend(
        "ground", "initiative", rid, "Pilot results write-up", "--mine", "The data", "--theirs", ""
    )
    assert mend.steps(rid)["find_common_ground"] == "pending"  # only my part so far
    mend("ground", "update", rid, 1, "--theirs", "The method section", "--status", "active")
    assert mend.steps(rid)["find_common_ground"] == "done"
    ground = mend.json("ground", "list", rid)
    assert [g["text"] for g in ground["common_ground"]] == [
        "We both want the pilot to prove the idea works"
    ]
    (initiative,) = ground["initiatives"]
    assert initiative["my_contribution"] == "The data"
    assert initiative["their_contribution"] == "The method section"
    assert initiative["status"] == "active"

    mend.at(at(2026, 3, 6, 15))
    mend("commit", "kept", rid, 1)
    weekly = mend.commit(rid, "Share pilot notes with Kofi", "--every", "week")
    mend.advance(days=5)  # a quiet week since the apology
    assert mend.steps(rid)["be_patient"] == "done"
    for _ in range(2):
        mend.advance(days=7)
        mend("commit", "kept", rid, weekly)
    assert mend.steps(rid)["rebuild_trust"] == "done"
    mend("agreement", "set", rid, "--channel", "Pilot channel", "--review-on", "2026-05-01")
    mend.finish(rid)


# --- 4. a business partner let down by missing updates ------------------------------


def test_partner_trust_dips_after_a_missed_update_and_recovers(mend: Mend) -> None:
    mend.person("Jonas Berg", "business partner", "--org", "Berg & Co")
    rid = mend.open_repair(
        "Jonas",
        "Silent for a month",
        what="I sent Jonas no project updates for a month",
        my_part="I let the updates slide when things got busy",
        impact="He had to chase me and looked uninformed to his client",
        severity=4,
    )
    mend.send(rid, "outreach", OUTREACH, "--channel", "email")
    mend.advance(days=1)
    mend.listen(rid, "I felt like I was working with a ghost", kind="call")
    mend("step", "answer", rid, "empathize", "how_it_felt=Ignored and embarrassed")
    apologize(mend, rid, "Jonas, I'm sorry I went silent. You deserved to hear from me.")
    updates = mend.commit(
        rid, "Friday project update", "--every", "friday", "--starting", "2026-03-06 17:00"
    )
    assert mend.board(rid)["trust"]["value"] == 0.5

    before_miss = keep_fridays(mend, rid, updates, "kk")  # 6 and 13 March
    assert before_miss[1] > before_miss[0] > 0.5
    assert mend.steps(rid)["be_patient"] == "done"
    assert mend.steps(rid)["rebuild_trust"] == "pending"  # 2 kept, 7 days apart

    (after_miss,) = keep_fridays(mend, rid, updates, "m")  # 20 March: nothing sent
    assert after_miss < before_miss[-1]
    report = mend.trust(rid)
    # Four weeks ago, before any outcome, trust was 50%: it is still above that, and the
    # words say so, and that the latest outcome, the miss, brought it down.
    assert report["trend"]["direction"] == "rising"
    assert report["summary"].startswith("up ")
    assert "but down" in report["summary"]
    assert "a missed “Friday project update”" in report["summary"]
    movers = {event["label"]: delta for event, delta in report["movers"]}
    miss = "Missed: Friday project update (due 2026-03-20)"
    assert movers[miss] < 0
    shown = flat(mend("trust", rid).out)
    assert miss in shown and "but down" in shown

    after = keep_fridays(mend, rid, updates, "kkkk")  # 27 March, 3, 10 and 17 April
    assert after[0] > after_miss
    assert after[0] < after[1] < after[2] < after[3]
    assert mend.steps(rid)["rebuild_trust"] == "done"

    # The weekly trajectory: one point per Sunday, plus "now" (a Friday evening).
    report = mend.trust(rid)
    points = {day: est["value"] for day, est in report["trajectory"]}
    assert list(points) == [
        "2026-03-08", "2026-03-15", "2026-03-22", "2026-03-29", "2026-04-05", "2026-04-12",
        "2026-04-17",
    ]  # fmt: skip
    assert points["2026-03-08"] < points["2026-03-15"]  # kept, kept
    assert points["2026-03-22"] < points["2026-03-15"]  # the miss
    recovery = [points[d] for d in ("2026-03-22", "2026-03-29", "2026-04-05", "2026-04-12")]
    assert recovery == sorted(recovery)
    assert report["estimate"]["n_events"] == 7
    assert report["trend"]["direction"] == "rising"
    labels = [event["label"] for event, _ in report["movers"]]
    assert miss in labels
    row = mend.board(rid)
    assert row["trust"]["value"] == report["estimate"]["value"]

    share_ground(
        mend, rid, "Both want the client renewal", "Joint client review deck",
        "Numbers and timeline", "Client story",
    )  # fmt: skip
    mend(
        "agreement",
        "set",
        rid,
        "--frequency",
        "Weekly, Friday by 17:00",
        "--review-on",
        "in 6 weeks",
    )
    mend.finish(rid)


# --- 5. a teammate who needs space --------------------------------------------------


def test_teammate_needing_space_is_given_it(mend: Mend) -> None:
    mend.person("Lee Park", "colleague")
    rid = mend.open_repair(
        "Lee",
        "Blew up in standup",
        what="I snapped at Lee in standup about the flaky tests",
        my_part="I was stressed and took it out on Lee",
        impact="Lee was embarrassed in front of the team",
    )
    mend.at(at(2026, 3, 2, 10))
    mend.listen(rid, "Lee said: don't talk to me right now", tension="heated")

    # A heated conversation: 5 days' cool-off, refused with the date it would be fine.
    mend.at(at(2026, 3, 3, 9))
    check = mend.json("interaction", "check", rid)
    assert check["allowed"] is False
    assert check["next_allowed_at"] == "2026-03-07T10:00:00+00:00"
    refusal = mend.fails("log", rid, "--kind", "message", "--summary", "Sorry!", code=4)
    assert "heated conversation on 2 March; give it until 7 March" in refusal
    assert "--force" in refusal
    assert mend.json("interaction", "list", rid)[-1]["initiated_by"] == "them"
    assert mend.board(rid)["next_step"]["blocked_until"] == "2026-03-07T10:00:00+00:00"
    nxt = mend.json("next")
    assert nxt["text"] == "Give it time"
    assert "give it until 7 March" in nxt["why"]

    # Nudges with no reply: allowed after 3 days, then 6, then wait for a reply.
    gaps = []
    for when in (at(2026, 3, 7, 11), at(2026, 3, 10, 11), at(2026, 3, 16, 11)):
        mend.at(when - timedelta(hours=1))
        assert mend.json("interaction", "check", rid)["allowed"] is (when == at(2026, 3, 7, 11))
        if when != at(2026, 3, 7, 11):
            line = mend.fails("log", rid, "--kind", "message", "--no-reply", code=4)
            assert f"wait until {when.day} March before" in line
        mend.at(when)
        mend.log(rid, "--kind", "message", "--no-reply", "--summary", "Checking in")
        gaps.append(mend.json("interaction", "check", rid)["next_allowed_at"])
    assert gaps[:2] == ["2026-03-10T11:00:00+00:00", "2026-03-16T11:00:00+00:00"]
    assert mend.steps(rid)["open_conversation"] == "done"

    mend.advance(days=20)
    check = mend.json("interaction", "check", rid)
    assert check == {
        "allowed": False,
        "reasons": [
            "You have reached out 3 times since 7 March without a reply. Give them room and "
            "wait for them to reply before reaching out again."
        ],
        "next_allowed_at": None,
        "must_wait_for_reply": True,
    }
    refusal = mend.fails("log", rid, "--kind", "email", code=4)
    assert "wait for them to reply" in refusal
    text = mend("interaction", "check", rid).out
    assert flat(text).startswith("Wait. You have reached out 3 times since 7 March")
    # A wait with no end date leads wherever the next action is shown (issue 7, item 19).
    row = mend.board(rid)
    assert row["next_step"]["waiting_for_reply"] is True
    assert row["next_step"]["why"].startswith("You have reached out 3 times")
    nxt = mend.json("next")
    assert nxt["text"] == "Wait for Lee Park's reply"
    assert nxt["why"].startswith("You have reached out 3 times")
    assert "Wait for Lee Park's reply" in flat(mend("next").out)
    assert "wait for their reply (then:" in flat(mend("status").out)

    # --force logs it anyway, says so, and keeps the note that it was forced.
    forced = mend("log", rid, "--kind", "email", "--summary", "One last try", "--force")
    assert "Logged past a patience rule" in flat(forced.err)
    last = mend.json("interaction", "list", rid)[-1]
    assert last["forced"] is True
    assert "wait for them to reply" in last["forced_reason"]
    again = mend.json("interaction", "check", rid)
    assert again["must_wait_for_reply"] is True
    assert "4 times since 7 March" in again["reasons"][0]

    # Lee gets back in touch: the door is open again.
    mend.advance(days=2)
    mend.listen(rid, "I'm ready to talk. I felt humiliated in front of everyone.")
    assert mend.json("interaction", "check", rid)["allowed"] is True
    mend("step", "answer", rid, "empathize", "how_it_felt=Humiliated")
    apologize(mend, rid, "Lee, I'm sorry I snapped at you in front of the team.")
    mend.commit(rid, "Raise test problems in the channel, calmly", "--every", "week")
    assert mend.steps(rid)["be_patient"] == "pending"
    assert "Give them room until" in mend.missing(rid, "be_patient")
    for _ in range(3):
        mend.advance(days=7)
        mend("commit", "kept", rid, 1)
    steps = mend.steps(rid)
    assert steps["be_patient"] == steps["rebuild_trust"] == "done"
    share_ground(
        mend,
        rid,
        "We both want green builds",
        "Flaky test hunt",
        "Triage the list",
        "Fix the worst",
    )
    mend(
        "agreement",
        "set",
        rid,
        "--problems",
        "Raise it privately, after a breather",
        "--review-on",
        "in 4 weeks",
    )
    mend.finish(rid)


# --- 6. a dispute over workload -----------------------------------------------------


def test_workload_dispute_ends_in_a_versioned_agreement(mend: Mend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    mend.person("Sam Okafor", "colleague")
    rid = mend.open_repair(
        "Sam",
        "Who owns the release",
        what="We argued about who should run the release checklist",
        my_part="I assumed Sam would do it because Sam did it last time",
        impact="Sam worked late two weekends in a row",
    )
    mend.log(rid, "--kind", "meeting", "--summary", "Sat down to sort out the split")
    mend.listen(rid, "Sam felt the grunt work always lands on the same person")
    mend("step", "answer", rid, "empathize", "how_it_felt=Taken for granted")
    # Both had a point: no apology is owed, so steps 5 and 7 are set aside with a reason.
    mend("step", "skip", rid, "apologize", "--reason", "A shared misunderstanding, not a wrong")
    refusal = mend.fails("step", "skip", rid, "be_patient", "--reason", "   ", code=2)
    assert "cannot be empty" in refusal
    mend("step", "skip", rid, "be_patient", "--reason", "No apology to wait on")
    assert mend.next_step(rid) == "offer_solutions"

    rotation = mend.commit(
        rid, "Run the release checklist on alternate weeks", "--every", "2 weeks", "--owner", "both"
    )
    mend.commit(rid, "Write the checklist runbook", "--due", "Friday 16:00", "--owner", "them")
    assert mend.steps(rid)["offer_solutions"] == "done"
    for _ in range(3):
        mend.advance(days=14)
        mend("commit", "kept", rid, rotation)
    assert mend.steps(rid)["rebuild_trust"] == "done"
    share_ground(
        mend,
        rid,
        "Releases nobody dreads",
        "Release automation",
        "Script the builds",
        "Script the notes",
    )
    assert mend.steps(rid)["set_expectations"] == "pending"

    mend(
        "agreement", "set", rid, "--channel", "Release thread", "--frequency", "Every release",
        "--task", "Release checklist=me", "--task", "Release notes=them",
        "--task", "Retro=both", "--problems", "Flag overload a week ahead",
        "--review-on", "2026-06-01",
    )  # fmt: skip
    v1 = mend.json("agreement", "show", rid)
    assert v1["version"] == 1
    assert v1["tasks"] == [
        {"task": "Release checklist", "owner": "me"},
        {"task": "Release notes", "owner": "them"},
        {"task": "Retro", "owner": "both"},
    ]
    assert v1["review_on"] == "2026-06-01"
    shown = flat(mend("agreement", "show", rid).out)
    for text in (
        "Release thread",
        "Release checklist",
        "Release notes",
        "Flag overload a week ahead",
    ):
        assert text in shown
    assert mend.steps(rid)["set_expectations"] == "done"

    # A second version changes one thing; the rest carries over.
    mend.advance(days=7)
    mend("agreement", "set", rid, "--frequency", "Every other release")
    v2 = mend.json("agreement", "show", rid)
    assert v2["version"] == 2
    assert v2["frequency"] == "Every other release"
    unchanged = ("channel", "tasks", "raising_problems", "review_on", "response_time", "notes")
    assert {k: v2[k] for k in unchanged} == {k: v1[k] for k in unchanged}
    out = tmp_path / "agreement.md"
    mend("agreement", "show", rid, "--out", out)
    assert "Release checklist" in out.read_text(encoding="utf-8")
    mend.finish(rid, "The split has held for two months")
    skipped = {s["step"]: s for s in mend.json("step", "list", rid) if s["state"] == "skipped"}
    assert set(skipped) == {"apologize", "be_patient"}
    record = mend.json("step", "show", rid, "apologize")["record"]
    assert record["skip_reason"] == "A shared misunderstanding, not a wrong"
