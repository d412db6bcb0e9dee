"""Funding events: applications, decisions with their time to decision, budgets and the money
committed against them, challenges and how they were resolved."""

from __future__ import annotations

from inclusion_shared.contracts.funding import (
    AllocationCommitted,
    AllocationReleased,
    ApplicationSubmitted,
    BudgetSet,
    ChallengeLodged,
    ChallengeResolved,
    DecisionRecorded,
)
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.kent import AREA_OF
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from monitoring.adapters.model import MonitoringModel


async def application_submitted(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ApplicationSubmitted)
    await MonitoringModel(work.connection).application(
        data.application_id,
        data.scheme,
        data.setting_id,
        data.district.value,
        data.area.value,
        data.submitted_on,
    )


async def decision_recorded(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, DecisionRecorded)
    await MonitoringModel(work.connection).decision(
        data.decision_id,
        data.scheme,
        data.setting_id,
        data.district.value,
        data.area.value,
        data.outcome,
        data.decided_on,
        data.days_to_decision,
        data.target_breached,
    )


async def budget_set(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, BudgetSet)
    await MonitoringModel(work.connection).budget(
        data.area.value, data.financial_year, data.annual_amount_pence, event.chainseq
    )


async def allocation_committed(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, AllocationCommitted)
    await MonitoringModel(work.connection).commitment(
        data.commitment_id, data.area.value, data.financial_year, data.amount_pence
    )


async def allocation_released(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, AllocationReleased)
    await MonitoringModel(work.connection).release(
        event.id, data.commitment_id, data.area.value, data.financial_year, data.amount_pence
    )


async def challenge_lodged(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ChallengeLodged)
    # The contract carries no date of lodging: the event's own time is when it was lodged.
    await MonitoringModel(work.connection).challenge_lodged(
        data.challenge_id,
        data.decision_id,
        data.district.value,
        AREA_OF[data.district].value,
        event.time.date(),
    )


async def challenge_resolved(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ChallengeResolved)
    await MonitoringModel(work.connection).challenge_resolved(
        data.challenge_id, data.decision_id, data.result
    )
