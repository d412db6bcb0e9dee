"""A panel's stored roster and its members' own votes, through the running service: the roster
kept by an officer of its area, versioned and published; a proposal decided by the vote that
makes the votes quorate; each member voting once, as themselves, only when eligible and free
of interest."""

from __future__ import annotations

from typing import Any

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.testing import eventually

from .conftest import (
    DECLINE_ON_MERIT,
    HEAD_3,
    KENT,
    OFFICER_1,
    PANEL,
    ROSTER,
    SCHOOL,
    SENCO_2,
    SENCO_4,
    Funding,
    complete_application,
    events_of,
    propose,
    roster_member,
    set_roster,
    vote,
)

SENCO_OLD = person_id_for("senco-old")
SENCO_NEW = person_id_for("senco-new")

HEAD_5 = person_id_for("head-5")
STRANGER_9 = person_id_for("stranger-9")


async def before_the_panel(funding: Funding, members: list[dict[str, Any]] | None = None) -> str:
    """A complete application and East Kent's roster: the open proposal's id."""
    await funding.register_setting()
    set_roster(funding, members=members)
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()
    response = propose(funding, application["application_id"], DECLINE_ON_MERIT)
    assert response.status_code == 201, response.text
    assert (response.json()["status"], response.json()["votes"]) == ("open", [])
    proposal_id: str = response.json()["proposal_id"]
    return proposal_id


async def test_a_roster_is_versioned_and_the_same_roster_again_changes_nothing(
    funding: Funding, kafka_bootstrap: str
) -> None:
    first = set_roster(funding)
    again = set_roster(funding)
    changed = set_roster(funding, members=[*ROSTER, roster_member(HEAD_5, "headteacher")])

    assert (first["version"], again["version"], changed["version"]) == (1, 1, 2)

    async def both_versions() -> list[dict[str, Any]] | None:
        published = await events_of(kafka_bootstrap, "funding.panel.v1", "panel_id", PANEL)
        ours = [e for e in published if funding.deployment in e["source"]]  # every test's topic
        return ours if len(ours) >= 2 else None

    events = await eventually(both_versions)
    assert [(e["type"], e["data"]["version"]) for e in events] == [
        ("funding.panel.roster-set", 1),
        ("funding.panel.roster-set", 2),
    ]
    assert events[0]["data"]["members"][3]["declared_interests"] == [SCHOOL]


async def test_a_panels_area_never_changes(funding: Funding) -> None:
    set_roster(funding)

    moved = funding.client.put(
        f"/panels/{PANEL}",
        json={"area": "west-kent", "members": ROSTER},
        headers=funding.as_("kcc-officer", areas=KENT),
    )

    assert moved.status_code == 409
    assert moved.json()["code"] == "panel_area_fixed"


async def test_an_officer_of_one_district_does_not_keep_the_areas_panel(funding: Funding) -> None:
    refused = funding.client.put(
        f"/panels/{PANEL}",
        json={"area": "east-kent", "members": ROSTER},
        headers=funding.as_("kcc-officer", districts=("thanet",)),
    )

    assert refused.status_code == 403
    assert await funding.fetchval("SELECT count(*) FROM panel_rosters") == 0


async def test_a_member_declares_their_own_interest_once_and_a_stranger_cannot(
    funding: Funding,
) -> None:
    set_roster(funding)
    url = f"/panels/{PANEL}/interests"

    declared = funding.client.post(
        url, json={"setting_id": "school-0099"}, headers=funding.as_member(SENCO_2)
    )
    again = funding.client.post(
        url, json={"setting_id": "school-0099"}, headers=funding.as_member(SENCO_2)
    )
    stranger = funding.client.post(
        url, json={"setting_id": "school-0099"}, headers=funding.as_member(STRANGER_9)
    )

    assert declared.status_code == again.status_code == 200, declared.text
    assert declared.json()["version"] == again.json()["version"] == 2
    senco = next(m for m in declared.json()["members"] if m["member_id"] == SENCO_2)
    assert senco["declared_interests"] == ["school-0099"]
    assert stranger.status_code == 403
    assert stranger.json()["code"] == "not_on_panel"


async def test_the_vote_that_makes_the_votes_quorate_takes_the_decision(
    funding: Funding, kafka_bootstrap: str
) -> None:
    proposal_id = await before_the_panel(funding)

    first = vote(funding, proposal_id, OFFICER_1)
    second = vote(funding, proposal_id, SENCO_2, "against")
    third = vote(funding, proposal_id, HEAD_3)

    assert [r.json()["status"] for r in (first, second, third)] == ["open", "open", "decided"]
    assert first.json()["decision"] is None
    decision = third.json()["decision"]
    assert decision["outcome"]["kind"] == "declined"
    read = funding.client.get(f"/hnf/proposals/{proposal_id}", headers=funding.as_("auditor"))
    assert read.json()["status"] == "decided"
    assert [v["member_id"] for v in read.json()["votes"]] == [OFFICER_1, SENCO_2, HEAD_3]

    async def every_vote() -> list[dict[str, Any]] | None:
        cast = await events_of(kafka_bootstrap, "funding.panel.v1", "proposal_id", proposal_id)
        return cast if len(cast) == 3 else None

    votes = await eventually(every_vote)
    assert [(e["data"]["member_id"], e["data"]["roster_version"]) for e in votes] == [
        (OFFICER_1, 1),
        (SENCO_2, 1),
        (HEAD_3, 1),
    ]
    [recorded] = await events_of(
        kafka_bootstrap, "funding.decision.v1", "decision_id", decision["decision_id"]
    )
    assert recorded["data"]["proposal_id"] == proposal_id
    assert [v["choice"] for v in recorded["data"]["votes"]] == ["for", "against", "for"]


async def test_a_quorate_proposal_not_carried_closes_and_the_officer_may_propose_again(
    funding: Funding,
) -> None:
    proposal_id = await before_the_panel(funding)
    application_id = funding.client.get(
        f"/hnf/proposals/{proposal_id}", headers=funding.as_("auditor")
    ).json()["application_id"]

    while_open = propose(funding, application_id, DECLINE_ON_MERIT)
    for member_id in (OFFICER_1, SENCO_2):
        vote(funding, proposal_id, member_id, "against")
    closing = vote(funding, proposal_id, HEAD_3, "abstain")
    late = vote(funding, proposal_id, SENCO_4)
    again = propose(funding, application_id, DECLINE_ON_MERIT)

    assert while_open.status_code == 409
    assert while_open.json()["code"] == "proposal_open"
    assert (closing.json()["status"], closing.json()["decision"]) == ("not_carried", None)
    assert late.status_code == 409
    assert late.json()["code"] == "proposal_not_open"
    assert again.status_code == 201, again.text
    assert await funding.fetchval("SELECT count(*) FROM decisions") == 0


async def test_a_member_votes_once_only(funding: Funding) -> None:
    proposal_id = await before_the_panel(funding)

    vote(funding, proposal_id, OFFICER_1)
    twice = vote(funding, proposal_id, OFFICER_1, "against")

    assert twice.status_code == 409
    assert twice.json()["code"] == "member_voted_twice"


async def test_a_member_out_of_term_or_untrained_may_not_vote(funding: Funding) -> None:
    proposal_id = await before_the_panel(
        funding,
        [
            *ROSTER,
            roster_member(SENCO_OLD, "senco", term=("2020-01-01", "2021-08-31")),
            roster_member(SENCO_NEW, "senco", trained_on=None),
        ],
    )

    refused = [vote(funding, proposal_id, m) for m in (SENCO_OLD, SENCO_NEW)]

    assert [r.status_code for r in refused] == [422, 422]
    assert [r.json()["code"] for r in refused] == ["member_not_eligible"] * 2
    assert [r.json()["details"][1] for r in refused] == ["out_of_term", "untrained"]


async def test_the_panel_must_be_one_of_the_applications_area(funding: Funding) -> None:
    await funding.register_setting()
    set_roster(funding, "panel-west-1", area="west-kent")
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()

    elsewhere = propose(
        funding, application["application_id"], DECLINE_ON_MERIT, panel_id="panel-west-1"
    )
    unknown = propose(
        funding, application["application_id"], DECLINE_ON_MERIT, panel_id="panel-nowhere"
    )

    assert (elsewhere.status_code, elsewhere.json()["code"]) == (422, "panel_of_another_area")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_panel")


async def test_panels_are_listed_to_each_reader_by_scope_a_page_at_a_time(
    funding: Funding,
) -> None:
    for n in range(3):
        set_roster(funding, f"panel-east-{n}")
    set_roster(funding, "panel-west-1", area="west-kent")

    def listed(headers: dict[str, str], **params: Any) -> dict[str, Any]:
        response = funding.client.get("/panels", params=params, headers=headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    east = funding.as_("kcc-officer", areas=("east-kent",))
    first = listed(east, limit=2)
    rest = listed(east, limit=2, after=first["next"])
    member = listed(funding.as_member(SENCO_2, "panel-west-1"))

    assert [p["panel_id"] for p in first["panels"] + rest["panels"]] == [
        "panel-east-0",
        "panel-east-1",
        "panel-east-2",
    ]
    assert rest["next"] is None
    assert [p["panel_id"] for p in member["panels"]] == ["panel-west-1"]
    assert len(listed(funding.as_("auditor"))["panels"]) == 4
