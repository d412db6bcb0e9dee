"""Value types every part of the placements domain shares."""

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


PseudonymousId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$", max_length=80)
]
"""An opaque id for a child, setting, member or document. No spaces, so no names."""

PlaceName = Annotated[
    str,
    StringConstraints(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 ,.'&()-]{0,119}$", max_length=120, strip_whitespace=True
    ),
]
"""The name people know a setting or Community of Schools by ("Hartsdown Primary School"):
letters, digits, spaces and a little punctuation, never more than 120 characters."""

ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$", max_length=80)]
"""A snake_case code, never free text, so records carry no personal details."""

MAX_REASONS = 20
"""Options or reason codes one decision cites, at most: each names a ground of its own."""

Count = Annotated[int, Field(strict=True, ge=0)]
PositiveCount = Annotated[int, Field(strict=True, ge=1)]


class NeedType(StrEnum):
    """Primary type of need, as the DfE's SEN2 and school census code it."""

    ASD = "ASD"
    SLCN = "SLCN"
    SEMH = "SEMH"
    SPLD = "SPLD"
    MLD = "MLD"
    SLD = "SLD"
    PMLD = "PMLD"
    PD = "PD"
    HI = "HI"
    VI = "VI"
    MSI = "MSI"
    OTHER = "OTH"
