"""Value types every part of the feedback domain shares."""

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from inclusion_shared.kent import AREA_OF, Area, District


class DomainModel(BaseModel):
    """Immutable domain data that refuses fields it does not know.

    Refusing unknown fields keeps names, contact details and free text out of records by accident.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def evolve(self, **changes: Any) -> Self:
        """Return a validated copy with `changes` applied (model_copy would skip validation)."""
        return self.model_validate({**dict(self), **changes})


PseudonymousId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$", max_length=80)
]
"""An opaque id for a survey, response, child, setting or Community of Schools. No spaces, so no
names."""

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$", max_length=80)]
"""A snake_case code (a question, an option, a theme, a reason), never free text."""

Wording = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=1000,
        # Control characters have no place in published wording, and PostgreSQL cannot store NUL.
        pattern=r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$",
    ),
]
"""Published wording written by the local authority: a question, a title, a "You said, we did"
statement. Never a respondent's own words."""


class Voice(StrEnum):
    """Whose views a response gives."""

    CHILD = "child"
    YOUNG_PERSON = "young-person"
    PARENT_CARER = "parent-carer"
    PROFESSIONAL = "professional"
    SETTING = "setting"


class Channel(StrEnum):
    """How views reach the forum."""

    SURVEY = "survey"
    FORUM_MEETING = "forum-meeting"
    LOCAL_OFFER = "local-offer"


class Sentiment(StrEnum):
    """A moderator's reading of a response as a whole."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    MIXED = "mixed"


class Place(DomainModel):
    """Where a response or invitation belongs, as coarsely as figures are published: district,
    its area, and the Community of Schools when known."""

    district: District
    area: Area
    community_of_schools: PseudonymousId | None = None

    @model_validator(mode="after")
    def _area_holds_the_district(self) -> Self:
        if AREA_OF[self.district] is not self.area:
            raise ValueError(f"{self.district} is in {AREA_OF[self.district]}, not {self.area}")
        return self

    @classmethod
    def of(cls, district: District, community_of_schools: str | None = None) -> Self:
        """The place of a district (its area follows from it)."""
        return cls(
            district=district,
            area=AREA_OF[district],
            community_of_schools=community_of_schools,
        )
