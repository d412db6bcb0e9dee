"""What one service does makes another act, through Kafka alone, and the log says why: each
consequence names the event that caused it (CloudEvents `causationid`) and shares its
correlation id. Driven over HTTP against the real running suite."""

from __future__ import annotations

from datetime import date, timedelta

from funding.domain.dates import financial_year_of
from inclusion_cli.demo import cases
from inclusion_cli.demo.data import DemoSetting, KentDemo
from inclusion_cli.demo.suite import Suite, parent, senco
from inclusion_shared.identifiers import child_id_for
from inclusion_shared.kent import District
from inclusion_shared.testing import eventually

from .conftest import (
    TODAY,
    academic_years,
    assert_caused_by,
    event_on,
    placement,
    registered,
    the_officer,
)

DISTRICT = District.THANET
PLACEMENTS = "placements.placement.v1"


async def test_a_placement_start_invites_the_familys_views(
    suite: Suite, kent: KentDemo, kafka: str
) -> None:
    primary = kent.of_kind("mainstream", DISTRICT)[1]
    child = child_id_for(f"{kent.prefix}-child-placed")
    registered(suite, kent, primary.setting_id)

    placed = cases.place(
        suite,
        placement(kent, "start", child, primary.setting_id, 3, academic_years(TODAY)[0]),
        TODAY + timedelta(7),
        the_officer(kent),
    )

    assert placed is not None
    placement_id = placed[1]
    started = await event_on(
        kafka, PLACEMENTS, "placements.placement.started", placement_id=placement_id
    )
    invited = await event_on(
        kafka, "feedback.invitation.v1", "feedback.invitation.issued", cause_id=placement_id
    )
    assert_caused_by(invited, started)
    assert (invited["data"]["voice"], invited["data"]["child_id"]) == ("parent-carer", child)
    seen_by_family = suite.read("feedback", "/invitations", parent(child))
    assert [i["cause_id"] for i in seen_by_family["invitations"]] == [placement_id]


async def test_a_phase_transfer_opens_a_high_needs_funding_reapplication(
    suite: Suite, kent: KentDemo, kafka: str
) -> None:
    primary = kent.of_kind("mainstream", DISTRICT)[0]
    secondary = kent.of_kind("mainstream", DISTRICT)[-1]
    child = child_id_for(f"{kent.prefix}-child-moving-up")
    registered(suite, kent, primary.setting_id, secondary.setting_id)
    _budget_for(suite, kent, primary)
    application = cases.hnf_application(f"hnf-{child}", child, primary, 6, on=TODAY)
    cases.submit_hnf(suite, "hnf", application)
    approved = cases.decide_hnf(
        suite,
        "hnf",
        application["application_id"],
        primary.setting_id,
        kent.panels[primary.area],
        cases.approve(TODAY, band=3),
        "Support beyond the school's own resources.",
        the_officer(kent),
    )
    assert approved is not None
    this_year, next_year = academic_years(TODAY)
    year_6 = cases.place(
        suite,
        placement(kent, "year-6", child, primary.setting_id, 6, this_year),
        TODAY + timedelta(7),
        the_officer(kent),
    )
    assert year_6 is not None
    leaving = max(date(int(this_year[:4]) + 1, 7, 21), TODAY + timedelta(14))
    cases.end_placement(suite, "year-6", year_6[1], leaving, "phase_transfer", the_officer(kent))

    year_7 = cases.place(
        suite,
        placement(kent, "year-7", child, secondary.setting_id, 7, next_year),
        date(int(next_year[:4]), 9, 6),
        the_officer(kent),
    )

    assert year_7 is not None
    started = await event_on(
        kafka, PLACEMENTS, "placements.placement.started", placement_id=year_7[1]
    )
    assert started["data"]["transfer"] == "primary-to-secondary"
    reopened = await event_on(
        kafka, "funding.application.v1", "funding.application.reapplication-opened", child_id=child
    )
    assert_caused_by(reopened, started)
    assert reopened["data"]["previous_application_id"] == application["application_id"]
    assert reopened["data"]["new_setting_id"] == secondary.setting_id


async def test_a_child_leaving_an_early_years_setting_ends_the_senif_award(
    suite: Suite, kent: KentDemo, kafka: str
) -> None:
    nursery = kent.of_kind("early-years")[0]
    nursery_class = kent.of_kind("mainstream", nursery.district)[0]
    child = child_id_for(f"{kent.prefix}-child-leaving")
    registered(suite, kent, nursery.setting_id, nursery_class.setting_id)
    decided = cases.senif_award(
        suite,
        "senif",
        cases.senif_application(f"senif-{child}", child, nursery, on=TODAY),
        TODAY + timedelta(7),
        the_officer(kent),
        kent.officers[1],
    )
    assert decided is not None and decided.answer["outcome"] == "awarded"
    award_id = decided.answer["award"]["award_id"]
    case = placement(
        kent,
        "nursery",
        child,
        nursery.setting_id,
        -1,
        academic_years(TODAY)[0],
        nearest=nursery_class.setting_id,
        need_type="SLCN",
        has_ehcp=False,
    )
    placed = cases.place(suite, case, TODAY + timedelta(7), the_officer(kent))
    assert placed is not None

    cases.end_placement(
        suite, "nursery", placed[1], TODAY + timedelta(35), "left_kent", the_officer(kent)
    )

    ended = await event_on(kafka, PLACEMENTS, "placements.placement.ended", placement_id=placed[1])
    assert ended["data"]["left_early_years"] is True
    award_ended = await event_on(
        kafka, "funding.allocation.v1", "funding.allocation.award-ended", award_id=award_id
    )
    assert_caused_by(award_ended, ended)
    assert (award_ended["data"]["child_id"], award_ended["data"]["setting_id"]) == (
        child,
        nursery.setting_id,
    )


async def test_a_review_follow_up_asks_the_school_for_its_views(
    suite: Suite, kent: KentDemo, kafka: str
) -> None:
    school, partner = (s.setting_id for s in kent.of_kind("mainstream", DISTRICT)[:2])
    reviewer = kent.of_kind("mainstream", DISTRICT)[1]
    cases.enrol_reviewer(suite, reviewer, TODAY, TODAY + timedelta(365), the_officer(kent))
    review_of = cases.open_cycle(
        suite,
        "cycle",
        f"{kent.prefix}-cycle",
        kent.communities[DISTRICT],
        DISTRICT.value,
        [[school, partner]],
        the_officer(kent),
    )

    cases.walk_review(
        suite,
        "review",
        review_of[school],
        school,
        partner,
        to="follow-up",
        on=TODAY,
        by=the_officer(kent),
    )

    followed_up = await event_on(
        kafka,
        "reviews.review.v1",
        "reviews.review.follow-up-completed",
        review_id=review_of[school],
    )
    invited = await event_on(
        kafka, "feedback.invitation.v1", "feedback.invitation.issued", cause_id=review_of[school]
    )
    assert_caused_by(invited, followed_up)
    assert (invited["data"]["voice"], invited["data"]["setting_id"]) == ("setting", school)

    async def seen_by_school() -> list[str]:
        found = suite.read("feedback", "/invitations", senco(school)) or {}
        return [i["cause"] for i in found.get("invitations", [])]

    assert await eventually(seen_by_school) == ["review-follow-up"]


def _budget_for(suite: Suite, kent: KentDemo, setting: DemoSetting) -> None:
    """The area needs a High Needs budget this financial year for an approval to commit; a
    running demo has one already, which is left as it is."""
    year = financial_year_of(TODAY)
    path = f"/budgets/{setting.area.value}/{year}"
    if suite.read("funding", path, the_officer(kent)) is None:
        suite.command(
            "funding",
            "PUT",
            path,
            step=f"budget:{year}",
            kind="budget",
            caller=the_officer(kent),
            body={"annual_amount_pence": 5_000_000_000},
        )
