"""Invitations caused by placement, funding and review events: each names its cause, falls due
when configured, is issued once per cause however often the cause arrives, and can be answered
by the family or school it invites."""

from __future__ import annotations

from datetime import date
from typing import Any

from inclusion_shared.contracts.funding import DECISION_RECORDED, DecisionRecorded
from inclusion_shared.contracts.placements import (
    PLACEMENT_STARTED,
    SETTING_REGISTERED,
    PlacementStarted,
    SettingRegistered,
)
from inclusion_shared.contracts.reviews import FOLLOW_UP_COMPLETED, FollowUpCompleted
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.identifiers import child_id_for, person_id_for
from inclusion_shared.testing import eventually

from .conftest import SURVEY, Feedback, on_kafka, parent_response

ISSUED = "feedback.invitation.issued"
SCHOOL = "school-0042"
# Ids are unique to each test: other tests publish to the same topics.


def started(placement_id: str, child_id: str, **changes: Any) -> PlacementStarted:
    return PlacementStarted(
        placement_id=placement_id,
        child_id=child_id,
        setting_type="mainstream",
        district="thanet",
        area="east-kent",
        starts_on=date(2026, 9, 3),
        **{"setting_id": SCHOOL, "phase": "primary", **changes},
    )


def decided(decision_id: str, outcome: str = "approved") -> DecisionRecorded:
    return DecisionRecorded(
        decision_id=decision_id,
        application_id="hnf-app-1",
        scheme="hnf",
        child_id="child-4b8669e033ccb7794915",
        setting_id=SCHOOL,
        district="thanet",
        area="east-kent",
        outcome=outcome,
        policy_version="kent-example-2026.1",
        decided_on=date(2026, 10, 5),
        record={},
    )


def followed_up(review_id: str) -> FollowUpCompleted:
    return FollowUpCompleted(
        review_id=review_id,
        cycle_id="cycle-thanet-2026",
        setting_id=SCHOOL,
        district="thanet",
        area="east-kent",
        community_of_schools="cos-thanet-1",
        completed_on=date(2027, 3, 1),
        actions_completed=4,
        actions_open=1,
    )


async def handled(feedback: Feedback, event: CloudEvent) -> None:
    """Wait until the service's inbox holds this event (it has been handled, once)."""
    await eventually(
        lambda: feedback.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.id)
    )


async def invitations_caused_by(feedback: Feedback, cause_id: str) -> list[dict[str, Any]]:
    return [
        event for event in await feedback.outbox(ISSUED) if event["data"]["cause_id"] == cause_id
    ]


async def test_a_family_is_invited_weeks_after_a_placement_starts_once_however_often_it_arrives(
    feedback: Feedback, kafka_bootstrap: str, unique: str
) -> None:
    child, placement = child_id_for(unique), f"placement-{unique}"
    first = await feedback.placements.publish(
        PLACEMENT_STARTED.type, child, started(placement, child)
    )
    await feedback.placements.redeliver(first)
    # The same cause published again as a new event: the inbox lets it through, the cause not.
    again = await feedback.placements.publish(
        PLACEMENT_STARTED.type, child, started(placement, child)
    )
    # Same key, same partition: once the marker is in the inbox, everything before it was handled.
    marker = await feedback.placements.publish(
        PLACEMENT_STARTED.type, child, started(f"{placement}-marker", child)
    )
    await handled(feedback, marker)

    [invitation] = await invitations_caused_by(feedback, placement)
    assert invitation["causationid"] == str(first.id)
    assert invitation["data"] | {"invitation_id": None} == {
        "invitation_id": None,
        "cause": "placement-started",
        "cause_id": placement,
        "voice": "parent-carer",
        "child_id": child,
        "setting_id": SCHOOL,
        "district": "thanet",
        "area": "east-kent",
        "community_of_schools": None,
        "issued_on": first.time.date().isoformat(),
        "due_on": "2026-10-15",
    }
    assert (
        await feedback.fetchval(
            "SELECT count(*) FROM inbox WHERE event_id = ANY($1::uuid[])", [first.id, again.id]
        )
        == 2
    )
    assert (
        await feedback.fetchval("SELECT count(*) FROM invitations WHERE child_id = $1", child) == 2
    ), "the placement's and the marker's"
    [landed] = await on_kafka(kafka_bootstrap, "feedback.invitation.v1", [invitation])
    assert landed["data"] == invitation["data"]


async def test_a_young_person_past_16_is_invited_rather_than_their_parent(
    feedback: Feedback, unique: str
) -> None:
    child, placement = child_id_for(unique), f"placement-{unique}"
    event = await feedback.placements.publish(
        PLACEMENT_STARTED.type, child, started(placement, child, phase="post-16")
    )
    await handled(feedback, event)

    [invitation] = await invitations_caused_by(feedback, placement)
    assert invitation["data"]["voice"] == "young-person"


async def test_a_senco_is_invited_after_a_final_funding_decision_but_not_a_deferral(
    feedback: Feedback, unique: str
) -> None:
    approved_id, deferred_id = f"dec-{unique}", f"dec-{unique}-deferred"
    approved = await feedback.funding.publish(
        DECISION_RECORDED.type, approved_id, decided(approved_id)
    )
    await feedback.funding.redeliver(approved)
    deferred = await feedback.funding.publish(
        DECISION_RECORDED.type, approved_id, decided(deferred_id, "deferred_for_information")
    )
    await handled(feedback, deferred)

    [invitation] = await invitations_caused_by(feedback, approved_id)
    assert invitation["causationid"] == str(approved.id)
    assert (invitation["data"]["voice"], invitation["data"]["due_on"]) == (
        "professional",
        "2026-10-19",
    )
    assert invitation["data"]["child_id"] is None
    assert await invitations_caused_by(feedback, deferred_id) == []


async def test_a_school_is_invited_after_its_reviews_follow_up_once(
    feedback: Feedback, unique: str
) -> None:
    review = f"review-{unique}"
    completed = await feedback.reviews.publish(
        FOLLOW_UP_COMPLETED.type, review, followed_up(review)
    )
    await feedback.reviews.redeliver(completed)
    marker = await feedback.reviews.publish(
        FOLLOW_UP_COMPLETED.type, review, followed_up(f"{review}-marker")
    )
    await handled(feedback, marker)

    [invitation] = await invitations_caused_by(feedback, review)
    assert invitation["causationid"] == str(completed.id)
    assert (
        invitation["data"]["voice"],
        invitation["data"]["community_of_schools"],
        invitation["data"]["due_on"],
    ) == ("setting", "cos-thanet-1", "2027-03-15")


async def test_an_invitation_takes_the_community_of_schools_from_the_settings_registry(
    feedback: Feedback, unique: str
) -> None:
    school, child, placement = f"school-{unique}", child_id_for(unique), f"placement-{unique}"
    registered = await feedback.placements.publish(
        SETTING_REGISTERED.type,
        school,
        SettingRegistered(
            setting_id=school,
            setting_type="mainstream",
            district="thanet",
            area="east-kent",
            community_of_schools="cos-thanet-1",
        ),
    )
    await handled(feedback, registered)
    event = await feedback.placements.publish(
        PLACEMENT_STARTED.type, child, started(placement, child, setting_id=school)
    )
    await handled(feedback, event)

    [invitation] = await invitations_caused_by(feedback, placement)
    assert invitation["data"]["community_of_schools"] == "cos-thanet-1"


async def test_the_invited_family_sees_and_answers_its_invitation_and_nobody_elses(
    feedback: Feedback, unique: str
) -> None:
    child, placement = child_id_for(unique), f"placement-{unique}"
    event = await feedback.placements.publish(
        PLACEMENT_STARTED.type, child, started(placement, child)
    )
    await handled(feedback, event)
    feedback.publish_survey()
    family = feedback.as_("parent", child=child)
    [invitation] = feedback.client.get("/invitations", headers=family).json()["invitations"]

    answered = feedback.client.post(
        f"/surveys/{SURVEY}/responses",
        json=parent_response(
            words=None,
            district=None,
            community_of_schools=None,
            invitation_id=invitation["invitation_id"],
        ),
        headers=family,
    )
    stranger = feedback.client.post(
        f"/surveys/{SURVEY}/responses",
        json=parent_response(invitation_id=invitation["invitation_id"]),
        headers=feedback.as_(
            "parent", subject=person_id_for("parent-2"), child="child-dda99f2c4fa5343bcaf9"
        ),
    )

    assert answered.status_code == 201, answered.text
    assert answered.json()["district"] == "thanet"
    assert stranger.status_code == 403, "another family's invitation is not theirs to answer"
    assert (
        feedback.client.get(
            "/invitations", headers=feedback.as_("parent", child=child_id_for(f"{unique}-other"))
        ).json()["invitations"]
        == []
    )
    seen_by_officer = {
        found["invitation_id"]: found
        for found in feedback.client.get(
            "/invitations", headers=feedback.as_("kcc-officer")
        ).json()["invitations"]
    }
    assert seen_by_officer[invitation["invitation_id"]]["responded_on"] is not None
