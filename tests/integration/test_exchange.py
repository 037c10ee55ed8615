"""Export → import → export gives the same data; bad files are refused with one clear line."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.factories import (
    make_agreement,
    make_check_in,
    make_commitment,
    make_common_ground,
    make_draft,
    make_initiative,
    make_interaction,
    make_occurrence,
    make_person,
    make_repair,
    with_steps,
)

from mend.app import App, build
from mend.domain.enums import (
    InteractionKind,
    OccurrenceStatus,
    Party,
    RepairStatus,
    Step,
    StepState,
    Tension,
)
from mend.domain.model import DraftVersion
from mend.errors import ImportFailed
from mend.services import invitations, shared, signing
from mend.services.exchange import (
    FORMAT,
    SCHEMA_VERSION,
    TABLES,
    export_all,
    import_all,
    load_export_file,
)
from mend.settings import load_settings

NOW = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


@pytest.fixture
def source(tmp_path: Path) -> dict[str, Any]:
    """A JSON round-tripped export of a SQLite database where every table holds rows."""
    app = build(load_settings({"database_url": str(tmp_path / "source.db")}))
    try:
        populate(app)
        return dict(json.loads(json.dumps(export(app))))
    finally:
        app.close()


def populate(app: App, *, name: str = "Ana Souza ✨") -> None:
    """One person with one repair that fills every table, with unicode, nulls and JSON."""
    with app.uow() as uow:
        person = make_person(name=name, organisation="Acme — Lisboa", created_at=NOW)
        uow.people.add(person)
        uow.session.flush()
        repair = make_repair(
            id=None,
            person_id=person.id,
            title="Missed the launch deadline · 締め切り",
            what_happened="I shipped late and didn't warn her.\nShe heard it from the client.",
            opened_at=NOW,
            occurred_on=date(2024, 4, 30),
            severity=4,
        )
        repair.change_status(RepairStatus.IN_PROGRESS, NOW, reason="first talk booked")
        with_steps(repair, {Step.ACKNOWLEDGE: StepState.DONE, Step.APOLOGIZE: StepState.SKIPPED})
        repair.step(Step.ACKNOWLEDGE).answers = {"what_happened": "I was late", "emoji": "🙏"}
        repair.step(Step.LISTEN)
        repair.interactions += [
            make_interaction(
                NOW,
                kind=InteractionKind.MEETING,
                summary="Coffee chat",
                their_perspective="She felt blindsided.",
                my_interpretation="She is still angry but open.",
                tension=Tension.TENSE,
            ),
            make_interaction(
                LATER,
                kind=InteractionKind.EMAIL,
                initiated_by=Party.THEM,
                replied=True,
                replied_at=LATER + timedelta(hours=2),
                forced=True,
                forced_reason="deadline today",
            ),
        ]
        draft = make_draft(sent_at=LATER, title="Sorry note", created_at=NOW, sent_version=2)
        draft.versions.append(
            DraftVersion(
                number=2,
                text="I'm sorry I let you down — ça ne se reproduira pas.",
                created_at=LATER,
                coach_report={"score": 0.8, "findings": [{"kind": "blame", "span": [0, 3]}]},
            )
        )
        repair.drafts.append(draft)
        uow.session.add(repair)
        uow.session.flush()
        weekly = make_commitment(
            id=None,
            description="Friday status update",
            due_at=NOW,
            recurrence="FREQ=WEEKLY;BYDAY=FR",
            ends_at=NOW + timedelta(days=60),
            source_draft_id=draft.id,
            occurrences=[
                make_occurrence(
                    NOW + timedelta(days=4),
                    OccurrenceStatus.KEPT,
                    recorded_at=LATER,
                    note="on time",
                ),
                make_occurrence(NOW + timedelta(days=11)),
            ],
        )
        repair.commitments += [
            weekly,
            make_commitment(id=None, owner=Party.THEM, due_at=None, active=False),
        ]
        repair.check_ins += [
            make_check_in(LATER, cadence_days=14),
            make_check_in(NOW, completed_at=NOW, outcome="good", note="lighter mood"),
        ]
        repair.common_ground.append(make_common_ground(text="A calm launch"))
        repair.initiatives.append(make_initiative())
        repair.agreements.append(
            make_agreement(
                created_at=LATER,
                response_time="same day",
                tasks=[
                    {"owner": "me", "task": "status update"},
                    {"owner": "them", "task": "review"},
                ],
                raising_problems="Say it early, in private.",
            )
        )
        uow.commit()
        repair_id = repair.id
        occurrence_id = weekly.occurrences[0].id
    _their_side(app, repair_id, occurrence_id)


def _their_side(app: App, repair_id: int, occurrence_id: int) -> None:
    """The other person invited in, with their view, a verdict and a pulse."""
    made = invitations.create(
        app.uow(), repair_id, shared_title="The launch · 締め切り", their_name="Ana", now=NOW
    )
    session = invitations.accept(app.uow(), made.token, now=NOW)
    guest = invitations.guest(app.uow, session, now=NOW)
    assert guest is not None
    shared.give_view(app.uow(), guest, text="I heard it from the client — awkward.", now=NOW)
    shared.give_verdict(app.uow(), guest, occurrence_id, verdict="late", note="Monday", now=NOW)
    shared.give_pulse(app.uow(), guest, score=3, note="Better than last month.", now=NOW)
    signing.their_comment(app.uow(), guest, text="Could we say Tuesdays?", now=NOW)
    signing.comment(app.uow(), repair_id, text="Tuesdays suit me.", now=NOW)
    signing.their_sign(app.uow(), guest, now=NOW)
    signing.sign(app.uow(), repair_id, now=NOW, name="Ana")


def export(app: App) -> dict[str, Any]:
    return export_all(app.uow(write=False), now=NOW)


def without_stamp(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "exported_at"}


def test_export_has_header_and_every_table(source: dict[str, Any]) -> None:
    assert source["format"] == FORMAT
    assert source["schema_version"] == SCHEMA_VERSION
    assert source["exported_at"] == "2024-05-06T09:30:00+00:00"
    for table in TABLES:
        assert source[table.name], f"populate() left {table.name} empty"
    interaction = source["interactions"][0]
    assert interaction["occurred_at"] == "2024-05-06T09:30:00+00:00"
    assert interaction["kind"] == "meeting"
    assert interaction["replied"] is None
    assert source["repairs"][0]["occurred_on"] == "2024-04-30"
    assert source["draft_versions"][1]["coach_report"]["findings"][0]["span"] == [0, 3]


def test_an_export_from_before_invitations_still_imports(app: App, source: dict[str, Any]) -> None:
    """A schema 1 file has no invitations nor words of the other person: it imports whole."""
    old = {k: v for k, v in source.items() if k not in ADDED_IN_2}
    old["schema_version"] = 1
    summary = import_all(app.uow(), old)
    assert all(summary.counts[name] == 0 for name in ADDED_IN_2)
    mine = {k: v for k, v in export(app).items() if k not in ADDED_IN_2}
    theirs = {k: v for k, v in source.items() if k not in ADDED_IN_2}
    assert without_stamp(mine) == without_stamp(theirs)


ADDED_IN_2 = frozenset(
    {
        "invitations",
        "their_views",
        "their_verdicts",
        "their_pulses",
        "agreement_comments",
        "agreement_signatures",
    }
)


def test_round_trip_into_empty_database_is_identical(
    app: App, source: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    target = app

    summary = import_all(target.uow(), load_export_file(path))

    assert summary.ids_kept
    assert summary.counts == {t.name: len(source[t.name]) for t in TABLES}
    assert without_stamp(export(target)) == without_stamp(source)


def test_import_into_non_empty_database_shifts_ids_and_keeps_links(
    app: App, source: dict[str, Any]
) -> None:
    target = app
    populate(target, name="Bea")
    before = export(target)

    summary = import_all(target.uow(), source)

    assert not summary.ids_kept
    after = export(target)
    for table in TABLES:
        name = table.name
        assert after[name][: len(before[name])] == before[name], "existing rows changed"
        added = after[name][len(before[name]) :]
        assert len(added) == len(source[name])
        offset = summary.id_offsets[name]
        assert [row["id"] for row in added] == [row["id"] + offset for row in source[name]]
    with target.uow(write=False) as uow:
        names = {p.name: p for p in uow.people.list()}
        imported = uow.repairs.for_person(names["Ana Souza ✨"].id or 0)
        assert [r.title for r in imported] == ["Missed the launch deadline · 締め切り"]
        repair = imported[0]
        assert repair.drafts[0].current.text.startswith("I'm sorry")
        weekly = repair.commitments[0]
        assert weekly.source_draft_id == repair.drafts[0].id
        assert [o.status for o in weekly.occurrences] == [
            OccurrenceStatus.KEPT,
            OccurrenceStatus.PENDING,
        ]
        assert repair.agreement is not None and repair.agreement.tasks[1]["owner"] == "them"
    # New rows still get fresh ids after an import.
    populate(target, name="Caro")
    assert len(export(target)["people"]) == 3


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


BAD_FILES = [
    ("wrong format", _set(("format",), "other-app"), r"not a Mend export.*'other-app'"),
    (
        "newer schema",
        _set(("schema_version",), SCHEMA_VERSION + 1),
        rf"newer Mend \(schema {SCHEMA_VERSION + 1}\); upgrade Mend to import it",
    ),
    ("schema as text", _set(("schema_version",), "1"), r"schema_version is '1', not a whole"),
    ("missing table", _delete(("occurrences",)), r"no 'occurrences' list"),
    ("table not a list", _set(("steps",), {}), r"'steps' is an object, not a list"),
    ("row not an object", _set(("people", 0), "Ana"), r"people\[0\] is 'Ana', not an object"),
    (
        "bad enum",
        _set(("interactions", 1, "kind"), "chat"),
        r"interactions\[1\]\.kind is 'chat', which is not one of: meeting, email",
    ),
    (
        "bad foreign key",
        _set(("occurrences", 0, "commitment_id"), 999),
        r"occurrences\[0\]\.commitment_id is 999, but there is no commitments row",
    ),
    (
        "too long",
        _set(("people", 0, "name"), "x" * 201),
        r"people\[0\]\.name is 201 characters long; the most it can hold is 200",
    ),
    (
        "wrong type",
        _set(("repairs", 0, "severity"), "high"),
        r"repairs\[0\]\.severity must be a whole number, not 'high'",
    ),
    ("bool as int", _set(("check_ins", 0, "cancelled"), 0), r"cancelled must be true or false"),
    (
        "naive datetime",
        _set(("repairs", 0, "opened_at"), "2024-05-06T09:30:00"),
        r"opened_at is '2024-05-06T09:30:00', which has no UTC offset",
    ),
    ("bad date", _set(("agreements", 0, "review_on"), "July"), r"review_on is 'July'"),
    ("null", _set(("interactions", 0, "tension"), None), r"tension is null but must have"),
    ("missing field", _delete(("people", 0, "name")), r"people\[0\]\.name is missing"),
    ("unknown field", _set(("people", 0, "mood"), "ok"), r"people\[0\]\.mood is not a field"),
    ("json shape", _set(("steps", 0, "answers"), ["x"]), r"answers must be an object"),
    (
        "duplicate id",
        lambda d: d["common_ground"].append(dict(d["common_ground"][0])),
        r"common_ground\[1\]\.id repeats the id of common_ground\[0\]",
    ),
    (
        "duplicate unique",
        _set(("draft_versions", 1, "number"), 1),
        r"draft_versions\[1\]\.number repeats the draft_id and number",
    ),
    ("id below one", _set(("people", 0, "id"), 0), r"people\[0\]\.id is not valid: .* got 0"),
    # What the security review imported and what broke pages afterwards (issue 7):
    (
        "id above 32 bits",
        _set(("people", 0, "id"), 2**31),
        r"people\[0\]\.id is not valid: .*2,147,483,647",
    ),
    (
        "answers that are not text",
        _set(("steps", 0, "answers"), {"how_it_felt": 5}),
        r"steps\[0\]\.answers is not valid: Every answer must be text",
    ),
    (
        "a commitment starting in year 1",
        _set(("commitments", 0, "due_at"), "0001-01-08T09:00:00+00:00"),
        r"commitments\[0\]\.due_at is not valid: .*between the years 1900 and 2999",
    ),
    (
        "a time before year 1 in UTC",
        _set(("repairs", 0, "opened_at"), "0001-01-01T00:00:00+14:00"),
        r"repairs\[0\]\.opened_at is .*outside the years",
    ),
    ("cadence of 0", _set(("check_ins", 0, "cadence_days"), 0), r"cadence_days is not valid"),
    ("negative cadence", _set(("check_ins", 0, "cadence_days"), -7), r"from 1 to 365 days"),
    ("severity 99", _set(("repairs", 0, "severity"), 99), r"severity is not valid: .*1 .*5"),
    (
        "a title over two lines",
        _set(("repairs", 0, "title"), "Late\r\n# Injected heading"),
        r"repairs\[0\]\.title is not valid: .*one line",
    ),
    (
        "a control character in a note",
        _set(("people", 0, "notes"), "bell \x07"),
        r"people\[0\]\.notes is not valid: .*control character",
    ),
    (
        "a recurrence Mend cannot read",
        _set(("commitments", 0, "recurrence"), "FREQ=SECONDLY"),
        r"commitments\[0\]\.recurrence is not valid",
    ),
    (
        "tasks of another shape",
        _set(("agreements", 0, "tasks"), [{"who": "me"}]),
        r"agreements\[0\]\.tasks is not valid",
    ),
    ("an unknown initiative status", _set(("initiatives", 0, "status"), "??"), r"status"),
    ("a draft over the limit", _set(("draft_versions", 0, "text"), "x" * 50_001), r"50,000"),
]


@pytest.mark.parametrize(
    ("change", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_bad_import_is_refused_and_writes_nothing(
    app: App,
    source: dict[str, Any],
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    target = app
    populate(target, name="Bea")
    before = export(target)
    data = copy.deepcopy(source)
    change(data)

    with pytest.raises(ImportFailed) as caught:
        import_all(target.uow(), data)

    assert caught.value.code == "import_failed"
    assert "\n" not in caught.value.message
    assert re.search(message, caught.value.message), caught.value.message
    assert export(target) == before


def test_ids_pushed_past_32_bits_by_the_shift_are_refused(app: App, source: dict[str, Any]) -> None:
    """Into a database that holds rows, ids move past its largest; never past 2**31 - 1."""
    populate(app, name="Bea")
    before = export(app)
    data = copy.deepcopy(source)
    data["people"][0]["id"] = 2**31 - 1
    data["repairs"][0]["person_id"] = 2**31 - 1
    with pytest.raises(ImportFailed, match=r"people ids up to .* empty database"):
        import_all(app.uow(), data)
    assert export(app) == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[" * 10_000 + "]" * 10_000, r"nested too deeply"),
        ('{"format": ' + "9" * 5_000 + "}", r"a value Mend cannot read"),
    ],
    ids=["nested 10,000 levels", "a 5,000-digit number"],
)
def test_files_that_crashed_the_reader_get_one_clear_line(raw: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message) as caught:
        load_export_file(raw.encode())
    assert "\n" not in caught.value.message


def test_a_repeating_promise_started_long_ago_fills_in_only_its_last_year(
    app: App, source: dict[str, Any]
) -> None:
    """A start date decades back (1900 is allowed) must not make pages list every week since."""
    from mend.services import commitments as commitment_service
    from mend.services.repairs import get_repair

    data = copy.deepcopy(source)
    for row in data["commitments"]:
        row.update(due_at="1900-01-05T09:00:00+00:00", recurrence="FREQ=DAILY", active=True)
        row.update(created_at="1900-01-01T09:00:00+00:00", ends_at=None)
    import_all(app.uow(), data)
    repair_id = data["repairs"][0]["id"]
    commitment_id = data["commitments"][0]["id"]
    commitment_service.record_outcome(
        app.uow(), repair_id, commitment_id, status="kept", now=LATER + timedelta(hours=1)
    )
    repair = get_repair(app.uow(write=False), repair_id)
    [commitment] = [c for c in repair.commitments if c.id == commitment_id]
    assert len(commitment.occurrences) <= 370, len(commitment.occurrences)


def test_corrupt_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"format": "mend-export",\n "people": [', encoding="utf-8")
    expected = r"not valid JSON \(line 2, column 13: .*export it again"
    with pytest.raises(ImportFailed, match=expected):
        load_export_file(path)


@pytest.mark.parametrize(
    ("source_text", "message"),
    [
        ("[1, 2]", r"holds a list, not a Mend export"),
        ('{"a": 1', r"not valid JSON \(line 1, column 8"),
    ],
)
def test_text_that_is_not_an_export(source_text: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        load_export_file(source_text)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"Cannot read the import file .*missing\.json"):
        load_export_file(tmp_path / "missing.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ImportFailed, match="not UTF-8"):
        load_export_file(binary)


def test_reference_to_a_deleted_draft_is_cleared_when_ids_move(
    app: App, source: dict[str, Any]
) -> None:
    """source_draft_id has no foreign key: a draft deleted since may leave it dangling."""
    source["commitments"][0]["source_draft_id"] = 999
    populate(app, name="Bea")

    summary = import_all(app.uow(), source)

    imported = export(app)["commitments"][len(source["commitments"]) :]
    assert summary.id_offsets["drafts"] > 0
    assert imported[0]["source_draft_id"] is None
