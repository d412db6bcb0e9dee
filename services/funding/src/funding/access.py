"""Who may do what to which funding record: the service's one policy (#19).

KCC officers act on the records in their areas or districts, a Kent-wide officer on all of
them; a SENCO on their own settings' applications and claims; a parent or young person reads
and challenges their own child's decisions; a panel member reads their panel's roster, declares
their own interests, votes as themselves on what is proposed to their panel and reads the
applications put to it (a proposal or a decision names its panel); an Area Board reads the
figures of its areas; the auditor reads everything and writes nothing, and has the keyed digest
of a decision's rationale recomputed (as an officer may in their places), never its text. The
platform team has no part in funding's records. Budgets are held per area, so an officer
covering only some districts of an area neither sets nor reads that area's budget, nor commits
beyond it, nor keeps the roster of the area's panel; the rules and rates are Kent's, so only a
Kent-wide officer publishes them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from fastapi import Request

from inclusion_shared.access import Policy, Record, Scope, permit, reads, writes
from inclusion_shared.auth import Principal, Role
from inclusion_shared.kent import Area, District

OFFICER_IN_PLACE: dict[Role, Scope] = {Role.KCC_OFFICER: Scope.PLACE}
FIGURES: dict[Role, Scope] = {
    Role.KCC_OFFICER: Scope.PLACE,
    Role.AREA_BOARD: Scope.PLACE,
    Role.AUDITOR: Scope.EVERY,
}
OWN_SETTING: dict[Role, Scope] = {Role.SENCO: Scope.SETTING}
# The rules and rates in force are public to everyone with a part in the process.
EVERY_DOMAIN_ROLE: dict[Role, Scope] = {
    role: Scope.EVERY for role in Role if role is not Role.PLATFORM_ADMIN
}

POLICY = Policy(
    "funding",
    [
        reads("policy.read", "read the published funding rules and rates", EVERY_DOMAIN_ROLE),
        writes("policy.publish", "publish a version of Kent's funding rules", OFFICER_IN_PLACE),
        reads("budget.read", "read an area's High Needs budget", FIGURES),
        writes("budget.set", "set an area's High Needs budget", OFFICER_IN_PLACE),
        writes("budget.override", "commit beyond an area's High Needs budget", OFFICER_IN_PLACE),
        writes("hnf.submit", "apply for High Needs Funding", OWN_SETTING),
        reads(
            "hnf.read",
            "read an HNF application and its decisions",
            {
                Role.SENCO: Scope.SETTING,
                Role.KCC_OFFICER: Scope.PLACE,
                Role.PANEL_MEMBER: Scope.PANEL,
                Role.PARENT: Scope.CHILD,
                Role.YOUNG_PERSON: Scope.CHILD,
                Role.AUDITOR: Scope.EVERY,
            },
        ),
        reads(
            "rationale.digest",
            "recompute the keyed digest of an HNF decision's written rationale, never its text",
            {Role.KCC_OFFICER: Scope.PLACE, Role.AUDITOR: Scope.EVERY},
        ),
        writes("hnf.withdraw", "withdraw an HNF application", OWN_SETTING),
        writes("hnf.propose", "put a proposed HNF decision to a panel", OFFICER_IN_PLACE),
        writes(
            "hnf.vote",
            "vote, as themselves, on a proposed HNF decision before their panel",
            {Role.PANEL_MEMBER: Scope.PANEL},
        ),
        writes("panel.keep", "keep an HNF panel's roster", OFFICER_IN_PLACE),
        writes(
            "panel.declare",
            "declare their own interest in a setting, as a member of an HNF panel",
            {Role.PANEL_MEMBER: Scope.PANEL},
        ),
        reads(
            "panel.read",
            "read an HNF panel's roster",
            {
                Role.KCC_OFFICER: Scope.PLACE,
                Role.PANEL_MEMBER: Scope.PANEL,
                Role.AUDITOR: Scope.EVERY,
            },
        ),
        reads("timeliness.read", "read how long HNF decisions take", FIGURES),
        writes("senif.submit", "apply for SENIF", OWN_SETTING),
        writes("senif.decide", "decide a SENIF application", OFFICER_IN_PLACE),
        writes("daf.claim", "claim the Disability Access Fund", OWN_SETTING),
        writes(
            "challenge.lodge",
            "challenge a panel decision",
            {
                Role.KCC_OFFICER: Scope.PLACE,
                Role.PARENT: Scope.CHILD,
                Role.YOUNG_PERSON: Scope.CHILD,
            },
        ),
        writes("challenge.resolve", "resolve a challenge to a panel decision", OFFICER_IN_PLACE),
        reads("overturn_rates.read", "read how often panel decisions are overturned", FIGURES),
    ],
)

PERMIT: dict[str, Callable[[Request], Awaitable[Principal]]] = {
    action: permit(POLICY, action) for action in POLICY.permissions
}
"""Each action's route dependency: ``Depends(PERMIT["hnf.propose"])``."""

KENT = Record()
"""Where Kent-wide records sit (the rules and rates): only a Kent-wide scope reaches them."""


def budget(area: Area) -> Record:
    """An area's budget sits in its area, not in any one district of it."""
    return Record(area=area)


def panel(area: Area, panel_id: str) -> Record:
    """A panel's roster sits in the area it serves, not in any one district of it."""
    return Record(area=area, panel=panel_id)


def check_places(who: Principal, action: str, area: Area | None, district: District | None) -> None:
    """Nothing, or a 403 problem: figures asked for one area or district need that place in
    the caller's scope (Kent-wide reaches every one)."""
    if district is not None:
        POLICY.check(who, action, Record(district=district))
    if area is not None:
        POLICY.check(who, action, Record(area=area))


def check_case(
    who: Principal,
    action: str,
    *,
    district: District,
    area: Area,
    setting: str,
    child: str,
    panels: Iterable[str] = (),
) -> None:
    """Nothing, or a 403 problem: an application or decision about a child at a setting in a
    district, before each of the panels that decided on it (none until one has)."""
    records = [
        Record(district=district, area=area, setting=setting, child=child, panel=panel)
        for panel in dict.fromkeys(panels)
    ] or [Record(district=district, area=area, setting=setting, child=child)]
    if not any(POLICY.allows(who, action, record) for record in records):
        POLICY.check(who, action, records[0])
