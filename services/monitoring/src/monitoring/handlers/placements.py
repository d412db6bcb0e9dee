"""Placement events: the settings registry and capacity, requests, consultations and their
15-day replies, placements and moves, the transfer clocks placements warns of or reports
breached, with amended plans and allowed exceptions, and EHC needs assessments' requests and
final plans."""

from __future__ import annotations

from inclusion_shared.contracts.placements import (
    AmendedPlanIssued,
    AssessmentStepRecorded,
    CapacitySet,
    ClockExceptionRecorded,
    ConsultationAnswered,
    ConsultationOverdue,
    ConsultationSent,
    DeadlineBreached,
    DeadlineWarning,
    PlacementRequested,
    PlacementStarted,
    SettingRegistered,
)
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from monitoring.adapters.model import MonitoringModel

TRANSFER_CLOCKS = frozenset({"school_transfer", "secondary_to_post_16", "post_16_move"})
"""The clocks an amended plan naming the next placement stops: the transfer deadlines."""


async def setting_registered(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, SettingRegistered)
    await MonitoringModel(work.connection).setting(
        data.setting_id,
        data.setting_type,
        data.district.value,
        data.area.value,
        data.community_of_schools,
        data.designation,
        event.chainseq,
        data.community_name,
    )


async def capacity_set(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, CapacitySet)
    places = data.total_places if data.designated_places is None else data.designated_places
    await MonitoringModel(work.connection).capacity(
        data.setting_id,
        data.academic_year,
        data.setting_type,
        data.district.value,
        data.area.value,
        places,
        event.chainseq,
    )


async def placement_requested(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, PlacementRequested)
    await MonitoringModel(work.connection).request(
        data.request_id,
        data.district.value,
        data.area.value,
        data.academic_year,
        data.need_type,
        data.provision_sought,
        data.received_on,
    )


async def consultation_sent(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ConsultationSent)
    await MonitoringModel(work.connection).consultation_sent(
        data.consultation_id, data.request_id, data.setting_id, data.sent_on
    )


async def consultation_answered(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ConsultationAnswered)
    await MonitoringModel(work.connection).consultation_answered(
        data.consultation_id, data.request_id, data.setting_id, data.answered_on, data.on_time
    )


async def consultation_overdue(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ConsultationOverdue)
    await MonitoringModel(work.connection).consultation_overdue(
        data.consultation_id, data.request_id, data.setting_id
    )


async def placement_started(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, PlacementStarted)
    await MonitoringModel(work.connection).placement(
        data.placement_id,
        data.setting_id,
        data.district.value,
        data.area.value,
        data.starts_on,
        data.transfer,
        moved=data.previous_setting_id is not None or data.transfer is not None,
    )


async def deadline_warning(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, DeadlineWarning)
    if data.clock in TRANSFER_CLOCKS:
        await MonitoringModel(work.connection).transfer_clock(
            data.subject_id, data.clock, data.due_on, breached=False
        )


async def deadline_breached(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, DeadlineBreached)
    if data.clock in TRANSFER_CLOCKS:
        await MonitoringModel(work.connection).transfer_clock(
            data.subject_id, data.clock, data.due_on, breached=True
        )


async def amended_plan_issued(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, AmendedPlanIssued)
    await MonitoringModel(work.connection).amended_plan(data.placement_id, data.issued_on)


async def clock_exception_recorded(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ClockExceptionRecorded)
    await MonitoringModel(work.connection).clock_exception(
        data.exception_id, data.subject_id, data.clock
    )


async def assessment_step_recorded(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, AssessmentStepRecorded)
    await MonitoringModel(work.connection).assessment_step(
        data.assessment_id, data.district.value, data.area.value, data.step, data.on
    )
