"""Places drill down Kent → area → district → Community of Schools."""

import pytest

from monitoring.domain.places import KENT, Level, Scope


def test_kent_has_a_row_for_each_area_and_an_area_for_each_of_its_districts() -> None:
    assert KENT.expected_rows() == ("east-kent", "north-kent", "south-kent", "west-kent")
    east = Scope.parse("area:east-kent")
    assert east.expected_rows() == ("canterbury", "swale", "thanet")
    assert east.child("thanet") == Scope(Level.DISTRICT, "thanet")
    assert Scope.parse("district:thanet").parent() == east


def test_a_community_is_the_finest_place() -> None:
    community = Scope.parse("community:cos-thanet-1")
    assert community.rows_level is Level.COMMUNITY
    assert community.expected_rows() == ("cos-thanet-1",)
    assert community.child("cos-thanet-1") is None
    assert str(community) == "community:cos-thanet-1"


@pytest.mark.parametrize("text", ["area:mars", "district:kent", "county:kent", "community:", ""])
def test_an_unknown_place_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Scope.parse(text)
