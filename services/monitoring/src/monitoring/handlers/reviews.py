"""Peer-review events: cycles opened, reviews scheduled and followed up, actions agreed,
completed and overdue, and the areas of review that reports name (never what they say)."""

from __future__ import annotations

from inclusion_shared.contracts.reviews import (
    ActionAgreed,
    ActionCompleted,
    ActionOverdue,
    CycleOpened,
    FollowUpCompleted,
    ReportIssued,
    ReviewScheduled,
)
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from monitoring.adapters.model import MonitoringModel


async def cycle_opened(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, CycleOpened)
    await MonitoringModel(work.connection).cycle(
        data.cycle_id,
        data.community_of_schools,
        data.district.value,
        data.area.value,
        data.opened_on,
    )


async def review_scheduled(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ReviewScheduled)
    await MonitoringModel(work.connection).review_scheduled(
        data.review_id,
        data.cycle_id,
        data.setting_id,
        data.district.value,
        data.area.value,
        data.community_of_schools,
        data.scheduled_on,
    )


async def follow_up_completed(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, FollowUpCompleted)
    await MonitoringModel(work.connection).review_followed_up(data.review_id, data.completed_on)


async def action_agreed(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ActionAgreed)
    await MonitoringModel(work.connection).action_agreed(
        data.review_id,
        data.item_id,
        data.district.value,
        data.area.value,
        data.review_area,
        data.agreed_on,
    )


async def action_completed(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ActionCompleted)
    await MonitoringModel(work.connection).action_completed(
        data.review_id,
        data.item_id,
        data.district.value,
        data.area.value,
        data.review_area,
        data.completed_on,
        data.late,
    )


async def action_overdue(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ActionOverdue)
    await MonitoringModel(work.connection).action_overdue(
        data.review_id, data.item_id, data.district.value, data.area.value, data.review_area
    )


async def report_issued(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ReportIssued)
    await MonitoringModel(work.connection).report(
        data.review_id,
        data.district.value,
        data.area.value,
        data.issued_on,
        data.strength_areas,
        data.development_areas,
    )
