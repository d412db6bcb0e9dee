"""A child or a person is named only by a minted id: a prefix and twenty random hex digits."""

import pytest
from pydantic import TypeAdapter, ValidationError

from inclusion_shared.auth import mint_token, principal_from_claims
from inclusion_shared.identifiers import (
    ChildId,
    PersonId,
    child_id_for,
    mint_child_id,
    mint_person_id,
    person_id_for,
)

CHILD_ID: TypeAdapter[str] = TypeAdapter(ChildId)
PERSON_ID: TypeAdapter[str] = TypeAdapter(PersonId)


def test_a_minted_child_id_is_accepted_and_never_minted_twice() -> None:
    minted = [mint_child_id() for _ in range(1000)]

    assert all(CHILD_ID.validate_python(child) == child for child in minted)
    assert len(set(minted)) == len(minted)


@pytest.mark.parametrize(
    "name_like",
    [
        "Jane.Smith",
        "jane-smith-2014",
        "child-jane-smith",
        "child-janesmith20140301",
        "child-7F3A00000000000000000",
        "child-7f3a",
        "child-4b8669e033ccb7794915x",
        " child-4b8669e033ccb7794915",
    ],
)
def test_an_id_that_could_be_a_name_or_is_not_minted_shape_is_refused(name_like: str) -> None:
    with pytest.raises(ValidationError):
        CHILD_ID.validate_python(name_like)


def test_the_demo_makes_the_same_child_id_from_the_same_seed_and_in_the_minted_shape() -> None:
    assert child_id_for("demo2026-child-1") == child_id_for("demo2026-child-1")
    assert child_id_for("demo2026-child-1") != child_id_for("demo2026-child-2")
    assert CHILD_ID.validate_python(child_id_for("anything")) == child_id_for("anything")


def test_a_parent_token_naming_their_child_other_than_by_id_is_refused() -> None:
    claims = {"sub": person_id_for("parent-1"), "role": "parent", "child": "Jane.Smith"}

    with pytest.raises(ValueError, match="not a child's id"):
        principal_from_claims(claims)
    with pytest.raises(ValueError, match="not a child's id"):
        mint_token(b"unused", role="parent", subject=person_id_for("parent-1"), child="Jane.Smith")
    own = principal_from_claims({**claims, "child": child_id_for("own")})
    assert own.child == child_id_for("own")


def test_a_minted_person_id_is_accepted_and_never_minted_twice() -> None:
    minted = [mint_person_id() for _ in range(1000)]

    assert all(PERSON_ID.validate_python(person) == person for person in minted)
    assert len(set(minted)) == len(minted)
    assert PERSON_ID.validate_python(person_id_for("member-1")) == person_id_for("member-1")


@pytest.mark.parametrize(
    "name_like",
    ["Jane.Smith", "jsmith", "officer-1", "person-jane-smith", person_id_for("x") + "0", ""],
)
def test_a_person_named_other_than_by_a_minted_id_gets_no_token_and_no_principal(
    name_like: str,
) -> None:
    with pytest.raises(ValidationError):
        PERSON_ID.validate_python(name_like)
    with pytest.raises(ValueError, match="not a person's id"):
        mint_token(b"unused", role="kcc-officer", subject=name_like)
    with pytest.raises(ValueError, match="not a person's id"):
        principal_from_claims({"sub": name_like, "role": "kcc-officer"})
