"""A placement panel's stored roster: versions an officer keeps, interests a member declares,
who may vote on a day (in term, trained, free of interest, once), and where the votes cast
leave a proposal under the roster's quorum."""

from datetime import date

import pytest

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.panel import (
    Panel,
    PanelRole,
    QuorumRule,
    Standing,
    Vote,
    VoteChoice,
    check_votes,
)
from placements.domain.roster import (
    Roster,
    RosterMember,
    admit_vote,
    declare_interest,
    keep_roster,
)

SRP, SPECIAL, SECONDARY = "srp-0301", "special-0401", "mainstream-0201"
UNDER_DECISION = (SRP, SPECIAL, SECONDARY)
TERM_FROM, TERM_TO = date(2026, 9, 1), date(2027, 8, 31)
ON = date(2026, 11, 16)
OFFICER_1 = person_id_for("officer-1")
SENCO_1 = person_id_for("senco-1")
SENCO_2 = person_id_for("senco-2")
SENCO_3 = person_id_for("senco-3")
SENCO_9 = person_id_for("senco-9")
SENCO_99 = person_id_for("senco-99")
HEAD_1 = person_id_for("head-1")
HEAD_2 = person_id_for("head-2")
QUORUM = QuorumRule(min_voting_members=3, min_kcc_officers=1, min_sencos=1)


def member(member_id: str, role: PanelRole, *interests: str, **changes: object) -> RosterMember:
    return RosterMember.model_validate(
        {
            "member_id": member_id,
            "role": role,
            "term_from": TERM_FROM,
            "term_to": TERM_TO,
            "trained_on": date(2026, 8, 31),
            "declared_interests": interests,
            **changes,
        }
    )


MEMBERS = (
    member(OFFICER_1, PanelRole.KCC_OFFICER),
    member(SENCO_1, PanelRole.SENCO),
    member(HEAD_1, PanelRole.HEADTEACHER),
    member(SENCO_2, PanelRole.SENCO, SRP),
    member(SENCO_3, PanelRole.SENCO, trained_on=None),
    member(HEAD_2, PanelRole.HEADTEACHER, term_to=date(2026, 10, 31)),
)


@pytest.fixture
def roster() -> Roster:
    kept = keep_roster(None, "panel-thanet-1", Area.EAST, MEMBERS, QUORUM, TERM_FROM)
    assert kept is not None
    return kept


def votes(*member_ids: str, choice: VoteChoice = VoteChoice.FOR) -> tuple[Vote, ...]:
    return tuple(Vote(member_id=m, choice=choice) for m in member_ids)


def refusal_of(roster: Roster, member_id: str, earlier: tuple[Vote, ...] = ()) -> DecisionRefused:
    with pytest.raises(DecisionRefused) as refused:
        admit_vote(roster, member_id, UNDER_DECISION, earlier, ON)
    return refused.value


def test_a_new_panel_s_roster_is_version_1_and_each_change_makes_the_next(roster: Roster) -> None:
    fewer = MEMBERS[:4]
    changed = keep_roster(roster, roster.panel_id, Area.EAST, fewer, QUORUM, ON)
    requorate = QuorumRule(min_voting_members=4, min_kcc_officers=1, min_sencos=1)
    stricter = keep_roster(roster, roster.panel_id, Area.EAST, MEMBERS, requorate, ON)

    assert roster.version == 1
    assert changed is not None and changed.version == 2 and changed.members == fewer
    assert stricter is not None and stricter.version == 2 and stricter.quorum == requorate


def test_the_same_roster_again_changes_nothing(roster: Roster) -> None:
    assert keep_roster(roster, roster.panel_id, Area.EAST, MEMBERS, QUORUM, ON) is None


def test_a_panel_s_area_never_changes(roster: Roster) -> None:
    with pytest.raises(DecisionRefused) as refused:
        keep_roster(roster, roster.panel_id, Area.WEST, MEMBERS, QUORUM, ON)

    assert refused.value.code is RefusalCode.PANEL_AREA_FIXED


def test_a_member_on_the_panel_twice_or_a_term_ending_before_it_begins_is_refused() -> None:
    with pytest.raises(ValueError, match="only once"):
        Roster(
            panel_id="panel-1",
            area=Area.EAST,
            version=1,
            members=(MEMBERS[0], MEMBERS[0]),
            quorum=QUORUM,
            set_on=ON,
        )
    with pytest.raises(ValueError, match="cannot end before it begins"):
        member(SENCO_9, PanelRole.SENCO, term_to=date(2026, 8, 1))


def test_a_member_declares_their_own_interest_once(roster: Roster) -> None:
    declared = declare_interest(roster, SENCO_1, SPECIAL, ON)

    assert declared is not None and declared.version == 2
    member_after = declared.member(SENCO_1)
    assert member_after is not None and member_after.declared_interests == (SPECIAL,)
    assert declare_interest(declared, SENCO_1, SPECIAL, ON) is None


def test_only_a_member_on_the_roster_declares(roster: Roster) -> None:
    with pytest.raises(DecisionRefused) as refused:
        declare_interest(roster, SENCO_99, SPECIAL, ON)

    assert refused.value.code is RefusalCode.NOT_ON_PANEL


def test_the_panel_that_sits_is_the_members_eligible_on_the_day(roster: Roster) -> None:
    sitting = roster.panel_on(ON)

    assert [m.member_id for m in sitting.members] == [
        OFFICER_1,
        SENCO_1,
        HEAD_1,
        SENCO_2,
    ]
    assert sitting.quorum == QUORUM
    with pytest.raises(DecisionRefused) as refused:
        roster.panel_on(date(2030, 1, 1))
    assert refused.value.code is RefusalCode.NO_ELIGIBLE_MEMBERS


def test_an_eligible_member_free_of_interest_votes(roster: Roster) -> None:
    admit_vote(roster, OFFICER_1, UNDER_DECISION, (), ON)


@pytest.mark.parametrize(
    ("member_id", "code", "details"),
    [
        (SENCO_99, RefusalCode.NOT_ON_PANEL, (SENCO_99,)),
        (
            SENCO_3,
            RefusalCode.MEMBER_NOT_ELIGIBLE,
            (SENCO_3, "untrained"),
        ),
        (
            HEAD_2,
            RefusalCode.MEMBER_NOT_ELIGIBLE,
            (HEAD_2, "out_of_term"),
        ),
        (SENCO_2, RefusalCode.MUST_RECUSE, (SENCO_2, SRP)),
    ],
    ids=["off_the_roster", "untrained", "out_of_term", "an_interest_in_a_setting_decided_on"],
)
def test_a_member_who_may_not_vote_is_refused(
    roster: Roster, member_id: str, code: RefusalCode, details: tuple[str, ...]
) -> None:
    refused = refusal_of(roster, member_id)

    assert (refused.code, refused.details) == (code, details)


def test_a_member_votes_once(roster: Roster) -> None:
    assert refusal_of(roster, SENCO_1, votes(SENCO_1)).code is RefusalCode.MEMBER_VOTED_TWICE


def test_a_proposal_stays_open_until_the_votes_cast_are_quorate(roster: Roster) -> None:
    panel = roster.panel_on(ON)

    assert check_votes(panel, UNDER_DECISION, votes(OFFICER_1, SENCO_1)) is Standing.OPEN
    assert check_votes(panel, UNDER_DECISION, votes(SENCO_1, HEAD_1)) is Standing.OPEN
    carried = votes(OFFICER_1, SENCO_1, HEAD_1)
    assert check_votes(panel, UNDER_DECISION, carried) is Standing.CARRIED


def test_a_quorate_proposal_without_more_for_than_against_is_not_carried(roster: Roster) -> None:
    panel: Panel = roster.panel_on(ON)
    cast = (
        *votes(OFFICER_1),
        *votes(SENCO_1, choice=VoteChoice.AGAINST),
        *votes(HEAD_1, choice=VoteChoice.ABSTAIN),
    )

    assert check_votes(panel, UNDER_DECISION, cast) is Standing.NOT_CARRIED
