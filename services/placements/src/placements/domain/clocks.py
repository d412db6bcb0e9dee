"""Statutory clocks, read as of a day passed in: running, due soon, breached, met or withdrawn.

A clock never reads the time. Facts recorded after `now` are ignored, so reading a clock "as of"
any day replays what it showed then, and tests can move time by changing an argument.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Self

from pydantic import model_validator

from placements.domain.values import DomainModel, PositiveCount, PseudonymousId


class ClockKind(StrEnum):
    """The statutory clocks the suite computes."""

    DECIDE_TO_ASSESS = "decide_to_assess"
    DECIDE_NOT_TO_ISSUE = "decide_not_to_issue"
    FINAL_EHCP = "final_ehcp"
    CONSULTATION_REPLY = "consultation_reply"
    SCHOOL_TRANSFER = "school_transfer"
    SECONDARY_TO_POST_16 = "secondary_to_post_16"
    POST_16_MOVE = "post_16_move"


class ClockStop(StrEnum):
    """How a clock stopped: the duty was done, or it no longer applies (e.g. no assessment)."""

    MET = "met"
    WITHDRAWN = "withdrawn"


class Clock(DomainModel):
    """One statutory duty for one case: what is due by when, and whether it has stopped.

    `party_id` names who the clock waits on when that is not the authority (a consulted setting);
    `timescales_version` the statutory timescales the due date was computed under.
    """

    subject_id: PseudonymousId
    kind: ClockKind
    due_on: date
    timescales_version: str
    party_id: PseudonymousId | None = None
    stopped_on: date | None = None
    stop: ClockStop | None = None

    @model_validator(mode="after")
    def _stopped_with_a_date(self) -> Self:
        if (self.stopped_on is None) != (self.stop is None):
            raise ValueError("a stopped clock records both the day and how it stopped")
        return self


class ClockStatus(StrEnum):
    """Where a clock stands on a day. Due on the due day is still on time."""

    RUNNING = "running"
    DUE_SOON = "due_soon"
    BREACHED = "breached"
    MET = "met"
    MET_LATE = "met_late"
    WITHDRAWN = "withdrawn"


DECIDED = frozenset({ClockStatus.MET, ClockStatus.MET_LATE, ClockStatus.BREACHED})
"""Statuses whose timeliness can no longer change: they count in timeliness reports."""


class ClockReading(DomainModel):
    """A clock as it stood on `now`, with the warning points it has passed."""

    clock: Clock
    now: date
    status: ClockStatus
    days_left: int
    warnings_passed: tuple[PositiveCount, ...]

    @property
    def late(self) -> bool:
        """True when the duty was done late or is overdue."""
        return self.status in (ClockStatus.BREACHED, ClockStatus.MET_LATE)


def _status(clock: Clock, now: date, warned: bool) -> ClockStatus:
    if clock.stopped_on is not None and clock.stopped_on <= now:
        if clock.stop is ClockStop.WITHDRAWN:
            return ClockStatus.WITHDRAWN
        return ClockStatus.MET if clock.stopped_on <= clock.due_on else ClockStatus.MET_LATE
    if now > clock.due_on:
        return ClockStatus.BREACHED
    return ClockStatus.DUE_SOON if warned else ClockStatus.RUNNING


def read_clock(clock: Clock, now: date, warn_days_before: Iterable[int] = ()) -> ClockReading:
    """Read a clock on `now`.

    `warn_days_before` are warning points, e.g. (10, 5, 1): a running clock is due soon once
    `now` reaches any of them, and the reading lists those passed, largest first. A stop
    recorded after `now` has not happened yet.
    """
    running = clock.stopped_on is None or clock.stopped_on > now
    passed = tuple(
        sorted(
            (d for d in set(warn_days_before) if running and now >= clock.due_on - timedelta(d)),
            reverse=True,
        )
    )
    return ClockReading(
        clock=clock,
        now=now,
        status=_status(clock, now, bool(passed)),
        days_left=(clock.due_on - now).days,
        warnings_passed=passed,
    )
