"""What the funding service does with other services' events: it learns the settings registry,
and a phase transfer opens a re-application for a child with High Needs Funding."""

from __future__ import annotations

from funding.adapters import FundingStore, KnownSetting
from inclusion_shared.contracts.funding import REAPPLICATION_OPENED, ReapplicationOpened
from inclusion_shared.contracts.placements import (
    PLACEMENT_STARTED,
    SETTING_REGISTERED,
    PlacementStarted,
    SettingRegistered,
)
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.messaging.consumer import InboxConsumer
from inclusion_shared.persistence.unit_of_work import UnitOfWork

# Kent asks schools to re-apply for HNF when a pupil moves primary to secondary or into post-16.
REAPPLY_ON = {"primary-to-secondary", "pre-16-to-post-16"}


async def setting_registered(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, SettingRegistered)
    await FundingStore(work.connection).register_setting(
        KnownSetting(data.setting_id, data.setting_type, data.district, data.area)
    )


async def placement_started(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, PlacementStarted)
    if data.transfer not in REAPPLY_ON:
        return
    store = FundingStore(work.connection)
    previous = await store.approved_hnf_of_child(data.child_id)
    if previous is None:
        return
    await store.add_reapplication(data.child_id, previous, data.transfer, data.setting_id, event.id)
    work.emit(
        REAPPLICATION_OPENED.type,
        previous,
        ReapplicationOpened(
            child_id=data.child_id,
            previous_application_id=previous,
            transfer=data.transfer,
            new_setting_id=data.setting_id,
        ),
    )


def subscribe(consumer: InboxConsumer) -> None:
    consumer.on(SETTING_REGISTERED.type)(setting_registered)
    consumer.on(PLACEMENT_STARTED.type)(placement_started)
