"""Who may do what to which review record: the reviews service's one policy, and the one place
a loaded record is checked against it. Pure: no I/O, so every rule is unit-tested.

Where records sit. A cycle sits in the district it is opened in (and so in that district's
Kent area), whatever schools its partnerships name. A review, its report, its grants, its
action plan and its follow-up sit in their cycle's district and belong to the reviewed school
(``setting``). A review also names its reviewers, SENCOs or senior leaders of partner schools:
each is a party to it (``made_by``: the reviewer's id, as the one who makes its report). No
record here names a panel or a child, so panel members, parents and young people reach a report
only when its school grants it to them.

A school's SENCO is the owner of its reviews; a reviewer takes part as themselves, never as
their school (another SENCO of the reviewer's school is no party to the review). Since one role
has one scope per action, what a SENCO does as a reviewer is an action of its own
(``reviewing.read``, ``reviewing.move``) beside the owner's (``review.read``, ``review.move``).

The report is the school's to share (domain.md): it reads it, its reviewers read what they
wrote, and anyone it grants reads it until the grant is revoked. The policy names the roles a
school can share with (never Area Boards or officers, who see anonymised themes); which reports
each reads is the report's sharing (``shares_report``), the owner and the reviewers by the
policy, the grants by the domain (``Grant.admits``), since a scope cannot carry a record's own
list of readers.

The roster of reviewers sits where each reviewer's setting is: a reviewer's entry is in their
setting's district, and it is theirs (``made_by``: the reviewer's id). Officers of the district
keep and read it; a reviewer reads their own entry and declares their own interests, as
themselves (``reviewer.declare``), never as their school.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from inclusion_shared.access import Policy, Record, Scope, reads, writes
from inclusion_shared.auth import Principal, Role
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden
from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview
from reviews.domain.roster import EnrolledReviewer

_THEMES = {Role.AREA_BOARD: Scope.PLACE, Role.KCC_OFFICER: Scope.PLACE, Role.AUDITOR: Scope.EVERY}

POLICY = Policy(
    "reviews",
    [
        writes("cycle.open", "open a review cycle", {Role.KCC_OFFICER: Scope.PLACE}),
        reads(
            "cycle.read",
            "follow a review cycle and its reviews' stages",
            {Role.KCC_OFFICER: Scope.PLACE, Role.AUDITOR: Scope.EVERY},
        ),
        reads("themes.read", "read an area's anonymised review themes", _THEMES),
        reads("cycle-themes.read", "read a review cycle's anonymised themes", _THEMES),
        reads(
            "review.read",
            "follow a review's progress",
            {Role.KCC_OFFICER: Scope.PLACE, Role.SENCO: Scope.SETTING, Role.AUDITOR: Scope.EVERY},
        ),
        reads(
            "reviewing.read",
            "follow a review they are a reviewer of and read its report",
            {Role.SENCO: Scope.MADE},
        ),
        writes(
            "reviewer.enrol",
            "keep a reviewer's entry on the roster of peer reviewers",
            {Role.KCC_OFFICER: Scope.PLACE},
        ),
        writes(
            "reviewer.declare",
            "declare their own interest in a setting, as a peer reviewer",
            {Role.SENCO: Scope.MADE},
        ),
        reads(
            "reviewer.read",
            "read the roster of peer reviewers",
            {Role.KCC_OFFICER: Scope.PLACE, Role.SENCO: Scope.MADE, Role.AUDITOR: Scope.EVERY},
        ),
        writes(
            "reviewer.assign",
            "assign a reviewer to a review",
            {Role.KCC_OFFICER: Scope.PLACE},
        ),
        writes(
            "self-evaluation.submit",
            "submit a school's self-evaluation",
            {Role.SENCO: Scope.SETTING},
        ),
        writes(
            "review.move",
            "move a review on to its next stage",
            {Role.KCC_OFFICER: Scope.PLACE, Role.SENCO: Scope.SETTING},
        ),
        writes(
            "reviewing.move",
            "move a review they are a reviewer of on to its next stage",
            {Role.SENCO: Scope.MADE},
        ),
        writes(
            "report.write",
            "write the report of a review they are a reviewer of",
            {Role.SENCO: Scope.MADE},
        ),
        reads(
            "report.read",
            "read a review's report where its school shares it with them",
            {
                Role.SENCO: Scope.EVERY,
                Role.PANEL_MEMBER: Scope.EVERY,
                Role.PARENT: Scope.EVERY,
                Role.YOUNG_PERSON: Scope.EVERY,
                Role.AUDITOR: Scope.EVERY,
            },
        ),
        reads(
            "grant.list",
            "see whom a school has let read its report",
            {Role.SENCO: Scope.SETTING, Role.AUDITOR: Scope.EVERY},
        ),
        writes("grant.give", "let someone read a school's report", {Role.SENCO: Scope.SETTING}),
        writes(
            "grant.revoke",
            "withdraw leave to read a school's report",
            {Role.SENCO: Scope.SETTING},
        ),
        writes(
            "action-plan.agree",
            "agree a school's action plan",
            {Role.SENCO: Scope.SETTING},
        ),
        writes("action.complete", "mark a school's action done", {Role.SENCO: Scope.SETTING}),
        writes(
            "overdue.sweep",
            "raise the overdue actions of reviews",
            {Role.KCC_OFFICER: Scope.PLACE},
        ),
        writes(
            "follow-up.record",
            "record a review's follow-up",
            {Role.KCC_OFFICER: Scope.PLACE, Role.SENCO: Scope.MADE},
        ),
    ],
)

AS_REVIEWER: Mapping[str, str] = MappingProxyType(
    {"review.read": "reviewing.read", "review.move": "reviewing.move"}
)
"""An owner's or coordinator's action, and the action a reviewer does the same thing under."""


def cycle_record(cycle: ReviewCycle) -> Record:
    return Record(district=cycle.district)


def opening(district: District) -> Record:
    """A cycle about to be opened, where its request says it sits."""
    return Record(district=district)


def area_record(area: Area) -> Record:
    return Record(area=area)


def enrolling(district: District) -> Record:
    """A reviewer's entry about to be set, where its request says their setting is."""
    return Record(district=district)


def reviewer_record(enrolled: EnrolledReviewer) -> Record:
    """A reviewer's entry on the roster: in their setting's district, and their own."""
    return Record(district=enrolled.district, made_by=enrolled.reviewer_id)


def review_record(review: PeerReview, cycle: ReviewCycle) -> Record:
    """A review as its school's: in its cycle's district, of the reviewed setting."""
    return Record(district=cycle.district, setting=review.setting_id)


def parties(review: PeerReview, cycle: ReviewCycle) -> Iterator[Record]:
    """The review as each party reaches it: as its school's, then as each reviewer's."""
    yield review_record(review, cycle)
    for reviewer in review.reviewers:
        yield Record(district=cycle.district, made_by=reviewer.reviewer_id)


def reaches(who: Principal, action: str, review: PeerReview, cycle: ReviewCycle) -> bool:
    """Whether the caller may do the action to the review, as any party to it (a reviewer
    under the action reviewers do it as)."""
    actions = (action, AS_REVIEWER[action]) if action in AS_REVIEWER else (action,)
    return any(
        POLICY.allows(who, each, record) for each in actions for record in parties(review, cycle)
    )


def check_review(who: Principal, action: str, review: PeerReview, cycle: ReviewCycle) -> None:
    """Nothing, or the 403 problem: the review is not one the caller may do this to."""
    if not reaches(who, action, review, cycle):
        POLICY.check(who, action, review_record(review, cycle))


def shares_report(who: Principal, review: PeerReview, cycle: ReviewCycle) -> bool:
    """Whether the review's school shares its report with the caller: the school itself (who
    may grant it), its reviewers, and those a grant not revoked admits."""
    return (
        reaches(who, "grant.give", review, cycle)
        or reaches(who, "reviewing.read", review, cycle)
        or any(grant.admits(who.role, who.subject, who.settings) for grant in review.grants)
    )


def check_report(who: Principal, review: PeerReview, cycle: ReviewCycle) -> None:
    """Nothing, or the 403 problem: the caller's role never reads a report, or this report's
    school does not share it with them."""
    POLICY.check(who, "report.read", review_record(review, cycle))
    if not shares_report(who, review, cycle):
        raise Forbidden(
            f"a {who.role} may read a review's report only where its school shares it with them"
        )
