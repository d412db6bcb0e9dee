"""Statutory clocks as of a day, read from the clocks each case keeps (handlers.case_clocks):
consultation replies, phase transfer and post-16 move deadlines, and EHC needs assessment
clocks. A sweep raises each clock's warning and its breach once, however often it runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from inclusion_shared.auth import Principal
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
from placements.access import reach
from placements.adapters import PlacementsStore, Reach, StoredClock
from placements.domain.clocks import ClockKind, ClockReading, ClockStatus
from placements.domain.timeliness import TimelinessReport, timeliness

ALERTS = {ClockStatus.DUE_SOON: "warning", ClockStatus.BREACHED: "breached"}


async def sweep(
    work: UnitOfWork, who: Principal, as_of: date, warning_days: Mapping[ClockKind, int]
) -> list[dict[str, Any]]:
    """Raise the warnings and breaches due as of a day that were not raised before, of the
    clocks of the caller's places (all of Kent's, for a Kent-wide officer)."""
    await work.connection.execute("SELECT pg_advisory_xact_lock(hashtext('placements:sweep'))")
    store = PlacementsStore(work.connection)
    raised = []
    for tracked in await store.clocks_to_alert(as_of, warning_days, reach(who, "clocks.sweep")):
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


def _emit(work: UnitOfWork, tracked: StoredClock, reading: ClockReading, alert: str) -> None:
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


async def timeliness_as_of(
    store: PlacementsStore, as_of: date, reached: Reach
) -> list[TimelinessReport]:
    """Each kind of clock's timeliness as of a day, with and without allowed exceptions, over
    the clocks reached."""
    tallies = await store.timeliness_tallies(as_of, reached)
    return [timeliness(kind, tallies) for kind in ClockKind]
