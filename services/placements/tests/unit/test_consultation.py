"""Consultations: the nearest mainstream school always consulted; 15 days to reply."""

from datetime import date

import pytest

from placements.domain.clocks import ClockStatus, read_clock
from placements.domain.consultation import (
    Answer,
    Consultation,
    Reply,
    consult,
    consultation_clock,
    record_reply,
    reply_due_on,
)
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.registry import SettingRegistry
from placements.domain.request import PlacementRequest
from placements.domain.setting import ProvisionType
from placements.domain.timescales import Timescales

SENT_ON = date(2026, 10, 2)  # a Friday


def _consulted(consultations: tuple[Consultation, ...]) -> list[tuple[str, bool]]:
    return [(c.setting_id, c.nearest_mainstream) for c in consultations]


def test_the_nearest_mainstream_school_is_consulted_even_when_the_family_did_not_name_it(
    placement_request: PlacementRequest, registry: SettingRegistry
) -> None:
    consultations = consult(placement_request, registry, "mainstream-0201", SENT_ON)
    assert _consulted(consultations) == [
        ("special-0401", False),
        ("srp-0301", False),
        ("mainstream-0201", True),
    ]
    assert [c.provision for c in consultations] == [
        ProvisionType.SPECIAL,
        ProvisionType.SRP,
        ProvisionType.MAINSTREAM,
    ]


def test_the_nearest_mainstream_school_named_by_the_family_is_consulted_once(
    placement_request: PlacementRequest, registry: SettingRegistry
) -> None:
    preferring = placement_request.evolve(preferences=("mainstream-0201", "srp-0301"))
    consultations = consult(preferring, registry, "mainstream-0201", SENT_ON)
    assert _consulted(consultations) == [("mainstream-0201", True), ("srp-0301", False)]


def test_a_family_with_no_preference_still_has_the_nearest_mainstream_consulted(
    placement_request: PlacementRequest, registry: SettingRegistry
) -> None:
    consultations = consult(
        placement_request.evolve(preferences=()), registry, "mainstream-0201", SENT_ON
    )
    assert _consulted(consultations) == [("mainstream-0201", True)]


@pytest.mark.parametrize(
    ("nearest", "code"),
    [
        ("srp-0301", RefusalCode.NEAREST_IS_NOT_MAINSTREAM),
        ("mainstream-0101", RefusalCode.YEAR_GROUP_NOT_TAKEN),
        ("mainstream-9999", RefusalCode.UNKNOWN_SETTING),
    ],
    ids=["an_srp", "a_primary_for_a_year_7_child", "unregistered"],
)
def test_the_nearest_mainstream_school_must_be_a_suitable_mainstream_school(
    placement_request: PlacementRequest, registry: SettingRegistry, nearest: str, code: RefusalCode
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        consult(placement_request, registry, nearest, SENT_ON)
    assert refused.value.code is code


def test_an_unregistered_preference_is_refused(
    placement_request: PlacementRequest, registry: SettingRegistry
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        consult(
            placement_request.evolve(preferences=("special-9999",)),
            registry,
            "mainstream-0201",
            SENT_ON,
        )
    assert refused.value.code is RefusalCode.UNKNOWN_SETTING


def test_consulting_before_the_request_arrived_is_refused(
    placement_request: PlacementRequest, registry: SettingRegistry
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        consult(placement_request, registry, "mainstream-0201", date(2026, 9, 30))
    assert refused.value.code is RefusalCode.CONSULTED_BEFORE_REQUEST


@pytest.fixture
def consultation(placement_request: PlacementRequest, registry: SettingRegistry) -> Consultation:
    return consult(placement_request, registry, "mainstream-0201", SENT_ON)[1]


def test_the_reply_is_due_15_calendar_days_on_weekends_included(
    consultation: Consultation, timescales: Timescales
) -> None:
    due = reply_due_on(consultation, timescales)
    assert due == date(2026, 10, 17)
    assert due.strftime("%A") == "Saturday"


def test_the_reply_period_is_data_in_the_timescales(
    consultation: Consultation, timescales: Timescales
) -> None:
    shorter = timescales.evolve(version="test-10-days", consultation_reply_days=10)
    assert reply_due_on(consultation, shorter) == date(2026, 10, 12)
    assert consultation_clock(consultation, shorter).timescales_version == "test-10-days"


@pytest.mark.parametrize(
    ("replied_on", "status"),
    [
        (date(2026, 10, 2), ClockStatus.MET),
        (date(2026, 10, 17), ClockStatus.MET),
        (date(2026, 10, 18), ClockStatus.MET_LATE),
    ],
    ids=["same_day", "day_15", "day_16"],
)
def test_a_reply_on_day_15_is_on_time_and_on_day_16_late(
    consultation: Consultation, timescales: Timescales, replied_on: date, status: ClockStatus
) -> None:
    replied = record_reply(consultation, Reply(on=replied_on, answer=Answer.ACCEPT))
    reading = read_clock(consultation_clock(replied, timescales), date(2026, 11, 1))
    assert reading.status is status


@pytest.mark.parametrize(
    ("now", "status"),
    [(date(2026, 10, 17), ClockStatus.RUNNING), (date(2026, 10, 18), ClockStatus.BREACHED)],
    ids=["day_15", "day_16"],
)
def test_no_reply_is_overdue_from_day_16(
    consultation: Consultation, timescales: Timescales, now: date, status: ClockStatus
) -> None:
    clock = consultation_clock(consultation, timescales)
    assert clock.party_id == "srp-0301"
    assert read_clock(clock, now).status is status


def test_a_decline_without_a_reason_code_is_refused(consultation: Consultation) -> None:
    with pytest.raises(DecisionRefused) as refused:
        record_reply(consultation, Reply(on=date(2026, 10, 9), answer=Answer.DECLINE))
    assert refused.value.code is RefusalCode.DECLINE_WITHOUT_REASON


def test_a_decline_with_a_reason_code_is_recorded(consultation: Consultation) -> None:
    reply = Reply(on=date(2026, 10, 9), answer=Answer.DECLINE, reason="srp_places_full")
    assert record_reply(consultation, reply).reply == reply


def test_a_setting_replies_once(consultation: Consultation) -> None:
    replied = record_reply(consultation, Reply(on=date(2026, 10, 9), answer=Answer.ACCEPT))
    with pytest.raises(DecisionRefused) as refused:
        record_reply(replied, Reply(on=date(2026, 10, 10), answer=Answer.ACCEPT))
    assert refused.value.code is RefusalCode.ALREADY_REPLIED


def test_a_reply_before_the_consultation_is_refused(consultation: Consultation) -> None:
    with pytest.raises(DecisionRefused) as refused:
        record_reply(consultation, Reply(on=date(2026, 10, 1), answer=Answer.ACCEPT))
    assert refused.value.code is RefusalCode.REPLY_BEFORE_CONSULTATION
