"""The suite's multi-step cases, each as its users walk it over HTTP: a setting registered with
its places, a child placed from request through consultation and panel to a start (or a move),
an HNF application and its panel decision, a SENIF application and award, a peer review walked
to its follow-up. The demo scenario and the end-to-end tests share them.

Every step is named `<case key>:<step>`, and the name makes its Idempotency-Key, so running a
case again replays it. Each function returns what later steps need, or None when a step it
depends on did not complete (the outcome says why)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from inclusion_cli.demo.data import DemoPanel, DemoSetting
from inclusion_cli.demo.suite import Caller, Outcome, Suite, panel_member, parent, senco

PLACEMENT_QUORUM = {"min_voting_members": 3, "min_kcc_officers": 1, "min_sencos": 1}


def academic_year_of(day: date) -> str:
    """The September-August academic year of a day, written "2026-27"."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def next_academic_year(academic_year: str) -> str:
    start = int(academic_year[:4]) + 1
    return f"{start}-{(start + 1) % 100:02d}"


def officer(subject: str) -> Caller:
    """A KCC officer working across Kent, as the demo's officers do."""
    return Caller("kcc-officer", subject, areas=("kent",))


# --- the settings registry -------------------------------------------------------------------


def register(suite: Suite, setting: DemoSetting, by: Caller) -> Outcome:
    return suite.command(
        "placements",
        "POST",
        "/settings",
        step=f"setting:{setting.setting_id}",
        kind="setting.registered",
        caller=by,
        body=setting.registration(),
    )


def set_capacity(suite: Suite, setting: DemoSetting, academic_year: str, by: Caller) -> Outcome:
    return suite.command(
        "placements",
        "PUT",
        f"/settings/{setting.setting_id}/capacity",
        step=f"capacity:{setting.setting_id}:{academic_year}",
        kind="setting.capacity",
        caller=by,
        body=setting.capacity(academic_year),
    )


# --- placements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementCase:
    """A child's placement request and how it goes: the family's preferences (most preferred
    first), the nearest suitable mainstream school (always consulted), how each consulted
    setting replies, the setting the panel names and what it considered, and the start."""

    key: str
    child_id: str
    district: str
    need_type: str
    has_ehcp: bool
    academic_year: str
    year_group: int
    provision_sought: str
    preferences: tuple[str, ...]
    nearest_mainstream: str
    named_setting: str
    received_on: date
    panel: DemoPanel
    replies: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    options_considered: tuple[tuple[str, str], ...] = ()
    preference_refusals: tuple[tuple[str, str], ...] = ()
    rationale: str = "The named setting meets the needs set out in the plan, within reach of home."


@dataclass(frozen=True)
class Offered:
    request_id: str
    decision_id: str
    offer_id: str


def offer_place(suite: Suite, case: PlacementCase, by: Caller) -> Offered | None:
    """From the request to an accepted offer: consultations, replies, the panel, the family."""
    request_id = f"req-{case.key}"
    received = suite.command(
        "placements",
        "POST",
        "/requests",
        step=f"{case.key}:request",
        kind="placement.request",
        caller=by,
        body={
            "request_id": request_id,
            "child_id": case.child_id,
            "received_on": case.received_on.isoformat(),
            "district": case.district,
            "academic_year": case.academic_year,
            "year_group": case.year_group,
            "need_type": case.need_type,
            "has_ehcp": case.has_ehcp,
            "provision_sought": case.provision_sought,
            "preferences": list(case.preferences),
        },
    )
    if not received.completed:
        return None
    consulted = suite.command(
        "placements",
        "POST",
        f"/requests/{request_id}/consultations",
        step=f"{case.key}:consult",
        kind="placement.consultations",
        caller=by,
        body={"nearest_mainstream_id": case.nearest_mainstream},
    )
    consultations = consulted.answer.get("consultations") or _consultations(suite, request_id, by)
    for consultation in consultations:
        reply = case.replies.get(consultation["setting_id"])
        if reply is None:
            continue
        answer, reason = reply
        suite.command(
            "placements",
            "POST",
            f"/consultations/{consultation['consultation_id']}/reply",
            step=f"{case.key}:reply:{consultation['setting_id']}",
            kind="placement.reply",
            caller=senco(consultation["setting_id"]),
            body={"answer": answer, **({"reason": reason} if reason else {})},
        )
    decided = _put_to_the_panel(suite, case, request_id, by)
    decision_id, offer_id = _decision_and_offer(suite, request_id, decided, by)
    if offer_id is None or decision_id is None:
        suite.skip(f"{case.key}:acceptance", "placement.offer-accepted", "no offer to accept")
        return None
    accepted = suite.command(
        "placements",
        "POST",
        f"/offers/{offer_id}/acceptance",
        step=f"{case.key}:acceptance",
        kind="placement.offer-accepted",
        caller=parent(case.child_id),
    )
    return Offered(request_id, decision_id, offer_id) if accepted.completed else None


def keep_placement_panel(
    suite: Suite, panel: DemoPanel, term_from: date, term_to: date, by: Caller
) -> Outcome:
    """The officer keeps the area panel's roster in placements, with its quorum (the panel's
    terms of reference): every member serving the term."""
    return suite.command(
        "placements",
        "PUT",
        f"/panels/{panel.panel_id}",
        step=f"placement-panel:{panel.panel_id}",
        kind="placement.panel",
        caller=by,
        body={
            "area": panel.area.value,
            "members": panel.roster(term_from, term_to),
            "quorum": PLACEMENT_QUORUM,
        },
    )


def _put_to_the_panel(suite: Suite, case: PlacementCase, request_id: str, by: Caller) -> Outcome:
    """The officer puts the named setting to the area panel (its roster kept already, see
    `keep_placement_panel`) and members free of interest in every setting under decision vote
    for it, each as themselves; the vote that makes them quorate takes the decision. Returns
    the last step's outcome."""
    step = f"{case.key}:decision"
    proposed = suite.command(
        "placements",
        "POST",
        f"/requests/{request_id}/proposals",
        step=f"{step}:proposal",
        kind="placement.proposal",
        caller=by,
        body={
            "setting_id": case.named_setting,
            "panel_id": case.panel.panel_id,
            "options_considered": [
                {"option": option, "not_enough_because": why}
                for option, why in case.options_considered
            ],
            "preference_refusals": [
                {"setting_id": setting, "reason": reason}
                for setting, reason in case.preference_refusals
            ],
            "rationale": case.rationale,
        },
    )
    if not proposed.answer:
        return proposed
    voters = case.panel.voters({case.named_setting, *case.preferences, case.nearest_mainstream})
    decided = proposed
    for n, member_id in enumerate(voters, start=1):
        decided = suite.command(
            "placements",
            "POST",
            f"/proposals/{proposed.answer['proposal_id']}/votes",
            step=f"{step}:vote:{member_id}",
            kind="placement.decision" if n == len(voters) else "placement.vote",
            caller=panel_member(member_id, case.panel.panel_id),
            body={"choice": "for"},
        )
        if not decided.completed:
            break
    return decided


def _consultations(suite: Suite, request_id: str, by: Caller) -> list[dict[str, Any]]:
    found = suite.read("placements", f"/requests/{request_id}", by) or {}
    consultations: list[dict[str, Any]] = found.get("consultations", [])
    return consultations


def _decision_and_offer(
    suite: Suite, request_id: str, decided: Outcome, by: Caller
) -> tuple[str | None, str | None]:
    taken = decided.answer.get("decision") or {}
    if taken.get("decision_id"):
        return taken["decision_id"], taken["offer"]["offer_id"]
    if not decided.completed:
        return None, None
    # Decided before under another key: the request shows its decisions and offers.
    found = suite.read("placements", f"/requests/{request_id}", by) or {}
    decisions, offers = found.get("decisions", []), found.get("offers", [])
    live = [o for o in offers if o["status"] != "declined"]
    if not decisions or not live:
        return None, None
    return decisions[-1]["decision_id"], live[-1]["offer_id"]


def start_placement(
    suite: Suite, case: PlacementCase, offered: Offered, starts_on: date, by: Caller
) -> str | None:
    started = suite.command(
        "placements",
        "POST",
        "/placements",
        step=f"{case.key}:start",
        kind="placement.started",
        caller=by,
        body={"offer_id": offered.offer_id, "starts_on": starts_on.isoformat()},
    )
    placement_id: str | None = started.answer.get("placement_id")
    return placement_id


def place(
    suite: Suite, case: PlacementCase, starts_on: date, by: Caller
) -> tuple[Offered, str] | None:
    """A child placed: request, consultations, panel, accepted offer, started placement."""
    offered = offer_place(suite, case, by)
    if offered is None:
        suite.skip(f"{case.key}:start", "placement.started", "no accepted offer")
        return None
    placement_id = start_placement(suite, case, offered, starts_on, by)
    return (offered, placement_id) if placement_id else None


def end_placement(
    suite: Suite, key: str, placement_id: str, ends_on: date, reason: str, by: Caller
) -> Outcome:
    return suite.command(
        "placements",
        "POST",
        f"/placements/{placement_id}/end",
        step=f"{key}:end",
        kind="placement.ended",
        caller=by,
        body={"ends_on": ends_on.isoformat(), "reason": reason},
    )


def move_placement(
    suite: Suite,
    case: PlacementCase,
    placement_id: str,
    *,
    last_day: date,
    purpose: str,
    starts_on: date,
    by: Caller,
) -> str | None:
    """Move a child: a new place offered and accepted, then the old placement ended for its
    purpose and the new one started, together."""
    offered = offer_place(suite, case, by)
    if offered is None:
        suite.skip(f"{case.key}:move", "placement.moved", "no accepted offer to move to")
        return None
    moved = suite.command(
        "placements",
        "POST",
        f"/placements/{placement_id}/move",
        step=f"{case.key}:move",
        kind="placement.moved",
        caller=by,
        body={
            "last_day": last_day.isoformat(),
            "purpose": purpose,
            "offer_id": offered.offer_id,
            "starts_on": starts_on.isoformat(),
        },
    )
    started: dict[str, Any] = moved.answer.get("started", {})
    return started.get("placement_id")


# --- funding ---------------------------------------------------------------------------------


def hnf_application(
    application_id: str,
    child_id: str,
    setting: DemoSetting,
    year_group: int,
    *,
    on: date,
    has_ehcp: bool = True,
    band: int = 2,
    **changes: Any,
) -> dict[str, Any]:
    """A complete, eligible HNF application as a mainstream school's SENCO makes it, evidence
    dated before `on`; `changes` make it incomplete or ineligible."""
    return {
        "application_id": application_id,
        "child_id": child_id,
        "setting_id": setting.setting_id,
        "setting_type": setting.provision,
        "district": setting.district.value,
        "phase": "primary" if year_group <= 6 else "secondary" if year_group <= 11 else "post-16",
        "has_ehcp": has_ehcp,
        "sen_support_severe_and_complex": not has_ehcp,
        "on_roll_full_time": True,
        "normally_available_resources_used": True,
        "matches_mainstream_core_standards": True,
        "needs_reports": [f"doc-{application_id}-needs"],
        "lift_outcome": None
        if has_ehcp
        else {
            "document_id": f"doc-{application_id}-lift",
            "kind": "specialist-intervention",
            "recommendations_implemented": True,
            "recommendations_evaluated": True,
        },
        "provision_plans": [
            {
                "document_id": f"doc-{application_id}-plan-1",
                "dated": (on - timedelta(200)).isoformat(),
            },
            {
                "document_id": f"doc-{application_id}-plan-2",
                "dated": (on - timedelta(30)).isoformat(),
            },
        ],
        "staff_trained_on": (on - timedelta(300)).isoformat(),
        "costed_provision_pence": 600_000 + 350_000 * band,
        "requested_band": band,
        **changes,
    }


def submit_hnf(suite: Suite, key: str, body: dict[str, Any]) -> Outcome:
    return suite.command(
        "funding",
        "POST",
        "/hnf/applications",
        step=f"{key}:submit",
        kind="hnf.application",
        caller=senco(body["setting_id"]),
        body=body,
    )


def keep_hnf_panel(
    suite: Suite, panel: DemoPanel, term_from: date, term_to: date, by: Caller
) -> Outcome:
    """The officer keeps the area panel's roster in funding: every member serving the term."""
    return suite.command(
        "funding",
        "PUT",
        f"/panels/{panel.panel_id}",
        step=f"funding-panel:{panel.panel_id}",
        kind="hnf.panel",
        caller=by,
        body={"area": panel.area.value, "members": panel.roster(term_from, term_to)},
    )


def decide_hnf(
    suite: Suite,
    key: str,
    application_id: str,
    setting_id: str,
    panel: DemoPanel,
    outcome: dict[str, Any],
    rationale: str,
    by: Caller,
) -> str | None:
    """The officer puts the outcome to the area panel (its roster kept already, see
    `keep_hnf_panel`) and members free of interest vote for it, each as themselves; the vote
    that makes them quorate takes the decision. Returns its id (read back if it was decided
    before)."""
    step = f"{key}:decision:{outcome['kind']}"
    proposed = suite.command(
        "funding",
        "POST",
        f"/hnf/applications/{application_id}/proposals",
        step=f"{step}:proposal",
        kind="hnf.proposal",
        caller=by,
        body={"panel_id": panel.panel_id, "outcome": outcome, "rationale": rationale},
    )
    decided = proposed
    if proposed.answer:
        voters = panel.voters({setting_id})
        for n, member_id in enumerate(voters, start=1):
            decided = suite.command(
                "funding",
                "POST",
                f"/hnf/proposals/{proposed.answer['proposal_id']}/votes",
                step=f"{step}:vote:{member_id}",
                kind=f"hnf.decision.{outcome['kind']}" if n == len(voters) else "hnf.vote",
                caller=panel_member(member_id, panel.panel_id),
                body={"choice": "for"},
            )
            if not decided.completed:
                return None
        taken = decided.answer.get("decision") or {}
        if taken.get("decision_id"):
            decision_id: str = taken["decision_id"]
            return decision_id
    if not decided.completed:
        return None
    found = suite.read("funding", f"/hnf/applications/{application_id}", by) or {}
    decisions: list[dict[str, str]] = found.get("decisions") or [{}]
    return decisions[-1].get("decision_id")


def approve(start_on: date, band: int, review_after_days: int = 182) -> dict[str, Any]:
    return {
        "kind": "approve",
        "band": band,
        "start_on": start_on.isoformat(),
        "review_on": (start_on + timedelta(review_after_days)).isoformat(),
    }


def senif_application(
    application_id: str, child_id: str, setting: DemoSetting, *, on: date, **changes: Any
) -> dict[str, Any]:
    """An eligible SENIF application on the support plan route; `changes` vary it."""
    return {
        "application_id": application_id,
        "child_id": child_id,
        "setting_id": setting.setting_id,
        "setting_type": setting.early_years_kind or "pvi",
        "route": "support-plan",
        "takes_up_funded_early_education": True,
        "has_ehcp": False,
        "eligible_two_year_old": False,
        "funded_hours_attended_per_week": "15",
        "hours_requested_per_week": "10",
        "for_one_to_one_support": False,
        "ordinarily_available_provision_in_place": True,
        "support_plan_id": f"doc-{application_id}-plan",
        "support_plan_reviewed_on": (on - timedelta(21)).isoformat(),
        **changes,
    }


def senif_award(
    suite: Suite,
    key: str,
    body: dict[str, Any],
    start_on: date,
    decided_by: Caller,
    quality_assured_by: str,
    refusals: Sequence[str] = (),
) -> Outcome | None:
    """Apply, then the SEN Inclusion Funding Officer decides with a second officer's QA."""
    submitted = suite.command(
        "funding",
        "POST",
        "/senif/applications",
        step=f"{key}:submit",
        kind="senif.application",
        caller=senco(body["setting_id"]),
        body=body,
        refusals=refusals,
    )
    if not submitted.completed:
        return None
    return suite.command(
        "funding",
        "POST",
        f"/senif/applications/{body['application_id']}/award",
        step=f"{key}:award",
        kind="senif.decision",
        caller=decided_by,
        body={"quality_assured_by": quality_assured_by, "start_on": start_on.isoformat()},
    )


# --- reviews ---------------------------------------------------------------------------------

FINDINGS = (
    (
        "leadership",
        "strength",
        "SEND is a standing item for the senior team, with a named governor.",
    ),
    (
        "assessment-and-identification",
        "area-for-development",
        "Needs are identified late; screening is not used consistently across year groups.",
    ),
    (
        "working-with-pupils-and-parents",
        "area-for-development",
        "Parents are not yet part of reviewing support plans.",
    ),
)
STAGES = ("preparation", "visit", "written-report", "action-plan", "follow-up", "closed")


def open_cycle(
    suite: Suite,
    key: str,
    cycle_id: str,
    community_id: str,
    district: str,
    partnerships: Sequence[Sequence[str]],
    by: Caller,
) -> dict[str, str]:
    """Open a review cycle; returns each reviewed setting's review id."""
    opened = suite.command(
        "reviews",
        "POST",
        "/cycles",
        step=f"{key}:open",
        kind="review.cycle",
        caller=by,
        body={
            "cycle_id": cycle_id,
            "community_id": community_id,
            "district": district,
            "partnerships": [list(p) for p in partnerships],
        },
    )
    cycle = opened.answer or (suite.read("reviews", f"/cycles/{cycle_id}", by) or {})
    return {review["setting_id"]: review["review_id"] for review in cycle.get("reviews", [])}


def enrol_reviewer(
    suite: Suite, setting: DemoSetting, term_from: date, term_to: date, by: Caller
) -> Outcome:
    """The officer keeps the SENCO of a school on the roster of peer reviewers: serving the
    term, trained the day before it began, no interests declared."""
    reviewer = senco(setting.setting_id)
    return suite.command(
        "reviews",
        "PUT",
        f"/reviewers/{reviewer.subject}",
        step=f"reviewer:{reviewer.subject}",
        kind="review.roster",
        caller=by,
        body={
            "setting_id": setting.setting_id,
            "district": setting.district.value,
            "role": "senco",
            "term_from": term_from.isoformat(),
            "term_to": term_to.isoformat(),
            "trained_on": (term_from - timedelta(1)).isoformat(),
            "declared_interests": [],
        },
    )


def walk_review(
    suite: Suite,
    key: str,
    review_id: str,
    school: str,
    reviewer: str,
    *,
    to: str,
    on: date,
    by: Caller,
) -> None:
    """Walk a review from self-evaluation up to stage `to`: the school's self-evaluation, a
    reviewer from a partner school (on the roster already, see `enrol_reviewer`), the visit, the
    report, the plan, the follow-up."""
    school_senco, reviewer_senco = senco(school), senco(reviewer)

    def step(name: str, method: str, path: str, caller: Caller, body: Any = None) -> bool:
        return suite.command(
            "reviews",
            method,
            f"/reviews/{review_id}{path}",
            step=f"{key}:{name}",
            kind=f"review.{name}",
            caller=caller,
            body=body,
        ).completed

    def move(stage: str, caller: Caller = by) -> bool:
        return step(f"stage-{stage}", "POST", "/stage", caller, {"to": stage})

    findings = [
        {
            "finding_id": f"finding-{n}",
            "area": area,
            "kind": kind,
            "summary": summary,
            "evidence": [f"doc-{review_id}-visit-notes"],
        }
        for n, (area, kind, summary) in enumerate(FINDINGS, start=1)
    ]
    plan = [
        {
            "item_id": "action-1",
            "finding_id": "finding-2",
            "owner": "senco",
            "action": "Introduce termly screening across the school.",
            "due_on": (on + timedelta(30)).isoformat(),
        },
        {
            "item_id": "action-2",
            "finding_id": "finding-3",
            "owner": "headteacher",
            "action": "Invite parents to every support plan review.",
            "due_on": (on + timedelta(90)).isoformat(),
        },
    ]
    walk: list[Callable[[], bool]] = [
        lambda: step(
            "self-evaluation",
            "POST",
            "/self-evaluation",
            school_senco,
            {"documents": [f"doc-{review_id}-sef"]},
        ),
        lambda: step(
            "reviewer",
            "POST",
            "/reviewers",
            by,
            {"reviewer_id": reviewer_senco.subject},
        ),
        lambda: move("preparation"),
        lambda: move("visit"),
        lambda: move("written-report"),
        lambda: step("report", "PUT", "/report", reviewer_senco, {"findings": findings}),
        lambda: move("action-plan"),
        lambda: step("action-plan", "POST", "/action-plan", school_senco, {"items": plan}),
        lambda: step("action-1-done", "POST", "/actions/action-1/completion", school_senco),
        lambda: move("follow-up", school_senco),
        lambda: step(
            "follow-up",
            "POST",
            "/follow-up",
            reviewer_senco,
            {
                "actions": [
                    {
                        "item_id": "action-1",
                        "what_changed": "Screening ran this term.",
                        "evidence": [f"doc-{review_id}-screening"],
                    },
                    {"item_id": "action-2", "what_changed": "Invitations drafted, not yet sent."},
                ]
            },
        ),
        lambda: move("closed"),
    ]
    # Where each stage is reached in the walk above.
    reached = {
        "self-evaluation": 1,
        "visit": 4,
        "written-report": 6,
        "action-plan": 8,
        "follow-up": 11,
        "closed": 12,
    }
    for number, do in enumerate(walk[: reached[to]], start=1):
        if not do():
            suite.skip(f"{key}:after-{number}", "review.walk", "an earlier step did not complete")
            return
