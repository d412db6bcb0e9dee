"""Timeliness of one kind of clock, both including and excluding allowed exceptions."""

from collections import Counter
from fractions import Fraction

from placements.domain.clocks import DECIDED, ClockKind, ClockStatus
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


Tallies = Counter[tuple[ClockKind, ClockStatus, bool]]
"""Clocks read on one day, counted by kind, status, and whether an allowed exception to that
clock of that case had started by then."""


def _timeliness(settled: list[tuple[ClockStatus, bool, int]]) -> Timeliness:
    on_time = sum(n for status, _, n in settled if status is ClockStatus.MET)
    return Timeliness(cases=sum(n for _, _, n in settled), on_time=on_time)


def timeliness(kind: ClockKind, tallies: Tallies) -> TimelinessReport:
    """Report one kind of clock from the tallies of every clock.

    Settled cases are those met, met late or already breached; clocks still running on time and
    withdrawn clocks are not counted. Excluding exceptions leaves out the cases with one.
    """
    settled = [
        (status, excepted, n)
        for (of_kind, status, excepted), n in tallies.items()
        if of_kind is kind and status in DECIDED
    ]
    return TimelinessReport(
        kind=kind,
        including_exceptions=_timeliness(settled),
        excluding_exceptions=_timeliness([case for case in settled if not case[1]]),
        cases_with_exceptions=sum(n for _, excepted, n in settled if excepted),
    )
