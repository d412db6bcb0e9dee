"""Lists come a page at a time: `limit` rows, and a `next` cursor to the rest (null at the end);
the counts beside a list count everything, not the page."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from funding.app import EXAMPLE_POLICY
from inclusion_shared.identifiers import child_id_for

from .conftest import DECLINE_ON_MERIT, KENT, SCHOOL, Funding, complete_application, panel_decision


def every_page(funding: Funding, path: str, items: str, **params: Any) -> list[dict[str, Any]]:
    """Each page of a list, following `next` from the first page to the last."""
    pages, after = [], None
    while True:
        response = funding.client.get(
            path,
            params={**params, **({"after": after} if after else {})},
            headers=funding.as_("auditor"),
        )
        assert response.status_code == 200, response.text
        assert items in response.json()
        pages.append(response.json())
        after = pages[-1]["next"]
        if after is None:
            return pages


def publish(funding: Funding, version: str, effective_from: str) -> None:
    policy = {**json.loads(EXAMPLE_POLICY.read_text()), "version": version}
    response = funding.client.post(
        "/policies",
        json={**policy, "effective_from": effective_from},
        headers=funding.as_("kcc-officer", areas=KENT),
    )
    assert response.status_code == 201, response.text


async def test_policies_are_listed_a_page_at_a_time_in_the_order_they_take_effect(
    funding: Funding,
) -> None:
    publish(funding, "kent-2028.1", "2028-04-01")
    publish(funding, "kent-2027.1", "2027-04-01")

    pages = every_page(funding, "/policies", "policies", limit=1)

    assert [[p["version"] for p in page["policies"]] for page in pages] == [
        ["kent-example-2026.1"],
        ["kent-2027.1"],
        ["kent-2028.1"],
    ]


async def test_timeliness_counts_every_decision_and_lists_them_a_page_at_a_time(
    funding: Funding,
) -> None:
    await funding.register_setting()
    for n in range(3):
        submitted = funding.client.post(
            "/hnf/applications",
            json=complete_application(child_id=child_id_for(f"lists-{n}")),
            headers=funding.as_("senco", setting=SCHOOL),
        ).json()
        decided = panel_decision(funding, submitted["application_id"], DECLINE_ON_MERIT)
        assert decided.status_code == 201, decided.text

    pages = every_page(funding, "/hnf/timeliness", "decisions", limit=2)

    assert [len(page["decisions"]) for page in pages] == [2, 1]
    assert {(page["decided"], page["breaches"], page["within_target"]) for page in pages} == {
        (3, 0, 3)
    }
    listed = [d["decision_id"] for page in pages for d in page["decisions"]]
    assert len(set(listed)) == 3


def cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


@pytest.mark.parametrize(
    ("path", "after"),
    [
        ("/policies", "not-a-cursor"),
        ("/policies", cursor("2026-09-01", "kent-example-2026.1")),
        ("/policies", cursor("a\u0000b")),
        ("/hnf/timeliness", cursor("2026-12-01")),
        ("/hnf/timeliness", cursor("2026-12-01", "dec-\u0000")),
        ("/hnf/timeliness", cursor(3, 4)),
    ],
    ids=["not_base64", "wrong_arity", "not_a_date", "too_short", "not_an_id", "numbers"],
)
async def test_a_cursor_no_page_gave_is_a_problem_not_a_failure(
    funding: Funding, path: str, after: str
) -> None:
    response = funding.client.get(path, params={"after": after}, headers=funding.as_("auditor"))

    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/bad-cursor")


@pytest.mark.parametrize("limit", [0, 501])
async def test_a_page_is_never_empty_nor_larger_than_the_kit_allows(
    funding: Funding, limit: int
) -> None:
    response = funding.client.get(
        "/policies", params={"limit": limit}, headers=funding.as_("auditor")
    )

    assert response.status_code == 422
