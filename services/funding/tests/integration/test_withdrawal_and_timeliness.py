"""A school withdraws an undecided HNF application; decisions are reported against the time
target from a complete application."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from .conftest import (
    DECLINE_ON_MERIT,
    KENT,
    SCHOOL,
    Funding,
    complete_application,
    events_of,
    panel_decision,
)


def submit(funding: Funding, **changes: Any) -> str:
    response = funding.client.post(
        "/hnf/applications",
        json=complete_application(**changes),
        headers=funding.as_("senco", setting=SCHOOL),
    )
    assert response.status_code == 201, response.text
    application_id: str = response.json()["application_id"]
    return application_id


def withdraw(funding: Funding, application_id: str, setting: str = SCHOOL, **body: Any) -> Any:
    return funding.client.post(
        f"/hnf/applications/{application_id}/withdrawal",
        json=body or None,
        headers=funding.as_("senco", setting=setting),
    )


def decline(funding: Funding, application_id: str) -> Any:
    response = panel_decision(funding, application_id, DECLINE_ON_MERIT)
    assert response.status_code == 201, response.text
    return response.json()["decision"]


async def test_a_senco_withdraws_their_settings_application_once(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting()
    application_id = submit(funding)

    withdrawn = withdraw(funding, application_id, reason="needs_now_met_in_school")
    again = withdraw(funding, application_id)

    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert again.status_code == 409
    [event] = await events_of(
        kafka_bootstrap,
        "funding.application.v1",
        "application_id",
        application_id,
        "funding.application.withdrawn",
    )
    assert event["data"]["reason"] == "needs_now_met_in_school"
    decision = panel_decision(funding, application_id, DECLINE_ON_MERIT)
    assert decision.status_code == 409, "a withdrawn application is not put to a panel"


async def test_a_decided_application_cannot_be_withdrawn(funding: Funding) -> None:
    await funding.register_setting()
    application_id = submit(funding)
    decline(funding, application_id)

    response = withdraw(funding, application_id)

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert (
        await funding.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'funding.application.withdrawn'"
        )
        == 0
    )


async def test_only_the_applying_settings_senco_may_withdraw(funding: Funding) -> None:
    await funding.register_setting()
    application_id = submit(funding)

    other_school = withdraw(funding, application_id, setting="school-other")
    free_text = withdraw(funding, application_id, reason="Parent moved house to Deal")

    assert other_school.status_code == 403
    assert other_school.headers["content-type"] == "application/problem+json"
    assert free_text.status_code == 422
    assert (
        await funding.fetchval(
            "SELECT status FROM applications WHERE application_id = $1", application_id
        )
        == "submitted"
    )


async def test_timeliness_lists_a_decision_that_breached_the_target(funding: Funding) -> None:
    await funding.register_setting()
    on_time = submit(funding)
    late = submit(funding, child_id="child-5e6002eee487a2c89518")
    # The service dates completeness itself; a month-old complete application is made in SQL.
    await funding.fetchval(
        "UPDATE applications SET complete_on = $2, submitted_on = $2 WHERE application_id = $1",
        late,
        datetime.now(UTC).date() - timedelta(days=30),
    )
    decline(funding, on_time)
    decline(funding, late)

    response = funding.client.get("/hnf/timeliness", headers=funding.as_("area-board", areas=KENT))

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["decided"], report["breaches"], report["within_target"]) == (2, 1, 1)
    by_application = {d["application_id"]: d for d in report["decisions"]}
    assert (
        by_application[late]["days_to_decision"],
        by_application[late]["target_days"],
        by_application[late]["target_breached"],
    ) == (30, 14, True)
    assert by_application[on_time]["target_breached"] is False
    elsewhere = funding.client.get(
        "/hnf/timeliness", params={"area": "west-kent"}, headers=funding.as_("auditor")
    )
    assert elsewhere.json()["decided"] == 0
