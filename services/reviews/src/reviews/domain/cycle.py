"""A review cycle: one round of peer review in a Community of Schools or a chosen group of
settings, organised as pairs or triads of settings that review one another."""

from typing import Annotated, Self

from pydantic import Field, model_validator

from inclusion_shared.kent import AREA_OF, Area, District
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.values import DomainModel, PseudonymousId

MOST_PARTNERSHIPS = 50
"""Pairs and triads in one cycle: a Community of Schools has 8 to 14 schools, and a cycle of
chosen settings may reach across a district."""

Partnership = Annotated[tuple[PseudonymousId, ...], Field(min_length=2, max_length=3)]
"""A pair or triad of settings. Reviewers for a setting come from its partners."""


class ReviewCycle(DomainModel):
    """A cycle and the choices made for it.

    `avoid_reciprocal_reviews`: no setting reviews a setting that reviews it in the same cycle (in
    a pair, one direction this cycle and the other next). `estimates_turned_on`: reports may carry
    estimates per area; off by default, since the review is supportive and ungraded.
    """

    cycle_id: PseudonymousId
    community_id: PseudonymousId
    district: District
    partnerships: Annotated[
        tuple[Partnership, ...], Field(min_length=1, max_length=MOST_PARTNERSHIPS)
    ]
    avoid_reciprocal_reviews: bool = False
    estimates_turned_on: bool = False

    @model_validator(mode="after")
    def _each_setting_is_in_one_partnership(self) -> Self:
        settings = [setting for partnership in self.partnerships for setting in partnership]
        if len(set(settings)) != len(settings):
            raise ValueError("a setting can be in only one partnership, once")
        return self

    @property
    def area(self) -> Area:
        """The Kent area (and so the Area Board) the cycle's district belongs to."""
        return AREA_OF[self.district]


def partners_of(cycle: ReviewCycle, setting_id: str) -> tuple[str, ...]:
    """The other settings in this setting's pair or triad."""
    for partnership in cycle.partnerships:
        if setting_id in partnership:
            return tuple(other for other in partnership if other != setting_id)
    raise ReviewRefused(RefusalCode.SETTING_NOT_IN_CYCLE, (setting_id,))
