"""Statutory timescales as versioned data, not constants in code.

The limits come from the SEND Regulations 2014 and the Code of Practice 2015; they can change,
so every clock records the version its due date was computed under.
"""

from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from placements.domain.clocks import ClockKind
from placements.domain.values import DomainModel, PositiveCount


class DayOfYear(DomainModel):
    """A fixed day each year, such as 15 February. 29 February is refused: it is not yearly."""

    month: Annotated[int, Field(strict=True, ge=1, le=12)]
    day: Annotated[int, Field(strict=True, ge=1, le=31)]

    @model_validator(mode="after")
    def _exists_every_year(self) -> Self:
        date(2001, self.month, self.day)  # raises ValueError for 30 February, 29 February...
        return self

    def in_year(self, year: int) -> date:
        """This day in the given calendar year."""
        return date(year, self.month, self.day)


class Timescales(DomainModel):
    """One version of the statutory limits. All periods are calendar days, weeks or months."""

    version: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")]
    consultation_reply_days: PositiveCount
    decide_to_assess_weeks: PositiveCount
    decide_not_to_issue_weeks: PositiveCount
    final_ehcp_weeks: PositiveCount
    school_transfer_due: DayOfYear
    secondary_to_post_16_due: DayOfYear
    post_16_move_notice_months: PositiveCount
    exception_min_weeks: PositiveCount
    clocks_allowing_exceptions: frozenset[ClockKind]


SEND_REGULATIONS_2014 = Timescales(
    version="send-regulations-2014",
    consultation_reply_days=15,
    decide_to_assess_weeks=6,
    decide_not_to_issue_weeks=16,
    final_ehcp_weeks=20,
    school_transfer_due=DayOfYear(month=2, day=15),
    secondary_to_post_16_due=DayOfYear(month=3, day=31),
    post_16_move_notice_months=5,
    exception_min_weeks=4,
    clocks_allowing_exceptions=frozenset(
        {ClockKind.DECIDE_TO_ASSESS, ClockKind.DECIDE_NOT_TO_ISSUE, ClockKind.FINAL_EHCP}
    ),
)
"""The timescales in force since September 2014."""
