"""Every feedback endpoint, for every role in scope, out of scope and with no scope, through the
real HTTP app: what the policy allows answers as it should, what it denies is a 403 problem that
writes nothing, and every list holds only what the caller reaches.

The table below maps each operation of the app's OpenAPI document to its action and a way to
call it on records seeded in Thanet (East Kent), beside others in Maidstone (West Kent) where a
list needs one out of scope. What is allowed is asked of the policy itself. An operation with no
entry fails the test. A survey in draft answers 404, deliberately, to the roles that never read
drafts (see ``feedback.access.survey_there_for``): the only documented 404 for a record that is
there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
from fastapi.routing import APIRoute

from feedback.access import (
    KENT,
    POLICY,
    check_progress,
    districts_reached,
    giving,
    invitation_record,
    response_record,
)
from feedback.adapters import FeedbackStore
from feedback.domain.actions import ActionOwner, YouSaidWeDid
from feedback.domain.invitations import Invitation, InvitationCause
from feedback.domain.response import Response
from feedback.domain.themes import Theme
from feedback.domain.values import Place
from inclusion_shared.access import ACTION_MARK, Record
from inclusion_shared.auth import Principal, Role, principal_from_claims
from inclusion_shared.identifiers import mint_child_id, person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden

from .conftest import Feedback, placement_survey

NOT_OPERATIONS = ("/health/", "/openapi.json", "/asyncapi.json", "/docs")
THANET = Place.of(District.THANET, "cos-thanet-1")
WORDS = {"kind": "free-text", "question_id": "tell_us_more", "text": "The bus is late."}
SCALE = {"kind": "scale", "question_id": "overall", "value": 3}
VOICE_OF = {"parent": "parent-carer", "young-person": "young-person", "senco": "professional"}


@dataclass(frozen=True)
class Caller:
    """A role with a scope: its token's claims, and the principal the service reads from them."""

    name: str
    role: str
    setting: str | None = None
    child: str | None = None
    areas: tuple[str, ...] = ()
    panels: tuple[str, ...] = ()

    @property
    def person_id(self) -> str:
        """The id the caller's token names them by, made from their name."""
        return person_id_for(self.name)

    def headers(self, feedback: Feedback, **changes: Any) -> dict[str, str]:
        scope: dict[str, Any] = {
            "setting": self.setting,
            "child": self.child,
            "areas": self.areas,
            "panels": self.panels,
        }
        return feedback.as_(self.role, self.person_id, **(scope | changes))

    @property
    def principal(self) -> Principal:
        claims: dict[str, Any] = {"sub": self.person_id, "role": self.role}
        for claim in ("setting", "child"):
            if getattr(self, claim):
                claims[claim] = getattr(self, claim)
        for claim in ("areas", "panels"):
            if getattr(self, claim):
                claims[claim] = list(getattr(self, claim))
        return principal_from_claims(claims)


CALLERS = [
    Caller("officer-east", "kcc-officer", areas=("east-kent",)),
    Caller("officer-kent", "kcc-officer", areas=("kent",)),
    Caller("officer-west", "kcc-officer", areas=("west-kent",)),
    Caller("officer-none", "kcc-officer"),
    Caller("board-east", "area-board", areas=("east-kent",)),
    Caller("board-west", "area-board", areas=("west-kent",)),
    Caller("board-none", "area-board"),
    Caller("senco-thanet", "senco", setting="school-thanet"),
    Caller("senco-other", "senco", setting="school-other"),
    Caller("senco-none", "senco"),
    Caller("parent-thanet", "parent", child="child-39b21bbff096f90ed619"),
    Caller("parent-other", "parent", child="child-dda99f2c4fa5343bcaf9"),
    Caller("young-thanet", "young-person", child="child-39b21bbff096f90ed619"),
    Caller("young-other", "young-person", child="child-dda99f2c4fa5343bcaf9"),
    Caller("member-east", "panel-member", panels=("panel-east",)),
    Caller("auditor", "auditor"),
    Caller("admin", "platform-admin"),
]
BY_NAME = {caller.name: caller for caller in CALLERS}
OFFICER = BY_NAME["officer-kent"]


@dataclass
class World:
    """What is seeded before each entry: records in Thanet and, for lists, in Maidstone."""

    survey: str = "survey-open"
    draft: str = "survey-draft"
    responses: dict[str, tuple[str, Record]] = field(default_factory=dict)
    invitations: dict[str, tuple[str, Record]] = field(default_factory=dict)
    themes: dict[str, Record] = field(default_factory=dict)
    action: str = "action-seeded"


def open_survey(survey_id: str) -> dict[str, Any]:
    """A forum item open to every voice, so that every respondent (and an officer, unnamed)
    may answer it."""
    return placement_survey(
        survey_id=survey_id,
        channel="forum-meeting",
        voices=["parent-carer", "young-person", "professional", "setting"],
        questions=[
            {"kind": "scale", "question_id": "overall", "prompt": "Overall?"},
            {"kind": "free-text", "question_id": "tell_us_more", "prompt": "Tell us more"},
        ],
    )


def views_of(caller: Caller, **changes: Any) -> dict[str, Any]:
    """A response as the caller's role gives it: their own voice, from Thanet, for the Thanet
    school; an officer records it unnamed."""
    body: dict[str, Any] = {
        "response_id": f"response-{uuid4().hex[:16]}",
        "voice": VOICE_OF.get(caller.role, "parent-carer"),
        "consent": {"given": True},
        "district": "thanet",
        "setting_id": "school-thanet",
        "anonymous": caller.role == "kcc-officer",
        "answers": [SCALE],
    }
    return body | changes


def created(answer: Any, status: int = 201) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def respond(
    feedback: Feedback,
    caller: Caller,
    district: str = "thanet",
    *,
    words: bool = True,
    **token: Any,
) -> str:
    body = views_of(caller, district=district, answers=[SCALE, WORDS] if words else [SCALE])
    answer = feedback.client.post(
        f"/surveys/{World.survey}/responses", json=body, headers=caller.headers(feedback, **token)
    )
    return str(created(answer)["response_id"])


async def stored_response(feedback: Feedback, response_id: str) -> Record:
    document = await feedback.fetchval(
        "SELECT document FROM responses WHERE response_id = $1", response_id
    )
    return response_record(Response.model_validate_json(document))


async def seed(feedback: Feedback) -> World:
    world = World()
    officer = OFFICER.headers(feedback)
    feedback.publish_survey(open_survey(world.survey))
    created(feedback.client.post("/surveys", json=open_survey(world.draft), headers=officer))
    for name, district in [
        ("parent-thanet", "thanet"),
        ("senco-thanet", "thanet"),
        ("parent-other", "maidstone"),
    ]:
        response_id = respond(feedback, BY_NAME[name], district)
        world.responses[name] = (response_id, await stored_response(feedback, response_id))
    for theme, district in [("transport", "thanet"), ("parking", "maidstone")]:
        response_id = respond(feedback, OFFICER, district, words=False)
        created(
            feedback.client.post(
                f"/responses/{response_id}/themes",
                json={"themes": [theme], "sentiment": "negative"},
                headers=officer,
            ),
            200,
        )
        document = await feedback.fetchval("SELECT document FROM themes WHERE theme = $1", theme)
        world.themes[theme] = Record(district=Theme.model_validate_json(document).place.district)
    created(
        feedback.client.post(
            "/actions",
            json={
                "action_id": world.action,
                "themes": ["transport"],
                "you_said": "Said.",
                "we_did": "Done.",
                "owner": "kcc-officer",
            },
            headers=officer,
        )
    )
    connection = await asyncpg.connect(
        feedback.database_url, server_settings={"search_path": "feedback"}
    )
    try:
        for name, child, setting, district in [
            ("family-thanet", "child-39b21bbff096f90ed619", "school-thanet", District.THANET),
            ("family-other", "child-dda99f2c4fa5343bcaf9", "school-other", District.MAIDSTONE),
            ("school-thanet", None, "school-thanet", District.THANET),
        ]:
            invitation = Invitation(
                invitation_id=f"invitation-{name}",
                cause=InvitationCause.PLACEMENT_STARTED
                if child
                else InvitationCause.FUNDING_DECISION,
                cause_id=f"cause-{name}",
                voice="parent-carer" if child else "professional",
                child_id=child,
                setting_id=setting,
                place=Place.of(district),
                issued_on=date(2026, 9, 1),
                due_on=date(2026, 10, 1),
            )
            assert await FeedbackStore(connection).add_invitation(invitation, uuid4())
            world.invitations[name] = (invitation.invitation_id, invitation_record(invitation))
    finally:
        await connection.close()
    return world


async def fingerprint(feedback: Feedback, world: World) -> tuple[Any, ...]:
    """Everything a command could change: every record, every sealed key and word, every event
    but the invitations other tests' events cause meanwhile, and when the seeded invitations
    were answered."""
    rows = await feedback.fetch(
        """SELECT
             (SELECT md5(coalesce(string_agg(document::text, '' ORDER BY survey_id), ''))
                FROM surveys),
             (SELECT md5(coalesce(string_agg(document::text, '' ORDER BY response_id), ''))
                FROM responses),
             (SELECT md5(coalesce(string_agg(document::text, '' ORDER BY action_id), ''))
                FROM actions),
             (SELECT count(*) FROM themes),
             (SELECT count(*) FROM personal_data),
             (SELECT count(*) FROM personal_records),
             (SELECT count(*) FROM outbox WHERE event_type <> 'feedback.invitation.issued'),
             (SELECT count(responded_on) FROM invitations WHERE invitation_id = ANY($1::text[]))""",
        [invitation_id for invitation_id, _ in world.invitations.values()],
    )
    return tuple(rows[0])


Call = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]  # method, path, body, query
Prepare = Callable[[Feedback, Caller, World], Awaitable[Call]]
Judge = Callable[[Principal, World], bool]


@dataclass(frozen=True)
class Entry:
    """How to call one operation, and what the policy says each caller may do there."""

    action: str  # the route's action
    prepare: Prepare  # the call, on seeded records or on fresh ones made for it
    allowed: Judge
    ok: int = 200
    listed: tuple[str, str, Callable[[World], dict[str, tuple[str, Record]]]] | None = None
    hidden: Callable[[Principal], bool] = lambda who: False  # a deliberate 404


def on(action: str, record: Callable[[World, Principal], Record]) -> Judge:
    return lambda who, world: POLICY.allows(who, action, record(world, who))


def granted(action: str) -> Judge:
    return lambda who, world: who.role in POLICY.roles(action)


def both(*judges: Judge) -> Judge:
    return lambda who, world: all(judge(who, world) for judge in judges)


def call(method: str, path: str, body: Any = None, query: Any = None) -> Prepare:
    async def prepare(feedback: Feedback, caller: Caller, world: World) -> Call:
        return method, path.format(world=world), body, query

    return prepare


def fresh_draft(method: str, suffix: str, *, published: bool = False) -> Prepare:
    async def prepare(feedback: Feedback, caller: Caller, world: World) -> Call:
        survey_id = f"survey-{uuid4().hex[:12]}"
        if published:
            feedback.publish_survey(open_survey(survey_id))
        else:
            created(
                feedback.client.post(
                    "/surveys", json=open_survey(survey_id), headers=OFFICER.headers(feedback)
                )
            )
        return method, f"/surveys/{survey_id}{suffix}", None, None

    return prepare


def fresh_response(of: str, suffix: str, body: dict[str, Any] | None = None) -> Prepare:
    """A new response with words, from Thanet, given by `of` (a caller's name)."""

    async def prepare(feedback: Feedback, caller: Caller, world: World) -> Call:
        return "POST", f"/responses/{respond(feedback, BY_NAME[of])}{suffix}", body, None

    return prepare


def seeded_response(of: str) -> Prepare:
    async def prepare(feedback: Feedback, caller: Caller, world: World) -> Call:
        return "GET", f"/responses/{world.responses[of][0]}", None, None

    return prepare


def a_response(of: str) -> Callable[[World, Principal], Record]:
    return lambda world, who: world.responses[of][1]


def views(invited: bool) -> Prepare:
    async def prepare(feedback: Feedback, caller: Caller, world: World) -> Call:
        changes: dict[str, Any] = {}
        if invited:
            changes = {"invitation_id": world.invitations["family-thanet"][0], "district": None}
        return "POST", f"/surveys/{world.survey}/responses", views_of(caller, **changes), None

    return prepare


def given(world: World, who: Principal) -> Record:
    child = who.child if who.role in (Role.PARENT, Role.YOUNG_PERSON) else None
    return giving(who, THANET, "school-thanet", child)


async def erasing(feedback: Feedback, caller: Caller, world: World) -> Call:
    """A new child's words, given in Thanet by the Thanet parent."""
    child = mint_child_id()
    respond(feedback, BY_NAME["parent-thanet"], child=child)
    return "POST", f"/people/{child}/erasure", None, None


def an_action(owner: ActionOwner) -> Prepare:
    async def prepare(feedback: Feedback, caller: Caller, world: World) -> Call:
        action_id = f"action-{uuid4().hex[:12]}"
        created(
            feedback.client.post(
                "/actions",
                json={
                    "action_id": action_id,
                    "themes": ["transport"],
                    "you_said": "Said.",
                    "we_did": "Doing.",
                    "owner": owner.value,
                },
                headers=OFFICER.headers(feedback),
            )
        )
        return "POST", f"/actions/{action_id}/status", {"status": "in-progress"}, None

    return prepare


def progress(owner: ActionOwner) -> Judge:
    action = YouSaidWeDid(
        action_id="action-judged",
        themes=("transport",),
        you_said="Said.",
        we_did="Doing.",
        owner=owner,
        published_on=date(2026, 10, 1),
        updated_on=date(2026, 10, 1),
    )

    def judge(who: Principal, world: World) -> bool:
        if who.role not in POLICY.roles("action.update"):
            return False
        try:
            check_progress(who, action)
        except Forbidden:
            return False
        return True

    return judge


def reaches_some_place(who: Principal, world: World) -> bool:
    return (
        who.role in POLICY.roles("figures.read")
        and districts_reached(who, "figures.read") != frozenset()
    )


def a_new_survey(feedback: Feedback, caller: Caller, world: World) -> Awaitable[Call]:
    return call("POST", "/surveys", open_survey(f"survey-{uuid4().hex[:12]}"))(
        feedback, caller, world
    )


def a_new_action(feedback: Feedback, caller: Caller, world: World) -> Awaitable[Call]:
    body = {
        "action_id": f"action-{uuid4().hex[:12]}",
        "themes": ["transport"],
        "you_said": "Said.",
        "we_did": "Doing.",
        "owner": "kcc-officer",
    }
    return call("POST", "/actions", body)(feedback, caller, world)


EAST_KENT = Record(area=Area.EAST)
SURVEY_READ = on("survey.read", lambda world, who: KENT)
RESPONSES = {"parent-thanet", "senco-thanet"}  # whose responses in Thanet the entries try

TABLE: dict[tuple[str, str], list[Entry]] = {
    ("POST", "/surveys"): [
        Entry("survey.draft", a_new_survey, on("survey.draft", lambda w, p: KENT), ok=201)
    ],
    ("POST", "/surveys/{survey_id}/publication"): [
        Entry(
            "survey.publish",
            fresh_draft("POST", "/publication"),
            on("survey.publish", lambda w, p: KENT),
        )
    ],
    ("POST", "/surveys/{survey_id}/closure"): [
        Entry(
            "survey.close",
            fresh_draft("POST", "/closure", published=True),
            on("survey.close", lambda w, p: KENT),
        )
    ],
    ("GET", "/surveys"): [
        Entry(
            "survey.read",
            call("GET", "/surveys", query={"limit": 500}),
            granted("survey.read"),
            listed=(
                "surveys",
                "survey_id",
                lambda world: {
                    world.survey: ("survey.read", KENT),
                    world.draft: ("draft.read", KENT),
                },
            ),
        )
    ],
    ("GET", "/surveys/{survey_id}"): [
        Entry("survey.read", call("GET", "/surveys/{world.survey}"), SURVEY_READ),
        Entry(
            "survey.read",
            call("GET", "/surveys/{world.draft}"),
            on("draft.read", lambda w, p: KENT),
            hidden=lambda who: (
                who.role in POLICY.roles("survey.read")
                and who.role not in POLICY.roles("draft.read")
            ),
        ),
    ],
    ("GET", "/surveys/{survey_id}/figures"): [
        Entry(
            "figures.read",
            call("GET", "/surveys/{world.survey}/figures", query={"area": "east-kent"}),
            both(SURVEY_READ, on("figures.read", lambda w, p: EAST_KENT)),
        ),
        Entry(
            "figures.read",
            call("GET", "/surveys/{world.survey}/figures"),
            both(SURVEY_READ, reaches_some_place),
        ),
    ],
    ("POST", "/surveys/{survey_id}/responses"): [
        Entry("response.give", views(invited=False), on("response.give", given), ok=201),
        Entry(
            "response.give",
            views(invited=True),
            both(
                on("response.give", given),
                on("invitation.answer", lambda w, p: w.invitations["family-thanet"][1]),
            ),
            ok=201,
        ),
    ],
    ("GET", "/responses/mine"): [
        Entry(
            "own-response.read",
            call("GET", "/responses/mine", query={"limit": 500}),
            granted("own-response.read"),
            listed=(
                "responses",
                "response_id",
                lambda world: {
                    response_id: ("own-response.read", record)
                    for response_id, record in world.responses.values()
                },
            ),
        )
    ],
    ("GET", "/responses/{response_id}"): [
        Entry(
            "response.read",
            seeded_response(of),
            on("response.read", a_response(of)),
        )
        for of in RESPONSES
    ],
    ("POST", "/responses/{response_id}/consent-withdrawal"): [
        Entry(
            "consent.withdraw",
            fresh_response(of, "/consent-withdrawal"),
            on("consent.withdraw", a_response(of)),
        )
        for of in RESPONSES
    ],
    ("POST", "/people/{person_id}/erasure"): [
        Entry(
            "person.erase",
            erasing,
            on("person.erase", lambda w, p: w.responses["parent-thanet"][1]),
        )
    ],
    ("GET", "/moderation/queue"): [
        Entry(
            "moderation.read",
            call("GET", "/moderation/queue", query={"limit": 500}),
            granted("moderation.read"),
            listed=(
                "responses",
                "response_id",
                lambda world: {
                    response_id: ("moderation.read", record)
                    for response_id, record in world.responses.values()
                },
            ),
        )
    ],
    ("POST", "/responses/{response_id}/themes"): [
        Entry(
            "response.tag",
            fresh_response(
                "parent-thanet", "/themes", {"themes": ["transport"], "sentiment": "mixed"}
            ),
            on("response.tag", a_response("parent-thanet")),
        )
    ],
    ("POST", "/responses/{response_id}/complaint-routing"): [
        Entry(
            "response.route",
            fresh_response("parent-thanet", "/complaint-routing"),
            on("response.route", a_response("parent-thanet")),
        )
    ],
    ("POST", "/responses/{response_id}/withholding"): [
        Entry(
            "response.withhold",
            fresh_response("senco-thanet", "/withholding"),
            on("response.withhold", a_response("senco-thanet")),
        )
    ],
    ("GET", "/themes"): [
        Entry(
            "theme.read",
            call("GET", "/themes", query={"limit": 500}),
            granted("theme.read"),
            listed=(
                "themes",
                "theme",
                lambda world: {
                    theme: ("theme.read", record) for theme, record in world.themes.items()
                },
            ),
        )
    ],
    ("GET", "/themes/figures"): [
        Entry(
            "figures.read",
            call("GET", "/themes/figures", query={"area": "east-kent"}),
            on("figures.read", lambda w, p: EAST_KENT),
        ),
        Entry("figures.read", call("GET", "/themes/figures"), reaches_some_place),
    ],
    ("POST", "/actions"): [
        Entry("action.publish", a_new_action, on("action.publish", lambda w, p: KENT), ok=201)
    ],
    ("GET", "/actions"): [
        Entry(
            "action.read",
            call("GET", "/actions", query={"limit": 500}),
            granted("action.read"),
            listed=("actions", "action_id", lambda world: {world.action: ("action.read", KENT)}),
        )
    ],
    ("POST", "/actions/{action_id}/status"): [
        Entry("action.update", an_action(owner), progress(owner)) for owner in ActionOwner
    ],
    ("GET", "/invitations"): [
        Entry(
            "invitation.read",
            call("GET", "/invitations", query={"limit": 500}),
            granted("invitation.read"),
            listed=(
                "invitations",
                "invitation_id",
                lambda world: {
                    invitation_id: ("invitation.read", record)
                    for invitation_id, record in world.invitations.values()
                },
            ),
        )
    ],
}
CASES = [
    pytest.param(entry, id=f"{method} {path} #{n}")
    for (method, path), entries in TABLE.items()
    for n, entry in enumerate(entries)
]


def operations(feedback: Feedback) -> set[tuple[str, str]]:
    document = feedback.client.app.openapi()
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        if not path.startswith(NOT_OPERATIONS)
        for method in item
    }


async def test_every_operation_has_an_entry_naming_the_routes_action(feedback: Feedback) -> None:
    assert operations(feedback) == set(TABLE), "an operation without an entry, or the reverse"
    for route in feedback.client.app.routes:
        if not isinstance(route, APIRoute) or route.path.startswith(NOT_OPERATIONS):
            continue
        marks = {
            getattr(dependency.call, ACTION_MARK)
            for dependency in route.dependant.dependencies
            if hasattr(dependency.call, ACTION_MARK)
        }
        for method in route.methods:
            expected = {("feedback", entry.action) for entry in TABLE[(method, route.path)]}
            assert marks == expected, (method, route.path, marks)


@pytest.mark.parametrize("entry", CASES)
async def test_each_caller_is_allowed_or_refused_as_the_policy_says(
    feedback: Feedback, entry: Entry
) -> None:
    world = await seed(feedback)
    wrong: list[tuple[str, int, str]] = []
    for caller in CALLERS:
        who = caller.principal
        method, path, body, query = await entry.prepare(feedback, caller, world)
        before = await fingerprint(feedback, world)
        answer = feedback.client.request(
            method, path, json=body, params=query, headers=caller.headers(feedback)
        )
        if entry.hidden(who):
            expected = 404
        elif entry.allowed(who, world):
            expected = entry.ok
        else:
            expected = 403
        if answer.status_code != expected:
            wrong.append((caller.name, answer.status_code, answer.text[:200]))
            continue
        if expected in (403, 404):
            assert answer.headers["content-type"] == "application/problem+json", caller.name
            assert await fingerprint(feedback, world) == before, f"{caller.name} wrote"
        elif entry.listed is not None:
            key, id_field, seeded = entry.listed
            items = seeded(world)
            seen = {item[id_field] for item in answer.json()[key]} & set(items)
            reached = {
                item
                for item, (action, record) in items.items()
                if POLICY.allows(who, action, record)
            }
            if seen != reached:
                wrong.append((caller.name, 200, f"saw {sorted(seen)}, reaches {sorted(reached)}"))
    assert wrong == []
