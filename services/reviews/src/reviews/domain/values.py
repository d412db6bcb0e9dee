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


PseudonymousId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$", max_length=80)
]
"""An opaque id for a setting, person, review or document. No spaces, so no names."""

Summary = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=500,
        # Control characters have no place in a statement, and PostgreSQL cannot store NUL.
        pattern=r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$",
    ),
]
"""A short professional statement (a finding, an action, what changed). It stays in the reviewed
setting's report and is never published or put in an event; names belong in no summary."""

MOST_EVIDENCE = 20
"""Documents a finding or a change rests on: the visit notes and the few documents cited."""
