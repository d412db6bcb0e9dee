"""High Needs Funding through the running service: HTTP → PostgreSQL → outbox → Kafka."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from inclusion_shared.identifiers import CHILD_ID_PATTERN, person_id_for

from .conftest import (
    APPROVE_BAND_3,
    DECLINE_ON_MERIT,
    HEAD_3,
    KENT,
    OFFICER_1,
    RATIONALE,
    SCHOOL,
    SENCO_2,
    Funding,
    complete_application,
    events_of,
    panel_decision,
)

KCC_OFFICER_1 = person_id_for("kcc-officer-1")

BUDGET = "/budgets/east-kent/2026-27"


def set_budget(funding: Funding, pence: int) -> None:
    response = funding.client.put(
        BUDGET, json={"annual_amount_pence": pence}, headers=funding.as_("kcc-officer", areas=KENT)
    )
    assert response.status_code == 200, response.text


def submit(funding: Funding, **changes: Any) -> dict[str, Any]:
    response = funding.client.post(
        "/hnf/applications",
        json=complete_application(**changes),
        headers=funding.as_("senco", setting=SCHOOL),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_child_new_to_the_suite_is_given_a_minted_id_the_event_carries(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting()
    application = complete_application()
    del application["child_id"]

    response = funding.client.post(
        "/hnf/applications", json=application, headers=funding.as_("senco", setting=SCHOOL)
    )

    assert response.status_code == 201, response.text
    child_id = response.json()["child_id"]
    assert re.fullmatch(CHILD_ID_PATTERN, child_id), child_id
    [submitted] = await events_of(kafka_bootstrap, "funding.application.v1", "child_id", child_id)
    assert submitted["data"]["application_id"] == response.json()["application_id"]


async def test_an_approval_commits_the_budget_and_publishes_a_rederivable_decision(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting()
    set_budget(funding, 5_000_000)
    application = submit(funding)

    response = panel_decision(funding, application["application_id"], APPROVE_BAND_3)

    assert response.status_code == 201, response.text
    assert response.json()["status"] == "decided"
    assert response.json()["decision"]["outcome"]["annual_amount_pence"] == 900_000
    budget = funding.client.get(BUDGET, headers=funding.as_("auditor")).json()
    assert (budget["committed_pence"], budget["remaining_pence"]) == (900_000, 4_100_000)
    [decision] = await events_of(
        kafka_bootstrap,
        "funding.decision.v1",
        "application_id",
        application["application_id"],
    )
    data = decision["data"]
    assert (data["outcome"], data["band"], data["policy_version"]) == (
        "approved",
        3,
        "kent-example-2026.1",
    )
    assert all(rule["passed"] for rule in data["record"]["evaluation"]["rules"])
    assert [m["recused"] for m in data["panel"]] == [False, False, False, True]
    assert [(v["member_id"], v["choice"]) for v in data["votes"]] == [
        (OFFICER_1, "for"),
        (SENCO_2, "for"),
        (HEAD_3, "for"),
    ]
    assert (data["proposed_by"], data["roster_version"]) == (KCC_OFFICER_1, 1)
    assert data["record"]["proposal"]["votes"] == data["votes"]
    assert "daily individual support" not in json.dumps(decision), (
        "free text must stay out of events"
    )
    assert data["record"]["proposal"]["rationale"] == "hmac-sha256:" + data["rationale_digest"]
    assert data["rationale_digest"] not in {
        hashlib.sha256(text.encode()).hexdigest() for text in (RATIONALE, RATIONALE.strip())
    }, "a plain hash of the rationale would outlive the child's erasure"
    [allocation] = await events_of(
        kafka_bootstrap, "funding.allocation.v1", "decision_id", data["decision_id"]
    )
    assert allocation["data"]["amount_pence"] == 900_000
    assert allocation["correlationid"] == decision["correlationid"], "one command, one correlation"


async def test_over_commitment_is_refused_without_an_override_and_recorded_with_one(
    funding: Funding,
) -> None:
    await funding.register_setting()
    set_budget(funding, 500_000)
    application = submit(funding)

    refused = panel_decision(funding, application["application_id"], APPROVE_BAND_3)
    proposals_after_refusal = await funding.fetchval("SELECT count(*) FROM hnf_proposals")
    overridden = panel_decision(
        funding,
        application["application_id"],
        APPROVE_BAND_3,
        override_reason="statutory_duty_to_fund",
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "over_commitment_without_override"
    assert proposals_after_refusal == 0
    assert overridden.status_code == 201, overridden.text
    assert overridden.json()["status"] == "decided"
    budget = funding.client.get(BUDGET, headers=funding.as_("kcc-officer", areas=KENT)).json()
    assert budget["over_committed_pence"] == 400_000
    assert budget["overridden"][0]["override"]["authorised_by"] == KCC_OFFICER_1


async def test_an_officer_of_one_district_proposes_but_cannot_override_the_areas_budget(
    funding: Funding,
) -> None:
    await funding.register_setting()
    set_budget(funding, 500_000)
    application = submit(funding)
    thanet_officer = funding.as_("kcc-officer", districts=("thanet",))

    overridden = panel_decision(
        funding,
        application["application_id"],
        APPROVE_BAND_3,
        override_reason="statutory_duty_to_fund",
        headers=thanet_officer,
    )
    proposals_after_refusal = await funding.fetchval("SELECT count(*) FROM hnf_proposals")
    declined = panel_decision(
        funding, application["application_id"], DECLINE_ON_MERIT, headers=thanet_officer
    )

    assert overridden.status_code == 403
    assert "commit beyond an area's High Needs budget" in overridden.json()["detail"]
    assert proposals_after_refusal == 0
    assert declined.status_code == 201, declined.text
    assert declined.json()["decision"]["outcome"]["kind"] == "declined"
