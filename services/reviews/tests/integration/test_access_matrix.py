"""Role by scope by endpoint, through the real HTTP app: every operation of the service's OpenAPI
has an entry here naming its action of the policy, how to call it on a Thanet (East Kent)
review, and who may. Each caller — officers Kent-wide, of East Kent, of Thanet, of West Kent and
of nowhere; Area Boards of East and West Kent; the reviewed school's SENCO, its reviewer, the
reviewer's colleague, a school and a panel member it shared the report with, a stranger school,
a panel member, a parent, a young person, the auditor and the platform team — is refused with
a 403 problem where it has no part, and otherwise answered. A refused command writes nothing;
an allowed one gets a record of its own, ready for the command to succeed. The lists show only
what the caller reaches: a review's grants are that review's, an officer's overdue sweep
raises the actions of their places only (a Maidstone review, West Kent, beside Thanet's), and
the roster of reviewers shows an officer the reviewers of their places and a SENCO their own
entry only."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from inclusion_shared.access import ACTION_MARK
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import AREA_OF, Area, District
from reviews.access import AS_REVIEWER, POLICY

from .conftest import Reviews, actions, ok, review_of, senco, today

# Who calls, and what their token says.
CALLERS: dict[str, dict[str, Any]] = {
    "officer-kent": {"role": "kcc-officer", "areas": ("kent",)},
    "officer-east": {"role": "kcc-officer", "areas": ("east-kent",)},
    "officer-thanet": {"role": "kcc-officer", "districts": ("thanet",)},
    "officer-west": {"role": "kcc-officer", "areas": ("west-kent",)},
    "officer-nowhere": {"role": "kcc-officer"},
    "board-east": {"role": "area-board", "areas": ("east-kent",)},
    "board-west": {"role": "area-board", "areas": ("west-kent",)},
    "owner": {"role": "senco", "subject": person_id_for("senco-school-a"), "setting": "school-a"},
    "owner-of-two": {
        "role": "senco",
        "subject": person_id_for("senco-cluster"),
        "settings": ("school-z", "school-a"),
    },
    "reviewer": {
        "role": "senco",
        "subject": person_id_for("senco-school-b"),
        "setting": "school-b",
    },
    "reviewers-colleague": {
        "role": "senco",
        "subject": person_id_for("senco-school-b-2"),
        "setting": "school-b",
    },
    "granted-school": {
        "role": "senco",
        "subject": person_id_for("senco-school-d"),
        "setting": "school-d",
    },
    "stranger": {
        "role": "senco",
        "subject": person_id_for("senco-school-e"),
        "setting": "school-e",
    },
    "granted-member": {
        "role": "panel-member",
        "subject": person_id_for("member-7"),
        "panels": ("panel-east",),
    },
    "member": {
        "role": "panel-member",
        "subject": person_id_for("member-8"),
        "panels": ("panel-east",),
    },
    "parent": {"role": "parent", "child": "child-1ae80cfbd8c8ca02806d"},
    "young-person": {"role": "young-person", "child": "child-9e7ee5bb1b3ddc9f274e"},
    "auditor": {"role": "auditor"},
    "platform-admin": {"role": "platform-admin"},
}
OFFICERS = {name for name, token in CALLERS.items() if token["role"] == "kcc-officer"}
OFFICERS_THERE = {"officer-kent", "officer-east", "officer-thanet"}
OWNERS = {"owner", "owner-of-two"}
SENCOS = {name for name, token in CALLERS.items() if token["role"] == "senco"}

THANET = {
    "district": "thanet",
    "community_id": "cos-thanet-1",
    "partnerships": [["school-a", "school-b", "school-c"], ["school-d", "school-e"]],
}
MAIDSTONE = {
    "district": "maidstone",
    "community_id": "cos-maidstone-1",
    "partnerships": [["school-m1", "school-m2", "school-m3"], ["school-m4", "school-m5"]],
}
FOLLOW_UP = {
    "actions": [
        {"item_id": "action-1", "what_changed": "Screening ran this term."},
        {"item_id": "action-2", "what_changed": "Invitations drafted."},
    ]
}
REPORT = {
    "findings": [
        {
            "finding_id": "finding-1",
            "area": "leadership",
            "kind": "area-for-development",
            "summary": "To develop.",
            "evidence": ["doc-visit-notes-1"],
        }
    ]
}

# How far a fresh review is walked before the command under test.
NEW, EVALUATED, DRAFTING, ISSUED, PLANNED, FOLLOWING_UP = (
    "new",
    "evaluated",
    "drafting",
    "issued",
    "planned",
    "following-up",
)


@dataclass
class World:
    """The reviews service with a Thanet review of school-a (its report issued, reviewed by
    school-b, shared with school-d and with member-7) and a Maidstone review of school-m1
    (reviewed by school-m2, shared with school-m4); fresh reviews on demand."""

    reviews: Reviews
    cycle_id: str = ""
    review_id: str = ""
    elsewhere: str = ""
    district_of: dict[str, str] = field(default_factory=dict)
    numbers: Iterator[int] = field(default_factory=itertools.count)

    def headers(self, caller: str) -> dict[str, str]:
        token = dict(CALLERS[caller])
        return self.reviews.as_(token.pop("role"), **token)

    def fresh(self, stage: str, where: dict[str, Any] = THANET) -> str:
        """A new review of the first school of a new cycle, walked to `stage`, reviewed by the
        second school's SENCO."""
        school, reviewer = where["partnerships"][0][:2]
        cycle = self.reviews.open_cycle(
            **where, cycle_id=f"cycle-{next(self.numbers)}", reviewed_settings=[school]
        )
        review_id = review_of(cycle, school)
        self.district_of[review_id] = where["district"]
        if stage == EVALUATED:
            ok(
                self.reviews.client.post(
                    f"/reviews/{review_id}/self-evaluation",
                    json={"documents": ["doc-sef-1"]},
                    headers=self.reviews.senco_of(school),
                )
            )
            ok(self.reviews.assign(review_id, reviewer), 201)
        elif stage != NEW:
            self.reviews.issue_report(review_id, school, reviewer, issue=stage != DRAFTING)
        if stage in (PLANNED, FOLLOWING_UP):
            ok(self.reviews.agree_plan(review_id, school, actions(first_due_in=5)), 201)
        if stage == FOLLOWING_UP:
            ok(self.reviews.move(review_id, "follow-up"))
        return review_id

    def grant(self, review_id: str, school: str, **to: str) -> str:
        grant_id = f"grant-{next(self.numbers)}"
        ok(
            self.reviews.client.post(
                f"/reviews/{review_id}/grants",
                json={"grant_id": grant_id, **to},
                headers=self.reviews.senco_of(school),
            ),
            201,
        )
        return grant_id

    def seed(self) -> None:
        self.review_id = self.fresh(ISSUED)
        self.cycle_id = self.cycle_of(self.review_id)
        for to in ({"setting": "school-d"}, {"subject": person_id_for("member-7")}):
            self.grant(self.review_id, "school-a", **to)
        self.elsewhere = self.fresh(ISSUED, MAIDSTONE)
        self.grant(self.elsewhere, "school-m1", setting="school-m4")

    def cycle_of(self, review_id: str) -> str:
        progress = ok(
            self.reviews.client.get(f"/reviews/{review_id}", headers=self.headers("auditor"))
        )
        cycle_id: str = progress["cycle_id"]
        return cycle_id

    async def written(self, review_ids: Sequence[str]) -> tuple[Any, ...]:
        """Every count of the store and the outbox, and the documents of the reviews."""
        documents = [await self.reviews.document_of(review_id) for review_id in review_ids]
        return (await self.reviews.written(), documents)


Target = dict[str, Any]
Call = Callable[[World, Target, dict[str, str]], httpx.Response]


@dataclass(frozen=True)
class Entry:
    """One operation: its action, who may call it on the Thanet review, a record in the state
    the call succeeds on (fresh for each allowed caller of a command), the call, and for a
    list what the caller should see in it."""

    action: str
    allowed: frozenset[str]
    call: Call
    prepare: Callable[[World], Target] = lambda world: {"review_id": world.review_id}
    sees: Callable[[World, str, Target, httpx.Response], None] | None = None

    @property
    def writes(self) -> bool:
        return POLICY[self.action].writes


def _post(path: str, body: Any = None) -> Call:
    def call(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
        return world.reviews.client.post(path.format(**target), json=body, headers=headers)

    return call


def _get(path: str, **params: str) -> Call:
    def call(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
        return world.reviews.client.get(path.format(**target), params=params, headers=headers)

    return call


def _open_cycle(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
    body = {**THANET, "cycle_id": f"cycle-opened-{next(world.numbers)}"}
    return world.reviews.client.post("/cycles", json=body, headers=headers)


def _write_report(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
    path = f"/reviews/{target['review_id']}/report"
    return world.reviews.client.put(path, json=REPORT, headers=headers)


def _give(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
    body = {"grant_id": f"grant-given-{next(world.numbers)}", "subject": person_id_for("member-9")}
    return world.reviews.client.post(
        f"/reviews/{target['review_id']}/grants", json=body, headers=headers
    )


def _sweep(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
    as_of = (today() + timedelta(days=20)).isoformat()
    return world.reviews.client.post(
        "/actions/overdue-sweep", json={"as_of": as_of}, headers=headers
    )


def _enrol(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
    path = f"/reviewers/{target['reviewer_id']}"
    return world.reviews.client.put(path, json=world.reviews.enrolment("school-c"), headers=headers)


def _declare(world: World, target: Target, headers: dict[str, str]) -> httpx.Response:
    path = f"/reviewers/{target['reviewer_id']}/interests"
    body = {"setting_id": f"school-declared-{next(world.numbers)}"}
    return world.reviews.client.post(path, json=body, headers=headers)


def _new_reviewer(world: World) -> Target:
    return {"reviewer_id": person_id_for(f"reviewer-new-{next(world.numbers)}")}


def _the_reviewer(world: World) -> Target:
    return {"reviewer_id": senco("school-b")}


def _fresh(stage: str) -> Callable[[World], Target]:
    return lambda world: {"review_id": world.fresh(stage)}


def _fresh_grant(world: World) -> Target:
    return {
        "review_id": world.review_id,
        "grant_id": world.grant(world.review_id, "school-a", subject=person_id_for("member-9")),
    }


def _both_planned(world: World) -> Target:
    return {"thanet": world.fresh(PLANNED), "maidstone": world.fresh(PLANNED, MAIDSTONE)}


def _places(caller: str) -> set[str]:
    token = CALLERS[caller]
    areas = set(token.get("areas", ()))
    if "kent" in areas:
        return {district.value for district in District}
    return set(token.get("districts", ())) | {
        district.value for district in District if AREA_OF[district].value in areas
    }


def _grants_of_the_review_only(
    world: World, caller: str, target: Target, response: httpx.Response
) -> None:
    given = [grant["subject"] or grant["setting"] for grant in response.json()["grants"]]
    assert given == ["school-d", person_id_for("member-7")], (caller, given)


def _overdue_of_their_places_only(
    world: World, caller: str, target: Target, response: httpx.Response
) -> None:
    raised = {item["review_id"] for item in response.json()["raised"]}
    places = _places(caller)
    assert {world.district_of[review_id] for review_id in raised} <= places, caller
    for review_id in (target["thanet"], target["maidstone"]):
        assert (review_id in raised) is (world.district_of[review_id] in places), (
            caller,
            review_id,
        )


def _roster_of_their_places_or_their_own(
    world: World, caller: str, target: Target, response: httpx.Response
) -> None:
    shown = [entry["reviewer_id"] for entry in response.json()["reviewers"]]
    token = CALLERS[caller]
    enrolled = {
        senco(school): where["district"]
        for where in (THANET, MAIDSTONE)
        for partnership in where["partnerships"]
        for school in partnership
    }
    if token["role"] == "senco":
        expected = [token["subject"]] if token["subject"] in enrolled else []
    else:
        places = _places(caller) if token["role"] == "kcc-officer" else set(enrolled.values())
        expected = sorted(r for r, district in enrolled.items() if district in places)
    assert shown == expected, (caller, shown)


R = "/reviews/{review_id}"
TABLE: dict[tuple[str, str], Entry] = {
    ("POST", "/cycles"): Entry("cycle.open", frozenset(OFFICERS_THERE), _open_cycle),
    ("GET", "/cycles/{cycle_id}"): Entry(
        "cycle.read",
        frozenset(OFFICERS_THERE | {"auditor"}),
        _get("/cycles/{cycle_id}"),
        prepare=lambda world: {"cycle_id": world.cycle_id},
    ),
    ("GET", "/cycles/{cycle_id}/themes"): Entry(
        "cycle-themes.read",
        frozenset(OFFICERS_THERE | {"board-east", "auditor"}),
        _get("/cycles/{cycle_id}/themes"),
        prepare=lambda world: {"cycle_id": world.cycle_id},
    ),
    ("GET", "/themes"): Entry(
        "themes.read",
        frozenset({"officer-kent", "officer-east", "board-east", "auditor"}),
        _get("/themes", area=Area.EAST.value),
    ),
    ("GET", R): Entry(
        "review.read", frozenset(OFFICERS_THERE | OWNERS | {"reviewer", "auditor"}), _get(R)
    ),
    ("POST", R + "/reviewers"): Entry(
        "reviewer.assign",
        frozenset(OFFICERS_THERE),
        _post(R + "/reviewers", {"reviewer_id": senco("school-c")}),
        prepare=_fresh(NEW),
    ),
    ("PUT", "/reviewers/{reviewer_id}"): Entry(
        "reviewer.enrol", frozenset(OFFICERS_THERE), _enrol, prepare=_new_reviewer
    ),
    ("POST", "/reviewers/{reviewer_id}/interests"): Entry(
        "reviewer.declare", frozenset({"reviewer"}), _declare, prepare=_the_reviewer
    ),
    ("GET", "/reviewers/{reviewer_id}"): Entry(
        "reviewer.read",
        frozenset(OFFICERS_THERE | {"reviewer", "auditor"}),
        _get("/reviewers/{reviewer_id}"),
        prepare=_the_reviewer,
    ),
    ("GET", "/reviewers"): Entry(
        "reviewer.read",
        frozenset(OFFICERS | SENCOS | {"auditor"}),
        _get("/reviewers"),
        sees=_roster_of_their_places_or_their_own,
    ),
    ("POST", R + "/self-evaluation"): Entry(
        "self-evaluation.submit",
        frozenset(OWNERS),
        _post(R + "/self-evaluation", {"documents": ["doc-sef-1"]}),
        prepare=_fresh(NEW),
    ),
    ("POST", R + "/stage"): Entry(
        "review.move",
        frozenset(OFFICERS_THERE | OWNERS | {"reviewer"}),
        _post(R + "/stage", {"to": "preparation"}),
        prepare=_fresh(EVALUATED),
    ),
    ("PUT", R + "/report"): Entry(
        "report.write", frozenset({"reviewer"}), _write_report, prepare=_fresh(DRAFTING)
    ),
    ("GET", R + "/report"): Entry(
        "report.read",
        frozenset(OWNERS | {"reviewer", "granted-school", "granted-member"}),
        _get(R + "/report"),
    ),
    ("GET", R + "/grants"): Entry(
        "grant.list",
        frozenset(OWNERS | {"auditor"}),
        _get(R + "/grants"),
        sees=_grants_of_the_review_only,
    ),
    ("POST", R + "/grants"): Entry("grant.give", frozenset(OWNERS), _give),
    ("POST", R + "/grants/{grant_id}/revocation"): Entry(
        "grant.revoke",
        frozenset(OWNERS),
        _post(R + "/grants/{grant_id}/revocation"),
        prepare=_fresh_grant,
    ),
    ("POST", R + "/action-plan"): Entry(
        "action-plan.agree",
        frozenset(OWNERS),
        _post(R + "/action-plan", {"items": actions()}),
        prepare=_fresh(ISSUED),
    ),
    ("POST", R + "/actions/{item_id}/completion"): Entry(
        "action.complete",
        frozenset(OWNERS),
        _post(R + "/actions/action-1/completion"),
        prepare=_fresh(PLANNED),
    ),
    ("POST", "/actions/overdue-sweep"): Entry(
        "overdue.sweep",
        frozenset(OFFICERS),
        _sweep,
        prepare=_both_planned,
        sees=_overdue_of_their_places_only,
    ),
    ("POST", R + "/follow-up"): Entry(
        "follow-up.record",
        frozenset(OFFICERS_THERE | {"reviewer"}),
        _post(R + "/follow-up", FOLLOW_UP),
        prepare=_fresh(FOLLOWING_UP),
    ),
}

NOT_GUARDED = ("/health/", "/openapi.json", "/asyncapi.json", "/docs")


def operations(app: FastAPI) -> set[tuple[str, str]]:
    """Every operation the OpenAPI document lists, but probes and published documents."""
    return {
        (method.upper(), path)
        for path, methods in app.openapi()["paths"].items()
        if not path.startswith(NOT_GUARDED)
        for method in methods
    }


def route_actions(app: FastAPI) -> dict[tuple[str, str], tuple[str, str]]:
    """The (service, action) each route's permit() marks it with, by method and full path."""

    def walk(routes: Sequence[BaseRoute], prefix: str) -> Iterator[tuple[str, APIRoute]]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield prefix + route.path, route
            router, context = (
                getattr(route, "original_router", None),
                getattr(route, "include_context", None),
            )
            if router is not None and context is not None:
                yield from walk(router.routes, prefix + context.prefix)

    marked: dict[tuple[str, str], tuple[str, str]] = {}
    for path, route in walk(app.routes, ""):
        for dependency in route.dependant.dependencies:
            mark = getattr(dependency.call, ACTION_MARK, None)
            if mark is not None:
                for method in route.methods or ():
                    marked[(method, path)] = mark
    return marked


@pytest.fixture
def world(reviews: Reviews) -> World:
    world = World(reviews)
    world.seed()
    return world


async def test_every_operation_has_an_entry_naming_the_action_its_route_permits(
    reviews: Reviews,
) -> None:
    app = reviews.client.app
    assert isinstance(app, FastAPI)
    assert operations(app) == set(TABLE), "an operation without an entry, or an entry too many"
    marked = route_actions(app)
    for operation, entry in TABLE.items():
        assert marked.get(operation) == ("reviews", entry.action), operation


def test_every_action_of_the_policy_is_an_operations_or_a_reviewers_part_of_one() -> None:
    used = {entry.action for entry in TABLE.values()}
    assert set(POLICY.permissions) == used | {AS_REVIEWER[a] for a in used if a in AS_REVIEWER}


@pytest.mark.parametrize(("operation", "entry"), TABLE.items(), ids=[" ".join(o) for o in TABLE])
def test_the_policy_grants_the_role_of_every_caller_an_entry_allows(
    operation: tuple[str, str], entry: Entry
) -> None:
    roles = set(POLICY.roles(entry.action))
    for name in entry.allowed:
        assert CALLERS[name]["role"] in roles, (operation, name)


@pytest.mark.parametrize(("operation", "entry"), TABLE.items(), ids=[" ".join(o) for o in TABLE])
async def test_each_caller_is_answered_where_it_has_a_part_and_refused_with_a_403_elsewhere(
    world: World, operation: tuple[str, str], entry: Entry
) -> None:
    refused_target = entry.prepare(world)
    touched = [world.review_id, world.elsewhere, *_reviews_in(refused_target)]
    before = await world.written(touched)

    for name in sorted(set(CALLERS) - entry.allowed):
        response = entry.call(world, refused_target, world.headers(name))
        assert response.status_code == 403, (operation, name, response.text)
        assert response.headers["content-type"] == "application/problem+json"

    if entry.writes:
        assert await world.written(touched) == before, f"a refused {operation} wrote something"
    for name in sorted(entry.allowed):
        target = entry.prepare(world) if entry.writes else refused_target
        response = entry.call(world, target, world.headers(name))
        assert response.is_success, (operation, name, response.text)
        if entry.sees is not None:
            entry.sees(world, name, target, response)


def _reviews_in(target: Target) -> list[str]:
    return [value for key, value in target.items() if key in ("review_id", "thanet", "maidstone")]
