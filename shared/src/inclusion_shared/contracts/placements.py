"""Placement events: the suite's most-read contract. Funding, feedback, monitoring and outside
services subscribe to them. Pseudonymous ids and coarse codes only."""

from __future__ import annotations

from datetime import date
from typing import Literal

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.kent import Area, District

PLACEMENT = topic_named("placements.placement.v1")
SETTING = topic_named("placements.setting.v1")

SettingType = Literal["mainstream", "srp", "special", "pru", "early-years", "portage"]
Phase = Literal["early-years", "primary", "secondary", "post-16"]
TransferKind = Literal[
    "early-years-to-reception",
    "infant-to-junior",
    "primary-to-secondary",
    "pre-16-to-post-16",
    "post-16-to-post-16",
]


class SettingRegistered(EventData):
    """A setting joined the registry (or its details changed): type, place, designation."""

    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    community_of_schools: str | None = None
    designation: tuple[str, ...] = ()
    lowest_year: int | None = None
    highest_year: int | None = None


class PlacementStarted(EventData):
    """A child started at a setting. ``transfer`` names a phase transfer, which re-opens
    funding applications; ``previous_setting_id`` and ``move_reason`` describe a move."""

    placement_id: str
    child_id: str
    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    phase: Phase
    year_group: int | None = None
    starts_on: date
    transfer: TransferKind | None = None
    previous_setting_id: str | None = None
    move_reason: str | None = None


class PlacementEnded(EventData):
    """A child's placement at a setting ended, with a reason code. ``left_early_years`` marks a
    child leaving an early years setting, which ends any SENIF award there."""

    placement_id: str
    child_id: str
    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    ends_on: date
    reason: str
    left_early_years: bool = False


SETTING_REGISTERED = CONTRACTS.register("placements.setting.registered", SETTING, SettingRegistered)
PLACEMENT_STARTED = CONTRACTS.register("placements.placement.started", PLACEMENT, PlacementStarted)
PLACEMENT_ENDED = CONTRACTS.register("placements.placement.ended", PLACEMENT, PlacementEnded)
