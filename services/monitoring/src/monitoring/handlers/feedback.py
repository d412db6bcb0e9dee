"""Feedback events: responses with their voice and place, whether they count (accepted, tagged;
or withdrawn, withheld, routed to complaints), the themes moderators tag, and the status of each
"You said, we did" action."""

from __future__ import annotations

from inclusion_shared.contracts.feedback import (
    ActionPublished,
    ActionUpdated,
    ResponseReceived,
    ResponseRoutedToComplaints,
    ResponseTagged,
    ResponseWithdrawn,
    ResponseWithheld,
)
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from monitoring.adapters.model import MonitoringModel


async def response_received(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ResponseReceived)
    await MonitoringModel(work.connection).response_received(
        data.response_id,
        data.voice,
        data.district.value,
        data.area.value,
        data.community_of_schools,
        data.received_on,
        accepted=data.status == "accepted",
        excluded=data.status == "routed_to_complaints",
    )


async def response_tagged(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ResponseTagged)
    await MonitoringModel(work.connection).response_tagged(
        data.response_id, data.themes, event.chainseq
    )


async def response_excluded(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    """Withdrawn, withheld as abusive, or routed to complaints: never counted again."""
    assert isinstance(data, ResponseWithdrawn | ResponseWithheld | ResponseRoutedToComplaints)
    await MonitoringModel(work.connection).response_excluded(data.response_id)


async def action_published(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ActionPublished)
    await MonitoringModel(work.connection).you_said_we_did(
        data.action_id, data.status, data.published_on, event.chainseq
    )


async def action_updated(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, ActionUpdated)
    await MonitoringModel(work.connection).you_said_we_did(
        data.action_id, data.status, None, event.chainseq
    )
