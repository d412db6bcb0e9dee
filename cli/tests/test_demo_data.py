"""The Kent demo data: reproducible from its seed, pseudonymous, and acceptable to the services'
own rules (checked with their domain models, without running them)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_completeness import check_completeness
from funding.domain.policy import load_policy
from funding.domain.senif import SenifApplication
from inclusion_cli.demo import cases
from inclusion_cli.demo.data import EARLY_YEARS, KentDemo, kent_demo
from inclusion_shared.kent import Area, District
from placements.domain.capacity import Capacity, check_capacity
from placements.domain.setting import Setting, check_setting

PSEUDONYMOUS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")
ON = date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo() -> KentDemo:
    return kent_demo()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_ids(demo: KentDemo) -> None:
    again, other = kent_demo(), kent_demo(seed=7)

    assert again == demo
    assert not {c.child_id for c in demo.children} & {c.child_id for c in other.children}
    assert not {s.setting_id for s in demo.settings} & {s.setting_id for s in other.settings}


def test_kent_has_twelve_districts_in_four_areas_each_with_a_community_of_schools(
    demo: KentDemo,
) -> None:
    assert set(demo.communities) == set(District)
    assert {s.district for s in demo.settings} == set(District)
    assert {s.area for s in demo.settings} == set(Area)
    assert {s.community_id for s in demo.settings} == set(demo.communities.values())


def test_about_sixty_settings_of_every_kind_each_as_the_registry_accepts_it(
    demo: KentDemo,
) -> None:
    kinds = Counter(s.provision for s in demo.settings)

    assert len(demo.settings) == 60
    assert set(kinds) == {"mainstream", "srp", "special", "pru", "early-years", "portage"}
    assert kinds["srp"] == 6 and kinds["special"] == 5 and kinds["pru"] == 1
    for demo_setting in demo.settings:
        setting = check_setting(Setting.model_validate(demo_setting.registration()))
        for capacity in (demo_setting.capacity("2026-27"),):
            check_capacity(
                setting, Capacity.model_validate({**capacity, "setting_id": setting.setting_id})
            )
    srps = demo.of_kind("srp")
    assert all("SEMH" not in s.need_types for s in srps)
    assert all((s.lowest_year, s.highest_year) == (7, 11) for s in srps if s.highest_year >= 7)
    assert {s.early_years_kind for s in demo.of_kind("early-years")} == {
        "pvi", "maintained-nursery", "childminder"
    }  # fmt: skip


def test_every_district_has_a_nursery_class_and_a_secondary_school(demo: KentDemo) -> None:
    for district in District:
        mainstream = demo.of_kind("mainstream", district)
        assert mainstream[0].takes(EARLY_YEARS), "nearest mainstream for an early years child"
        assert mainstream[-1].takes(7)


def test_children_are_ids_and_coarse_attributes_only_each_at_a_setting_for_their_year(
    demo: KentDemo,
) -> None:
    assert len(demo.children) == 300
    assert len({c.child_id for c in demo.children}) == 300
    for child in demo.children:
        assert PSEUDONYMOUS.match(child.child_id)
        assert demo.setting(child.setting_id).takes(child.year_group)
    assert {c.year_group for c in demo.children} >= {EARLY_YEARS, 6, 7, 11}


def test_each_area_panel_has_a_quorum_free_of_interest_in_any_of_its_schools(
    demo: KentDemo,
) -> None:
    for area, panel in demo.panels.items():
        roles = Counter(seat.role for seat in panel.seats)
        assert roles["kcc-officer"] >= 1 and roles["senco"] >= 2
        for setting in (s for s in demo.settings if s.area is area):
            voters = panel.voters({setting.setting_id})
            assert len(voters) == 3
            seats = {seat.member_id: seat for seat in panel.seats}
            assert not any(setting.setting_id in seats[v].declared_interests for v in voters)


def test_each_area_has_a_high_needs_budget(demo: KentDemo) -> None:
    assert set(demo.budgets_pence) == set(Area)
    assert all(500_000_000 <= pence <= 2_000_000_000 for pence in demo.budgets_pence.values())


def test_a_complete_hnf_application_is_complete_and_the_incomplete_ones_are_not(
    demo: KentDemo,
) -> None:
    policy = load_policy(
        {
            "version": "t", "effective_from": "2026-09-01", "label": "test",
            "school_met_threshold_pence": 600000,
            "bands": [{"band": n, "annual_top_up_pence": n * 300000, "level_of_support": "x"}
                      for n in range(1, 6)],
            "provision_plans_required": 2, "decision_target_days": 14,
            "staff_training_max_age_years": 2, "award_review_within_months": 12,
            "panel_quorum": {"min_voting_members": 3, "min_kcc_officers": 1},
            "senif_max_hours_per_week": 30, "senif_max_hours_per_week_eligible_two_year_olds": 15,
            "senif_portage_min_weeks": 8, "daf_annual_amount_pence": 91000,
        }
    )  # fmt: skip
    school = demo.of_kind("mainstream")[0]

    def application(**changes: object) -> HighNeedsApplication:
        body = cases.hnf_application(
            "hnf-1", "child-1ae80cfbd8c8ca02806d", school, 6, on=ON, **changes
        )
        return HighNeedsApplication.model_validate(body)

    assert check_completeness(application(), policy) == []
    assert check_completeness(application(has_ehcp=False), policy) == []
    assert check_completeness(application(provision_plans=[]), policy) != []
    assert check_completeness(application(costed_provision_pence=None), policy) != []


def test_a_senif_application_matches_the_funding_model(demo: KentDemo) -> None:
    nursery = demo.of_kind("early-years")[0]

    application = SenifApplication.model_validate(
        cases.senif_application("senif-1", "child-1ae80cfbd8c8ca02806d", nursery, on=ON)
    )

    assert application.setting_type.value == nursery.early_years_kind


@pytest.fixture(scope="module")
def kent() -> KentDemo:
    return kent_demo(scale="kent")


def test_kent_at_its_real_size_has_six_hundred_schools_in_thirty_six_communities(
    kent: KentDemo,
) -> None:
    kinds = Counter(s.provision for s in kent.settings)
    schools = kinds["mainstream"] + kinds["special"]
    assert 560 <= schools <= 640
    assert kinds["early-years"] == 300 and kinds["portage"] == 12 and kinds["pru"] == 6
    colleges = [s for s in kent.of_kind("mainstream") if s.lowest_year == 12]
    assert len(colleges) == 12
    assert len(kent.children) == 20_000
    assert kent.prefix == "kent2026" and kent_demo(scale="kent") == kent
    by_district = Counter(s.district for s in kent.settings)
    assert set(by_district) == set(District)
    communities = {(s.district, s.community_id) for s in kent.settings}
    assert len(communities) == 36
    assert Counter(d for d, _ in communities) == dict.fromkeys(District, 3)
    # The busiest district has the most primaries.
    primaries = Counter(s.district for s in kent.of_kind("mainstream") if s.highest_year == 6)
    assert primaries.most_common(1)[0][0] is District.MAIDSTONE


@pytest.mark.parametrize("scale", ["demo", "kent"])
def test_every_setting_and_community_has_a_name_people_would_read_and_the_registry_takes(
    scale: str,
) -> None:
    found = kent_demo(scale="kent") if scale == "kent" else kent_demo()
    names = [s.name for s in found.settings]
    assert all(names) and len(set(names)) == len(names)
    for demo_setting in found.settings:
        registered = Setting.model_validate(demo_setting.registration())
        assert registered.name == demo_setting.name
        assert registered.community_name and registered.community_name.endswith(
            "Community of Schools"
        )
    by_community = {(s.community_id, s.community_name) for s in found.settings}
    assert len({c for c, _ in by_community}) == len(by_community), "one name per community"
    srp = found.of_kind("srp")[0]
    assert srp.name and srp.name.startswith("Specialist Resource Provision at ")
