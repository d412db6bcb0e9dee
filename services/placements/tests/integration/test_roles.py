"""Who may do what in placements: every endpoint checks the caller's role; a SENCO answers only
their own setting's consultations and a parent sees only their own child's case (a 403 problem
for a record out of their scope, a 404 only for one that does not exist)."""

from __future__ import annotations

import pytest

from .conftest import OFFICER_1, SECONDARY, SECONDARY_SRP, SPECIAL, Placements

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
OFFICER = {"kcc-officer"}
FAMILY = {"parent", "young-person"}
CASEWORK = {"kcc-officer", "panel-member", "auditor", *FAMILY}
SCRUTINY = {"kcc-officer", "area-board", "auditor"}
ROSTERS = {"kcc-officer", "panel-member", "auditor"}
WHO_MAY = [
    ("POST", "/settings", OFFICER),
    ("GET", "/settings/x", set(ROLES) - {"platform-admin"}),
    ("PUT", "/settings/x/capacity", OFFICER),
    ("GET", "/sufficiency?academic_year=2027-28", SCRUTINY),
    ("POST", "/requests", OFFICER),
    ("GET", "/requests/x", CASEWORK),
    ("POST", "/requests/x/consultations", OFFICER),
    ("GET", "/consultations/x", {"kcc-officer", "panel-member", "auditor", "senco"}),
    ("POST", "/consultations/x/reply", {"senco"}),
    ("POST", "/requests/x/proposals", OFFICER),
    ("POST", "/proposals/x/votes", {"panel-member"}),
    ("GET", "/proposals/x", CASEWORK),
    ("PUT", "/panels/x", OFFICER),
    ("POST", "/panels/x/interests", {"panel-member"}),
    ("GET", "/panels/x", ROSTERS),
    ("GET", "/panels", ROSTERS),
    ("GET", "/decisions/x", CASEWORK),
    ("GET", "/offers/x", CASEWORK),
    ("POST", "/offers/x/acceptance", {"kcc-officer", "parent", "young-person"}),
    ("POST", "/offers/x/decline", {"kcc-officer", "parent", "young-person"}),
    ("POST", "/placements", OFFICER),
    ("GET", "/placements/x", CASEWORK | {"senco"}),
    ("POST", "/placements/x/end", OFFICER),
    ("POST", "/placements/x/move", OFFICER),
    ("POST", "/placements/x/amended-plans", OFFICER),
    ("POST", "/placements/x/post-16-move", OFFICER),
    ("POST", "/assessments", OFFICER),
    ("GET", "/assessments/x", {"kcc-officer", "auditor", *FAMILY}),
    ("POST", "/assessments/x/steps", OFFICER),
    ("POST", "/assessments/x/exceptions", OFFICER),
    ("POST", "/clocks/sweep", OFFICER),
    ("GET", "/clocks", {"kcc-officer", "auditor"}),
    ("GET", "/timeliness", SCRUTINY),
]


@pytest.mark.parametrize(("method", "path", "allowed"), WHO_MAY, ids=lambda v: str(v))
async def test_each_role_is_refused_where_it_has_no_part(
    placements: Placements, method: str, path: str, allowed: set[str]
) -> None:
    for role in ROLES:
        response = placements.client.request(method, path, headers=placements.as_(role))
        assert (response.status_code == 403) == (role not in allowed), (role, response.text)


async def test_without_a_token_every_placements_endpoint_answers_401(
    placements: Placements,
) -> None:
    for method, path, _ in WHO_MAY:
        assert placements.client.request(method, path).status_code == 401, (method, path)


async def test_a_senco_answers_only_their_own_setting_s_consultations(
    placements: Placements, child: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    request = placements.receive(child_id=child)
    by_setting = {c["setting_id"]: c for c in placements.consult(request["request_id"])}
    srp = by_setting[SECONDARY_SRP]["consultation_id"]

    from_another_school = placements.post(
        f"/consultations/{srp}/reply",
        {"answer": "accept"},
        as_=placements.as_("senco", setting=SECONDARY),
    )
    without_a_setting = placements.post(
        f"/consultations/{srp}/reply", {"answer": "accept"}, as_=placements.as_("senco")
    )
    seen_by_another = placements.client.get(
        f"/consultations/{srp}", headers=placements.as_("senco", setting=SECONDARY)
    )
    seen_by_its_own = placements.client.get(
        f"/consultations/{srp}", headers=placements.as_("senco", setting=SECONDARY_SRP)
    )

    assert from_another_school.status_code == 403
    assert without_a_setting.status_code == 403
    assert seen_by_another.status_code == 403
    assert seen_by_its_own.status_code == 200
    assert (
        await placements.fetchval("SELECT count(*) FROM consultations WHERE replied_on IS NOT NULL")
        == 0
    )


async def test_a_parent_sees_only_their_own_child_s_request(
    placements: Placements, child: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    request = placements.receive(child_id=child)
    url = f"/requests/{request['request_id']}"

    assert (
        placements.client.get(url, headers=placements.as_("parent", child=child)).status_code == 200
    )
    assert (
        placements.client.get(url, headers=placements.as_("young-person", child=child)).status_code
        == 200
    )
    assert (
        placements.client.get(
            url, headers=placements.as_("parent", child="child-dda99f2c4fa5343bcaf9")
        ).status_code
        == 403
    )
    assert placements.client.get(url, headers=placements.as_("parent")).status_code == 403
    assert placements.client.get(url, headers=placements.as_("auditor")).status_code == 200


async def test_a_parent_answers_only_their_own_child_s_offer(
    placements: Placements, child: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    request = placements.receive(child_id=child)
    placements.consult(request["request_id"])
    offer_id = placements.decide(request["request_id"]).json()["decision"]["offer"]["offer_id"]

    by_another_parent = placements.post(
        f"/offers/{offer_id}/decline",
        {"reason": "prefer_another_school"},
        as_=placements.as_("parent", child="child-dda99f2c4fa5343bcaf9"),
    )
    by_their_parent = placements.post(
        f"/offers/{offer_id}/decline",
        {"reason": "prefer_another_school"},
        as_=placements.as_("parent", child=child),
    )

    assert by_another_parent.status_code == 403
    assert by_their_parent.status_code == 200, by_their_parent.text
    assert by_their_parent.json()["status"] == "declined"
    again = placements.decide(request["request_id"])
    assert again.status_code == 201, again.text


async def test_only_a_kcc_officer_puts_a_case_to_a_panel_or_authorises_an_offer_beyond_capacity(
    placements: Placements, child: str
) -> None:
    placements.set_roster()
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    request = placements.receive(child_id=child)
    placements.consult(request["request_id"])

    response = placements.propose(
        request["request_id"],
        as_=placements.as_member(OFFICER_1),
        capacity_override_reason="statutory_duty_to_place",
    )
    west_kent_officer = placements.propose(
        request["request_id"],
        as_=placements.as_("kcc-officer", areas=("west-kent",)),
        capacity_override_reason="statutory_duty_to_place",
    )

    assert response.status_code == 403
    assert "may not put a proposed placement decision to a panel" in response.json()["detail"]
    assert west_kent_officer.status_code == 403
    assert await placements.fetchval("SELECT count(*) FROM proposals") == 0
