"""Value types every part of the funding domain shares."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)


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

MAX_HOURS_TEXT = 10  # characters of hours written as text: "999.99" with room for "007.50"


def _short_text(value: object) -> object:
    # Decimal parses text of any length; a bound keeps a megabyte of digits out of the parser.
    if isinstance(value, str) and len(value) > MAX_HOURS_TEXT:
        raise ValueError(f"hours are written in at most {MAX_HOURS_TEXT} characters")
    return value


Hours = Annotated[
    Decimal,
    Field(ge=0, max_digits=5, decimal_places=2),
    BeforeValidator(_short_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 999.99},
                {"type": "string", "maxLength": MAX_HOURS_TEXT},
            ]
        },
        mode="validation",
    ),
]
"""Hours a week, exact to the quarter hour and beyond; Decimal so comparisons never drift."""

PseudonymousId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$", max_length=80)
]
"""An opaque id for a child, setting, member or document. No spaces, so no names."""

ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$", max_length=80)]
"""A snake_case code, never free text, so records carry no personal details."""

MAX_REASONS = 20
"""Reason codes one decision or resolution cites, at most: each names a ground of its own."""


class Phase(StrEnum):
    """Education phase. A school re-applies for High Needs Funding when the phase changes."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post-16"
