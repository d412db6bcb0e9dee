"""A panel's stored roster: versions, a fixed area, members' own interests, who is eligible to
sit on a day, and who may vote on a proposal."""

from datetime import date

import pytest

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.panel import PanelRole, Vote, VoteChoice
from funding.domain.roster import (
    Roster,
    RosterMember,
    admit_vote,
    declare_interest,
    keep_roster,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area

OFFICER_1 = person_id_for("officer-1")
SENCO_2 = person_id_for("senco-2")
SENCO_4 = person_id_for("senco-4")
SENCO_9 = person_id_for("senco-9")
STRANGER_9 = person_id_for("stranger-9")
MEMBER_A = person_id_for("a")
NEW_MEMBER = person_id_for("new")

DAY = date(2026, 11, 2)
SCHOOL = "school-0042"


def member(member_id: str, role: PanelRole = PanelRole.SENCO, **changes: object) -> RosterMember:
    fields: dict[str, object] = {
        "member_id": member_id,
        "role": role,
        "term_from": date(2026, 9, 1),
        "term_to": date(2027, 8, 31),
        "trained_on": date(2026, 8, 20),
        **changes,
    }
    return RosterMember.model_validate(fields)


MEMBERS = (
    member(OFFICER_1, PanelRole.KCC_OFFICER),
    member(SENCO_2),
    member(SENCO_4, declared_interests=(SCHOOL,)),
)


def roster() -> Roster:
    kept = keep_roster(None, "panel-east-1", Area.EAST, MEMBERS, DAY)
    assert kept is not None
    return kept


def refusal(call: object) -> RefusalCode:
    with pytest.raises(DecisionRefused) as refused:
        call()  # type: ignore[operator]
    return refused.value.code


def test_a_new_roster_is_version_one_and_a_change_makes_the_next() -> None:
    first = roster()
    changed = keep_roster(first, "panel-east-1", Area.EAST, MEMBERS[:2], DAY)

    assert first.version == 1
    assert changed is not None and changed.version == 2


def test_the_same_roster_again_changes_nothing() -> None:
    assert keep_roster(roster(), "panel-east-1", Area.EAST, MEMBERS, DAY) is None


def test_a_panel_serves_one_area_for_good() -> None:
    code = refusal(lambda: keep_roster(roster(), "panel-east-1", Area.WEST, MEMBERS, DAY))

    assert code is RefusalCode.PANEL_AREA_FIXED


def test_a_term_cannot_end_before_it_begins() -> None:
    with pytest.raises(ValueError, match="term"):
        member(SENCO_9, term_from=date(2027, 1, 1), term_to=date(2026, 1, 1))


def test_a_member_sits_on_a_roster_once() -> None:
    with pytest.raises(ValueError, match="only once"):
        Roster(panel_id="p", area=Area.EAST, version=1, members=MEMBERS * 2, set_on=DAY)


def test_a_member_is_eligible_in_term_once_trained() -> None:
    assert member(MEMBER_A).eligible_on(DAY)
    assert not member(MEMBER_A).eligible_on(date(2027, 9, 1))
    assert not member(MEMBER_A, trained_on=None).eligible_on(DAY)
    assert not member(MEMBER_A, trained_on=date(2026, 12, 1)).eligible_on(DAY)


def test_the_panel_sitting_on_a_day_is_its_eligible_members() -> None:
    kept = keep_roster(None, "p", Area.EAST, (*MEMBERS, member(NEW_MEMBER, trained_on=None)), DAY)
    assert kept is not None

    panel = kept.panel_on(DAY)

    assert [m.member_id for m in panel.members] == [OFFICER_1, SENCO_2, SENCO_4]
    assert panel.members[2].declared_interests == (SCHOOL,)


def test_a_member_declares_an_interest_once() -> None:
    declared = declare_interest(roster(), SENCO_2, "school-0099", DAY)

    assert declared is not None and declared.version == 2
    assert declared.member(SENCO_2) == member(SENCO_2, declared_interests=("school-0099",))
    assert declare_interest(declared, SENCO_2, "school-0099", DAY) is None


def test_only_a_member_on_the_roster_declares() -> None:
    code = refusal(lambda: declare_interest(roster(), STRANGER_9, SCHOOL, DAY))

    assert code is RefusalCode.NOT_ON_PANEL


@pytest.mark.parametrize(
    ("member_id", "earlier", "code"),
    [
        (STRANGER_9, (), RefusalCode.NOT_ON_PANEL),
        (SENCO_4, (), RefusalCode.MUST_RECUSE),
        (
            SENCO_2,
            (Vote(member_id=SENCO_2, choice=VoteChoice.FOR),),
            RefusalCode.MEMBER_VOTED_TWICE,
        ),
    ],
)
def test_a_vote_is_refused_from_a_stranger_a_member_who_must_recuse_or_twice(
    member_id: str, earlier: tuple[Vote, ...], code: RefusalCode
) -> None:
    assert refusal(lambda: admit_vote(roster(), member_id, SCHOOL, earlier, DAY)) is code


def test_a_member_not_eligible_that_day_may_not_vote() -> None:
    late = date(2027, 9, 1)

    assert refusal(lambda: admit_vote(roster(), SENCO_2, SCHOOL, (), late)) is (
        RefusalCode.MEMBER_NOT_ELIGIBLE
    )


def test_an_eligible_member_free_of_interest_votes() -> None:
    admit_vote(roster(), SENCO_2, SCHOOL, (), DAY)
