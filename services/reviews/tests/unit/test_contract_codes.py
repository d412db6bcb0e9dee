"""The reviews events name areas of review and stages by the same codes as the domain."""

from typing import get_args

from inclusion_shared.contracts.reviews import ReviewAreaCode, StageCode
from reviews.domain.areas import ReviewArea
from reviews.domain.stages import Stage


def test_events_name_the_eight_areas_of_review_as_the_domain_does() -> None:
    assert get_args(ReviewAreaCode) == tuple(area.value for area in ReviewArea)


def test_events_name_the_stages_as_the_domain_does() -> None:
    assert get_args(StageCode) == tuple(stage.value for stage in Stage)
