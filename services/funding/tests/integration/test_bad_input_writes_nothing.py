"""Bad input gets a 4xx problem response and changes nothing: no rows, no events."""

from __future__ import annotations

from typing import Any

import pytest

from inclusion_shared.identifiers import person_id_for

from .conftest import (
    APPROVE_BAND_3,
    KENT,
    OFFICER_1,
    ROSTER,
    SCHOOL,
    SENCO_2,
    SENCO_4,
    Funding,
    complete_application,
    panel_decision,
    propose,
    roster_member,
    set_roster,
    vote,
)

STRANGER_9 = person_id_for("stranger-9")
KCC_OFFICER_2 = person_id_for("kcc-officer-2")


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
        ({"child_id": "Jane.Smith"}, 422),
        ({"child_id": "child-jane-smith-2014"}, 422),
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


async def decidable(funding: Funding) -> str:
    """A complete application before a panel whose roster is kept, with a budget."""
    await funding.register_setting()
    set_roster(funding)
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
    application_id: str = application["application_id"]
    return application_id


async def test_a_proposal_short_of_quorum_stays_open_and_nothing_is_decided(
    funding: Funding,
) -> None:
    application_id = await decidable(funding)

    answer = panel_decision(funding, application_id, APPROVE_BAND_3, voters=(OFFICER_1, SENCO_2))

    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "open"
    assert [v["member_id"] for v in answer.json()["votes"]] == [OFFICER_1, SENCO_2]
    assert answer.json()["decision"] is None
    assert await funding.fetchval("SELECT count(*) FROM decisions") == 0
    assert await funding.fetchval("SELECT status FROM applications") == "submitted"


@pytest.mark.parametrize(
    ("member_id", "status", "code"),
    [(SENCO_4, 409, "must_recuse"), (STRANGER_9, 403, "not_on_panel")],
)
async def test_a_vote_from_a_recused_member_or_a_stranger_is_refused_and_nothing_is_written(
    funding: Funding, member_id: str, status: int, code: str
) -> None:
    application_id = await decidable(funding)
    proposal = propose(funding, application_id, APPROVE_BAND_3).json()
    before = await written(funding)

    response = vote(funding, proposal["proposal_id"], member_id)

    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert await written(funding) == before
    assert await funding.fetchval("SELECT count(*) FROM hnf_votes") == 0


async def test_a_proposal_at_a_band_the_policy_lacks_is_refused_and_nothing_is_written(
    funding: Funding,
) -> None:
    application_id = await decidable(funding)
    before = await written(funding)

    response = propose(
        funding,
        application_id,
        {"kind": "approve", "band": 9, "start_on": "2026-12-01", "review_on": "2027-11-30"},
    )

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unknown_band"
    assert await written(funding) == before
    assert await funding.fetchval("SELECT count(*) FROM hnf_proposals") == 0


async def test_an_empty_rationale_is_refused(funding: Funding) -> None:
    application_id = await decidable(funding)

    response = propose(funding, application_id, APPROVE_BAND_3, rationale="   ")

    assert response.status_code == 422


async def test_an_incomplete_application_cannot_be_put_to_the_panel(funding: Funding) -> None:
    await funding.register_setting()
    set_roster(funding)
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(lift_outcome=None, provision_plans=[]),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()
    before = await written(funding)

    response = propose(funding, application["application_id"], APPROVE_BAND_3)

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


def crowded_roster(members: int) -> dict[str, Any]:
    return {
        "area": "east-kent",
        "members": [roster_member(person_id_for(f"member-{n}"), "senco") for n in range(members)],
    }


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/panels/panel-east-1", crowded_roster(21)),
        (
            "/panels/panel-east-1",
            {
                "area": "east-kent",
                "members": [roster_member(SENCO_2, "senco", *[f"s-{n}" for n in range(51)])],
            },
        ),
        (
            "/panels/panel-east-1",
            {
                "area": "east-kent",
                "members": [roster_member(SENCO_2, "senco", term=("2027-01-01", "2026-01-01"))],
            },
        ),
        ("/panels/panel-east-1", {"area": "east-kent", "members": [ROSTER[0], ROSTER[0]]}),
        (
            "/hnf/applications/hnf-any/proposals",
            {
                "panel_id": "panel-east-1",
                "outcome": {"kind": "defer_for_information", "items": ["report"] * 21},
                "rationale": "More evidence is needed.",
            },
        ),
        (
            "/hnf/applications/hnf-any/proposals",
            {
                "panel_id": "panel-east-1",
                "outcome": {"kind": "decline", "merit_reasons": []},
                "rationale": "x" * 20_001,
            },
        ),
    ],
    ids=["members", "interests", "term", "twice", "items", "rationale"],
)
async def test_a_roster_or_proposal_beyond_its_bounds_is_refused_before_anything_is_read(
    funding: Funding, path: str, body: dict[str, Any]
) -> None:
    response = funding.client.request(
        "PUT" if path.startswith("/panels") else "POST",
        path,
        json=body,
        headers=funding.as_("kcc-officer", areas=KENT),
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await funding.fetchval("SELECT count(*) FROM panel_rosters") == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/hnf/applications/hnf%00x", None),
        ("POST", "/challenges/c%00x/resolution", {"result": "upheld", "reasons": ["x"]}),
        ("POST", "/decisions/d%00x/challenges", None),
        ("GET", "/panels/p%00x", None),
        ("GET", "/hnf/proposals/p%00x", None),
        (
            "POST",
            "/senif/applications/s%00x/award",
            {"quality_assured_by": KCC_OFFICER_2, "start_on": "2026-12-01"},
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
