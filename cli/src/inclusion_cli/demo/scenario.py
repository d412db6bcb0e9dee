"""The Kent demo scenario: a school year's worth of SEND decisions across all four services,
driven over HTTP as the people involved would, from one seed.

Day one of the scenario is the day it first ran (kept beside the suite's state), so running it
again on a later day sends the very same requests and every step replays. The services still
date what they record themselves: a consultation is sent, a decision made, on the day it is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from funding.domain.dates import financial_year_of
from inclusion_cli.demo import cases
from inclusion_cli.demo.cases import PlacementCase, academic_year_of, next_academic_year, officer
from inclusion_cli.demo.data import EARLY_YEARS, DemoChild, DemoSetting, KentDemo
from inclusion_cli.demo.suite import Caller, Suite, parent, senco
from inclusion_shared.kent import AREA_OF, District

UNSUITABLE = "unsuitable_for_age_ability_aptitude_or_need"
OTHERS_EDUCATION = "incompatible_with_efficient_education_of_others"
THEMES = ("communication_with_school", "transport", "waiting_for_decisions", "support_in_class")


@dataclass
class Calendar:
    """Day one of the scenario, and the years that follow from it."""

    day_one: date

    @property
    def academic_year(self) -> str:
        return academic_year_of(self.day_one)

    @property
    def next_academic_year(self) -> str:
        return next_academic_year(self.academic_year)

    @property
    def financial_year(self) -> str:
        return financial_year_of(self.day_one)

    def days(self, n: int) -> date:
        return self.day_one + timedelta(n)

    @property
    def last_day_of_year(self) -> date:
        """The last day of the summer term: a leaver's last day, never before day one."""
        summer = date(int(self.academic_year[:4]) + 1, 7, 21)
        return max(summer, self.days(14))

    @property
    def next_september(self) -> date:
        """The first weekday of the next academic year."""
        first = date(int(self.next_academic_year[:4]), 9, 1)
        return first + timedelta(days=max(0, 7 - first.weekday()) if first.weekday() > 4 else 0)


@dataclass
class Placed:
    child: DemoChild
    placement_id: str
    setting_id: str


@dataclass
class Scenario:
    suite: Suite
    demo: KentDemo
    calendar: Calendar
    placed: list[Placed] = field(default_factory=list)
    followed_up: list[str] = field(default_factory=list)  # settings whose review was followed up

    @property
    def officer(self) -> Caller:
        return officer(self.demo.officers[0])

    @property
    def second_officer(self) -> str:
        return self.demo.officers[1]

    def run(self) -> None:
        for part in (self.registry, self.funding, self.placements, self.reviews, self.feedback):
            part()

    # --- placements' registry: every setting and its places --------------------------------

    def registry(self) -> None:
        for setting in self.demo.settings:
            cases.register(self.suite, setting, self.officer)
        for setting in self.demo.settings:
            for year in (self.calendar.academic_year, self.calendar.next_academic_year):
                cases.set_capacity(self.suite, setting, year, self.officer)

    # --- funding: policy, budgets, HNF, SENIF, DAF -------------------------------------------

    def funding(self) -> None:
        self._wait_for_policy()
        for area, amount in self.demo.budgets_pence.items():
            self.suite.command(
                "funding",
                "PUT",
                f"/budgets/{area.value}/{self.calendar.financial_year}",
                step=f"budget:{area.value}:{self.calendar.financial_year}",
                kind="budget",
                caller=self.officer,
                body={"annual_amount_pence": amount},
            )
        for panel in self.demo.panels.values():
            # A term from a month before day one through two years on: a run again on a
            # later day still finds the members in term.
            term = (self.calendar.days(-30), self.calendar.days(730))
            cases.keep_hnf_panel(self.suite, panel, *term, self.officer)
        self.high_needs_funding()
        self.senif()
        self.disability_access_fund()

    def _wait_for_policy(self, within: float = 60.0) -> None:
        """Funding publishes its example policy on first start; decisions need it."""
        deadline = time.monotonic() + within
        while not self.suite.read("funding", "/policies", self.officer, limit=1)["policies"]:
            if time.monotonic() > deadline:
                raise RuntimeError("funding has published no policy")
            time.sleep(0.5)

    def transfer_children(self) -> list[DemoChild]:
        """Year 6 pupils at mainstream primaries: they move to secondary next September."""
        return self.demo.children_where(provision="mainstream", year_group=6)[:8]

    def high_needs_funding(self) -> None:
        """Applications from mainstream schools, and the area panels' decisions: approvals at
        bands, declines on merit and on the rules, returns as incomplete, a withdrawal,
        deferrals for information, challenges upheld and overturned."""
        transfer = self.transfer_children()
        others = [
            c
            for c in self.demo.children_where(provision="mainstream")
            if c not in transfer and 0 <= c.year_group <= 11
        ][:28]
        # Most Year 6 children moving on have top-up now: the move re-opens it.
        for n, child in enumerate(transfer[:5]):
            self._hnf(child, "approve", band=1 + n % 5)
        plan = [
            *_fates("approve", 12),
            *_fates("decline-merit", 3),
            *_fates("decline-rules", staff_trained_on=self.calendar.days(-900).isoformat()),
            *_fates("decline-rules", costed_provision_pence=450_000),
            *_fates("decline-rules", on_roll_full_time=False),
            *_fates("incomplete", provision_plans=[]),
            *_fates("incomplete", lift_outcome=None, has_ehcp=False),
            *_fates("incomplete", costed_provision_pence=None),
            *_fates("incomplete", staff_trained_on=None),
            *_fates("withdrawn", provision_plans=[]),
            *_fates("defer-then-approve"),
            *_fates("defer"),
            *_fates("awaiting-panel", 3),
        ]
        for n, (child, (fate, changes)) in enumerate(zip(others, plan, strict=False)):
            self._hnf(child, fate, band=1 + n % 5, **changes)

    def _hnf(self, child: DemoChild, fate: str, band: int, **changes: Any) -> None:
        setting = self.demo.setting(child.setting_id)
        has_ehcp = changes.pop("has_ehcp", child.has_ehcp)
        key = f"hnf:{child.child_id}"
        application_id = f"hnf-{child.child_id}"
        body = cases.hnf_application(
            application_id,
            child.child_id,
            setting,
            child.year_group,
            on=self.calendar.day_one,
            has_ehcp=has_ehcp,
            band=band,
            **changes,
        )
        if not cases.submit_hnf(self.suite, key, body).completed:
            return
        panel = self.demo.panels[setting.area]
        rationale = {
            "approve": "The plan and costed provision show support beyond the school's own "
            "resources, matching the band's level of support.",
            "decline-merit": "The evidence shows the needs can be met from the school's normally "
            "available resources with the LIFT advice in place.",
            "decline-rules": "The application does not meet the published criteria.",
            "defer": "The panel needs the updated provision map before deciding.",
        }

        def decide(outcome: dict[str, Any], why: str, step: str = key) -> str | None:
            return cases.decide_hnf(
                self.suite,
                step,
                application_id,
                setting.setting_id,
                panel,
                outcome,
                why,
                self.officer,
            )

        approval = cases.approve(self.calendar.day_one, band)
        if fate == "approve":
            decide(approval, rationale["approve"])
        elif fate in ("defer", "defer-then-approve"):
            decide(
                {"kind": "defer_for_information", "items": ["updated_provision_map"]},
                rationale["defer"],
            )
            if fate == "defer-then-approve":
                decide(approval, rationale["approve"], step=f"{key}:after-information")
        elif fate == "decline-rules":
            decide({"kind": "decline"}, rationale["decline-rules"])
        elif fate == "decline-merit":
            reasons = ["needs_met_from_normally_available_resources"]
            decision_id = decide(
                {"kind": "decline", "merit_reasons": reasons}, rationale["decline-merit"]
            )
            self._challenge(child, decision_id, key)
        elif fate == "withdrawn":
            self.suite.command(
                "funding",
                "POST",
                f"/hnf/applications/{application_id}/withdrawal",
                step=f"{key}:withdrawal",
                kind="hnf.withdrawal",
                caller=senco(setting.setting_id),
                body={"reason": "pupil_left_the_school"},
            )

    def _challenge(self, child: DemoChild, decision_id: str | None, key: str) -> None:
        """Families challenge two of the declines: one is overturned, one upheld; the third
        stands unchallenged."""
        number = sum(1 for o in self.suite.outcomes if o.kind == "hnf.challenge")
        if decision_id is None or number >= 2:
            return
        challenge_id = f"challenge-{child.child_id}"
        lodged = self.suite.command(
            "funding",
            "POST",
            f"/decisions/{decision_id}/challenges",
            step=f"{key}:challenge",
            kind="hnf.challenge",
            caller=parent(child.child_id),
            body={"challenge_id": challenge_id},
        )
        if not lodged.completed:
            return
        result, reasons = (
            ("overturned", ["evidence_of_need_not_weighed"])
            if number == 0
            else ("upheld", ["decision_followed_published_criteria"])
        )
        self.suite.command(
            "funding",
            "POST",
            f"/challenges/{challenge_id}/resolution",
            step=f"{key}:challenge-resolution",
            kind=f"hnf.challenge.{result}",
            caller=self.officer,
            body={"result": result, "reasons": reasons},
        )

    def early_years_children(self) -> list[DemoChild]:
        return self.demo.children_where(provision="early-years", year_group=EARLY_YEARS)

    def senif(self) -> None:
        """SENIF from early years settings: awards on the support plan and Portage routes,
        refusals against the criteria, and a request for more hours than the child attends
        sent back at once."""
        children = self.early_years_children()[:10]
        variants: list[dict[str, Any]] = [{}] * 6 + [
            {
                "route": "portage",
                "support_plan_id": None,
                "support_plan_reviewed_on": None,
                "portage_weeks": 10,
            },
            {
                "route": "portage",
                "support_plan_id": None,
                "support_plan_reviewed_on": None,
                "portage_weeks": 4,
            },
            {"has_ehcp": True},
            {"hours_requested_per_week": "20"},
        ]
        for child, changes in zip(children, variants, strict=False):
            setting = self.demo.setting(child.setting_id)
            body = cases.senif_application(
                f"senif-{child.child_id}",
                child.child_id,
                setting,
                on=self.calendar.day_one,
                **changes,
            )
            cases.senif_award(
                self.suite,
                f"senif:{child.child_id}",
                body,
                self.calendar.days(7),
                self.officer,
                self.second_officer,
                refusals=("senif_hours_above_cap",),
            )

    def disability_access_fund(self) -> None:
        """DAF: paid once a year to one provider for a child on DLA; a claim for a child not on
        DLA, and a second provider's claim for a child already paid for, are refused."""
        children = self.early_years_children()
        on_dla = [c for c in children if c.receives_dla][:3]
        not_on_dla = [c for c in children if not c.receives_dla][-1:]
        claims = [(c, c.setting_id, True, "daf.claim") for c in on_dla]
        claims += [(c, c.setting_id, False, "daf.claim.refused") for c in not_on_dla]
        if on_dla:
            first = on_dla[0]
            elsewhere = next(
                s for s in self.demo.of_kind("early-years") if s.setting_id != first.setting_id
            )
            claims.append((first, elsewhere.setting_id, True, "daf.claim.refused"))
        for child, provider, dla, kind in claims:
            self.suite.command(
                "funding",
                "POST",
                "/daf/claims",
                step=f"daf:{child.child_id}:{provider}",
                kind=kind,
                caller=senco(provider),
                body={
                    "claim_id": f"daf-{child.child_id}-{provider}"[:80],
                    "child_id": child.child_id,
                    "provider_id": provider,
                    "child_receives_dla": dla,
                },
                refusals=("child_not_on_dla", "daf_already_claimed"),
            )

    # --- placements: early years, phase transfers, specialist places, a move --------------

    def placements(self) -> None:
        for panel in self.demo.panels.values():
            # The same term as the funding panels': a run again on a later day still finds
            # the members in term.
            term = (self.calendar.days(-30), self.calendar.days(730))
            cases.keep_placement_panel(self.suite, panel, *term, self.officer)
        self.early_years_places()
        self.phase_transfers()
        self.specialist_places()
        self.a_move()

    def _case(self, key: str, child: DemoChild, named: DemoSetting, **fields: Any) -> PlacementCase:
        defaults: dict[str, Any] = {
            "academic_year": self.calendar.academic_year,
            "year_group": child.year_group,
            "provision_sought": named.provision,
            "preferences": (named.setting_id,),
            "nearest_mainstream": named.setting_id,
        }
        return PlacementCase(
            key=key,
            child_id=child.child_id,
            district=child.district.value,
            need_type=child.need_type,
            has_ehcp=child.has_ehcp,
            named_setting=named.setting_id,
            received_on=self.calendar.day_one,
            # The panel of the child's area decides, wherever the setting named is.
            panel=self.demo.panels[AREA_OF[child.district]],
            **{**defaults, **fields},
        )

    def _place(self, case: PlacementCase, child: DemoChild, starts_on: date) -> str | None:
        placed = cases.place(self.suite, case, starts_on, self.officer)
        if placed is None:
            return None
        self.placed.append(Placed(child, placed[1], case.named_setting))
        return placed[1]

    def early_years_places(self) -> None:
        """The children with SENIF awards start at their early years settings; two leave (one
        leaves Kent, one for school in September), and their SENIF awards end with them."""
        for n, child in enumerate(self.early_years_children()[:6]):
            setting = self.demo.setting(child.setting_id)
            nursery_class = self.demo.of_kind("mainstream", child.district)[0]
            case = self._case(
                f"early-years:{child.child_id}",
                child,
                setting,
                nearest_mainstream=nursery_class.setting_id,
            )
            placement_id = self._place(case, child, self.calendar.days(7))
            if placement_id is None or n >= 2:
                continue
            ends_on, reason = (
                (self.calendar.days(35), "left_kent")
                if n == 0
                else (self.calendar.last_day_of_year, "phase_transfer")
            )
            cases.end_placement(self.suite, case.key, placement_id, ends_on, reason, self.officer)

    def phase_transfers(self) -> None:
        """Year 6 to Year 7: the primary place, then the request for secondary with the family's
        preferences, consultations with every preference and the nearest secondary, replies
        (some first preferences say no), the area panel, the amended plan, the start."""
        for n, child in enumerate(self.transfer_children()):
            primary = self.demo.setting(child.setting_id)
            key = f"transfer:{child.child_id}"
            now = self._case(f"{key}:year-6", child, primary)
            year_6 = self._place(now, child, self.calendar.days(7))
            if year_6 is None:
                continue
            if child.has_ehcp:
                self.suite.command(
                    "placements",
                    "POST",
                    f"/placements/{year_6}/amended-plans",
                    step=f"{key}:amended-plan",
                    kind="placement.amended-plan",
                    caller=self.officer,
                    body={"issued_on": self.calendar.day_one.isoformat()},
                )
            cases.end_placement(
                self.suite,
                f"{key}:year-6",
                year_6,
                self.calendar.last_day_of_year,
                "phase_transfer",
                self.officer,
            )
            nearest, other = self._secondaries(child.district)
            first_says_no = n % 3 == 0
            named = other if first_says_no else nearest
            case = self._case(
                f"{key}:year-7",
                child,
                named,
                academic_year=self.calendar.next_academic_year,
                year_group=7,
                provision_sought="mainstream",
                preferences=(nearest.setting_id, other.setting_id),
                nearest_mainstream=nearest.setting_id,
                replies={
                    nearest.setting_id: ("decline", "no_places_in_year_group")
                    if first_says_no
                    else ("accept", None),
                    other.setting_id: ("accept", None),
                },
                preference_refusals=((nearest.setting_id, OTHERS_EDUCATION),)
                if first_says_no
                else (),
            )
            self._place(case, child, self.calendar.next_september)

    def _secondaries(self, district: District) -> tuple[DemoSetting, DemoSetting]:
        """The district's secondary school, and the nearest other one in the same area."""
        own = [s for s in self.demo.of_kind("mainstream", district) if s.lowest_year == 7][-1]
        area = AREA_OF[district]
        other = next(
            s
            for s in self.demo.of_kind("mainstream")
            if s.area is area and s.district is not district and s.lowest_year == 7
        )
        return own, other

    def specialist_places(self) -> None:
        """An SRP place and a special school place next September, each with the options
        considered before it and why each was not enough; the special school case refuses the
        family's mainstream preference for a statutory reason."""
        options = {
            "graduated_response": "needs_exceed_sen_support_with_adjustments",
            "lift_or_stls": "stls_advice_implemented_progress_not_enough",
            "nearest_mainstream": "sensory_environment_not_manageable",
            "srp": "needs_beyond_srp_designation",
        }
        for kind in ("srp", "special"):
            found = self._specialist_child(kind)
            if found is None:
                continue
            child, setting, nearest = found
            considered = tuple(
                (option, why)
                for option, why in options.items()
                if kind == "special" or option != "srp"
            )
            preferences = (
                (nearest.setting_id, setting.setting_id)
                if kind == "special"
                else (setting.setting_id,)
            )
            case = self._case(
                f"{kind}:{child.child_id}",
                child,
                setting,
                academic_year=self.calendar.next_academic_year,
                year_group=child.year_group + 1,
                preferences=preferences,
                nearest_mainstream=nearest.setting_id,
                replies={setting.setting_id: ("accept", None)},
                options_considered=considered,
                preference_refusals=((nearest.setting_id, UNSUITABLE),)
                if kind == "special"
                else (),
            )
            self._place(case, child, self.calendar.next_september)

    def _specialist_child(self, kind: str) -> tuple[DemoChild, DemoSetting, DemoSetting] | None:
        """A child with an EHCP, not placed yet, whose need a setting of this kind is designated
        for next year, with a mainstream school near home that could take them too."""
        taken = self._taken()
        for child in self.demo.children:
            next_year = child.year_group + 1
            if child.child_id in taken or not child.has_ehcp or child.year_group < 0:
                continue
            nearest = [
                s for s in self.demo.of_kind("mainstream", child.district) if s.takes(next_year)
            ]
            for setting in self.demo.of_kind(kind):
                if nearest and setting.takes(next_year) and child.need_type in setting.need_types:
                    return child, setting, nearest[0]
        return None

    def _taken(self) -> set[str]:
        """The children placed already, or to be placed by the phase transfers: a child has one
        placement at a time, so no other case may start one for them."""
        return {p.child.child_id for p in self.placed} | {
            c.child_id for c in self.transfer_children()
        }

    def a_move(self) -> None:
        """A pupil, not placed by another case, moves between two primaries in the same
        district, nearer home (Maidstone's first, if one of its primaries has such a pupil)."""
        taken = self._taken()
        others = (d for d in District if d is not District.MAIDSTONE)
        for district in (District.MAIDSTONE, *others):
            primaries = [
                s for s in self.demo.of_kind("mainstream", district) if s.highest_year == 6
            ]
            for here, there in zip(primaries, primaries[1:] + primaries[:1], strict=True):
                child = self._pupil_at(here, taken)
                if child is not None and here != there:
                    self._move(child, here, there)
                    return

    def _pupil_at(self, primary: DemoSetting, taken: set[str]) -> DemoChild | None:
        """A pupil in Years 1-5 at the primary whom no other case places."""
        return next(
            (
                c
                for c in self.demo.children_where(provision="mainstream")
                if c.setting_id == primary.setting_id
                and 1 <= c.year_group <= 5
                and c.child_id not in taken
            ),
            None,
        )

    def _move(self, child: DemoChild, here: DemoSetting, there: DemoSetting) -> None:
        placement_id = self._place(
            self._case(f"move:{child.child_id}:here", child, here), child, self.calendar.days(7)
        )
        if placement_id is None:
            return
        case = self._case(f"move:{child.child_id}:there", child, there)
        moved = cases.move_placement(
            self.suite,
            case,
            placement_id,
            last_day=self.calendar.days(27),
            purpose="nearer_home",
            starts_on=self.calendar.days(28),
            by=self.officer,
        )
        if moved is not None:
            self.placed.append(Placed(child, moved, there.setting_id))

    # --- reviews: two cycles, one review walked to follow-up in each ------------------------

    def reviews(self) -> None:
        for district in (District.MAIDSTONE, District.THANET):
            schools = [s.setting_id for s in self.demo.of_kind("mainstream", district)]
            pairs = [schools[i : i + 2] for i in range(0, len(schools) - len(schools) % 2, 2)]
            # Each school's SENCO reviews its partner: on the roster for a term from a month
            # before day one through two years on, so a run again on a later day finds them.
            for setting in self.demo.of_kind("mainstream", district):
                term = (self.calendar.days(-30), self.calendar.days(730))
                cases.enrol_reviewer(self.suite, setting, *term, self.officer)
            cycle_id = f"{self.demo.prefix}-cycle-{district.value}-{self.calendar.academic_year}"
            key = f"review:{cycle_id}"
            review_of = cases.open_cycle(
                self.suite,
                key,
                cycle_id,
                self.demo.communities[district],
                district.value,
                pairs,
                self.officer,
            )
            stages = ("closed", "action-plan", "visit")
            for (school, reviewer), stage in zip(
                [(a, b) for a, b in pairs] + [(b, a) for a, b in pairs], stages, strict=False
            ):
                review_id = review_of.get(school)
                if review_id is None:
                    continue
                cases.walk_review(
                    self.suite,
                    f"{key}:{school}",
                    review_id,
                    school,
                    reviewer,
                    to=stage,
                    on=self.calendar.day_one,
                    by=self.officer,
                )
                if stage == "closed":
                    self.followed_up.append(school)

    # --- feedback: surveys, invitations answered, moderation, "You said, we did" -----------

    def feedback(self) -> None:
        for survey in self._surveys():
            sid = survey["survey_id"]
            drafted = self.suite.command(
                "feedback",
                "POST",
                "/surveys",
                step=f"survey:{sid}",
                kind="survey",
                caller=self.officer,
                body=survey,
            )
            if drafted.completed:
                self.suite.command(
                    "feedback",
                    "POST",
                    f"/surveys/{sid}/publication",
                    step=f"survey:{sid}:publication",
                    kind="survey.published",
                    caller=self.officer,
                )
        tagged = self._families_answer() + self._schools_answer() + self._forum()
        for response_id, theme, sentiment in tagged:
            self.suite.command(
                "feedback",
                "POST",
                f"/responses/{response_id}/themes",
                step=f"moderation:{response_id}",
                kind="response.tagged",
                caller=self.officer,
                body={"themes": [theme], "sentiment": sentiment},
            )
        action_id = f"{self.demo.prefix}-you-said-we-did-1"
        published = self.suite.command(
            "feedback",
            "POST",
            "/actions",
            step=f"action:{action_id}",
            kind="you-said-we-did",
            caller=self.officer,
            body={
                "action_id": action_id,
                "themes": ["communication_with_school"],
                "you_said": "Families hear about placement decisions late, and not from the "
                "people they know.",
                "we_did": "Every placement decision now reaches the family the day it is made, "
                "with a named contact at the school and at KCC.",
                "owner": "kcc-officer",
                "due_on": self.calendar.days(60).isoformat(),
            },
        )
        if published.completed:
            self.suite.command(
                "feedback",
                "POST",
                f"/actions/{action_id}/status",
                step=f"action:{action_id}:in-progress",
                kind="you-said-we-did.progress",
                caller=self.officer,
                body={"status": "in-progress"},
            )

    def _surveys(self) -> list[dict[str, Any]]:
        prefix = self.demo.prefix
        return [
            {
                "survey_id": f"{prefix}-survey-placement",
                "title": "How is the new placement going?",
                "channel": "survey",
                "voices": ["parent-carer", "child", "young-person"],
                "questions": [
                    {
                        "kind": "scale",
                        "question_id": "overall",
                        "prompt": "How happy are you overall?",
                    },
                    {
                        "kind": "choice",
                        "question_id": "listened_to",
                        "prompt": "Did the school and KCC listen to you?",
                        "options": ["yes", "partly", "no"],
                    },
                    {"kind": "free-text", "question_id": "tell_us_more", "prompt": "Tell us more"},
                ],
            },
            {
                "survey_id": f"{prefix}-survey-peer-review",
                "title": "Was the peer review useful?",
                "channel": "survey",
                "voices": ["setting", "professional"],
                "questions": [
                    {
                        "kind": "scale",
                        "question_id": "useful",
                        "prompt": "How useful was the review?",
                    },
                    {"kind": "free-text", "question_id": "what_changed", "prompt": "What changed?"},
                ],
            },
            {
                "survey_id": f"{prefix}-forum-autumn",
                "title": "Kent PACT forum: what matters most?",
                "channel": "forum-meeting",
                "voices": ["parent-carer", "young-person"],
                "questions": [
                    {
                        "kind": "choice",
                        "question_id": "main_concern",
                        "prompt": "What matters most now?",
                        "options": list(THEMES),
                    }
                ],
            },
        ]

    def _invitation(self, caller: Caller, cause_id: str, within: float) -> str | None:
        """The invitation the suite issued for a cause, once feedback has heard of it."""
        deadline = time.monotonic() + within
        while True:
            for invitation in self.suite.every("feedback", "/invitations", caller, "invitations"):
                if invitation["cause_id"] == cause_id:
                    invitation_id: str = invitation["invitation_id"]
                    return invitation_id
            if time.monotonic() > deadline:
                return None
            time.sleep(0.5)

    def _families_answer(self) -> list[tuple[str, str, str]]:
        """Families answer the invitations their child's placement start brought; one flags an
        individual complaint, which goes to the complaints process, never to the figures."""
        survey = f"{self.demo.prefix}-survey-placement"
        words = {
            "communication_with_school": (
                "We only heard which school it would be from a letter; nobody rang us.",
                "negative",
            ),
            "transport": ("The taxi was late most mornings in the first weeks.", "negative"),
            "support_in_class": (
                "The teaching assistant knows her well; she is settling.",
                "positive",
            ),
            "waiting_for_decisions": (
                "It took a long time to hear back, but the place is right.",
                "mixed",
            ),
        }
        tagged: list[tuple[str, str, str]] = []
        answered: set[str] = set()
        for n, placed in enumerate(self.placed):
            child = placed.child
            if child.child_id in answered:
                continue
            answered.add(child.child_id)
            invitation = self._invitation(parent(child.child_id), placed.placement_id, 60.0)
            step = f"response:{survey}:{child.child_id}"
            if invitation is None:
                self.suite.skip(step, "response", "no invitation reached feedback in time")
                continue
            theme = THEMES[n % len(THEMES)]
            text, sentiment = words[theme]
            answers: list[dict[str, Any]] = [
                {"kind": "scale", "question_id": "overall", "value": 1 + (n * 3) % 5},
                {
                    "kind": "choice",
                    "question_id": "listened_to",
                    "option": ("yes", "partly", "no")[n % 3],
                },
            ]
            if n % 2 == 0:
                answers.append({"kind": "free-text", "question_id": "tell_us_more", "text": text})
            response_id = f"response-{child.child_id}"
            sent = self.suite.command(
                "feedback",
                "POST",
                f"/surveys/{survey}/responses",
                step=step,
                kind="response",
                caller=parent(child.child_id),
                body={
                    "response_id": response_id,
                    "voice": "parent-carer",
                    "consent": {"given": True},
                    "individual_complaint": n == 3,
                    "invitation_id": invitation,
                    "answers": answers,
                },
            )
            if sent.completed and n % 2 == 0 and n != 3:
                tagged.append((response_id, theme, sentiment))
        return tagged

    def _schools_answer(self) -> list[tuple[str, str, str]]:
        """The schools whose review was followed up answer the invitation it brought."""
        survey = f"{self.demo.prefix}-survey-peer-review"
        tagged: list[tuple[str, str, str]] = []
        for school in self.followed_up:
            as_school = senco(school)
            invitations = self.suite.every("feedback", "/invitations", as_school, "invitations")
            invitation = next(
                (i["invitation_id"] for i in invitations if i["cause"] == "review-follow-up"),
                None,
            )
            if invitation is None:
                invitation = self._wait_for_review_invitation(as_school)
            step = f"response:{survey}:{school}"
            if invitation is None:
                self.suite.skip(step, "response", "no invitation reached feedback in time")
                continue
            response_id = f"response-{school}-peer-review"
            sent = self.suite.command(
                "feedback",
                "POST",
                f"/surveys/{survey}/responses",
                step=step,
                kind="response",
                caller=as_school,
                body={
                    "response_id": response_id,
                    "voice": "setting",
                    "consent": {"given": True},
                    "invitation_id": invitation,
                    "answers": [
                        {"kind": "scale", "question_id": "useful", "value": 4},
                        {
                            "kind": "free-text",
                            "question_id": "what_changed",
                            "text": "Screening now runs every term; parents join plan reviews.",
                        },
                    ],
                },
            )
            if sent.completed:
                tagged.append((response_id, "support_in_class", "positive"))
        return tagged

    def _wait_for_review_invitation(self, as_school: Caller, within: float = 60.0) -> str | None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            time.sleep(0.5)
            invitations = self.suite.every("feedback", "/invitations", as_school, "invitations")
            for invitation in invitations:
                if invitation["cause"] == "review-follow-up":
                    invitation_id: str = invitation["invitation_id"]
                    return invitation_id
        return None

    def _forum(self) -> list[tuple[str, str, str]]:
        """Views heard at a Kent PACT forum meeting, recorded unnamed by an officer."""
        survey = f"{self.demo.prefix}-forum-autumn"
        for n, district in enumerate(list(District)[:8]):
            self.suite.command(
                "feedback",
                "POST",
                f"/surveys/{survey}/responses",
                step=f"response:{survey}:{n}",
                kind="response",
                caller=self.officer,
                body={
                    "response_id": f"{survey}-view-{n}",
                    "voice": "parent-carer" if n % 4 else "young-person",
                    "anonymous": True,
                    "consent": {"given": True},
                    "district": district.value,
                    "answers": [
                        {
                            "kind": "choice",
                            "question_id": "main_concern",
                            "option": THEMES[n % len(THEMES)],
                        }
                    ],
                },
            )
        return []


def _fates(fate: str, times: int = 1, **changes: Any) -> list[tuple[str, dict[str, Any]]]:
    """What becomes of `times` HNF applications, and how each differs from a complete one."""
    return [(fate, dict(changes)) for _ in range(times)]
