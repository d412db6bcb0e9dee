"""Challenges to panel decisions through the running service: lodged, upheld or overturned with
reason codes, and counted into overturn rates per panel and per district."""

from __future__ import annotations

import json
from typing import Any

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import AREA_OF, District

from .conftest import (
    DECLINE_ON_MERIT,
    KENT,
    NURSERY,
    SCHOOL,
    Funding,
    complete_application,
    panel_decision,
    senif_application,
    set_roster,
)

KCC_OFFICER_2 = person_id_for("kcc-officer-2")

DOVER_SCHOOL = "school-0107"


async def decided(
    funding: Funding,
    *,
    school: str = SCHOOL,
    district: str = "thanet",
    panel_id: str = "panel-east-1",
    child_id: str = "child-4b8669e033ccb7794915",
) -> str:
    """A panel's decision (declined on merit, so no budget is needed); returns its id."""
    await funding.register_setting(school, district=district)
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(setting_id=school, district=district, child_id=child_id),
        headers=funding.as_("senco", setting=school),
    ).json()
    set_roster(funding, panel_id, area=AREA_OF[District(district)].value)
    response = panel_decision(
        funding, application["application_id"], DECLINE_ON_MERIT, panel_id=panel_id
    )
    assert response.status_code == 201, response.text
    decision_id: str = response.json()["decision"]["decision_id"]
    return decision_id


def challenge(funding: Funding, decision_id: str, role: str = "kcc-officer", **claims: Any) -> Any:
    if role == "kcc-officer" and not claims:
        claims = {"areas": KENT}
    return funding.client.post(
        f"/decisions/{decision_id}/challenges", headers=funding.as_(role, **claims)
    )


def resolve(funding: Funding, challenge_id: str, result: str, *reasons: str) -> Any:
    return funding.client.post(
        f"/challenges/{challenge_id}/resolution",
        json={"result": result, "reasons": list(reasons)},
        headers=funding.as_("kcc-officer", areas=KENT),
    )


def rates(funding: Funding, by: str, role: str = "area-board") -> list[dict[str, Any]]:
    response = funding.client.get(
        "/challenges/overturn-rates", params={"by": by}, headers=funding.as_(role, areas=KENT)
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["rates"]
    return found


async def test_a_challenge_lodged_then_overturned_counts_in_overturn_rates_by_panel_and_district(
    funding: Funding,
) -> None:
    east = await decided(funding)
    south = await decided(
        funding,
        school=DOVER_SCHOOL,
        district="dover",
        panel_id="panel-south-1",
        child_id="child-9e7ee5bb1b3ddc9f274e",
    )
    still_open = await decided(funding, child_id="child-ad72eece027b818e238d")

    overturned = challenge(funding, east)
    upheld = challenge(funding, south, "parent", child="child-9e7ee5bb1b3ddc9f274e")
    challenge(funding, still_open)
    resolved = [
        resolve(funding, overturned.json()["challenge_id"], "overturned", "new_evidence_of_need"),
        resolve(funding, upheld.json()["challenge_id"], "upheld", "decision_followed_policy"),
    ]

    assert overturned.status_code == upheld.status_code == 201, overturned.text
    assert overturned.json()["panel_id"] == "panel-east-1"
    assert [r.json()["status"] for r in resolved] == ["overturned", "upheld"]
    assert rates(funding, "panel") == [
        {"panel": "panel-east-1", "resolved": 1, "overturned": 1, "rate": 1.0},
        {"panel": "panel-south-1", "resolved": 1, "overturned": 0, "rate": 0.0},
    ]
    assert rates(funding, "district", role="auditor") == [
        {"district": "dover", "resolved": 1, "overturned": 0, "rate": 0.0},
        {"district": "thanet", "resolved": 1, "overturned": 1, "rate": 1.0},
    ]
    resolution = await funding.fetchval(
        """SELECT convert_from(payload, 'UTF8') FROM outbox
           WHERE event_type = 'funding.challenge.resolved' AND key = $1""",
        overturned.json()["challenge_id"],
    )
    data = json.loads(resolution)["data"]
    assert (data["decision_id"], data["result"], data["reasons"]) == (
        east,
        "overturned",
        ["new_evidence_of_need"],
    )


async def test_a_parent_may_challenge_only_their_own_childs_decision(funding: Funding) -> None:
    decision_id = await decided(funding, child_id="child-4b8669e033ccb7794915")

    someone_elses = challenge(funding, decision_id, "parent", child="child-dda99f2c4fa5343bcaf9")
    no_child_on_token = challenge(funding, decision_id, "parent")
    events_after_refusals = await funding.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = 'funding.challenge.lodged'"
    )
    own = challenge(funding, decision_id, "parent", child="child-4b8669e033ccb7794915")

    assert someone_elses.status_code == no_child_on_token.status_code == 403
    assert events_after_refusals == 0
    assert own.status_code == 201, own.text
    assert await funding.fetchval("SELECT count(*) FROM challenges") == 1


async def test_a_young_person_may_challenge_their_own_decision_once_while_it_is_open(
    funding: Funding,
) -> None:
    decision_id = await decided(funding, child_id="child-2a6e97cc700a5a0a70d4")

    first = challenge(funding, decision_id, "young-person", child="child-2a6e97cc700a5a0a70d4")
    second = challenge(funding, decision_id, "young-person", child="child-2a6e97cc700a5a0a70d4")

    assert first.status_code == 201
    assert second.status_code == 409


async def test_a_challenge_is_resolved_once_with_reason_codes_never_free_text(
    funding: Funding,
) -> None:
    lodged = challenge(funding, await decided(funding)).json()

    free_text = resolve(funding, lodged["challenge_id"], "overturned", "The mum told us more")
    no_reasons = resolve(funding, lodged["challenge_id"], "overturned")
    upheld = resolve(funding, lodged["challenge_id"], "upheld", "decision_followed_policy")
    again = resolve(funding, lodged["challenge_id"], "overturned", "new_evidence_of_need")

    assert free_text.status_code == 422
    assert no_reasons.json()["code"] == "challenge_without_reasons"
    assert upheld.status_code == 200, upheld.text
    assert (again.status_code, again.json()["code"]) == (422, "challenge_already_resolved")
    assert (
        await funding.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'funding.challenge.resolved'"
        )
        == 1
    )


async def test_only_a_panel_decision_is_challenged_here(funding: Funding) -> None:
    await funding.register_setting(NURSERY, "early-years")
    application = funding.client.post(
        "/senif/applications",
        json=senif_application(),
        headers=funding.as_("senco", setting=NURSERY),
    ).json()
    senif = funding.client.post(
        f"/senif/applications/{application['application_id']}/award",
        json={"quality_assured_by": KCC_OFFICER_2, "start_on": "2026-12-01"},
        headers=funding.as_("kcc-officer", areas=KENT),
    ).json()

    unknown = challenge(funding, "dec-none")
    officers_decision = challenge(funding, senif["decision_id"])

    assert unknown.status_code == 404
    assert (officers_decision.status_code, officers_decision.json()["code"]) == (
        422,
        "not_a_panel_decision",
    )
