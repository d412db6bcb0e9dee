"""What the feedback service does with other services' events: it learns each setting's Community
of Schools, and invites views — a family some weeks after a placement starts, a SENCO after a
final funding decision, a school after its peer review's follow-up. Each invitation names the
event that caused it (its causation id) and is issued once per cause."""

from __future__ import annotations

from feedback.adapters import FeedbackStore, KnownSetting
from feedback.domain.invitations import (
    InvitationPolicy,
    invite_family,
    invite_school,
    invite_senco,
)
from feedback.domain.values import Place
from feedback.handlers.invitations import issue
from inclusion_shared.contracts.funding import DECISION_RECORDED, DecisionRecorded
from inclusion_shared.contracts.placements import (
    PLACEMENT_STARTED,
    SETTING_REGISTERED,
    PlacementStarted,
    SettingRegistered,
)
from inclusion_shared.contracts.reviews import FOLLOW_UP_COMPLETED, FollowUpCompleted
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.kent import District
from inclusion_shared.messaging.consumer import InboxConsumer
from inclusion_shared.persistence.unit_of_work import UnitOfWork


async def setting_registered(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, SettingRegistered)
    await FeedbackStore(work.connection).register_setting(
        KnownSetting(data.setting_id, data.district, data.area, data.community_of_schools)
    )


async def _place(
    work: UnitOfWork, setting_id: str, district: District, community: str | None
) -> Place:
    """Where an invitation belongs: the event's district, and the setting's Community of
    Schools from the event or, failing that, from the settings registry."""
    if community is None:
        community = await FeedbackStore(work.connection).community_of(setting_id)
    return Place.of(district, community)


class Invitations:
    """The handlers that turn other services' events into invitations, under one policy."""

    def __init__(self, policy: InvitationPolicy) -> None:
        self.policy = policy

    async def placement_started(self, work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
        assert isinstance(data, PlacementStarted)
        invitation = invite_family(
            placement_id=data.placement_id,
            child_id=data.child_id,
            setting_id=data.setting_id,
            phase=data.phase,
            place=await _place(work, data.setting_id, data.district, None),
            starts_on=data.starts_on,
            issued_on=event.time.date(),
            policy=self.policy,
        )
        await issue(work, invitation, event.id)

    async def decision_recorded(self, work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
        assert isinstance(data, DecisionRecorded)
        invitation = invite_senco(
            decision_id=data.decision_id,
            outcome=data.outcome,
            setting_id=data.setting_id,
            place=await _place(work, data.setting_id, data.district, None),
            decided_on=data.decided_on,
            issued_on=event.time.date(),
            policy=self.policy,
        )
        if invitation is not None:
            await issue(work, invitation, event.id)

    async def follow_up_completed(
        self, work: UnitOfWork, event: CloudEvent, data: EventData
    ) -> None:
        assert isinstance(data, FollowUpCompleted)
        invitation = invite_school(
            review_id=data.review_id,
            setting_id=data.setting_id,
            place=await _place(work, data.setting_id, data.district, data.community_of_schools),
            completed_on=data.completed_on,
            issued_on=event.time.date(),
            policy=self.policy,
        )
        await issue(work, invitation, event.id)


def subscribe(consumer: InboxConsumer, policy: InvitationPolicy) -> None:
    invitations = Invitations(policy)
    consumer.on(SETTING_REGISTERED.type)(setting_registered)
    consumer.on(PLACEMENT_STARTED.type)(invitations.placement_started)
    consumer.on(DECISION_RECORDED.type)(invitations.decision_recorded)
    consumer.on(FOLLOW_UP_COMPLETED.type)(invitations.follow_up_completed)
