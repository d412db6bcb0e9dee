"""The placements service's settings, from environment variables."""

from datetime import date

from pydantic import Field

from inclusion_shared.settings import ServiceSettings
from placements.domain.clocks import ClockKind

# How many days before a clock falls due its warning is raised: a few days for a setting's
# 15-day reply, weeks for a transfer deadline fixed months ahead.
DEFAULT_WARNING_DAYS = {
    ClockKind.CONSULTATION_REPLY: 3,
    ClockKind.DECIDE_TO_ASSESS: 7,
    ClockKind.DECIDE_NOT_TO_ISSUE: 14,
    ClockKind.FINAL_EHCP: 14,
    ClockKind.SCHOOL_TRANSFER: 28,
    ClockKind.SECONDARY_TO_POST_16: 28,
    ClockKind.POST_16_MOVE: 28,
}


class Settings(ServiceSettings):
    service_name: str = "placements"
    clock_warning_days: dict[ClockKind, int] = Field(
        default_factory=lambda: dict(DEFAULT_WARNING_DAYS),
        description="days before each kind of statutory clock falls due that it warns",
    )
    pinned_today: date | None = Field(
        None,
        description="rehearsals and tests only: the date the service takes as today; "
        "unset in production, where today is the UTC date",
    )
