"""Bad input gets a 4xx problem response and changes nothing: no rows, no events."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import APPROVE_BAND_3, KENT, SCHOOL, Funding, complete_application, panel_decision


async def written(funding: Funding) -> tuple[int, int, int]:
    """Applications, decisions and outbox events (less the example policy published at start)."""
    return (
        await funding.fetchval("SELECT count(*) FROM applications"),
        await funding.fetchval("SELECT count(*) FROM decisions"),
        await funding.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type <> 'funding.policy.published'"
        ),
    )


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"costed_provision_pence": -1}, 422),
        ({"costed_provision_pence": 250_000_000}, 422),
        ({"costed_provision_pence": 14500.5}, 422),
        ({"setting_id": "school-unknown"}, 403),
        ({"district": "atlantis"}, 422),
        ({"child_id": "Jane Smith"}, 422),
        ({"surname": "Smith"}, 422),
        ({"child_id": "c" * 81}, 422),
        ({"needs_reports": [f"doc-{n}" for n in range(51)]}, 422),
        ({"provision_plans": [{"document_id": "doc", "dated": "2026-01-12"}] * 51}, 422),
    ],
)
async def test_a_malformed_application_is_refused_and_nothing_is_written(
    funding: Funding, changes: dict[str, Any], status: int
) -> None:
    await funding.register_setting()

    response = funding.client.post(
        "/hnf/applications",
        json=complete_application(**changes),
        headers=funding.as_("senco", setting=SCHOOL),
    )

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await written(funding) == (0, 0, 0)


async def test_an_application_from_a_setting_the_registry_does_not_know_is_refused(
    funding: Funding,
) -> None:
    response = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_setting"
    assert await written(funding) == (0, 0, 0)


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        (panel_decision(APPROVE_BAND_3, voters=2), "quorum_not_met"),
        (
            panel_decision(
                APPROVE_BAND_3,
                votes=[
                    {"member_id": m, "choice": "for"}
                    for m in ("officer-1", "senco-2", "head-3", "senco-4")
                ],
            ),
            "recused_member_voted",
        ),
        (
            panel_decision(
                {"kind": "approve", "band": 9, "start_on": "2026-12-01", "review_on": "2027-11-30"}
            ),
            "unknown_band",
        ),
    ],
)
async def test_a_decision_breaking_panel_rules_is_refused_and_nothing_is_written(
    funding: Funding, decision: dict[str, Any], code: str
) -> None:
    await funding.register_setting()
    funding.client.put(
        "/budgets/east-kent/2026-27",
        json={"annual_amount_pence": 5_000_000},
        headers=funding.as_("kcc-officer", areas=KENT),
    )
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()
    before = await written(funding)

    response = funding.client.post(
        f"/hnf/applications/{application['application_id']}/decisions",
        json=decision,
        headers=funding.as_("kcc-officer", areas=KENT),
    )

    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert await written(funding) == before


async def test_an_empty_rationale_is_refused(funding: Funding) -> None:
    await funding.register_setting()
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()

    response = funding.client.post(
        f"/hnf/applications/{application['application_id']}/decisions",
        json=panel_decision(APPROVE_BAND_3, rationale="   "),
        headers=funding.as_("kcc-officer", areas=KENT),
    )

    assert response.status_code == 422


async def test_an_incomplete_application_cannot_be_approved(funding: Funding) -> None:
    await funding.register_setting()
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(lift_outcome=None, provision_plans=[]),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()
    before = await written(funding)

    response = funding.client.post(
        f"/hnf/applications/{application['application_id']}/decisions",
        json=panel_decision(APPROVE_BAND_3),
        headers=funding.as_("kcc-officer", areas=KENT),
    )

    assert application["status"] == "returned_incomplete"
    assert application["missing"] == ["lift_outcome", "provision_plans"]
    assert response.status_code == 409
    assert await written(funding) == before


async def test_a_replayed_request_is_answered_once_and_applied_once(funding: Funding) -> None:
    await funding.register_setting()
    headers = {**funding.as_("senco", setting=SCHOOL), "Idempotency-Key": "school-0042-request-77"}
    body = complete_application(application_id="hnf-from-school-77")

    first = funding.client.post("/hnf/applications", json=body, headers=headers)
    second = funding.client.post("/hnf/applications", json=body, headers=headers)
    different = funding.client.post(
        "/hnf/applications", json={**body, "requested_band": 4}, headers=headers
    )

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replay"] == "true"
    assert different.status_code == 409
    assert await written(funding) == (1, 0, 1)


@pytest.mark.parametrize("financial_year", ["2026-99", "2026-26", "0000-01", "9999-00", "1899-00"])
async def test_a_year_that_is_no_financial_year_is_a_problem_not_a_failure(
    funding: Funding, financial_year: str
) -> None:
    read = funding.client.get(
        f"/budgets/east-kent/{financial_year}", headers=funding.as_("auditor")
    )
    set_ = funding.client.put(
        f"/budgets/east-kent/{financial_year}",
        json={"annual_amount_pence": 5_000_000},
        headers=funding.as_("kcc-officer", areas=KENT),
    )

    assert read.status_code == 422, read.text
    assert set_.status_code == 422, set_.text
    assert (
        read.headers["content-type"] == set_.headers["content-type"] == ("application/problem+json")
    )
    assert await funding.fetchval("SELECT count(*) FROM budgets") == 0


def crowded_panel(members: int) -> dict[str, Any]:
    decision = panel_decision(APPROVE_BAND_3)
    decision["panel"]["members"] = [
        {"member_id": f"member-{n}", "role": "senco"} for n in range(members)
    ]
    return decision


@pytest.mark.parametrize(
    "decision",
    [
        crowded_panel(21),
        panel_decision(APPROVE_BAND_3, votes=[{"member_id": "officer-1", "choice": "for"}] * 21),
        panel_decision({"kind": "defer_for_information", "items": ["report"] * 21}),
    ],
    ids=["members", "votes", "items"],
)
async def test_a_decision_beyond_its_bounds_is_refused_before_anything_is_read(
    funding: Funding, decision: dict[str, Any]
) -> None:
    response = funding.client.post(
        "/hnf/applications/hnf-any/decisions",
        json=decision,
        headers=funding.as_("kcc-officer", areas=KENT),
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/hnf/applications/hnf%00x", None),
        ("POST", "/challenges/c%00x/resolution", {"result": "upheld", "reasons": ["x"]}),
        ("POST", "/decisions/d%00x/challenges", None),
        (
            "POST",
            "/senif/applications/s%00x/award",
            {"quality_assured_by": "kcc-officer-2", "start_on": "2026-12-01"},
        ),
    ],
)
async def test_an_id_no_record_could_have_is_a_problem_not_a_failure(
    funding: Funding, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = funding.client.request(
        method, path, json=body, headers=funding.as_("kcc-officer", areas=KENT)
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
