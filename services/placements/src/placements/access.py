"""Who may do what to which record in placements: the one policy every route names its action
from, every handler checks the record it loaded against, and every list filters by in SQL.

Where a record sits: a setting in its registered district; a case (a request, its
consultations, proposals, decisions, offers and placements, and the clocks computed from them)
in the district of its request, where the child lives; an EHC needs assessment in its own
district; a panel's roster in the area it serves. A consultation is with the consulted setting,
a placement at its setting. A case is before the panel that last decided it (none until a
decision) and, for reading the request and voting, before each panel it was put to; a decision
before the panel that made it. Assessments are before no panel, so no panel member reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from inclusion_shared.access import Policy, Record, Scope, reads, writes
from inclusion_shared.auth import Principal, Role
from inclusion_shared.kent import Area, District
from placements.adapters import (
    Reach,
    StoredAssessment,
    StoredConsultation,
    StoredOffer,
    StoredPlacement,
    StoredRequest,
)
from placements.domain.placement_decision import PlacementDecision
from placements.domain.request import PlacementRequest
from placements.domain.setting import Setting

OFFICER = Role.KCC_OFFICER
SENCO = Role.SENCO
MEMBER = Role.PANEL_MEMBER
BOARD = Role.AREA_BOARD
AUDITOR = Role.AUDITOR
FAMILY = {Role.PARENT: Scope.CHILD, Role.YOUNG_PERSON: Scope.CHILD}
EVERY, PLACE, SETTING, PANEL = Scope.EVERY, Scope.PLACE, Scope.SETTING, Scope.PANEL

POLICY = Policy(
    "placements",
    [
        # The registry: officers keep the settings of their places; anyone in the domain reads
        # a setting's entry and places, families choosing a school too (Area Boards those of
        # their area).
        writes("setting.register", "register a setting", {OFFICER: PLACE}),
        reads(
            "setting.read",
            "read a setting in the registry",
            {
                OFFICER: EVERY,
                SENCO: EVERY,
                MEMBER: EVERY,
                Role.PARENT: EVERY,
                Role.YOUNG_PERSON: EVERY,
                BOARD: PLACE,
                AUDITOR: EVERY,
            },
        ),
        writes("capacity.set", "record a setting's places", {OFFICER: PLACE}),
        reads(
            "sufficiency.read",
            "read requests against places",
            {OFFICER: PLACE, BOARD: PLACE, AUDITOR: EVERY},
        ),
        # Requests and consultations: officers run their places' cases; the consulted setting's
        # SENCO reads and answers its consultation.
        writes("request.receive", "record a placement request", {OFFICER: PLACE}),
        reads(
            "request.read",
            "read a placement request",
            {OFFICER: PLACE, MEMBER: PANEL, **FAMILY, AUDITOR: EVERY},
        ),
        writes("consultation.send", "consult settings on a placement request", {OFFICER: PLACE}),
        reads(
            "consultation.read",
            "read a consultation",
            {OFFICER: PLACE, SENCO: SETTING, MEMBER: PANEL, AUDITOR: EVERY},
        ),
        writes("consultation.answer", "answer a consultation", {SENCO: SETTING}),
        # Panels: an officer keeps the roster of a panel of their area; a member declares
        # their own interests and reads their panel's roster, as the auditor reads every one.
        writes("panel.keep", "keep a placement panel's roster", {OFFICER: PLACE}),
        writes(
            "panel.declare",
            "declare their own interest in a setting, as a member of a placement panel",
            {MEMBER: PANEL},
        ),
        reads(
            "panel.read",
            "read a placement panel's roster",
            {OFFICER: PLACE, MEMBER: PANEL, AUDITOR: EVERY},
        ),
        # Decisions: an officer puts a case of their places to a panel of its area, and each
        # member of that panel votes as themselves; the vote that makes the votes quorate takes
        # the decision. Only an officer authorises an offer beyond capacity; the auditor reads
        # a rationale's reference and has its keyed digest recomputed, never its text.
        writes(
            "request.propose",
            "put a proposed placement decision to a panel",
            {OFFICER: PLACE},
        ),
        writes(
            "request.vote",
            "vote, as themselves, on a proposed placement decision before their panel",
            {MEMBER: PANEL},
        ),
        writes(
            "capacity.override",
            "authorise an offer beyond a setting's capacity",
            {OFFICER: PLACE},
        ),
        reads(
            "decision.read",
            "read a placement decision",
            {OFFICER: PLACE, MEMBER: PANEL, **FAMILY, AUDITOR: EVERY},
        ),
        reads(
            "rationale.read",
            "read a decision's written rationale",
            {OFFICER: PLACE, MEMBER: PANEL, **FAMILY},
        ),
        reads(
            "rationale.digest",
            "recompute the keyed digest of a decision's written rationale, never its text",
            {OFFICER: PLACE, AUDITOR: EVERY},
        ),
        # Offers: the family answers their own child's (or an officer for them).
        reads(
            "offer.read",
            "read an offer of a place",
            {OFFICER: PLACE, MEMBER: PANEL, **FAMILY, AUDITOR: EVERY},
        ),
        writes("offer.accept", "accept an offer of a place", {OFFICER: PLACE, **FAMILY}),
        writes("offer.decline", "decline an offer of a place", {OFFICER: PLACE, **FAMILY}),
        # Placements: officers keep them; the setting's SENCO reads those at their setting.
        writes("placement.start", "start a placement from an accepted offer", {OFFICER: PLACE}),
        reads(
            "placement.read",
            "read a placement",
            {OFFICER: PLACE, SENCO: SETTING, MEMBER: PANEL, **FAMILY, AUDITOR: EVERY},
        ),
        writes("placement.end", "end a placement", {OFFICER: PLACE}),
        writes("placement.move", "move a child to their next placement", {OFFICER: PLACE}),
        writes(
            "amended-plan.record",
            "record an amended plan issued for a placement",
            {OFFICER: PLACE},
        ),
        writes(
            "post-16-move.plan",
            "record a planned move between post-16 institutions",
            {OFFICER: PLACE},
        ),
        # EHC needs assessments and their clocks.
        writes("assessment.request", "record an EHC needs assessment request", {OFFICER: PLACE}),
        reads(
            "assessment.read",
            "read an EHC needs assessment",
            {OFFICER: PLACE, **FAMILY, AUDITOR: EVERY},
        ),
        writes("assessment.step", "record a step of an EHC needs assessment", {OFFICER: PLACE}),
        writes(
            "clock-exception.record",
            "record an allowed exception to a statutory clock",
            {OFFICER: PLACE},
        ),
        writes(
            "clocks.sweep",
            "raise the warnings and breaches of statutory clocks",
            {OFFICER: PLACE},
        ),
        reads("clock.list", "list statutory clocks", {OFFICER: PLACE, AUDITOR: EVERY}),
        reads(
            "timeliness.read",
            "read the timeliness of statutory clocks",
            {OFFICER: PLACE, BOARD: PLACE, AUDITOR: EVERY},
        ),
    ],
)
"""Placements' permissions: what each role may do, and to which records."""


def reach(who: Principal, action: str) -> Reach:
    """The rows of a list the principal reaches under the action, for the store to filter."""
    return partial(POLICY.where, who, action)


def of_setting(setting: Setting) -> Record:
    return Record(district=setting.district, setting=setting.setting_id)


def of_request(request: PlacementRequest, panel_id: str | None = None) -> Record:
    return Record(district=request.district, child=request.child_id, panel=panel_id)


def of_stored_request(stored: StoredRequest) -> Record:
    return of_request(stored.request, stored.panel_id)


def of_panel(area: Area, panel_id: str) -> Record:
    """A panel's roster sits in the area it serves, not in any one district of it."""
    return Record(area=area, panel=panel_id)


def check_case(who: Principal, action: str, stored: StoredRequest, panels: Iterable[str]) -> None:
    """Nothing, or a 403 problem: a request where it sits, before the panel that last decided
    it and each panel it was put to (a member of any of them reaches it)."""
    records = [
        of_request(stored.request, panel)
        for panel in dict.fromkeys((*([stored.panel_id] if stored.panel_id else []), *panels))
    ] or [of_stored_request(stored)]
    if not any(POLICY.allows(who, action, record) for record in records):
        POLICY.check(who, action, records[0])


def of_consultation(stored: StoredConsultation) -> Record:
    return Record(
        district=District(stored.district),
        setting=stored.consultation.setting_id,
        child=stored.child_id,
        panel=stored.panel_id,
    )


def of_decision(decision: PlacementDecision) -> Record:
    return Record(
        district=decision.request.district,
        setting=decision.setting.setting_id,
        child=decision.request.child_id,
        panel=decision.panel.panel_id,
    )


def of_offer(stored: StoredOffer) -> Record:
    return Record(
        district=District(stored.district),
        setting=stored.offer.setting_id,
        child=stored.offer.child_id,
        panel=stored.panel_id,
    )


def of_placement(stored: StoredPlacement) -> Record:
    return Record(
        district=District(stored.district),
        setting=stored.placement.setting_id,
        child=stored.placement.child_id,
        panel=stored.panel_id,
    )


def of_assessment(stored: StoredAssessment) -> Record:
    return Record(district=District(stored.district), child=stored.child_id)
