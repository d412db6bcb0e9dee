"""Who may do what to which feedback record, in one policy over principal, action and record.

Where each record sits: a response and an invitation in the district they belong to (a response
names it, or takes it from the invitation it answers); a response concerns its child and was made
by its named respondent, and an invitation is to a setting and, for a family, about a child.
Surveys and "You said, we did" actions ask and answer all of Kent, so they sit nowhere narrower:
an officer's place scope reaches them only Kent-wide. Themes, actions and published surveys are
published to everyone taking part; figures are aggregates, shown only for the caller's places.

Respondents see what the data ties to them: a parent or young person what concerns their child
(a response given with their child on the token), a SENCO the responses they gave. Giving views
is open to every respondent (they make the record), but a SENCO speaks for their own settings
and a family answers only invitations about their own child.
"""

from __future__ import annotations

from functools import partial
from typing import Protocol

from feedback.domain.actions import YouSaidWeDid
from feedback.domain.invitations import Invitation
from feedback.domain.response import Response
from feedback.domain.survey import Survey, SurveyStatus
from feedback.domain.values import Place
from inclusion_shared.access import Policy, Record, Scope, Where, permit, reads, writes
from inclusion_shared.auth import Principal, Role
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden

PUBLISHED_TO = (
    Role.SENCO,
    Role.KCC_OFFICER,
    Role.PANEL_MEMBER,
    Role.PARENT,
    Role.YOUNG_PERSON,
    Role.AREA_BOARD,
    Role.AUDITOR,
)
EVERYONE_TAKING_PART = {role: Scope.EVERY for role in PUBLISHED_TO}
OFFICERS = {Role.KCC_OFFICER: Scope.PLACE}
THEIR_OWN = {Role.PARENT: Scope.CHILD, Role.YOUNG_PERSON: Scope.CHILD, Role.SENCO: Scope.MADE}

POLICY = Policy(
    "feedback",
    [
        writes("survey.draft", "draft a survey or forum item", OFFICERS),
        writes("survey.publish", "publish a survey", OFFICERS),
        writes("survey.close", "close a survey", OFFICERS),
        reads("survey.read", "read a published survey", EVERYONE_TAKING_PART),
        reads(
            "draft.read",
            "read a survey in draft",
            {Role.KCC_OFFICER: Scope.PLACE, Role.AUDITOR: Scope.EVERY},
        ),
        reads(
            "figures.read",
            "read published figures",
            {
                Role.KCC_OFFICER: Scope.PLACE,
                Role.AREA_BOARD: Scope.PLACE,
                Role.AUDITOR: Scope.EVERY,
            },
        ),
        writes(
            "response.give",
            "give views",
            {
                Role.PARENT: Scope.MADE,
                Role.YOUNG_PERSON: Scope.MADE,
                Role.SENCO: Scope.SETTING,
                Role.KCC_OFFICER: Scope.PLACE,
            },
        ),
        writes(
            "invitation.answer",
            "answer an invitation",
            {Role.PARENT: Scope.CHILD, Role.YOUNG_PERSON: Scope.CHILD, Role.SENCO: Scope.SETTING},
        ),
        reads(
            "invitation.read",
            "read invitations to give views",
            {
                Role.KCC_OFFICER: Scope.PLACE,
                Role.SENCO: Scope.SETTING,
                Role.PARENT: Scope.CHILD,
                Role.YOUNG_PERSON: Scope.CHILD,
                Role.AUDITOR: Scope.EVERY,
            },
        ),
        reads(
            "own-response.read",
            "read the responses you gave or that are about your child",
            THEIR_OWN,
        ),
        reads(
            "response.read",
            "read a response",
            {**THEIR_OWN, Role.KCC_OFFICER: Scope.PLACE, Role.AUDITOR: Scope.EVERY},
        ),
        writes(
            "consent.withdraw",
            "withdraw consent to a response",
            {**THEIR_OWN, Role.KCC_OFFICER: Scope.PLACE},
        ),
        writes("person.erase", "erase a person's feedback", OFFICERS),
        reads(
            "moderation.read",
            "read the responses awaiting moderation",
            {Role.KCC_OFFICER: Scope.PLACE, Role.AUDITOR: Scope.EVERY},
        ),
        writes("response.tag", "tag a response with themes", OFFICERS),
        writes("response.route", "route a response to the complaints process", OFFICERS),
        writes("response.withhold", "withhold a response as abusive", OFFICERS),
        reads("theme.read", "read the themes heard", EVERYONE_TAKING_PART),
        writes("action.publish", 'publish a "You said, we did" action', OFFICERS),
        reads("action.read", 'read the "You said, we did" actions', EVERYONE_TAKING_PART),
        writes(
            "action.update",
            "report an action's progress",
            # An action sits nowhere narrower than Kent: the role owning it reports its
            # progress (see check_progress), and an officer does Kent-wide.
            {
                Role.KCC_OFFICER: Scope.PLACE,
                Role.SENCO: Scope.EVERY,
                Role.PANEL_MEMBER: Scope.EVERY,
                Role.AREA_BOARD: Scope.EVERY,
            },
        ),
    ],
)


PERMIT = {action: permit(POLICY, action) for action in POLICY.permissions}
"""Each action's route dependency (``Depends(PERMIT["survey.draft"])``), made once: it admits
only the roles the policy grants the action, and marks the route with it."""


class Reach(Protocol):
    """What a principal reaches for one action, as a store asks it: a condition on the columns
    the store names, its parameters numbered from where the query's own end."""

    def __call__(
        self,
        *,
        first: int,
        district: str | None = None,
        setting: str | None = None,
        child: str | None = None,
        made_by: str | None = None,
    ) -> Where: ...


def reach(who: Principal, action: str) -> Reach:
    return partial(POLICY.where, who, action)


KENT = Record()
"""Where a survey or a "You said, we did" action sits: all of Kent, so a place scope reaches it
only Kent-wide."""


def response_record(response: Response) -> Record:
    return Record(
        district=response.place.district, child=response.child_id, made_by=response.respondent_id
    )


def giving(who: Principal, place: Place, setting_id: str | None, child_id: str | None) -> Record:
    """Where views being given sit: their place, the setting they speak for (the one named or
    invited, else the SENCO's own), the child they concern, and who gives them."""
    return Record(
        district=place.district,
        setting=setting_id or who.setting,
        child=child_id,
        made_by=who.subject,
    )


def invitation_record(invitation: Invitation) -> Record:
    return Record(
        district=invitation.place.district,
        setting=invitation.setting_id,
        child=invitation.child_id,
    )


def survey_there_for(who: Principal, survey: Survey) -> bool:
    """Whether `who` may know the survey exists: a published or closed one is there for
    everyone taking part, a draft for the roles that may read drafts (out of their scope, a
    403 says so). For any other role a draft does not exist: a 404, deliberately and not a
    403, since an unpublished survey is nobody else's business yet."""
    return survey.status is not SurveyStatus.DRAFT or who.role in POLICY.roles("draft.read")


def reading(survey: Survey) -> str:
    """The action reading this survey is: a draft's, or a published survey's."""
    return "draft.read" if survey.status is SurveyStatus.DRAFT else "survey.read"


def check_progress(who: Principal, action: YouSaidWeDid) -> None:
    """The role owning an action, or a Kent-wide officer, reports its progress; anyone else
    gets a 403."""
    POLICY.check(who, "action.update", KENT)
    if who.role is not Role.KCC_OFFICER and who.role.value != action.owner.value:
        raise Forbidden(f"only a {action.owner} or a KCC officer may update this action")


def districts_reached(who: Principal, action: str) -> frozenset[District] | None:
    """The districts whose records `who` reaches for `action`, or None for all of Kent."""
    reached = frozenset(d for d in District if POLICY.allows(who, action, Record(district=d)))
    return None if reached == frozenset(District) else reached


def figures_for(who: Principal, area: Area | None) -> tuple[Reach, frozenset[District] | None]:
    """Whose responses published figures count for `who`, and the districts they may show:
    those of the caller's places (and of the area asked for, which they must cover). A 403 for
    an area they do not cover, or for a caller whose scope reaches no place at all."""
    if area is not None:
        POLICY.check(who, "figures.read", Record(area=area))
    within = districts_reached(who, "figures.read")
    if within is not None and not within:
        POLICY.check(who, "figures.read", KENT)
    return reach(who, "figures.read"), within
