"""Who may do what to which feedback record: for every action, each role in scope, out of scope
and with no scope at all. An East Kent officer moderates Thanet's responses and not Maidstone's;
a parent sees the responses about their child; a SENCO the ones they gave and speaks for their
own school; Kent-level things (surveys, "You said, we did") are Kent-wide officers' work; the
auditor reads everything and writes nothing; the platform team has no part in feedback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from feedback.access import (
    KENT,
    POLICY,
    check_progress,
    districts_reached,
    figures_for,
    giving,
    invitation_record,
    reach,
    response_record,
    survey_there_for,
)
from feedback.domain.actions import ActionOwner, YouSaidWeDid
from feedback.domain.invitations import Invitation, InvitationCause
from feedback.domain.response import Consent, Response, ResponseStatus, ScaleAnswer
from feedback.domain.survey import ScaleQuestion, Survey, SurveyStatus
from feedback.domain.values import Place, Voice
from inclusion_shared.access import Record
from inclusion_shared.auth import Principal, Role
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden

THANET = Place.of(District.THANET, "cos-thanet-1")


def _principal(name: str, role: Role, **scope: object) -> tuple[str, Principal]:
    who = Principal.model_validate({"subject": person_id_for(name), "role": role, **scope})
    return name, who


# For each role: in scope of a Thanet record, out of scope, and with no scope at all.
PRINCIPALS = dict(
    [
        _principal("officer-east", Role.KCC_OFFICER, areas={Area.EAST}),
        _principal("officer-thanet", Role.KCC_OFFICER, districts={District.THANET}),
        _principal("officer-kent", Role.KCC_OFFICER, kent_wide=True),
        _principal("officer-west", Role.KCC_OFFICER, areas={Area.WEST}),
        _principal("officer-none", Role.KCC_OFFICER),
        _principal("board-east", Role.AREA_BOARD, areas={Area.EAST}),
        _principal("board-kent", Role.AREA_BOARD, kent_wide=True),
        _principal("board-west", Role.AREA_BOARD, areas={Area.WEST}),
        _principal("board-none", Role.AREA_BOARD),
        _principal("senco-thanet", Role.SENCO, settings={"school-thanet"}),
        _principal("senco-ashford", Role.SENCO, settings={"school-ashford"}),
        _principal("senco-none", Role.SENCO),
        _principal("parent-thanet", Role.PARENT, child="child-39b21bbff096f90ed619"),
        _principal("parent-ashford", Role.PARENT, child="child-f780f64255b948aa03e0"),
        _principal("parent-none", Role.PARENT),
        _principal("young-thanet", Role.YOUNG_PERSON, child="child-39b21bbff096f90ed619"),
        _principal("young-ashford", Role.YOUNG_PERSON, child="child-f780f64255b948aa03e0"),
        _principal("young-none", Role.YOUNG_PERSON),
        _principal("member-east", Role.PANEL_MEMBER, panels={"panel-east"}),
        _principal("member-none", Role.PANEL_MEMBER),
        _principal("auditor", Role.AUDITOR),
        _principal("admin", Role.PLATFORM_ADMIN),
    ]
)
OFFICERS_OF_THANET = {"officer-east", "officer-thanet", "officer-kent"}
EVERYONE_TAKING_PART = set(PRINCIPALS) - {"admin"}
ALL = lambda prefix: {name for name in PRINCIPALS if name.startswith(prefix)}  # noqa: E731


def _response(respondent: str | None, child: str | None) -> Response:
    return Response(
        response_id="response-1",
        survey_id="survey-1",
        voice=Voice.PARENT_CARER if child else Voice.PROFESSIONAL,
        channel="survey",
        place=THANET,
        anonymous=respondent is None,
        respondent_id=None if respondent is None else person_id_for(respondent),
        child_id=child,
        consent=Consent(given=True),
        received_on=date(2026, 10, 12),
        answers=(ScaleAnswer(question_id="overall", value=4),),
        status=ResponseStatus.AWAITING_MODERATION,
    )


def _invitation(child: str | None) -> Invitation:
    return Invitation(
        invitation_id="invitation-1",
        cause=InvitationCause.PLACEMENT_STARTED if child else InvitationCause.FUNDING_DECISION,
        cause_id="cause-1",
        voice=Voice.PARENT_CARER if child else Voice.PROFESSIONAL,
        child_id=child,
        setting_id="school-thanet",
        place=THANET,
        issued_on=date(2026, 9, 1),
        due_on=date(2026, 10, 1),
    )


PARENTS_RESPONSE = response_record(_response("parent-thanet", "child-39b21bbff096f90ed619"))
SENCOS_RESPONSE = response_record(_response("senco-thanet", None))
ANONYMOUS_RESPONSE = response_record(_response(None, None))
FAMILY_INVITATION = invitation_record(_invitation("child-39b21bbff096f90ed619"))
SENCO_INVITATION = invitation_record(_invitation(None))
THANET_FIGURES = Record(district=District.THANET)


def unnamed(who: Principal) -> Record:
    """Views given from Thanet naming no setting (a SENCO then speaks for their own)."""
    return giving(who, THANET, None, who.child)


def for_thanet_school(who: Principal) -> Record:
    return giving(who, THANET, "school-thanet", who.child)


Case = tuple[str, Record | Callable[[Principal], Record], set[str]]
CASES: list[Case] = [
    ("survey.draft", KENT, {"officer-kent"}),
    ("survey.publish", KENT, {"officer-kent"}),
    ("survey.close", KENT, {"officer-kent"}),
    ("survey.read", KENT, EVERYONE_TAKING_PART),
    ("draft.read", KENT, {"officer-kent", "auditor"}),
    ("figures.read", THANET_FIGURES, OFFICERS_OF_THANET | {"board-east", "board-kent", "auditor"}),
    (
        "response.give",
        unnamed,
        ALL("parent") | ALL("young") | {"senco-thanet", "senco-ashford"} | OFFICERS_OF_THANET,
    ),
    (
        "response.give",
        for_thanet_school,
        ALL("parent") | ALL("young") | {"senco-thanet"} | OFFICERS_OF_THANET,
    ),
    ("invitation.answer", FAMILY_INVITATION, {"parent-thanet", "young-thanet", "senco-thanet"}),
    ("invitation.answer", SENCO_INVITATION, {"senco-thanet"}),
    (
        "invitation.read",
        FAMILY_INVITATION,
        OFFICERS_OF_THANET | {"senco-thanet", "parent-thanet", "young-thanet", "auditor"},
    ),
    ("invitation.read", SENCO_INVITATION, OFFICERS_OF_THANET | {"senco-thanet", "auditor"}),
    ("own-response.read", PARENTS_RESPONSE, {"parent-thanet", "young-thanet"}),
    ("own-response.read", SENCOS_RESPONSE, {"senco-thanet"}),
    ("own-response.read", ANONYMOUS_RESPONSE, set()),
    (
        "response.read",
        PARENTS_RESPONSE,
        {"parent-thanet", "young-thanet", "auditor"} | OFFICERS_OF_THANET,
    ),
    ("response.read", SENCOS_RESPONSE, {"senco-thanet", "auditor"} | OFFICERS_OF_THANET),
    ("response.read", ANONYMOUS_RESPONSE, {"auditor"} | OFFICERS_OF_THANET),
    ("consent.withdraw", PARENTS_RESPONSE, {"parent-thanet", "young-thanet"} | OFFICERS_OF_THANET),
    ("consent.withdraw", SENCOS_RESPONSE, {"senco-thanet"} | OFFICERS_OF_THANET),
    ("person.erase", PARENTS_RESPONSE, OFFICERS_OF_THANET),
    ("person.erase", KENT, {"officer-kent"}),
    ("moderation.read", PARENTS_RESPONSE, OFFICERS_OF_THANET | {"auditor"}),
    ("response.tag", PARENTS_RESPONSE, OFFICERS_OF_THANET),
    ("response.route", PARENTS_RESPONSE, OFFICERS_OF_THANET),
    ("response.withhold", ANONYMOUS_RESPONSE, OFFICERS_OF_THANET),
    ("theme.read", KENT, EVERYONE_TAKING_PART),
    ("action.publish", KENT, {"officer-kent"}),
    ("action.read", KENT, EVERYONE_TAKING_PART),
    ("action.update", KENT, {"officer-kent"} | ALL("senco") | ALL("member") | ALL("board")),
]


def test_every_action_of_the_policy_is_in_the_table() -> None:
    assert {action for action, _, _ in CASES} == set(POLICY.permissions)


@pytest.mark.parametrize(("action", "record", "allowed"), CASES, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize("name", PRINCIPALS)
def test_each_role_reaches_the_records_in_its_scope_and_no_others(
    action: str,
    record: Record | Callable[[Principal], Record],
    allowed: set[str],
    name: str,
) -> None:
    who = PRINCIPALS[name]
    on = record(who) if callable(record) else record

    assert POLICY.allows(who, action, on) is (name in allowed)
    if name not in allowed:
        with pytest.raises(Forbidden):
            POLICY.check(who, action, on)


def test_the_auditor_reads_everything_and_writes_nothing() -> None:
    for permission in POLICY.permissions.values():
        granted = Role.AUDITOR in permission.grants
        assert granted is (not permission.writes and permission.action != "own-response.read")


def test_the_platform_team_has_no_part_in_feedback() -> None:
    assert all(Role.PLATFORM_ADMIN not in p.grants for p in POLICY.permissions.values())


def _survey(status: SurveyStatus) -> Survey:
    return Survey(
        survey_id="survey-1",
        title="How is it going?",
        channel="survey",
        voices=(Voice.PARENT_CARER,),
        questions=(ScaleQuestion(question_id="overall", prompt="Overall?"),),
        status=status,
    )


@pytest.mark.parametrize("name", PRINCIPALS)
def test_a_draft_is_not_there_for_a_role_that_never_reads_drafts(name: str) -> None:
    who = PRINCIPALS[name]

    assert survey_there_for(who, _survey(SurveyStatus.PUBLISHED))
    assert survey_there_for(who, _survey(SurveyStatus.CLOSED))
    assert survey_there_for(who, _survey(SurveyStatus.DRAFT)) is (
        who.role in (Role.KCC_OFFICER, Role.AUDITOR)
    )


def _action(owner: ActionOwner) -> YouSaidWeDid:
    return YouSaidWeDid(
        action_id="action-1",
        themes=("transport",),
        you_said="Transport is late.",
        we_did="Re-timing routes.",
        owner=owner,
        published_on=date(2026, 10, 1),
        updated_on=date(2026, 10, 1),
    )


@pytest.mark.parametrize("owner", list(ActionOwner))
@pytest.mark.parametrize("name", PRINCIPALS)
def test_only_the_owning_role_or_a_kent_wide_officer_reports_an_actions_progress(
    owner: ActionOwner, name: str
) -> None:
    who = PRINCIPALS[name]
    may = name == "officer-kent" or (
        who.role.value == owner.value and who.role is not Role.KCC_OFFICER
    )

    if may:
        check_progress(who, _action(owner))
    else:
        with pytest.raises(Forbidden):
            check_progress(who, _action(owner))


@pytest.mark.parametrize(
    ("name", "reached"),
    [
        ("officer-kent", None),
        ("auditor", None),
        ("officer-east", {District.CANTERBURY, District.SWALE, District.THANET}),
        ("officer-thanet", {District.THANET}),
        (
            "board-west",
            {District.MAIDSTONE, District.TONBRIDGE_AND_MALLING, District.TUNBRIDGE_WELLS},
        ),
        ("board-none", set()),
        ("parent-thanet", set()),
    ],
)
def test_figures_show_the_districts_the_callers_scope_reaches(
    name: str, reached: set[District] | None
) -> None:
    assert districts_reached(PRINCIPALS[name], "figures.read") == (
        None if reached is None else frozenset(reached)
    )


def test_figures_for_an_area_need_that_area_and_some_place_is_needed_at_all() -> None:
    _, within = figures_for(PRINCIPALS["board-east"], Area.EAST)
    assert within == frozenset({District.CANTERBURY, District.SWALE, District.THANET})
    assert figures_for(PRINCIPALS["board-kent"], Area.WEST)[1] is None
    for name, area in [
        ("board-east", Area.WEST),
        ("officer-thanet", Area.EAST),  # a district of an area is not the area
        ("board-none", None),
    ]:
        with pytest.raises(Forbidden):
            figures_for(PRINCIPALS[name], area)


def test_a_list_asks_the_database_for_what_the_caller_reaches() -> None:
    east = reach(PRINCIPALS["officer-east"], "moderation.read")(first=3, district="district")
    parent = reach(PRINCIPALS["parent-thanet"], "own-response.read")(
        first=1, child="child_id", made_by="respondent_id"
    )
    senco = reach(PRINCIPALS["senco-thanet"], "own-response.read")(
        first=1, child="child_id", made_by="respondent_id"
    )

    assert (east.sql, east.params) == (
        "district = ANY($3::text[])",
        [["canterbury", "swale", "thanet"]],
    )
    assert (parent.sql, parent.params) == (
        "child_id = ANY($1::text[])",
        [["child-39b21bbff096f90ed619"]],
    )
    assert (senco.sql, senco.params) == (
        "respondent_id = ANY($1::text[])",
        [[person_id_for("senco-thanet")]],
    )
    assert reach(PRINCIPALS["officer-kent"], "moderation.read")(first=1).sql == "TRUE"
    assert reach(PRINCIPALS["officer-east"], "draft.read")(first=1).sql == "FALSE"
    assert reach(PRINCIPALS["parent-none"], "own-response.read")(first=1, child="c").sql == "FALSE"
