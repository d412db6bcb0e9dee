"""Area Boards and the local authority see anonymised themes: per area of review, how many
issued reports named it for development, with counts under 5 suppressed as `c` and whatever
would reveal them suppressed too."""

from __future__ import annotations

import json
from typing import Any

from .conftest import Reviews, ok, review_of

ASSESSMENT = "assessment-and-identification"
PARENTS = "working-with-pupils-and-parents"
TEACHING = "teaching-and-learning"
SCHOOLS = [f"school-{n}" for n in range(1, 8)]


def findings(*for_development: str) -> list[dict[str, Any]]:
    return [
        {
            "finding_id": f"finding-{k}",
            "area": area,
            "kind": "area-for-development",
            "summary": "To develop.",
            "evidence": ["doc-visit-notes-1"],
        }
        for k, area in enumerate(for_development)
    ]


def six_issued_reports_and_a_draft(reviews: Reviews) -> dict[str, Any]:
    """Six issued reports in Thanet: all name assessment, five name work with parents, two name
    teaching. A seventh, still a draft, names teaching too and is not counted."""
    cycle = reviews.open_cycle(
        partnerships=[SCHOOLS[0:2], SCHOOLS[2:4], SCHOOLS[4:7]],
    )
    reviewer = {0: 1, 1: 0, 2: 3, 3: 2, 4: 5, 5: 6, 6: 4}
    for n, school in enumerate(SCHOOLS):
        areas = [ASSESSMENT] + ([PARENTS] if n < 5 else []) + ([TEACHING] if n >= 4 else [])
        reviews.issue_report(
            review_of(cycle, school),
            school,
            reviewer=SCHOOLS[reviewer[n]],
            findings=findings(*areas),
            issue=n < 6,
        )
    return cycle


async def test_themes_suppress_small_counts_and_whatever_would_reveal_them(
    reviews: Reviews,
) -> None:
    six_issued_reports_and_a_draft(reviews)

    themes = ok(
        reviews.client.get("/themes", params={"area": "east-kent"}, headers=reviews.area_board())
    )

    assert themes["area"] == "east-kent"
    assert themes["columns"] == ["canterbury", "swale", "thanet"]
    thanet = {row["label"]: row["cells"][2] for row in themes["rows"]}
    assert thanet[TEACHING] == "c", "2 reviews: suppressed"
    assert thanet[PARENTS] == "c", "5 reviews, suppressed so the total cannot reveal the 2"
    assert thanet[ASSESSMENT] == 6
    assert thanet["outcomes"] == 0, "a true zero names nobody"
    assert themes["grand_total"] == 13
    assert "school-" not in json.dumps(themes)


async def test_a_cycles_themes_are_protected_the_same_way(reviews: Reviews) -> None:
    cycle = six_issued_reports_and_a_draft(reviews)

    themes = ok(
        reviews.client.get(f"/cycles/{cycle['cycle_id']}/themes", headers=reviews.coordinator())
    )

    counts = dict(zip(themes["labels"], themes["counts"], strict=True))
    assert (counts[ASSESSMENT], counts[PARENTS], counts[TEACHING]) == (6, "c", "c")
    assert themes["total"] == 13


async def test_themes_are_for_area_boards_officers_and_auditors_only(reviews: Reviews) -> None:
    callers = {
        "area-board": reviews.area_board("north-kent"),
        "kcc-officer": reviews.as_("kcc-officer", areas=("north-kent",)),
        "auditor": reviews.as_("auditor"),
        "senco": reviews.senco_of("school-a"),
        "parent": reviews.as_("parent", child="child-1ae80cfbd8c8ca02806d"),
        "panel-member": reviews.as_("panel-member", panels=("panel-north",)),
    }
    for role, headers in callers.items():
        response = reviews.client.get("/themes", params={"area": "north-kent"}, headers=headers)
        expected = 200 if role in ("area-board", "kcc-officer", "auditor") else 403
        assert response.status_code == expected, role
    unknown = reviews.client.get(
        "/themes", params={"area": "atlantis"}, headers=reviews.coordinator()
    )
    assert unknown.status_code == 422


async def test_a_review_counts_once_per_area_and_only_in_its_own_kent_area(
    reviews: Reviews,
) -> None:
    """Five issued reports in Dover each name assessment twice, beside a strength in
    leadership; Thanet's six are counted in east Kent and Dover's five in south Kent only."""
    six_issued_reports_and_a_draft(reviews)
    dover = SCHOOLS[:5]
    cycle = reviews.open_cycle(
        district="dover", community_id="cos-dover-1", partnerships=[dover[0:2], dover[2:5]]
    )
    twice = [
        *findings(ASSESSMENT, ASSESSMENT),
        {**findings("leadership")[0], "finding_id": "finding-strength", "kind": "strength"},
    ]
    reviewer = {0: 1, 1: 0, 2: 3, 3: 4, 4: 2}
    for n, school in enumerate(dover):
        reviews.issue_report(
            review_of(cycle, school), school, reviewer=dover[reviewer[n]], findings=twice
        )

    def themes_of(area: str) -> dict[str, Any]:
        found: dict[str, Any] = ok(
            reviews.client.get("/themes", params={"area": area}, headers=reviews.coordinator())
        )
        return found

    south, east = themes_of("south-kent"), themes_of("east-kent")
    counts = ok(
        reviews.client.get(f"/cycles/{cycle['cycle_id']}/themes", headers=reviews.coordinator())
    )

    assert south["grand_total"] == 5
    in_dover = {
        row["label"]: row["cells"][south["columns"].index("dover")] for row in south["rows"]
    }
    assert (in_dover[ASSESSMENT], in_dover["leadership"]) == (5, 0)
    assert east["grand_total"] == 13, "Dover's reviews are not east Kent's"
    assert dict(zip(counts["labels"], counts["counts"], strict=True))[ASSESSMENT] == 5
    assert counts["total"] == 5
