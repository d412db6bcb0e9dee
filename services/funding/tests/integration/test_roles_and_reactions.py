"""Who may do what in funding, and how it reacts to placement events."""

from __future__ import annotations

import pytest

from inclusion_shared.contracts.placements import PLACEMENT_STARTED, PlacementStarted
from inclusion_shared.testing import eventually

from .conftest import (
    APPROVE_BAND_3,
    KENT,
    SCHOOL,
    Funding,
    complete_application,
    panel_decision,
    propose,
)

ROLES = [
    "senco",
    "kcc-officer",
    "panel-member",
    "parent",
    "young-person",
    "area-board",
    "auditor",
    "platform-admin",
]
MAY_SUBMIT = {"senco"}
MAY_PROPOSE = {"kcc-officer"}
MAY_VOTE = {"panel-member"}
REOPENED = "funding.application.reapplication-opened"
OFFICERS_AND_SCRUTINY = {"kcc-officer", "auditor", "area-board"}
WHO_MAY = [
    ("POST", "/senif/applications", {"senco"}),
    ("POST", "/senif/applications/x/award", {"kcc-officer"}),
    ("POST", "/daf/claims", {"senco"}),
    ("POST", "/decisions/x/challenges", {"kcc-officer", "parent", "young-person"}),
    ("POST", "/challenges/x/resolution", {"kcc-officer"}),
    ("GET", "/challenges/overturn-rates?by=panel", OFFICERS_AND_SCRUTINY),
    ("POST", "/hnf/applications/x/withdrawal", {"senco"}),
    ("GET", "/hnf/timeliness", OFFICERS_AND_SCRUTINY),
]


@pytest.mark.parametrize("role", ROLES)
async def test_only_a_senco_may_submit_an_application(funding: Funding, role: str) -> None:
    await funding.register_setting()

    response = funding.client.post(
        "/hnf/applications", json=complete_application(), headers=funding.as_(role, setting=SCHOOL)
    )

    assert (response.status_code == 201) == (role in MAY_SUBMIT), response.text
    assert response.status_code in (201, 403)


@pytest.mark.parametrize("role", ROLES)
async def test_only_officers_put_proposals_to_panels_and_only_panel_members_vote(
    funding: Funding, role: str
) -> None:
    proposed = propose(funding, "hnf-none", APPROVE_BAND_3, headers=funding.as_(role))
    voted = funding.client.post(
        "/hnf/proposals/prop-none/votes", json={"choice": "for"}, headers=funding.as_(role)
    )

    assert proposed.status_code == (404 if role in MAY_PROPOSE else 403)
    assert voted.status_code == (404 if role in MAY_VOTE else 403)


@pytest.mark.parametrize(("method", "path", "allowed"), WHO_MAY, ids=lambda v: str(v))
async def test_each_role_is_refused_where_it_has_no_part(
    funding: Funding, method: str, path: str, allowed: set[str]
) -> None:
    for role in ROLES:
        response = funding.client.request(method, path, headers=funding.as_(role))
        assert (response.status_code == 403) == (role not in allowed), (role, response.text)


async def test_without_a_token_every_funding_endpoint_answers_401(funding: Funding) -> None:
    for method, path in [
        ("GET", "/policies"),
        ("POST", "/policies"),
        ("GET", "/budgets/east-kent/2026-27"),
        ("PUT", "/budgets/east-kent/2026-27"),
        ("POST", "/hnf/applications"),
        ("GET", "/hnf/applications/x"),
        ("POST", "/hnf/applications/x/proposals"),
        ("POST", "/hnf/proposals/x/votes"),
        ("GET", "/hnf/proposals/x"),
        ("PUT", "/panels/x"),
        ("GET", "/panels/x"),
        ("GET", "/panels"),
        ("POST", "/panels/x/interests"),
        *((method, path) for method, path, _ in WHO_MAY),
    ]:
        assert funding.client.request(method, path).status_code == 401, (method, path)


async def test_a_senco_sees_their_own_settings_applications_and_a_parent_only_their_childs(
    funding: Funding,
) -> None:
    await funding.register_setting()
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()
    url = f"/hnf/applications/{application['application_id']}"

    assert funding.client.get(url, headers=funding.as_("senco", setting=SCHOOL)).status_code == 200
    assert (
        funding.client.get(url, headers=funding.as_("senco", setting="school-other")).status_code
        == 403
    )
    assert (
        funding.client.get(
            url, headers=funding.as_("parent", child="child-4b8669e033ccb7794915")
        ).status_code
        == 200
    )
    assert (
        funding.client.get(
            url, headers=funding.as_("parent", child="child-dda99f2c4fa5343bcaf9")
        ).status_code
        == 403
    )
    assert funding.client.get(url, headers=funding.as_("auditor")).status_code == 200
    assert (
        funding.client.get("/hnf/applications/hnf-none", headers=funding.as_("auditor")).status_code
        == 404
    )


async def test_a_childs_details_are_stored_only_encrypted(funding: Funding) -> None:
    await funding.register_setting()

    funding.client.post(
        "/hnf/applications",
        json=complete_application(
            child_details={"name": "Ada Example", "date_of_birth": "2017-03-04"}
        ),
        headers=funding.as_("senco", setting=SCHOOL),
    )

    sealed = await funding.fetchval(
        "SELECT ciphertext FROM personal_records WHERE kind = 'child-details'"
    )
    assert sealed is not None and b"Ada Example" not in sealed
    assert (
        await funding.fetchval(
            "SELECT count(*) FROM outbox WHERE convert_from(payload, 'UTF8') LIKE '%Ada%'"
        )
        == 0
    )
    wrapped = await funding.fetchval(
        "SELECT wrapped_key FROM personal_data WHERE person_id = 'child-4b8669e033ccb7794915'"
    )
    assert wrapped is not None and len(wrapped) > 32


async def test_a_phase_transfer_opens_one_reapplication_even_when_the_event_is_redelivered(
    funding: Funding,
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
    panel_decision(funding, application["application_id"], APPROVE_BAND_3)

    transfer = PlacementStarted(
        placement_id="placement-9",
        child_id="child-4b8669e033ccb7794915",
        setting_id="secondary-0007",
        setting_type="mainstream",
        district="thanet",
        area="east-kent",
        phase="secondary",
        year_group=7,
        starts_on="2027-09-01",
        transfer="primary-to-secondary",
        previous_setting_id=SCHOOL,
    )
    started = await funding.placements.publish(PLACEMENT_STARTED.type, "placement-9", transfer)
    await funding.placements.redeliver(started)
    # Same key, same partition: once this is in the inbox, the redelivery before it was handled.
    marker = await funding.placements.publish(
        PLACEMENT_STARTED.type, "placement-9", transfer.model_copy(update={"transfer": None})
    )
    await eventually(
        lambda: funding.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", marker.id)
    )

    reopened = await funding.fetchval(
        "SELECT array_agg(convert_from(payload, 'UTF8')) FROM outbox WHERE event_type = $1",
        REOPENED,
    )
    assert len(reopened) == 1
    assert f'"causationid":"{started.id}"' in reopened[0]
