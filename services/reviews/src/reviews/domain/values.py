"""Value types every part of the reviews domain shares."""

from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, StringConstraints


class DomainModel(BaseModel):
    """Immutable domain data that refuses fields it does not know.

    Refusing unknown fields keeps names and grades out of records by accident.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def evolve(self, **changes: Any) -> Self:
        """Return a validated copy with `changes` applied (model_copy would skip validation)."""
        return self.model_validate({**dict(self), **changes})


PseudonymousId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")]
"""An opaque id for a setting, person, review or document. No spaces, so no names."""

Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A short professional statement (a finding, an action, what changed). It stays in the reviewed
setting's report and is never published or put in an event; names belong in no summary."""
