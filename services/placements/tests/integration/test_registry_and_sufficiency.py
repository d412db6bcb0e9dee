"""The settings registry funding learns from, capacity, and sufficiency: demand against places
by district and designation."""

from __future__ import annotations

from inclusion_shared.identifiers import child_id_for

from .conftest import SECONDARY, SECONDARY_SRP, SPECIAL, Placements, events_of, setting


async def test_a_registered_setting_is_published_as_funding_reads_it(
    placements: Placements, unique: str
) -> None:
    srp = f"srp-{unique}"
    response = placements.post(
        "/settings",
        {
            "setting_id": srp,
            "provision": "srp",
            "district": "dover",
            "community_id": "cos-41",
            "lowest_year": 7,
            "highest_year": 11,
            "need_types": ["ASD", "SLCN"],
            "name": "The Vale Resource Base at Dover Grammar",
            "community_name": "Dover and Deal",
        },
    )

    assert response.status_code == 201, response.text
    assert response.json()["name"] == "The Vale Resource Base at Dover Grammar"
    (event,) = await events_of(
        placements.kafka,
        "placements.setting.v1",
        "setting_id",
        srp,
        "placements.setting.registered",
    )
    assert event["subject"] == srp
    assert event["data"] == {
        "setting_id": srp,
        "setting_type": "srp",
        "district": "dover",
        "area": "south-kent",
        "community_of_schools": "cos-41",
        "designation": ["ASD", "SLCN"],
        "lowest_year": 7,
        "highest_year": 11,
        "name": "The Vale Resource Base at Dover Grammar",
        "community_name": "Dover and Deal",
    }


async def test_a_setting_name_that_is_not_a_plain_name_is_refused(
    placements: Placements, unique: str
) -> None:
    for name in ("<script>alert(1)</script>", "x" * 121, " "):
        response = placements.post(
            "/settings",
            {
                "setting_id": f"school-{unique}",
                "provision": "mainstream",
                "district": "dover",
                "community_id": "cos-41",
                "lowest_year": 0,
                "highest_year": 6,
                "name": name,
            },
        )
        assert response.status_code == 422, name
        assert response.headers["content-type"] == "application/problem+json"
    assert (
        placements.client.get(
            f"/settings/school-{unique}", headers=placements.as_("kcc-officer")
        ).status_code
        == 404
    )


async def test_capacity_is_published_and_shown_with_the_places_offers_hold(
    placements: Placements, child: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    request = placements.receive(child_id=child)
    placements.consult(request["request_id"])
    placements.decide(request["request_id"])

    shown = placements.client.get(
        f"/settings/{SECONDARY_SRP}", headers=placements.as_("senco", setting=SECONDARY)
    ).json()

    assert shown["capacity"] == [
        {
            "setting_id": SECONDARY_SRP,
            "academic_year": "2027-28",
            "by_year_group": [],
            "designated_places": 8,
            "held_by_year_group": {"7": 1},
        }
    ]
    capacity_events = await placements.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = 'placements.setting.capacity-set'"
    )
    assert capacity_events == 1


async def test_sufficiency_sets_requests_against_places_and_hides_small_counts_from_area_boards(
    placements: Placements,
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    placements.set_capacity(SECONDARY, "2027-28", by_year_group=[{"year_group": 7, "places": 180}])
    for n in range(3):
        placements.receive(child_id=child_id_for(f"registry-{n}"))

    def rows(role: str) -> list[dict[str, object]]:
        response = placements.client.get(
            "/sufficiency",
            params={"academic_year": "2027-28"},
            headers=placements.as_(role, areas=("east-kent",)),
        )
        assert response.status_code == 200, response.text
        found: list[dict[str, object]] = response.json()["rows"]
        return found

    as_officer = {(r["provision"], r["need_type"]): r for r in rows("kcc-officer")}
    as_board = {(r["provision"], r["need_type"]): r for r in rows("area-board")}

    assert (as_officer["srp", "ASD"]["demand"], as_officer["srp", "ASD"]["places"]) == (3, 8)
    assert as_officer["mainstream", None]["places"] == 180
    assert (as_board["srp", "ASD"]["demand"], as_board["srp", "ASD"]["shortfall"]) == ("c", "c")
    assert as_board["srp", "ASD"]["area"] == "east-kent"
    board_total = placements.client.get(
        "/sufficiency",
        params={"academic_year": "2027-28"},
        headers=placements.as_("area-board", areas=("east-kent",)),
    ).json()["total_demand"]
    assert board_total == "c", "the total must not give a suppressed count away"


async def test_sufficiency_counts_requests_where_children_live_and_places_under_each_need(
    placements: Placements,
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    dover_srp = setting(
        "srp-0900",
        provision="srp",
        district="dover",
        lowest_year=7,
        highest_year=11,
        need_types=["ASD"],
    )
    assert placements.post("/settings", dover_srp).status_code == 201
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=2)
    placements.set_capacity(SECONDARY_SRP, "2026-27", designated_places=40)
    placements.set_capacity("srp-0900", "2027-28", designated_places=6)
    placements.set_capacity(SPECIAL, "2027-28", designated_places=5)
    placements.set_capacity(
        SECONDARY,
        "2027-28",
        by_year_group=[{"year_group": 7, "places": 180}, {"year_group": 12, "places": 60}],
    )
    asked = [
        ({}, 1),
        ({"academic_year": "2026-27"}, 1),
        ({"district": "dover"}, 4),
        ({"provision_sought": "mainstream"}, 2),
        ({"need_type": "HI"}, 2),
    ]
    for group, (changes, times) in enumerate(asked):
        for n in range(times):
            placements.receive(child_id=child_id_for(f"{group}-{n}"), preferences=[], **changes)

    response = placements.client.get(
        "/sufficiency", params={"academic_year": "2027-28"}, headers=placements.officer
    )

    assert response.status_code == 200, response.text
    assert [
        (r["district"], r["provision"], r["need_type"], r["demand"], r["places"])
        for r in response.json()["rows"]
    ] == [
        ("dover", "srp", "ASD", 4, 6),
        ("thanet", "mainstream", None, 2, 240),
        ("thanet", "special", "ASD", 0, 5),
        ("thanet", "special", "SLD", 0, 5),
        ("thanet", "srp", "ASD", 1, 2),
        ("thanet", "srp", "HI", 2, 0),
    ]
    assert response.json()["total_demand"] == 9
