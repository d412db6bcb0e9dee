"""Timeliness of one kind of clock, both including and excluding allowed exceptions."""

from collections.abc import Iterable
from fractions import Fraction

from placements.domain.clock_exceptions import ClockException
from placements.domain.clocks import DECIDED, ClockKind, ClockReading, ClockStatus
from placements.domain.values import Count, DomainModel


class Timeliness(DomainModel):
    """Of the cases whose timeliness is settled, how many were on time."""

    cases: Count
    on_time: Count

    @property
    def rate(self) -> Fraction | None:
        """Exact share on time, or None when there are no cases."""
        return Fraction(self.on_time, self.cases) if self.cases else None


class TimelinessReport(DomainModel):
    """The two figures the DfE publishes, and how many cases had an exception.

    Including exceptions counts every settled case; excluding exceptions leaves out the cases
    with an allowed exception recorded against this clock.
    """

    kind: ClockKind
    including_exceptions: Timeliness
    excluding_exceptions: Timeliness
    cases_with_exceptions: Count


def _timeliness(readings: list[ClockReading]) -> Timeliness:
    on_time = sum(reading.status is ClockStatus.MET for reading in readings)
    return Timeliness(cases=len(readings), on_time=on_time)


def _excepted(reading: ClockReading, exceptions: tuple[ClockException, ...]) -> bool:
    return any(
        e.subject_id == reading.clock.subject_id
        and e.clock is reading.clock.kind
        and e.from_on <= reading.now
        for e in exceptions
    )


def timeliness(
    kind: ClockKind, readings: Iterable[ClockReading], exceptions: Iterable[ClockException]
) -> TimelinessReport:
    """Report one kind of clock from its readings.

    Settled cases are those met, met late or already breached; clocks still running on time and
    withdrawn clocks are not counted. An exception counts when it was recorded against the same
    case and clock and had started by the day of the reading.
    """
    recorded = tuple(exceptions)
    settled = [r for r in readings if r.clock.kind is kind and r.status in DECIDED]
    excepted = [r for r in settled if _excepted(r, recorded)]
    return TimelinessReport(
        kind=kind,
        including_exceptions=_timeliness(settled),
        excluding_exceptions=_timeliness([r for r in settled if not _excepted(r, recorded)]),
        cases_with_exceptions=len(excepted),
    )
