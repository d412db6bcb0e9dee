"""A placement request carries a pseudonymous child and coarse attributes, nothing personal."""

from typing import Any

import pytest
from pydantic import ValidationError

from placements.domain.request import PlacementRequest
from placements.domain.year_groups import Phase, YearGroup


def _data(request: PlacementRequest, **changes: Any) -> dict[str, Any]:
    return {**request.model_dump(), **changes}


@pytest.mark.parametrize(
    "extra",
    [{"name": "Sam Smith"}, {"date_of_birth": "2015-03-02"}, {"notes": "struggles at lunch"}],
    ids=["name", "date_of_birth", "free_text"],
)
def test_a_request_refuses_names_dates_of_birth_and_free_text(
    placement_request: PlacementRequest, extra: dict[str, str]
) -> None:
    with pytest.raises(ValidationError):
        PlacementRequest.model_validate(_data(placement_request, **extra))


def test_a_child_id_with_spaces_is_refused_so_no_name_can_pass_as_an_id(
    placement_request: PlacementRequest,
) -> None:
    with pytest.raises(ValidationError):
        PlacementRequest.model_validate(_data(placement_request, child_id="Sam Smith"))


def test_a_preference_is_ranked_only_once(placement_request: PlacementRequest) -> None:
    with pytest.raises(ValidationError):
        placement_request.evolve(preferences=("srp-0301", "special-0401", "srp-0301"))


def test_the_phase_follows_from_the_year_group(placement_request: PlacementRequest) -> None:
    assert placement_request.phase is Phase.SECONDARY
    assert placement_request.evolve(year_group=YearGroup.YEAR_12).phase is Phase.POST_16
    assert placement_request.evolve(year_group=YearGroup.RECEPTION).phase is Phase.PRIMARY
    assert placement_request.evolve(year_group=YearGroup.EARLY_YEARS).phase is Phase.EARLY_YEARS


def test_the_family_ranks_their_preferences(placement_request: PlacementRequest) -> None:
    assert placement_request.rank_of("special-0401") == 1
    assert placement_request.rank_of("srp-0301") == 2
    assert placement_request.rank_of("mainstream-0201") is None


def test_an_academic_year_runs_over_two_consecutive_years(
    placement_request: PlacementRequest,
) -> None:
    with pytest.raises(ValidationError):
        placement_request.evolve(academic_year="2027-29")
