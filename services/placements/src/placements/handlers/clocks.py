"""Statutory clocks computed from the recorded facts and a day: consultation replies, phase
transfer and post-16 move deadlines, and EHC needs assessment clocks. A sweep raises each clock's
warning and its breach once, however often it runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from inclusion_shared.contracts.placements import (
    CONSULTATION_OVERDUE,
    CONSULTATION_REPLY_DUE_SOON,
    DEADLINE_BREACHED,
    DEADLINE_WARNING,
    ConsultationOverdue,
    ConsultationReplyDueSoon,
    DeadlineBreached,
    DeadlineWarning,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from placements.adapters import PlacementsStore
from placements.domain.clocks import Clock, ClockKind, ClockReading, ClockStatus, read_clock
from placements.domain.consultation import consultation_clock
from placements.domain.ehc_clocks import ehc_clocks
from placements.domain.placement_clocks import placement_clocks
from placements.domain.timeliness import TimelinessReport, timeliness
from placements.handlers.requests import timescales_in_force

ALERTS = {ClockStatus.DUE_SOON: "warning", ClockStatus.BREACHED: "breached"}


@dataclass(frozen=True)
class TrackedClock:
    """A clock and whose case it is; a consultation's reply clock names its consultation."""

    clock: Clock
    child_id: str
    consultation_id: str | None = None

    def read(self, now: date, warning_days: Mapping[ClockKind, int]) -> ClockReading:
        warn = warning_days.get(self.clock.kind)
        return read_clock(self.clock, now, () if warn is None else (warn,))

    def view(self, reading: ClockReading) -> dict[str, Any]:
        return {
            **self.clock.model_dump(mode="json"),
            "child_id": self.child_id,
            "consultation_id": self.consultation_id,
            "status": reading.status.value,
            "days_left": reading.days_left,
        }


async def every_clock(store: PlacementsStore) -> list[TrackedClock]:
    """Every statutory clock, from the consultations, placements and assessments recorded."""
    timescales = timescales_in_force()
    tracked = [
        TrackedClock(
            consultation_clock(stored.consultation, timescales),
            stored.child_id,
            stored.consultation_id,
        )
        for stored in await store.consultations()
    ]
    settings = {setting.setting_id: setting for setting in await store.settings()}
    for stored in await store.placements_with_ehcp():
        placement = stored.placement
        tracked += [
            TrackedClock(clock, placement.child_id)
            for clock in placement_clocks(
                placement,
                settings[placement.setting_id],
                has_ehcp=stored.has_ehcp,
                amended_plans=stored.amended_plans,
                post_16_move=stored.post_16_move,
                timescales=timescales,
            )
        ]
    for assessment in await store.assessments():
        tracked += [
            TrackedClock(clock, assessment.child_id)
            for clock in ehc_clocks(assessment.assessment_id, assessment.steps, timescales)
        ]
    return tracked


async def sweep(
    work: UnitOfWork, as_of: date, warning_days: Mapping[ClockKind, int]
) -> list[dict[str, Any]]:
    """Raise the warnings and breaches due as of a day that were not raised before."""
    await work.connection.execute("SELECT pg_advisory_xact_lock(hashtext('placements:sweep'))")
    store = PlacementsStore(work.connection)
    raised = []
    for tracked in await every_clock(store):
        reading = tracked.read(as_of, warning_days)
        alert = ALERTS.get(reading.status)
        if alert is None:
            continue
        clock = reading.clock
        if not await store.raise_alert(clock.subject_id, clock.kind, clock.party_id, alert, as_of):
            continue
        _emit(work, tracked, reading, alert)
        raised.append({**tracked.view(reading), "alert": alert})
    return raised


def _emit(work: UnitOfWork, tracked: TrackedClock, reading: ClockReading, alert: str) -> None:
    clock = reading.clock
    if tracked.consultation_id is not None:
        assert clock.party_id is not None, "a reply clock waits on the consulted setting"
        where = {
            "consultation_id": tracked.consultation_id,
            "request_id": clock.subject_id,
            "setting_id": clock.party_id,
            "reply_due_on": clock.due_on,
            "as_of": reading.now,
        }
        if alert == "warning":
            work.emit(
                CONSULTATION_REPLY_DUE_SOON.type,
                tracked.consultation_id,
                ConsultationReplyDueSoon(**where, days_left=reading.days_left),
            )
        else:
            work.emit(
                CONSULTATION_OVERDUE.type,
                tracked.consultation_id,
                ConsultationOverdue(**where, days_overdue=-reading.days_left),
            )
        return
    case = {
        "subject_id": clock.subject_id,
        "child_id": tracked.child_id,
        "clock": clock.kind.value,
        "due_on": clock.due_on,
        "as_of": reading.now,
        "timescales_version": clock.timescales_version,
    }
    if alert == "warning":
        work.emit(
            DEADLINE_WARNING.type,
            tracked.child_id,
            DeadlineWarning(**case, days_left=reading.days_left),
        )
    else:
        work.emit(
            DEADLINE_BREACHED.type,
            tracked.child_id,
            DeadlineBreached(**case, days_overdue=-reading.days_left),
        )


async def timeliness_as_of(store: PlacementsStore, as_of: date) -> list[TimelinessReport]:
    """Each kind of clock's timeliness as of a day, with and without allowed exceptions."""
    readings = [read_clock(tracked.clock, as_of) for tracked in await every_clock(store)]
    exceptions = await store.exceptions()
    return [timeliness(kind, readings, exceptions) for kind in ClockKind]
