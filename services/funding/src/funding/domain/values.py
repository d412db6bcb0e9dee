"""Value types every part of the funding domain shares."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class DomainModel(BaseModel):
    """Immutable domain data that refuses fields it does not know.

    Refusing unknown fields keeps names, dates of birth and free text out of records by accident.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def evolve(self, **changes: Any) -> Self:
        """Return a validated copy with `changes` applied (model_copy would skip validation)."""
        return self.model_validate({**dict(self), **changes})


Pence = Annotated[int, Field(strict=True, ge=0)]
"""Money in whole pence. Strict, so a float or a string can never become money."""

Hours = Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=2)]
"""Hours a week, exact to the quarter hour and beyond; Decimal so comparisons never drift."""

PseudonymousId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")]
"""An opaque id for a child, setting, member or document. No spaces, so no names."""

ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$")]
"""A snake_case code, never free text, so records carry no personal details."""


class Phase(StrEnum):
    """Education phase. A school re-applies for High Needs Funding when the phase changes."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post-16"
