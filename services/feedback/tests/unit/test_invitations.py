"""Invitations caused by other services' events: when each falls due, whom it asks, and that one
cause can only invite once."""

from datetime import date

import pytest

from feedback.domain.invitations import (
    Invitation,
    InvitationCause,
    InvitationPolicy,
    invitation_id_for,
    invite_family,
    invite_school,
    invite_senco,
)
from feedback.domain.values import Place, Voice
from inclusion_shared.kent import District

THANET = Place.of(District.THANET, "cos-thanet-1")
POLICY = InvitationPolicy(
    family_weeks_after_placement=6,
    senco_weeks_after_funding_decision=2,
    school_weeks_after_follow_up=3,
)
ISSUED_ON = date(2026, 9, 1)


def _family(phase: str = "primary", policy: InvitationPolicy = POLICY) -> Invitation:
    return invite_family(
        placement_id="placement-9",
        child_id="child-4b8669e033ccb7794915",
        setting_id="school-0042",
        phase=phase,
        place=THANET,
        starts_on=date(2026, 9, 3),
        issued_on=ISSUED_ON,
        policy=policy,
    )


def test_a_family_is_invited_the_configured_weeks_after_a_placement_starts() -> None:
    invitation = _family()
    assert (invitation.voice, invitation.child_id, invitation.cause) == (
        Voice.PARENT_CARER,
        "child-4b8669e033ccb7794915",
        InvitationCause.PLACEMENT_STARTED,
    )
    assert (invitation.issued_on, invitation.due_on) == (ISSUED_ON, date(2026, 10, 15))


@pytest.mark.parametrize(("weeks", "due_on"), [(0, date(2026, 9, 3)), (8, date(2026, 10, 29))])
def test_the_weeks_before_a_family_is_asked_are_configuration(weeks: int, due_on: date) -> None:
    assert _family(policy=InvitationPolicy(family_weeks_after_placement=weeks)).due_on == due_on


def test_from_post_16_the_young_person_is_invited_rather_than_the_parent() -> None:
    assert _family(phase="post-16").voice is Voice.YOUNG_PERSON


def test_a_senco_is_invited_after_a_final_funding_decision() -> None:
    invitation = invite_senco(
        decision_id="dec-1",
        outcome="approved",
        setting_id="school-0042",
        place=THANET,
        decided_on=date(2026, 10, 5),
        issued_on=date(2026, 10, 5),
        policy=POLICY,
    )
    assert invitation is not None
    assert (invitation.voice, invitation.child_id, invitation.due_on) == (
        Voice.PROFESSIONAL,
        None,
        date(2026, 10, 19),
    )


def test_no_senco_is_invited_while_a_decision_is_deferred_for_information() -> None:
    assert (
        invite_senco(
            decision_id="dec-1",
            outcome="deferred_for_information",
            setting_id="school-0042",
            place=THANET,
            decided_on=date(2026, 10, 5),
            issued_on=date(2026, 10, 5),
            policy=POLICY,
        )
        is None
    )


def test_a_school_is_invited_after_its_reviews_follow_up() -> None:
    invitation = invite_school(
        review_id="review-3",
        setting_id="school-0042",
        place=THANET,
        completed_on=date(2027, 3, 1),
        issued_on=date(2027, 3, 1),
        policy=POLICY,
    )
    assert (invitation.voice, invitation.due_on, invitation.cause) == (
        Voice.SETTING,
        date(2027, 3, 22),
        InvitationCause.REVIEW_FOLLOW_UP,
    )


def test_one_cause_has_one_invitation_id_and_different_causes_differ() -> None:
    same = invitation_id_for(InvitationCause.PLACEMENT_STARTED, "placement-9")
    assert same == invitation_id_for(InvitationCause.PLACEMENT_STARTED, "placement-9")
    assert same != invitation_id_for(InvitationCause.PLACEMENT_STARTED, "placement-10")
    assert same != invitation_id_for(InvitationCause.REVIEW_FOLLOW_UP, "placement-9")
    assert _family().invitation_id == same


def test_an_invitation_carries_no_personal_details() -> None:
    fields = set(Invitation.model_fields)
    assert not fields & {"name", "date_of_birth", "address", "email", "phone"}
