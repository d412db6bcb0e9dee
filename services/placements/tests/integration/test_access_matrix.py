"""Access to placements, endpoint by endpoint, through the real HTTP app: every operation the
OpenAPI document lists has an entry here naming its action and how to call it on a record in
Thanet (East Kent). Each caller — every role in the record's scope, out of it, or with none —
is refused with a 403 problem exactly where the policy refuses them; a refused command writes
nothing (the first caller allowed then succeeds on the same record); a record that does not
exist is a 404 for every role the action admits; and each list, sweep and figure shows a caller
only the districts they reach, of a case seeded in Thanet and one in Maidstone (West Kent); the
list of panels shows each only the rosters they reach, of East Kent's panel and West Kent's."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cached_property
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from httpx import Response
from starlette.routing import BaseRoute

from inclusion_shared.access import ACTION_MARK, Record
from inclusion_shared.auth import Principal, principal_from_claims
from inclusion_shared.identifiers import child_id_for, person_id_for
from inclusion_shared.kent import Area, District
from placements.access import POLICY

from .conftest import (
    PANEL_ID,
    ROSTER,
    SECONDARY,
    SECONDARY_SRP,
    SPECIAL,
    TODAY,
    Placements,
    placement_request,
    proposal,
    roster_member,
    setting,
)

UNLISTED = ("/health", "/openapi.json", "/asyncapi.json", "/docs")
YEAR = "2026-27"  # the seeded cases ask for Year 12 places this year
WEST_SCHOOL = "mainstream-0901"  # in Maidstone, West Kent
ELSEWHERE = "mainstream-0999"  # a setting no seeded record is at
OTHER_PANEL = "panel-west-1"
# the subject of every member's token here: on both panels' rosters
MEMBER = person_id_for("panel-member-1")
EAST_PANEL = Record(area=Area.EAST, panel=PANEL_ID)
OTHER_CHILD = "child-a912d80008b79906f353"
LATER = TODAY + timedelta(days=30)  # every reply clock of a case consulted today is breached
THANET, MAIDSTONE = District.THANET, District.MAIDSTONE


# --- who calls ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """A role, and the scope its token carries, given the record it is calling on."""

    name: str
    role: str
    scope: Callable[[Record], dict[str, Any]]

    def token(self, placements: Placements, record: Record) -> dict[str, str]:
        return placements.as_(self.role, **self.scope(record))

    def principal(self, record: Record) -> Principal:
        claims = {k: list(v) if isinstance(v, tuple) else v for k, v in self.scope(record).items()}
        return principal_from_claims(
            {"sub": person_id_for(f"{self.role}-1"), "role": self.role, **claims}
        )


def _none(_: Record) -> dict[str, Any]:
    return {}


CALLERS = [
    Caller("a Kent-wide officer", "kcc-officer", lambda _: {"areas": ("kent",)}),
    Caller("an East Kent officer", "kcc-officer", lambda _: {"areas": ("east-kent",)}),
    Caller("a Thanet officer", "kcc-officer", lambda _: {"districts": ("thanet",)}),
    Caller("a West Kent officer", "kcc-officer", lambda _: {"areas": ("west-kent",)}),
    Caller("a Maidstone officer", "kcc-officer", lambda _: {"districts": ("maidstone",)}),
    Caller("an officer of no place", "kcc-officer", _none),
    Caller("the record's setting's SENCO", "senco", lambda r: {"setting": r.setting or ELSEWHERE}),
    Caller("another setting's SENCO", "senco", lambda _: {"setting": ELSEWHERE}),
    Caller("a SENCO of no setting", "senco", _none),
    Caller(
        "a member of the case's panel",
        "panel-member",
        lambda r: {"panels": (r.panel or OTHER_PANEL,)},
    ),
    Caller("a member of another panel", "panel-member", lambda _: {"panels": (OTHER_PANEL,)}),
    Caller("a panel member on no panel", "panel-member", _none),
    Caller("the child's parent", "parent", lambda r: {"child": r.child or OTHER_CHILD}),
    Caller("another child's parent", "parent", lambda _: {"child": OTHER_CHILD}),
    Caller("a parent of no child", "parent", _none),
    Caller("the young person", "young-person", lambda r: {"child": r.child or OTHER_CHILD}),
    Caller("another young person", "young-person", lambda _: {"child": OTHER_CHILD}),
    Caller("an East Kent Area Board", "area-board", lambda _: {"areas": ("east-kent",)}),
    Caller("a West Kent Area Board", "area-board", lambda _: {"areas": ("west-kent",)}),
    Caller("the auditor", "auditor", _none),
    Caller("the platform team", "platform-admin", _none),
]


# --- what they call it on -------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A child's placement case as far as it has gone, and where it sits."""

    child: str
    district: District
    school: str  # the family's one preference, the nearest mainstream school and the one named
    request_id: str
    consultation_id: str = ""
    proposal_id: str = ""
    decision_id: str = ""
    offer_id: str = ""
    placement_id: str = ""
    panel: str | None = None  # the panel it was put to, that decided it

    def at(self, setting: str | None = None) -> Record:
        return Record(district=self.district, setting=setting, panel=self.panel, child=self.child)


@dataclass(frozen=True)
class Target:
    """A call to make, and where the record it acts on sits."""

    path: str
    record: Record
    body: dict[str, Any] | None = None


class World:
    """The registry the tests share (a secondary school, SRP and special school in Thanet, a
    secondary school in Maidstone, Year 12 places at both), each area's panel with the member
    the callers are on its roster, and a maker of fresh cases."""

    def __init__(self, placements: Placements, unique: str) -> None:
        self.placements = placements
        self.unique = unique
        self.made = 0
        placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
        west = setting(
            WEST_SCHOOL,
            district="maidstone",
            provision="mainstream",
            lowest_year=7,
            highest_year=13,
        )
        assert placements.post("/settings", west).status_code == 201
        for school in (SECONDARY, WEST_SCHOOL):
            placements.set_capacity(school, YEAR, by_year_group=[{"year_group": 12, "places": 500}])
        for panel, area in ((PANEL_ID, "east-kent"), (OTHER_PANEL, "west-kent")):
            placements.set_roster(panel, [*ROSTER, roster_member(MEMBER, "senco")], area)

    def new_id(self, kind: str) -> str:
        self.made += 1
        made = f"{kind}-{self.unique}-{self.made}"
        return child_id_for(made) if kind == "child" else made

    def received(self, district: District = THANET, child: str | None = None) -> Case:
        school = SECONDARY if district is THANET else WEST_SCHOOL
        case = Case(child or self.new_id("child"), district, school, self.new_id("req"))
        self.placements.receive(**_request(case))
        return case

    def consulted(self, district: District = THANET, child: str | None = None) -> Case:
        case = self.received(district, child)
        (consultation,) = self.placements.consult(case.request_id, case.school)
        return replace(case, consultation_id=consultation["consultation_id"])

    def proposed(self) -> Case:
        """A consulted case put to East Kent's panel, no vote cast yet."""
        case = self.consulted()
        made = self.placements.propose(case.request_id, **_naming(case))
        assert made.status_code == 201, made.text
        return replace(case, proposal_id=made.json()["proposal_id"], panel=PANEL_ID)

    def offered(self, child: str | None = None) -> Case:
        case = self.consulted(child=child)
        decided = self.placements.decide(case.request_id, **_naming(case))
        assert decided.status_code == 201, decided.text
        found = decided.json()
        return replace(
            case,
            proposal_id=found["proposal_id"],
            decision_id=found["decision"]["decision_id"],
            offer_id=found["decision"]["offer"]["offer_id"],
            panel=PANEL_ID,
        )

    def accepted(self, child: str | None = None) -> Case:
        case = self.offered(child)
        accepted = self.placements.post(f"/offers/{case.offer_id}/acceptance")
        assert accepted.status_code == 200, accepted.text
        return case

    def placed(self) -> Case:
        case = self.accepted()
        body = {"offer_id": case.offer_id, "starts_on": TODAY.isoformat()}
        started = self.placements.post("/placements", body)
        assert started.status_code == 201, started.text
        return replace(case, placement_id=started.json()["placement_id"])

    def assessed(self) -> tuple[str, Record]:
        child, assessment_id = self.new_id("child"), self.new_id("ehc")
        body = {
            "assessment_id": assessment_id,
            "child_id": child,
            "district": "thanet",
            "requested_on": TODAY.isoformat(),
        }
        assert self.placements.post("/assessments", body).status_code == 201
        return assessment_id, Record(district=THANET, child=child)

    @cached_property
    def case(self) -> Case:
        """One case from request to a started placement, for the reads."""
        return self.placed()

    @cached_property
    def assessment(self) -> tuple[str, Record]:
        return self.assessed()


def _naming(case: Case) -> dict[str, Any]:
    """A proposal naming the case's school, the family's one preference."""
    return {"setting_id": case.school, "options_considered": [], "preference_refusals": []}


def _request(case: Case) -> dict[str, Any]:
    return placement_request(
        request_id=case.request_id,
        child_id=case.child,
        district=case.district.value,
        year_group=12,
        academic_year=YEAR,
        provision_sought="mainstream",
        preferences=[case.school],
    )


def new_setting(world: World) -> Target:
    setting_id = world.new_id("mainstream")
    body = setting(setting_id, provision="mainstream", lowest_year=0, highest_year=6)
    return Target("/settings", Record(district=THANET, setting=setting_id), body)


def new_request(world: World) -> Target:
    case = Case(world.new_id("child"), THANET, SECONDARY, world.new_id("req"))
    return Target("/requests", case.at(), _request(case))


def to_consult(world: World) -> Target:
    case = world.received()
    body = {"nearest_mainstream_id": case.school}
    return Target(f"/requests/{case.request_id}/consultations", case.at(), body)


def to_answer(world: World) -> Target:
    case = world.consulted()
    body = {"answer": "accept"}
    return Target(f"/consultations/{case.consultation_id}/reply", case.at(case.school), body)


def to_propose(world: World) -> Target:
    case = world.consulted()  # before no panel until it is put to one
    body = proposal(**_naming(case))
    return Target(f"/requests/{case.request_id}/proposals", case.at(), body)


def to_vote(world: World) -> Target:
    case = world.proposed()
    return Target(f"/proposals/{case.proposal_id}/votes", case.at(), {"choice": "for"})


def to_read_proposal(world: World) -> Target:
    case = world.proposed()
    return Target(f"/proposals/{case.proposal_id}", case.at())


def to_keep_roster(world: World) -> Target:
    panel_id = world.new_id("panel")
    body = {
        "area": "east-kent",
        "members": ROSTER,
        "quorum": {"min_voting_members": 3, "min_kcc_officers": 1, "min_sencos": 1},
    }
    return Target(f"/panels/{panel_id}", Record(area=Area.EAST, panel=panel_id), body)


def to_declare(world: World) -> Target:
    body = {"setting_id": world.new_id("school")}
    return Target(f"/panels/{PANEL_ID}/interests", EAST_PANEL, body)


def to_answer_offer(answer: str, body: dict[str, Any] | None = None) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        case = world.offered()
        return Target(f"/offers/{case.offer_id}/{answer}", case.at(case.school), body)

    return make


def to_start(world: World) -> Target:
    case = world.accepted()
    body = {"offer_id": case.offer_id, "starts_on": TODAY.isoformat()}
    return Target("/placements", case.at(case.school), body)


def on_placement(step: str, body: dict[str, Any]) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        case = world.placed()
        return Target(f"/placements/{case.placement_id}/{step}", case.at(case.school), body)

    return make


def to_move(world: World) -> Target:
    case = world.placed()
    next_offer = world.accepted(child=case.child).offer_id
    body = {
        "last_day": TODAY.isoformat(),
        "purpose": "nearer_home",
        "offer_id": next_offer,
        "starts_on": (TODAY + timedelta(days=1)).isoformat(),
    }
    return Target(f"/placements/{case.placement_id}/move", case.at(case.school), body)


def new_assessment(world: World) -> Target:
    child = world.new_id("child")
    body = {
        "assessment_id": world.new_id("ehc"),
        "child_id": child,
        "district": "thanet",
        "requested_on": TODAY.isoformat(),
    }
    return Target("/assessments", Record(district=THANET, child=child), body)


def on_assessment(step: str, body: dict[str, Any]) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        assessment_id, record = world.assessed()
        return Target(f"/assessments/{assessment_id}/{step}", record, body)

    return make


def read(
    path: Callable[[Case], str], setting: Callable[[Case], str | None]
) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        return Target(path(world.case), world.case.at(setting(world.case)))

    return make


def _no_setting(_: Case) -> None:
    return None


def _school(case: Case) -> str:
    return case.school


@dataclass(frozen=True)
class Entry:
    """An operation's action, and how to make a record to call it on; a command that changes
    its record gets a fresh one for each caller allowed it."""

    action: str
    make: Callable[[World], Target]
    fresh: bool = False
    names_its_record: bool = False  # a PUT to a new id makes the record: no 404 for it


ENTRIES: dict[tuple[str, str], Entry] = {
    ("POST", "/settings"): Entry("setting.register", new_setting, fresh=True),
    ("GET", "/settings/{setting_id}"): Entry(
        "setting.read",
        lambda _: Target(f"/settings/{SECONDARY}", Record(district=THANET, setting=SECONDARY)),
    ),
    ("PUT", "/settings/{setting_id}/capacity"): Entry(
        "capacity.set",
        lambda _: Target(
            f"/settings/{SECONDARY}/capacity",
            Record(district=THANET, setting=SECONDARY),
            {"academic_year": "2028-29", "by_year_group": [{"year_group": 7, "places": 30}]},
        ),
    ),
    ("POST", "/requests"): Entry("request.receive", new_request, fresh=True),
    ("GET", "/requests/{request_id}"): Entry(
        "request.read", read(lambda c: f"/requests/{c.request_id}", _no_setting)
    ),
    ("POST", "/requests/{request_id}/consultations"): Entry(
        "consultation.send", to_consult, fresh=True
    ),
    ("GET", "/consultations/{consultation_id}"): Entry(
        "consultation.read", read(lambda c: f"/consultations/{c.consultation_id}", _school)
    ),
    ("POST", "/consultations/{consultation_id}/reply"): Entry(
        "consultation.answer", to_answer, fresh=True
    ),
    ("POST", "/requests/{request_id}/proposals"): Entry("request.propose", to_propose, fresh=True),
    ("POST", "/proposals/{proposal_id}/votes"): Entry("request.vote", to_vote, fresh=True),
    ("GET", "/proposals/{proposal_id}"): Entry("request.read", to_read_proposal),
    ("PUT", "/panels/{panel_id}"): Entry(
        "panel.keep", to_keep_roster, fresh=True, names_its_record=True
    ),
    ("POST", "/panels/{panel_id}/interests"): Entry("panel.declare", to_declare, fresh=True),
    ("GET", "/panels/{panel_id}"): Entry(
        "panel.read", lambda _: Target(f"/panels/{PANEL_ID}", EAST_PANEL)
    ),
    ("GET", "/decisions/{decision_id}"): Entry(
        "decision.read", read(lambda c: f"/decisions/{c.decision_id}", _school)
    ),
    ("GET", "/decisions/{decision_id}/rationale-digest"): Entry(
        "rationale.digest", read(lambda c: f"/decisions/{c.decision_id}/rationale-digest", _school)
    ),
    ("GET", "/offers/{offer_id}"): Entry(
        "offer.read", read(lambda c: f"/offers/{c.offer_id}", _school)
    ),
    ("POST", "/offers/{offer_id}/acceptance"): Entry(
        "offer.accept", to_answer_offer("acceptance"), fresh=True
    ),
    ("POST", "/offers/{offer_id}/decline"): Entry(
        "offer.decline",
        to_answer_offer("decline", {"reason": "prefer_another_school"}),
        fresh=True,
    ),
    ("POST", "/placements"): Entry("placement.start", to_start, fresh=True),
    ("GET", "/placements/{placement_id}"): Entry(
        "placement.read", read(lambda c: f"/placements/{c.placement_id}", _school)
    ),
    ("POST", "/placements/{placement_id}/end"): Entry(
        "placement.end",
        on_placement("end", {"ends_on": TODAY.isoformat(), "reason": "left_kent"}),
        fresh=True,
    ),
    ("POST", "/placements/{placement_id}/move"): Entry("placement.move", to_move, fresh=True),
    ("POST", "/placements/{placement_id}/amended-plans"): Entry(
        "amended-plan.record",
        on_placement("amended-plans", {"issued_on": TODAY.isoformat()}),
        fresh=True,
    ),
    ("POST", "/placements/{placement_id}/post-16-move"): Entry(
        "post-16-move.plan", on_placement("post-16-move", {"moves_on": "2027-09-06"}), fresh=True
    ),
    ("POST", "/assessments"): Entry("assessment.request", new_assessment, fresh=True),
    ("GET", "/assessments/{assessment_id}"): Entry(
        "assessment.read",
        lambda world: Target(f"/assessments/{world.assessment[0]}", world.assessment[1]),
    ),
    ("POST", "/assessments/{assessment_id}/steps"): Entry(
        "assessment.step",
        on_assessment("steps", {"step": "decided_to_assess", "on": TODAY.isoformat()}),
        fresh=True,
    ),
    ("POST", "/assessments/{assessment_id}/exceptions"): Entry(
        "clock-exception.record",
        on_assessment(
            "exceptions",
            {
                "clock": "final_ehcp",
                "kind": "exceptional_personal_circumstances",
                "reason": "bereavement",
                "from_on": TODAY.isoformat(),
            },
        ),
        fresh=True,
    ),
}


# --- lists, the sweep and figures: what each caller sees of a case in and a case out ---------

Follow = Callable[[str], Response]  # the page after the cursor, asked by the same caller
Seen = Callable[[Response, dict[str, District], Follow], set[District]]


def _clocks_seen(page: Response, children: dict[str, District], follow: Follow) -> set[District]:
    seen: set[District] = set()
    while True:
        assert page.status_code == 200, page.text
        clocks = page.json()["clocks"]
        seen |= {children[c["child_id"]] for c in clocks if c["child_id"] in children}
        if page.json()["next"] is None:
            return seen
        page = follow(page.json()["next"])


def _raised_seen(response: Response, children: dict[str, District], _: Follow) -> set[District]:
    raised = response.json()["raised"]
    return {children[r["child_id"]] for r in raised if r.get("child_id") in children}


def _sufficiency_seen(response: Response, _: dict[str, District], __: Follow) -> set[District]:
    return {District(row["district"]) for row in response.json()["rows"]}


def _timeliness_seen(response: Response, _: dict[str, District], __: Follow) -> set[District]:
    # Two reply clocks breached in Thanet, one in Maidstone: the count tells whose are counted.
    (replies,) = [c for c in response.json()["clocks"] if c["kind"] == "consultation_reply"]
    counted = replies["including_exceptions"]["cases"]
    return {0: set(), 2: {THANET}, 1: {MAIDSTONE}, 3: {THANET, MAIDSTONE}}[counted]


@dataclass(frozen=True)
class Listing:
    """An operation answering with many records: its action, its path and query, and which
    districts' seeded records a response shows. The sweep raises its alerts once, so each
    caller allowed it sweeps a fresh pair of cases."""

    action: str
    path: str
    params: dict[str, str]
    seen: Seen
    fresh: bool = False


LISTINGS: dict[tuple[str, str], Listing] = {
    ("GET", "/clocks"): Listing("clock.list", "/clocks", {"limit": "2"}, _clocks_seen),
    ("POST", "/clocks/sweep"): Listing(
        "clocks.sweep", "/clocks/sweep", {}, _raised_seen, fresh=True
    ),
    ("GET", "/timeliness"): Listing(
        "timeliness.read", "/timeliness", {"as_of": LATER.isoformat()}, _timeliness_seen
    ),
    ("GET", "/sufficiency"): Listing(
        "sufficiency.read", "/sufficiency", {"academic_year": YEAR}, _sufficiency_seen
    ),
}


def seed_in_and_out(world: World) -> dict[str, District]:
    """Two cases consulted today in Thanet and one in Maidstone: whose child is where."""
    world.placements.calendar.pin(TODAY)
    cases = [world.consulted(THANET), world.consulted(THANET), world.consulted(MAIDSTONE)]
    world.placements.calendar.pin(LATER)
    return {case.child: case.district for case in cases}


# --- the tests ------------------------------------------------------------------------------


def operations(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        if not path.startswith(UNLISTED)
        for method in item
    }


def route_actions(routes: Sequence[BaseRoute], prefix: str = "") -> dict[tuple[str, str], str]:
    """The action each route's permit names, as the route declares it (however deeply its
    router is included: FastAPI keeps included routers as nodes of their own)."""
    found = {}
    for route in routes:
        if isinstance(route, APIRoute):
            for dependency in route.dependant.dependencies:
                marked = getattr(dependency.call, ACTION_MARK, None)
                if marked is not None:
                    found |= {(method, prefix + route.path): marked[1] for method in route.methods}
        router, context = (
            getattr(route, "original_router", None),
            getattr(route, "include_context", None),
        )
        if router is not None and context is not None:
            found |= route_actions(router.routes, prefix + context.prefix)
    return found


async def test_every_operation_has_an_entry_naming_the_action_its_route_permits(
    placements: Placements,
) -> None:
    app = placements.client.app
    assert isinstance(app, FastAPI)
    listed = {
        **{k: e.action for k, e in ENTRIES.items()},
        **{k: e.action for k, e in LISTINGS.items()},
        PANELS_LIST: "panel.read",
    }

    assert operations(app) == set(listed), "an operation without an entry, or an entry without one"
    assert {key: route_actions(app.routes).get(key) for key in listed} == listed
    unrouted = set(POLICY.permissions) - set(listed.values())
    assert unrouted == {"capacity.override", "rationale.read"}, "checked inside other operations"


def assert_refused(response: Response, who: str) -> None:
    assert response.status_code == 403, (who, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), who
    assert response.json()["status"] == 403


def assert_path_matches(template: str, path: str) -> None:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    assert re.fullmatch(pattern, path.split("?")[0]), (template, path)


@pytest.mark.parametrize("operation", sorted(ENTRIES), ids=" ".join)
async def test_each_caller_is_refused_exactly_where_the_policy_refuses_them(
    placements: Placements, unique: str, operation: tuple[str, str]
) -> None:
    method, template = operation
    entry = ENTRIES[operation]
    world = World(placements, unique)
    target = entry.make(world)
    assert_path_matches(template, target.path)
    allowed = [
        c for c in CALLERS if POLICY.allows(c.principal(target.record), entry.action, target.record)
    ]
    refused = [c for c in CALLERS if c not in allowed]
    assert allowed and refused

    def call(caller: Caller, on: Target) -> Response:
        headers = caller.token(placements, on.record)
        return placements.client.request(method, on.path, json=on.body, headers=headers)

    for caller in refused:
        assert_refused(call(caller, target), caller.name)
    for n, caller in enumerate(allowed):
        if entry.fresh and n:
            target = entry.make(world)
        response = call(caller, target)
        assert response.status_code < 300, (caller.name, response.status_code, response.text)

    if "{" in template and not entry.names_its_record:
        missing = Target(re.sub(r"\{[^}]+\}", "missing-1", template), target.record, target.body)
        admitted = set(POLICY.roles(entry.action))
        for caller in CALLERS:
            response = call(caller, missing)
            if caller.role in admitted:
                assert response.status_code == 404, (caller.name, response.text)
            else:
                assert_refused(response, caller.name)


@pytest.mark.parametrize("operation", sorted(LISTINGS), ids=" ".join)
async def test_each_list_shows_each_caller_only_the_districts_they_reach(
    placements: Placements, unique: str, operation: tuple[str, str]
) -> None:
    method, _ = operation
    listing = LISTINGS[operation]
    world = World(placements, unique)
    children = seed_in_and_out(world)
    in_scope = Record(district=THANET)
    admitted = set(POLICY.roles(listing.action))

    for n, caller in enumerate(CALLERS):
        if listing.fresh and n and caller.role in admitted:
            children = seed_in_and_out(world)
        headers = caller.token(placements, in_scope)

        def ask(after: str | None = None, headers: dict[str, str] = headers) -> Response:
            params = listing.params | ({"after": after} if after else {})
            return placements.client.request(method, listing.path, params=params, headers=headers)

        response = ask()
        if caller.role not in admitted:
            assert_refused(response, caller.name)
            continue
        assert response.status_code == 200, (caller.name, response.text)
        principal = caller.principal(in_scope)
        reached = {
            district
            for district in (THANET, MAIDSTONE)
            if POLICY.allows(principal, listing.action, Record(district=district))
        }
        assert listing.seen(response, children, ask) == reached, caller.name


PANELS_LIST = ("GET", "/panels")


async def test_the_list_of_panels_shows_each_caller_only_the_rosters_they_reach(
    placements: Placements, unique: str
) -> None:
    World(placements, unique)
    panels = {PANEL_ID: Area.EAST, OTHER_PANEL: Area.WEST}
    admitted = set(POLICY.roles("panel.read"))

    for caller in CALLERS:
        headers = caller.token(placements, EAST_PANEL)
        seen: set[str] = set()
        page = placements.client.get("/panels", params={"limit": "1"}, headers=headers)
        if caller.role not in admitted:
            assert_refused(page, caller.name)
            continue
        while True:
            assert page.status_code == 200, (caller.name, page.text)
            seen |= {roster["panel_id"] for roster in page.json()["panels"]}
            if page.json()["next"] is None:
                break
            page = placements.client.get(
                "/panels", params={"limit": "1", "after": page.json()["next"]}, headers=headers
            )
        principal = caller.principal(EAST_PANEL)
        reached = {
            panel_id
            for panel_id, area in panels.items()
            if POLICY.allows(principal, "panel.read", Record(area=area, panel=panel_id))
        }
        assert seen == reached, caller.name
