"""What the funding service does with other services' events: it learns the settings registry,
a phase transfer opens a re-application for a child with High Needs Funding, and a child moving
or leaving an early years setting ends the SENIF award there (SENIF does not transfer)."""

from __future__ import annotations

from funding.adapters import FundingStore, KnownSetting
from funding.domain.senif_award import ChildLeftSetting, ChildMovedSetting
from funding.handlers.senif import end_senif_awards
from inclusion_shared.contracts.funding import REAPPLICATION_OPENED, ReapplicationOpened
from inclusion_shared.contracts.placements import (
    PLACEMENT_ENDED,
    PLACEMENT_STARTED,
    SETTING_REGISTERED,
    PlacementEnded,
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
    moved_from = data.previous_setting_id
    if moved_from is not None and moved_from != data.setting_id:
        moved = ChildMovedSetting(
            child_id=data.child_id,
            from_setting_id=moved_from,
            to_setting_id=data.setting_id,
            on=data.starts_on,
        )
        await end_senif_awards(work, moved, event.id)
    if data.transfer is not None and data.transfer in REAPPLY_ON:
        await _open_reapplication(work, event, data, data.transfer)


async def placement_ended(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    assert isinstance(data, PlacementEnded)
    if data.left_early_years:
        left = ChildLeftSetting(child_id=data.child_id, setting_id=data.setting_id, on=data.ends_on)
        await end_senif_awards(work, left, event.id)


async def _open_reapplication(
    work: UnitOfWork, event: CloudEvent, data: PlacementStarted, transfer: str
) -> None:
    store = FundingStore(work.connection)
    previous = await store.approved_hnf_of_child(data.child_id)
    if previous is None:
        return
    await store.add_reapplication(data.child_id, previous, transfer, data.setting_id, event.id)
    work.emit(
        REAPPLICATION_OPENED.type,
        previous,
        ReapplicationOpened(
            child_id=data.child_id,
            previous_application_id=previous,
            transfer=transfer,
            new_setting_id=data.setting_id,
        ),
    )


def subscribe(consumer: InboxConsumer) -> None:
    consumer.on(SETTING_REGISTERED.type)(setting_registered)
    consumer.on(PLACEMENT_STARTED.type)(placement_started)
    consumer.on(PLACEMENT_ENDED.type)(placement_ended)
