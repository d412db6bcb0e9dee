"""Allowed exceptions to a statutory clock, recorded with a reason code.

An exception does not move the due date: a late case stays late. It takes the case out of the
"excluding exceptions" timeliness figure, as the DfE reports it.
"""

from datetime import date, timedelta
from enum import StrEnum
from typing import Self

from pydantic import model_validator

from inclusion_shared.identifiers import PersonId
from placements.domain.clocks import ClockKind
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.timescales import Timescales
from placements.domain.values import DomainModel, PseudonymousId, ReasonCode


class ExceptionKind(StrEnum):
    """The exceptions the regulations allow."""

    CHILD_AWAY = "child_away"
    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = "exceptional_personal_circumstances"
    SETTING_CLOSED = "setting_closed"


LASTING = frozenset({ExceptionKind.CHILD_AWAY, ExceptionKind.SETTING_CLOSED})
"""Exceptions that apply only when they last the minimum number of weeks."""


class ClockException(DomainModel):
    """An exception to one clock of one case, over a period of days (`until` inclusive)."""

    subject_id: PseudonymousId
    clock: ClockKind
    kind: ExceptionKind
    reason: ReasonCode
    recorded_by: PersonId
    from_on: date
    until: date | None = None

    @model_validator(mode="after")
    def _lasting_exceptions_have_an_end(self) -> Self:
        if self.kind in LASTING and self.until is None:
            raise ValueError(f"{self.kind.value} needs the last day of the period")
        return self


def record_exception(exception: ClockException, timescales: Timescales) -> ClockException:
    """Accept an exception, or refuse it.

    Refused for a clock the regulations allow no exceptions to, for a period that ends before it
    starts, and for a child away or a setting closed for less than the minimum weeks (counting
    both the first and the last day).
    """
    if exception.clock not in timescales.clocks_allowing_exceptions:
        raise DecisionRefused(RefusalCode.NO_EXCEPTIONS_TO_THIS_CLOCK, (exception.clock.value,))
    if exception.until is not None and exception.until < exception.from_on:
        raise DecisionRefused(RefusalCode.EXCEPTION_ENDS_BEFORE_IT_STARTS)
    if exception.kind in LASTING and exception.until is not None:
        lasted = exception.until - exception.from_on + timedelta(days=1)
        if lasted < timedelta(weeks=timescales.exception_min_weeks):
            raise DecisionRefused(RefusalCode.EXCEPTION_TOO_SHORT, (f"lasted_{lasted.days}_days",))
    return exception
