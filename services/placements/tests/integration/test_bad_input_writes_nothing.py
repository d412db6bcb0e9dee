"""Bad input gets a 4xx problem response and changes nothing: no rows, no events."""

from __future__ import annotations

from typing import Any

import pytest

from inclusion_shared.identifiers import person_id_for

from .conftest import (
    OFFICER_1,
    PANEL_ID,
    PRIMARY,
    ROSTER,
    SECONDARY,
    SECONDARY_SRP,
    SENCO_1,
    SPECIAL,
    SRP_OPTIONS,
    UNSUITABLE,
    Placements,
    events_of,
    placement_request,
    proposal,
    roster_member,
    setting,
)

TABLES = (
    "settings",
    "capacities",
    "requests",
    "consultations",
    "proposals",
    "votes",
    "decisions",
    "offers",
    "panel_rosters",
)


async def written(placements: Placements) -> dict[str, int]:
    counts = {table: await placements.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}
    return {
        **counts,
        "placements": await placements.fetchval("SELECT count(*) FROM placements"),
        "sealed": await placements.fetchval("SELECT count(*) FROM personal_records"),
        "events": await placements.fetchval("SELECT count(*) FROM outbox"),
    }


def assert_problem(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if code is not None:
        assert response.json()["code"] == code, response.text


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"provision": "srp", "lowest_year": 5, "highest_year": 9, "need_types": ["ASD"]},
            "secondary_srp_outside_years_7_to_11",
        ),
        (
            {"provision": "srp", "lowest_year": 7, "highest_year": 12, "need_types": ["ASD"]},
            "secondary_srp_outside_years_7_to_11",
        ),
        (
            {"provision": "srp", "lowest_year": 7, "highest_year": 11, "need_types": ["SEMH"]},
            "semh_srp",
        ),
        (
            {"provision": "srp", "lowest_year": 7, "highest_year": 11},
            "designation_without_need_types",
        ),
        ({"provision": "mainstream", "lowest_year": 7, "highest_year": 5}, "year_range_reversed"),
    ],
    ids=["srp_years_5_to_9", "srp_to_year_12", "semh_srp", "srp_without_needs", "reversed_years"],
)
async def test_a_setting_the_rules_do_not_allow_is_refused_and_nothing_is_written(
    placements: Placements, changes: dict[str, Any], code: str
) -> None:
    response = placements.post("/settings", setting("srp-0999", **changes))

    assert_problem(response, 422, code)
    assert (await written(placements))["settings"] == 0
    assert (await written(placements))["events"] == 0


async def test_a_setting_registered_twice_is_a_conflict(placements: Placements) -> None:
    placements.register(PRIMARY)

    assert_problem(
        placements.post("/settings", setting(PRIMARY)), 409, "setting_already_registered"
    )
    assert (await written(placements))["events"] == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"academic_year": "2027-28"}, 422),
        (
            {
                "academic_year": "2027-28",
                "designated_places": 8,
                "by_year_group": [{"year_group": 7, "places": 8}],
            },
            422,
        ),
        ({"academic_year": "2027-29", "designated_places": 8}, 422),
        ({"academic_year": "9999-00", "designated_places": 8}, 422),
        ({"academic_year": "2027-28", "designated_places": -1}, 422),
        ({"academic_year": "2027-28", "by_year_group": [{"year_group": 3, "places": 8}]}, 422),
    ],
    ids=[
        "no_places",
        "two_bases",
        "not_one_year",
        "beyond_the_records",
        "negative",
        "year_the_srp_does_not_take",
    ],
)
async def test_capacity_that_is_not_one_clear_count_is_refused(
    placements: Placements, body: dict[str, Any], status: int
) -> None:
    placements.register(SECONDARY_SRP)
    before = await written(placements)

    response = placements.client.put(
        f"/settings/{SECONDARY_SRP}/capacity", json=body, headers=placements.officer
    )

    assert_problem(response, status)
    assert await written(placements) == before


async def test_capacity_for_an_unknown_setting_is_not_found(placements: Placements) -> None:
    response = placements.client.put(
        "/settings/srp-unknown/capacity",
        json={"academic_year": "2027-28", "designated_places": 8},
        headers=placements.officer,
    )

    assert_problem(response, 404)
    assert (await written(placements))["capacities"] == 0


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"child_id": "Jane Smith"}, None),
        ({"child_id": "Jane.Smith"}, None),
        ({"child_id": "child-jsmith-2015-03-04"}, None),
        ({"surname": "Smith"}, None),
        ({"district": "atlantis"}, None),
        ({"year_group": 15}, None),
        ({"academic_year": "2027-29"}, None),
        ({"academic_year": "0000-01"}, None),
        ({"preferences": [SPECIAL, SPECIAL]}, None),
        ({"preferences": [f"mainstream-{n}" for n in range(11)]}, None),
        ({"child_details": {"name": "Ada", "date_of_birth": "2015-03-04", "notes": "x"}}, None),
        ({"received_on": "2026-10-02"}, "dated_in_the_future"),
        ({"preferences": ["special-unknown"]}, "unknown_setting"),
    ],
    ids=[
        "a_name_for_a_child_id",
        "a_dotted_name_for_a_child_id",
        "a_name_and_birthday_after_the_prefix",
        "a_field_the_request_has_not",
        "unknown_district",
        "no_such_year_group",
        "not_one_academic_year",
        "a_year_before_the_records",
        "a_preference_ranked_twice",
        "more_preferences_than_a_family_ranks",
        "free_text_about_the_child",
        "received_tomorrow",
        "unknown_setting",
    ],
)
async def test_a_malformed_request_is_refused_and_nothing_is_written(
    placements: Placements, changes: dict[str, Any], code: str | None
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    before = await written(placements)

    response = placements.post("/requests", placement_request(**changes))

    assert_problem(response, 422, code)
    assert await written(placements) == before


async def test_consulting_an_unknown_or_unsuitable_nearest_school_writes_nothing(
    placements: Placements,
) -> None:
    placements.register(PRIMARY, SECONDARY, SECONDARY_SRP, SPECIAL)
    request = placements.receive()
    before = await written(placements)
    url = f"/requests/{request['request_id']}/consultations"

    assert_problem(
        placements.post(url, {"nearest_mainstream_id": "mainstream-unknown"}),
        422,
        "unknown_setting",
    )
    assert_problem(
        placements.post(url, {"nearest_mainstream_id": SPECIAL}), 422, "nearest_is_not_mainstream"
    )
    assert_problem(
        placements.post(url, {"nearest_mainstream_id": PRIMARY}), 422, "year_group_not_taken"
    )
    assert await written(placements) == before


async def test_consulting_on_an_unknown_request_is_not_found(placements: Placements) -> None:
    placements.register(SECONDARY)

    response = placements.post(
        "/requests/req-unknown/consultations", {"nearest_mainstream_id": SECONDARY}
    )

    assert_problem(response, 404)


async def prepared(placements: Placements, nearest: str = SECONDARY, **changes: Any) -> str:
    """A consulted request, ready for the panel (its roster kept); returns its id."""
    placements.set_roster()
    placements.register(PRIMARY, SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=1)
    request = placements.receive(**changes)
    placements.consult(request["request_id"], nearest)
    return str(request["request_id"])


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"options_considered": []}, "options_not_exhausted"),
        (
            {
                "options_considered": [
                    {
                        "option": "graduated_response",
                        "not_enough_because": "needs_exceed_sen_support",
                    }
                ]
            },
            "options_not_exhausted",
        ),
        ({"preference_refusals": [{"setting_id": SPECIAL}]}, "refusal_without_statutory_reason"),
        (
            {"preference_refusals": [{"setting_id": SPECIAL, "reason": "too_expensive_to_run"}]},
            "refusal_without_statutory_reason",
        ),
        ({"preference_refusals": []}, "preference_not_refused"),
        ({"setting_id": "srp-unknown"}, "unknown_setting"),
        ({"rationale": "   "}, "rationale_missing"),
        ({"panel_id": "panel-nowhere"}, "unknown_panel"),
        ({"panel_id": "panel-west-1"}, "panel_of_another_area"),
    ],
    ids=[
        "a_specialist_place_without_options_considered",
        "options_not_exhausted",
        "a_refusal_without_a_reason",
        "a_refusal_for_a_reason_the_law_does_not_give",
        "a_higher_preference_not_refused",
        "an_unknown_setting",
        "a_blank_rationale",
        "an_unknown_panel",
        "a_panel_of_another_area",
    ],
)
async def test_a_proposal_breaking_the_rules_is_refused_and_nothing_is_written(
    placements: Placements, changes: dict[str, Any], code: str
) -> None:
    request_id = await prepared(placements)
    placements.set_roster("panel-west-1", area="west-kent")
    before = await written(placements)

    response = placements.propose(request_id, **changes)

    assert_problem(response, 422, code)
    assert await written(placements) == before


async def test_a_year_outside_the_srp_s_range_is_refused(placements: Placements) -> None:
    request_id = await prepared(
        placements, PRIMARY, year_group=6, academic_year="2026-27", preferences=[SECONDARY_SRP]
    )
    before = await written(placements)

    response = placements.propose(request_id, preference_refusals=[])

    assert_problem(response, 422, "year_group_not_taken")
    assert await written(placements) == before


async def test_an_offer_over_capacity_needs_a_kcc_officer_s_override_recorded_as_its_own_event(
    placements: Placements, child: str
) -> None:
    request_id = await prepared(placements)
    assert placements.decide(request_id).status_code == 201
    second = placements.receive(child_id=child)
    placements.consult(second["request_id"])
    before = await written(placements)

    refused = placements.propose(second["request_id"])
    by_a_panel_member = placements.propose(
        second["request_id"],
        as_=placements.as_member(OFFICER_1),
        capacity_override_reason="statutory_duty_to_place",
    )

    assert_problem(refused, 422, "over_capacity_without_override")
    assert_problem(by_a_panel_member, 403)
    assert await written(placements) == before
    overridden = placements.decide(
        second["request_id"], capacity_override_reason="statutory_duty_to_place"
    )
    assert overridden.status_code == 201, overridden.text
    (event,) = await events_of(
        placements.kafka,
        "placements.setting.v1",
        "offer_id",
        overridden.json()["decision"]["offer"]["offer_id"],
        "placements.setting.capacity-overridden",
    )
    assert event["data"] | {"offer_id": "?", "decision_id": "?"} == {
        "setting_id": SECONDARY_SRP,
        "academic_year": "2027-28",
        "year_group": 7,
        "offer_id": "?",
        "decision_id": "?",
        "places": 1,
        "held_before": 1,
        "authorised_by": person_id_for("kcc-officer-1"),
        "authorised_role": "kcc-officer",
        "reason": "statutory_duty_to_place",
    }


async def test_a_decision_without_recorded_capacity_is_refused(placements: Placements) -> None:
    placements.set_roster()
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    request = placements.receive()
    placements.consult(request["request_id"])
    before = await written(placements)

    assert_problem(placements.propose(request["request_id"]), 422, "no_capacity_recorded")
    assert await written(placements) == before


async def test_commands_on_unknown_children_s_records_are_not_found_and_write_nothing(
    placements: Placements,
) -> None:
    before = await written(placements)

    for path, body in [
        ("/requests/req-unknown/proposals", None),
        ("/offers/offer-unknown/acceptance", None),
        ("/offers/offer-unknown/decline", {"reason": "family_moved"}),
        ("/placements", {"offer_id": "offer-unknown", "starts_on": "2027-09-06"}),
        ("/placements/placement-unknown/end", {"ends_on": "2027-07-21", "reason": "left_kent"}),
        ("/placements/placement-unknown/amended-plans", {"issued_on": "2026-09-30"}),
        ("/assessments/ehc-unknown/steps", {"step": "decided_to_assess", "on": "2026-09-30"}),
        (
            "/assessments/ehc-unknown/exceptions",
            {
                "clock": "final_ehcp",
                "kind": "exceptional_personal_circumstances",
                "reason": "bereavement",
                "from_on": "2026-09-01",
            },
        ),
    ]:
        assert_problem(placements.post(path, body or proposal()), 404)
    for path in (
        "/requests/req-unknown",
        "/offers/x",
        "/placements/x",
        "/decisions/x",
        "/proposals/x",
        "/panels/x",
    ):
        assert_problem(placements.client.get(path, headers=placements.officer), 404)
    assert_problem(placements.vote("prop-unknown", OFFICER_1), 404)
    interest = {"setting_id": SECONDARY}
    declared = placements.post(
        "/panels/x/interests", interest, placements.as_member(person_id_for("x"), "x")
    )
    assert_problem(declared, 404)
    assert await written(placements) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"options_considered": SRP_OPTIONS * 7},
        {"preference_refusals": [{"setting_id": SPECIAL, "reason": UNSUITABLE}] * 11},
        {"rationale": "x" * 20_001},
        {"votes": [{"member_id": OFFICER_1, "choice": "for"}]},
    ],
    ids=["options", "refusals", "rationale", "votes_are_never_the_proposal_s_say"],
)
async def test_a_proposal_beyond_its_bounds_is_refused_before_anything_is_read(
    placements: Placements, changes: dict[str, Any]
) -> None:
    response = placements.propose("req-any", **changes)

    assert_problem(response, 422)


@pytest.mark.parametrize(
    "body",
    [
        {"members": [roster_member(person_id_for(f"m-{n}"), "senco") for n in range(21)]},
        {"members": [roster_member(person_id_for("m-1"), "senco", *(f"s-{n}" for n in range(51)))]},
        {"members": [ROSTER[0], ROSTER[0]]},
        {
            "members": [
                roster_member(person_id_for("m-1"), "senco", term=("2027-01-01", "2026-12-31"))
            ]
        },
        {"members": ROSTER, "quorum": {"min_voting_members": 0}},
    ],
    ids=["members", "interests", "a_member_twice", "a_term_ending_before_it_begins", "quorum"],
)
async def test_a_roster_beyond_its_bounds_is_refused_and_nothing_is_written(
    placements: Placements, body: dict[str, Any]
) -> None:
    before = await written(placements)
    quorum = {"min_voting_members": 3, "min_kcc_officers": 1, "min_sencos": 1}

    response = placements.client.put(
        f"/panels/{PANEL_ID}",
        json={"area": "east-kent", "quorum": quorum, **body},
        headers=placements.officer,
    )

    assert_problem(response, 422)
    assert await written(placements) == before


async def test_a_vote_with_a_voter_named_in_its_body_is_refused(placements: Placements) -> None:
    response = placements.post(
        "/proposals/prop-any/votes",
        {"choice": "for", "member_id": OFFICER_1},
        placements.as_member(SENCO_1),
    )

    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/requests/r%00x"),
        ("GET", "/settings/s%00x"),
        ("GET", "/offers/o%00x"),
        ("GET", "/placements/p%00x"),
        ("GET", "/assessments/a%00x"),
        ("GET", "/decisions/d%00x"),
        ("GET", "/proposals/p%00x"),
        ("GET", "/panels/p%00x"),
        ("GET", "/consultations/c%00x"),
        ("GET", "/sufficiency?academic_year=0000-01"),
    ],
)
async def test_a_value_no_record_could_have_is_a_problem_not_a_failure(
    placements: Placements, method: str, path: str
) -> None:
    response = placements.client.request(method, path, headers=placements.officer)

    assert_problem(response, 422)
