"""The Disability Access Fund through the running service: one yearly lump sum per child on
DLA, to one provider only."""

from __future__ import annotations

from typing import Any

from .conftest import NURSERY, Funding, events_of

OTHER_NURSERY = "nursery-0522"


def claim(funding: Funding, provider: str = NURSERY, **changes: Any) -> Any:
    return funding.client.post(
        "/daf/claims",
        json={
            "child_id": "child-b88d32471e6d349d261f",
            "provider_id": provider,
            "child_receives_dla": True,
            **changes,
        },
        headers=funding.as_("senco", setting=provider),
    )


async def daf_written(funding: Funding) -> tuple[int, int]:
    return (
        await funding.fetchval("SELECT count(*) FROM daf_claims"),
        await funding.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'funding.decision.recorded'"
        ),
    )


async def test_daf_pays_the_yearly_lump_sum_from_the_policy_for_a_child_on_dla(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting(NURSERY, "early-years")

    response = claim(funding)

    assert response.status_code == 201, response.text
    assert response.json()["amount_pence"] == 91_000
    [event] = await events_of(
        kafka_bootstrap, "funding.decision.v1", "decision_id", response.json()["decision_id"]
    )
    data = event["data"]
    assert (data["scheme"], data["outcome"], data["annual_amount_pence"], data["setting_id"]) == (
        "daf",
        "awarded",
        91_000,
        NURSERY,
    )


async def test_a_second_daf_claim_for_the_child_this_year_is_refused_even_from_another_provider(
    funding: Funding,
) -> None:
    await funding.register_setting(NURSERY, "early-years")
    await funding.register_setting(OTHER_NURSERY, "early-years", district="dover")
    first = claim(funding)

    from_another_provider = claim(funding, OTHER_NURSERY)
    again = claim(funding)

    assert first.status_code == 201, first.text
    for refused in (from_another_provider, again):
        assert refused.status_code == 422
        assert refused.json()["code"] == "daf_already_claimed"
        assert refused.json()["details"] == [first.json()["claim_id"]]
    assert await daf_written(funding) == (1, 1)


async def test_daf_is_only_for_a_child_on_dla(funding: Funding) -> None:
    await funding.register_setting(NURSERY, "early-years")

    response = claim(funding, child_receives_dla=False)

    assert response.status_code == 422
    assert response.json()["code"] == "child_not_on_dla"
    assert await daf_written(funding) == (0, 0)


async def test_a_senco_claims_daf_only_for_their_own_setting(funding: Funding) -> None:
    await funding.register_setting(NURSERY, "early-years")

    response = funding.client.post(
        "/daf/claims",
        json={
            "child_id": "child-b88d32471e6d349d261f",
            "provider_id": NURSERY,
            "child_receives_dla": True,
        },
        headers=funding.as_("senco", setting=OTHER_NURSERY),
    )

    assert response.status_code == 403
    assert await daf_written(funding) == (0, 0)
