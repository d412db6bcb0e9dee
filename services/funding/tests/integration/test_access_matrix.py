"""Who may call each funding endpoint on which record, through the real HTTP app: every
operation of the service's OpenAPI document has an entry here (a new one without an entry
fails), naming the action its route checks and how to call it on a record seeded in Thanet
(East Kent). Every role calls it in scope, out of scope and with no scope at all: what the
policy refuses answers a 403 problem and writes nothing; what it allows succeeds, on a fresh
record for a command; a list or figures show each caller only what their scope reaches."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute

from funding.access import KENT, POLICY
from funding.app import EXAMPLE_POLICY
from inclusion_shared.access import ACTION_MARK, Record
from inclusion_shared.auth import Principal, mint_token, principal_from_claims
from inclusion_shared.identifiers import child_id_for, person_id_for
from inclusion_shared.kent import Area, District

from .conftest import (
    DECLINE_ON_MERIT,
    NURSERY,
    ROSTER,
    SCHOOL,
    Funding,
    complete_application,
    panel_decision,
    propose,
    roster_member,
    senif_application,
    set_roster,
)

CHILD = "child-4b8669e033ccb7794915"
WEST_SCHOOL = "school-0777"  # in Maidstone, West Kent
PANEL_EAST, PANEL_WEST = "panel-east-1", "panel-west-1"
YEAR = "2026-27"
NOT_FOR_CALLERS = ("/health/", "/openapi.json", "/asyncapi.json", "/docs")

THANET_CASE = Record(
    district=District.THANET, area=Area.EAST, setting=SCHOOL, child=CHILD, panel=PANEL_EAST
)
THANET_UNDECIDED = Record(district=District.THANET, area=Area.EAST, setting=SCHOOL, child=CHILD)
EAST_PANEL = Record(area=Area.EAST, panel=PANEL_EAST)
THANET_SENIF = Record(district=District.THANET, area=Area.EAST, setting=NURSERY, child=CHILD)


@dataclass(frozen=True)
class Caller:
    """A token's role and scope, as the identity provider would issue it."""

    name: str
    role: str
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def subject(self) -> str:
        """The caller's person id, made from their name."""
        return person_id_for(self.name)

    def headers(self, funding: Funding) -> dict[str, str]:
        scope = {k: tuple(v) if isinstance(v, list) else v for k, v in self.claims.items()}
        token = mint_token(funding.signing_key, role=self.role, subject=self.subject, **scope)
        return {"Authorization": f"Bearer {token}"}

    def principal(self) -> Principal:
        return principal_from_claims({"sub": self.subject, "role": self.role, **self.claims})


CALLERS = [
    Caller("officer-kent", "kcc-officer", {"areas": ["kent"]}),
    Caller("officer-east", "kcc-officer", {"areas": ["east-kent"]}),
    Caller("officer-thanet", "kcc-officer", {"districts": ["thanet"]}),
    Caller("officer-west", "kcc-officer", {"areas": ["west-kent"]}),
    Caller("officer-nowhere", "kcc-officer"),
    Caller("senco-school", "senco", {"setting": SCHOOL}),
    Caller("senco-nursery", "senco", {"setting": NURSERY}),
    Caller("senco-elsewhere", "senco", {"setting": WEST_SCHOOL}),
    Caller("senco-nowhere", "senco"),
    Caller("member-east", "panel-member", {"panels": [PANEL_EAST]}),
    Caller("member-west", "panel-member", {"panels": [PANEL_WEST]}),
    Caller("member-nowhere", "panel-member"),
    Caller("parent-of-child", "parent", {"child": CHILD}),
    Caller("parent-of-other", "parent", {"child": "child-dda99f2c4fa5343bcaf9"}),
    Caller("parent-nowhere", "parent"),
    Caller("young-person", "young-person", {"child": CHILD}),
    Caller("young-person-other", "young-person", {"child": "child-dda99f2c4fa5343bcaf9"}),
    Caller("board-east", "area-board", {"areas": ["east-kent"]}),
    Caller("board-west", "area-board", {"areas": ["west-kent"]}),
    Caller("board-nowhere", "area-board"),
    Caller("auditor", "auditor"),
    Caller("platform-admin", "platform-admin"),
]
BY_NAME = {caller.name: caller for caller in CALLERS}
OFFICER = Caller("officer-seeding", "kcc-officer", {"areas": ["kent"]})


# --- seeding: each returns the id of a fresh record in Thanet (or a list's items) -----------


def ok(response: Any, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def settings_registered(funding: Funding) -> None:
    """The settings, and each area's panel kept with its member among the callers on it."""
    await funding.register_setting()
    await funding.register_setting(NURSERY, "early-years")
    await funding.register_setting(WEST_SCHOOL, district="maidstone")
    set_roster(funding, PANEL_EAST, [*ROSTER, roster_member(person_id_for("member-east"), "senco")])
    set_roster(
        funding,
        PANEL_WEST,
        [*ROSTER, roster_member(person_id_for("member-west"), "senco")],
        "west-kent",
    )


def submitted(funding: Funding, setting: str = SCHOOL, district: str = "thanet") -> str:
    body = complete_application(child_id=CHILD, setting_id=setting, district=district)
    senco = Caller("senco-seeding", "senco", {"setting": setting})
    answer = ok(
        funding.client.post("/hnf/applications", json=body, headers=senco.headers(funding)), 201
    )
    application_id: str = answer["application_id"]
    return application_id


def decided(
    funding: Funding, setting: str = SCHOOL, district: str = "thanet", panel: str = PANEL_EAST
) -> tuple[str, str]:
    """An application declined on merit by a panel (no budget needed): its and the decision's id."""
    application_id = submitted(funding, setting, district)
    answer = ok(panel_decision(funding, application_id, DECLINE_ON_MERIT, panel_id=panel), 201)
    return application_id, answer["decision"]["decision_id"]


def proposed(funding: Funding) -> str:
    """A Thanet application before East Kent's panel, no vote yet: the proposal's id."""
    answer = ok(propose(funding, submitted(funding), DECLINE_ON_MERIT, panel_id=PANEL_EAST), 201)
    proposal_id: str = answer["proposal_id"]
    return proposal_id


def rosters_in_and_out(funding: Funding) -> dict[str, Record]:
    return {
        PANEL_EAST: Record(area=Area.EAST, panel=PANEL_EAST),
        PANEL_WEST: Record(area=Area.WEST, panel=PANEL_WEST),
    }


def lodged(
    funding: Funding, setting: str = SCHOOL, district: str = "thanet", panel: str = PANEL_EAST
) -> str:
    _, decision_id = decided(funding, setting, district, panel)
    url = f"/decisions/{decision_id}/challenges"
    answer = ok(funding.client.post(url, headers=OFFICER.headers(funding)), 201)
    challenge_id: str = answer["challenge_id"]
    return challenge_id


def senif_submitted(funding: Funding) -> str:
    senco = Caller("senco-seeding", "senco", {"setting": NURSERY})
    body = senif_application(child_id=CHILD)
    answer = ok(
        funding.client.post("/senif/applications", json=body, headers=senco.headers(funding)), 201
    )
    application_id: str = answer["application_id"]
    return application_id


def budget_set(funding: Funding) -> str:
    url = f"/budgets/east-kent/{YEAR}"
    body = {"annual_amount_pence": 5_000_000}
    ok(funding.client.put(url, json=body, headers=OFFICER.headers(funding)), 200)
    return ""


def decisions_in_and_out(funding: Funding) -> dict[str, Record]:
    _, thanet = decided(funding)
    _, maidstone = decided(funding, WEST_SCHOOL, "maidstone", PANEL_WEST)
    return {
        thanet: Record(district=District.THANET),
        maidstone: Record(district=District.MAIDSTONE),
    }


def resolved_in_and_out(funding: Funding) -> dict[str, Record]:
    for challenge_id in (lodged(funding), lodged(funding, WEST_SCHOOL, "maidstone", PANEL_WEST)):
        body = {"result": "upheld", "reasons": ["decision_followed_policy"]}
        url = f"/challenges/{challenge_id}/resolution"
        ok(funding.client.post(url, json=body, headers=OFFICER.headers(funding)), 200)
    return {
        "thanet": Record(district=District.THANET),
        "maidstone": Record(district=District.MAIDSTONE),
    }


def published_policies(funding: Funding) -> dict[str, Record]:
    return {"kent-example-2026.1": KENT}


def later_policy(n: int) -> dict[str, Any]:
    policy = json.loads(EXAMPLE_POLICY.read_text())
    effective = date(2040, 4, 1) + timedelta(days=n)
    return {**policy, "version": f"kent-matrix-{n}", "effective_from": effective.isoformat()}


# --- the table: every operation, its action, where its record sits and how to call it --------

Request = Callable[[str, int], tuple[str, dict[str, Any] | None]]


@dataclass(frozen=True)
class Entry:
    action: str
    record: Record | None  # where the record called on sits; a list's items sit each apart
    request: Request  # (a target's id, a number unique to the call) → (url, body)
    succeeds: int  # the status of an allowed call
    target: Callable[[Funding], str] = lambda funding: ""  # a fresh record to call on
    items: Callable[[Funding], dict[str, Record]] | None = None  # a list's, seeded
    listed: Callable[[dict[str, Any]], set[str]] = lambda answer: set()

    @property
    def writes(self) -> bool:
        return POLICY[self.action].writes


def url(path: str) -> Request:
    return lambda target, n: (path.format(target), None)


ENTRIES: dict[tuple[str, str], Entry] = {
    ("GET", "/policies"): Entry(
        "policy.read",
        None,
        url("/policies"),
        200,
        items=published_policies,
        listed=lambda answer: {p["version"] for p in answer["policies"]},
    ),
    ("POST", "/policies"): Entry(
        "policy.publish", KENT, lambda target, n: ("/policies", later_policy(n)), 201
    ),
    ("GET", "/budgets/{area}/{financial_year}"): Entry(
        "budget.read", Record(area=Area.EAST), url(f"/budgets/east-kent/{YEAR}"), 200, budget_set
    ),
    ("PUT", "/budgets/{area}/{financial_year}"): Entry(
        "budget.set",
        Record(area=Area.EAST),
        lambda target, n: (f"/budgets/east-kent/{YEAR}", {"annual_amount_pence": 1_000_000 + n}),
        200,
    ),
    ("POST", "/hnf/applications"): Entry(
        "hnf.submit",
        THANET_UNDECIDED,
        lambda target, n: ("/hnf/applications", complete_application(child_id=CHILD)),
        201,
    ),
    ("GET", "/hnf/applications/{application_id}"): Entry(
        "hnf.read", THANET_CASE, url("/hnf/applications/{}"), 200, lambda f: decided(f)[0]
    ),
    ("POST", "/hnf/applications/{application_id}/withdrawal"): Entry(
        "hnf.withdraw", THANET_UNDECIDED, url("/hnf/applications/{}/withdrawal"), 200, submitted
    ),
    ("POST", "/hnf/applications/{application_id}/proposals"): Entry(
        "hnf.propose",
        THANET_UNDECIDED,
        lambda target, n: (
            f"/hnf/applications/{target}/proposals",
            {
                "panel_id": PANEL_EAST,
                "outcome": DECLINE_ON_MERIT,
                "rationale": "Needs met from the school's own resources.",
            },
        ),
        201,
        submitted,
    ),
    ("POST", "/hnf/proposals/{proposal_id}/votes"): Entry(
        "hnf.vote",
        THANET_CASE,
        lambda target, n: (f"/hnf/proposals/{target}/votes", {"choice": "for"}),
        201,
        proposed,
    ),
    ("GET", "/hnf/proposals/{proposal_id}"): Entry(
        "hnf.read", THANET_CASE, url("/hnf/proposals/{}"), 200, proposed
    ),
    ("PUT", "/panels/{panel_id}"): Entry(
        "panel.keep",
        EAST_PANEL,
        lambda target, n: (
            f"/panels/{PANEL_EAST}",
            {
                "area": "east-kent",
                "members": [*ROSTER, roster_member(person_id_for(f"member-{n}"), "senco")],
            },
        ),
        200,
    ),
    ("POST", "/panels/{panel_id}/interests"): Entry(
        "panel.declare",
        EAST_PANEL,
        lambda target, n: (f"/panels/{PANEL_EAST}/interests", {"setting_id": f"school-{n}"}),
        200,
    ),
    ("GET", "/panels/{panel_id}"): Entry(
        "panel.read", EAST_PANEL, url(f"/panels/{PANEL_EAST}"), 200
    ),
    ("GET", "/panels"): Entry(
        "panel.read",
        None,
        url("/panels"),
        200,
        items=rosters_in_and_out,
        listed=lambda answer: {p["panel_id"] for p in answer["panels"]},
    ),
    ("GET", "/hnf/timeliness"): Entry(
        "timeliness.read",
        None,
        url("/hnf/timeliness"),
        200,
        items=decisions_in_and_out,
        listed=lambda answer: {d["decision_id"] for d in answer["decisions"]},
    ),
    ("POST", "/senif/applications"): Entry(
        "senif.submit",
        THANET_SENIF,
        lambda target, n: ("/senif/applications", senif_application(child_id=CHILD)),
        201,
    ),
    ("POST", "/senif/applications/{application_id}/award"): Entry(
        "senif.decide",
        THANET_SENIF,
        lambda target, n: (
            f"/senif/applications/{target}/award",
            {"quality_assured_by": person_id_for("officer-qa-9"), "start_on": "2026-12-01"},
        ),
        201,
        senif_submitted,
    ),
    ("POST", "/daf/claims"): Entry(
        "daf.claim",
        Record(district=District.THANET, setting=NURSERY),
        lambda target, n: (
            "/daf/claims",
            {
                "claim_id": f"daf-matrix-{n}",
                "child_id": child_id_for(f"daf-{n}"),
                "provider_id": NURSERY,
                "child_receives_dla": True,
            },
        ),
        201,
    ),
    ("POST", "/decisions/{decision_id}/challenges"): Entry(
        "challenge.lodge",
        THANET_CASE,
        url("/decisions/{}/challenges"),
        201,
        lambda f: decided(f)[1],
    ),
    ("GET", "/decisions/{decision_id}/rationale-digest"): Entry(
        "rationale.digest",
        THANET_CASE,
        url("/decisions/{}/rationale-digest"),
        200,
        lambda f: decided(f)[1],
    ),
    ("POST", "/challenges/{challenge_id}/resolution"): Entry(
        "challenge.resolve",
        THANET_CASE,
        lambda target, n: (
            f"/challenges/{target}/resolution",
            {"result": "overturned", "reasons": ["new_evidence_of_need"]},
        ),
        200,
        lodged,
    ),
    ("GET", "/challenges/overturn-rates"): Entry(
        "overturn_rates.read",
        None,
        url("/challenges/overturn-rates?by=district"),
        200,
        items=resolved_in_and_out,
        listed=lambda answer: {r["district"] for r in answer["rates"]},
    ),
}


def operations(funding: Funding) -> set[tuple[str, str]]:
    paths = funding.client.app.openapi()["paths"]
    return {
        (method.upper(), path)
        for path, item in paths.items()
        if not path.startswith(NOT_FOR_CALLERS)
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }


def route_actions(funding: Funding) -> dict[tuple[str, str], str]:
    """The action each route's permit() names, as the app holds it (FastAPI keeps an included
    router as a node of its own, with its prefix)."""
    found: dict[tuple[str, str], str] = {}

    def visit(routes: list[Any], prefix: str) -> None:
        for route in routes:
            router, context = (
                getattr(route, "original_router", None),
                getattr(route, "include_context", None),
            )
            if router is not None and context is not None:
                visit(router.routes, prefix + context.prefix)
            if not isinstance(route, APIRoute):
                continue
            pending = list(route.dependant.dependencies)
            while pending:
                dependency = pending.pop()
                mark = getattr(dependency.call, ACTION_MARK, None)
                if mark is not None:
                    assert mark[0] == "funding", mark
                    found.update({(m, prefix + route.path): mark[1] for m in route.methods or ()})
                pending.extend(dependency.dependencies)

    visit(list(funding.client.app.routes), "")
    return found


async def written(funding: Funding) -> str:
    """What a command would have changed: events, applications, decisions, claims, challenges,
    policies, proposals, votes, rosters' versions, and the budgets' documents."""
    found: str = await funding.fetchval(
        """SELECT concat_ws(',', (SELECT count(*) FROM outbox), (SELECT count(*) FROM applications),
               (SELECT count(*) FROM decisions), (SELECT count(*) FROM daf_claims),
               (SELECT count(*) FROM challenges), (SELECT count(*) FROM policies),
               (SELECT count(*) FROM hnf_proposals), (SELECT count(*) FROM hnf_votes),
               (SELECT sum(version) FROM panel_rosters),
               (SELECT md5(string_agg(document::text, ',' ORDER BY area, financial_year))
                FROM budgets))"""
    )
    return found


async def test_every_operation_has_an_entry_naming_the_action_its_route_checks(
    funding: Funding,
) -> None:
    assert operations(funding) == set(ENTRIES), "every operation needs an entry, and no more"
    actions = route_actions(funding)
    assert {operation: entry.action for operation, entry in ENTRIES.items()} == {
        operation: actions.get(operation) for operation in ENTRIES
    }


@pytest.mark.parametrize("operation", sorted(ENTRIES), ids=lambda op: f"{op[0]} {op[1]}")
async def test_each_caller_is_allowed_or_refused_as_the_policy_says(
    funding: Funding, operation: tuple[str, str]
) -> None:
    method, _ = operation
    entry = ENTRIES[operation]
    await settings_registered(funding)
    items = entry.items(funding) if entry.items else {}
    shared = entry.target(funding)
    failures: list[str] = []
    for n, caller in enumerate(CALLERS):
        if entry.record is None:  # a list: filtered, not refused, for the roles it admits
            allowed = caller.principal().role in POLICY.roles(entry.action)
        else:
            allowed = POLICY.allows(caller.principal(), entry.action, entry.record)
        target = entry.target(funding) if allowed and entry.writes else shared
        before = "" if allowed else await written(funding)
        path, body = entry.request(target, n)
        response = funding.client.request(method, path, json=body, headers=caller.headers(funding))
        if not allowed:
            if response.status_code != 403:
                failures.append(f"{caller.name}: {response.status_code}, not refused")
            elif response.headers["content-type"] != "application/problem+json":
                failures.append(f"{caller.name}: a 403 that is not a problem")
            elif await written(funding) != before:
                failures.append(f"{caller.name}: refused, but something was written")
            continue
        if response.status_code != entry.succeeds:
            failures.append(f"{caller.name}: {response.status_code} {response.text[:200]}")
            continue
        if items:
            reached = {
                key
                for key, record in items.items()
                if POLICY.allows(caller.principal(), entry.action, record)
            }
            shown = entry.listed(response.json()) & set(items)
            if shown != reached:
                failures.append(f"{caller.name}: shown {sorted(shown)}, reaches {sorted(reached)}")
    assert not failures, "\n".join(failures)


async def test_a_panel_member_sees_an_application_only_once_it_is_put_to_their_panel(
    funding: Funding,
) -> None:
    await settings_registered(funding)
    application_id = submitted(funding)
    path = f"/hnf/applications/{application_id}"
    east, west = BY_NAME["member-east"], BY_NAME["member-west"]

    before = funding.client.get(path, headers=east.headers(funding))
    deferral = {"kind": "defer_for_information", "items": ["updated_provision_map"]}
    ok(panel_decision(funding, application_id, deferral), 201)
    after = funding.client.get(path, headers=east.headers(funding))

    assert before.status_code == 403
    assert after.status_code == 200, after.text
    assert [d["panel_id"] for d in after.json()["decisions"]] == [PANEL_EAST]
    assert [p["status"] for p in after.json()["proposals"]] == ["decided"]
    assert funding.client.get(path, headers=west.headers(funding)).status_code == 403


async def test_figures_count_only_the_callers_places_and_a_place_out_of_scope_is_refused(
    funding: Funding,
) -> None:
    await settings_registered(funding)
    decisions_in_and_out(funding)
    east, kent = BY_NAME["officer-east"], BY_NAME["officer-kent"]

    def timeliness(caller: Caller, **params: str) -> Any:
        return funding.client.get("/hnf/timeliness", params=params, headers=caller.headers(funding))

    assert ok(timeliness(east), 200)["decided"] == 1
    assert ok(timeliness(kent), 200)["decided"] == 2
    assert ok(timeliness(kent, district="maidstone"), 200)["decided"] == 1
    assert ok(timeliness(east, district="thanet"), 200)["decided"] == 1
    refused = [timeliness(east, district="maidstone"), timeliness(east, area="west-kent")]
    assert [r.status_code for r in refused] == [403, 403]
    assert {r.headers["content-type"] for r in refused} == {"application/problem+json"}
