"""SENIF through the running service: an early years setting applies, one officer decides, a
second quality assures, and the award ends when the child moves or leaves (HTTP → PostgreSQL →
outbox → Kafka, and placement events back in)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest

from funding.domain.policy import load_policy
from funding.domain.senif_decision import SenifDecision, rederive_senif
from inclusion_shared.contracts.placements import (
    PLACEMENT_ENDED,
    PLACEMENT_STARTED,
    PlacementEnded,
    PlacementStarted,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.testing import eventually

from .conftest import KENT, NURSERY, SCHOOL, Funding, events_of, senif_application

AWARD_ENDED = "funding.allocation.award-ended"
DECIDING_OFFICER = person_id_for("kcc-officer-1")
SECOND_OFFICER = person_id_for("kcc-officer-2")


async def written(funding: Funding) -> tuple[int, int, int]:
    """Applications, decisions and outbox events (less the example policy published at start)."""
    return (
        await funding.fetchval("SELECT count(*) FROM applications"),
        await funding.fetchval("SELECT count(*) FROM decisions"),
        await funding.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type <> 'funding.policy.published'"
        ),
    )


def apply(funding: Funding, **changes: Any) -> Any:
    return funding.client.post(
        "/senif/applications",
        json=senif_application(**changes),
        headers=funding.as_("senco", setting=NURSERY),
    )


def submitted(funding: Funding, **changes: Any) -> str:
    response = apply(funding, **changes)
    assert response.status_code == 201, response.text
    application_id: str = response.json()["application_id"]
    return application_id


def decide(funding: Funding, application_id: str, quality_assured_by: str = SECOND_OFFICER) -> Any:
    return funding.client.post(
        f"/senif/applications/{application_id}/award",
        json={"quality_assured_by": quality_assured_by, "start_on": "2026-12-01"},
        headers=funding.as_("kcc-officer", areas=KENT),
    )


async def awarded(funding: Funding) -> dict[str, Any]:
    await funding.register_setting(NURSERY, "early-years")
    response = decide(funding, submitted(funding))
    assert response.status_code == 201, response.text
    assert response.json()["outcome"] == "awarded"
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"funded_hours_attended_per_week": 35, "hours_requested_per_week": 30.25},
            "above_weekly_cap",
        ),
        ({"hours_requested_per_week": 31}, "above_weekly_cap"),
        ({"funded_hours_attended_per_week": 12}, "more_hours_than_attended"),
    ],
    ids=["a_quarter_hour_over_thirty", "over_thirty_and_attendance", "more_than_attended"],
)
async def test_senif_hours_over_the_cap_are_refused_and_nothing_is_written(
    funding: Funding, changes: dict[str, Any], reason: str
) -> None:
    await funding.register_setting(NURSERY, "early-years")

    response = apply(funding, **changes)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "senif_hours_above_cap"
    assert reason in response.json()["details"]
    assert await written(funding) == (0, 0, 0)


async def test_an_eligible_two_year_old_is_capped_at_fifteen_hours_a_week(
    funding: Funding,
) -> None:
    await funding.register_setting(NURSERY, "early-years")

    over = apply(funding, eligible_two_year_old=True, hours_requested_per_week=15.5)
    at_cap = apply(funding, eligible_two_year_old=True, hours_requested_per_week=15)

    assert over.status_code == 422
    assert over.json()["details"] == ["above_two_year_old_weekly_cap"]
    assert at_cap.status_code == 201, at_cap.text
    assert decide(funding, at_cap.json()["application_id"]).json()["outcome"] == "awarded"


async def test_senif_is_refused_when_the_child_has_an_ehcp(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting(NURSERY, "early-years")
    application_id = submitted(funding, has_ehcp=True)

    response = decide(funding, application_id)

    assert response.status_code == 201, response.text
    assert (response.json()["outcome"], response.json()["failed_rules"]) == ("refused", ["no_ehcp"])
    assert await funding.fetchval("SELECT count(*) FROM senif_awards") == 0
    [event] = await events_of(
        kafka_bootstrap, "funding.decision.v1", "application_id", application_id
    )
    data = event["data"]
    assert (data["scheme"], data["outcome"], data["failed_rules"]) == (
        "senif",
        "refused",
        ["no_ehcp"],
    )


async def test_a_senif_award_is_published_with_the_record_that_rederives_it(
    funding: Funding, kafka_bootstrap: str
) -> None:
    decision = await awarded(funding)

    [event] = await events_of(
        kafka_bootstrap, "funding.decision.v1", "decision_id", decision["decision_id"]
    )

    data = event["data"]
    assert (data["scheme"], data["outcome"], data["policy_version"]) == (
        "senif",
        "awarded",
        "kent-example-2026.1",
    )
    assert (event["actorrole"], event["actorid"]) == ("kcc-officer", DECIDING_OFFICER)
    record = SenifDecision.model_validate(data["record"])
    assert (record.decided_by, record.quality_assured_by) == (DECIDING_OFFICER, SECOND_OFFICER)
    policies = funding.client.get("/policies", headers=funding.as_("auditor")).json()["policies"]
    policy = load_policy(next(p for p in policies if p["version"] == data["policy_version"]))
    assert rederive_senif(record, policy) == record


async def test_senif_cannot_be_quality_assured_by_the_deciding_officer(funding: Funding) -> None:
    await funding.register_setting(NURSERY, "early-years")
    application_id = submitted(funding)
    before = await written(funding)

    response = decide(funding, application_id, quality_assured_by=DECIDING_OFFICER)

    assert response.status_code == 422
    assert response.json()["code"] == "quality_assured_by_deciding_officer"
    assert await written(funding) == before
    assert decide(funding, application_id).status_code == 201


async def test_senif_is_for_early_years_settings_only(funding: Funding) -> None:
    await funding.register_setting(SCHOOL, "mainstream")

    response = funding.client.post(
        "/senif/applications",
        json=senif_application(setting_id=SCHOOL),
        headers=funding.as_("senco", setting=SCHOOL),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "not_an_early_years_setting"
    assert await written(funding) == (0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"child_id": "Jane Smith"}, 422),
        ({"first_name": "Jane"}, 422),
        ({"hours_requested_per_week": "twenty"}, 422),
        ({"setting_id": "nursery-other"}, 403),
    ],
)
async def test_a_malformed_senif_application_writes_nothing(
    funding: Funding, changes: dict[str, Any], status: int
) -> None:
    await funding.register_setting(NURSERY, "early-years")

    assert apply(funding, **changes).status_code == status
    assert await written(funding) == (0, 0, 0)


def _left(**changes: Any) -> PlacementEnded:
    return PlacementEnded(
        placement_id="placement-ey-1",
        child_id="child-b88d32471e6d349d261f",
        setting_id=NURSERY,
        setting_type="early-years",
        district="thanet",
        area="east-kent",
        ends_on="2027-03-31",
        reason="started_school",
        left_early_years=True,
    ).model_copy(update=changes)


async def handled(funding: Funding, event_id: UUID) -> None:
    await eventually(
        lambda: funding.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event_id)
    )


async def award_ended_events(funding: Funding) -> list[str]:
    payloads: list[str] | None = await funding.fetchval(
        "SELECT array_agg(convert_from(payload, 'UTF8')) FROM outbox WHERE event_type = $1",
        AWARD_ENDED,
    )
    return payloads or []


async def test_a_child_leaving_the_early_years_setting_ends_the_award_once_under_redelivery(
    funding: Funding, kafka_bootstrap: str
) -> None:
    decision = await awarded(funding)
    award_id = decision["award"]["award_id"]

    left = await funding.placements.publish(PLACEMENT_ENDED.type, "placement-ey-1", _left())
    await funding.placements.redeliver(left)
    # Same key, same partition: once this is in the inbox, the redelivery before it was handled.
    marker = await funding.placements.publish(
        PLACEMENT_ENDED.type, "placement-ey-1", _left(left_early_years=False)
    )
    await handled(funding, marker.id)

    [ended] = await award_ended_events(funding)
    assert f'"causationid":"{left.id}"' in ended
    assert await funding.fetchval(
        "SELECT (ended_on::text, end_reason) FROM senif_awards WHERE award_id = $1", award_id
    ) == ("2027-03-31", "left_setting")
    [published] = await events_of(kafka_bootstrap, "funding.allocation.v1", "award_id", award_id)
    assert published["data"]["decision_id"] == decision["decision_id"]
    assert published["causationid"] == str(left.id)


async def test_senif_does_not_transfer_a_move_ends_the_award_at_the_old_setting(
    funding: Funding,
) -> None:
    decision = await awarded(funding)
    moved = PlacementStarted(
        placement_id="placement-ey-2",
        child_id="child-b88d32471e6d349d261f",
        setting_id="childminder-0907",
        setting_type="early-years",
        district="thanet",
        area="east-kent",
        phase="early-years",
        starts_on="2027-01-11",
        previous_setting_id=NURSERY,
    )

    started = await funding.placements.publish(PLACEMENT_STARTED.type, "placement-ey-2", moved)
    await handled(funding, started.id)
    # The old setting then reports the leaver: the award has already ended, so nothing more.
    await handled(
        funding,
        (await funding.placements.publish(PLACEMENT_ENDED.type, "placement-ey-1", _left())).id,
    )

    [ended] = await award_ended_events(funding)
    assert json.loads(ended)["data"]["reason"] == "moved_setting"
    assert f'"causationid":"{started.id}"' in ended
    assert (
        await funding.fetchval(
            "SELECT ended_on::text FROM senif_awards WHERE award_id = $1",
            decision["award"]["award_id"],
        )
        == "2027-01-11"
    )


async def test_a_child_leaving_before_the_award_starts_ends_it_on_its_first_day(
    funding: Funding,
) -> None:
    decision = await awarded(funding)

    left = await funding.placements.publish(
        PLACEMENT_ENDED.type, "placement-ey-1", _left(ends_on="2026-11-20")
    )
    await handled(funding, left.id)

    assert await funding.fetchval(
        "SELECT (ended_on::text, end_reason) FROM senif_awards WHERE award_id = $1",
        decision["award"]["award_id"],
    ) == ("2026-12-01", "left_setting")
    assert len(await award_ended_events(funding)) == 1
