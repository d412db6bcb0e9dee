"""A steady load of real commands across the four services, over HTTP with tokens, built from the
demo's step builders: settings and places, HNF applications and panel decisions, SENIF
applications and awards, placements from request to start (and some ends), peer reviews walked
to their follow-up, forum views and families answering the invitation their child's placement
brought. Each kind causes reactions in other services, which the oracle checks afterwards.

Which case comes next is drawn from the campaign's seed; worker threads take cases in turn
until told to stop. Every command is recorded by the stubborn client (`faults.client`).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from faults.client import CampaignSuite, Sent
from funding.domain.dates import financial_year_of
from inclusion_cli.demo import cases
from inclusion_cli.demo.cases import PlacementCase, academic_year_of, next_academic_year, officer
from inclusion_cli.demo.data import DemoSetting, KentDemo, kent_demo
from inclusion_cli.demo.suite import Caller, Suite, parent
from inclusion_shared.identifiers import child_id_for
from inclusion_shared.kent import Area, District

BUDGET_PENCE = 10_000_000_000
PLACES = 400
# Relative frequency of each case; a placement is the richest in reactions.
MIX = {
    "placement": 5,
    "hnf": 4,
    "senif": 2,
    "early-years-leaver": 1,
    "review": 1,
    "forum": 2,
}
THEMES = ("communication_with_school", "transport", "waiting_for_decisions", "support_in_class")


@dataclass(frozen=True)
class Stage:
    """What every case needs: the demo's settings and panels, and the day the run began."""

    demo: KentDemo
    today: date

    @property
    def officer(self) -> Caller:
        return officer(self.demo.officers[0])

    @property
    def academic_year(self) -> str:
        return academic_year_of(self.today)

    @property
    def placement_survey(self) -> str:
        return f"{self.demo.prefix}-survey-placement"

    @property
    def forum(self) -> str:
        return f"{self.demo.prefix}-forum"


class Load:
    """Sets the stage once, then runs cases on worker threads until `stop` is set."""

    def __init__(
        self, urls: dict[str, str], keys: Path, deployment: str, seed: int, workers: int
    ) -> None:
        self.urls, self.keys, self.deployment = urls, keys, deployment
        self.rng = random.Random(seed)
        self.stage = Stage(
            kent_demo(seed, children=0, prefix=f"fc{seed}"), datetime.now(UTC).date()
        )
        self.workers = workers
        self.stop = threading.Event()
        self.abandoned = threading.Event()  # stopped from outside: give up on every request
        self._lock = threading.Lock()
        self._numbers = 0
        self._suites: list[CampaignSuite] = []
        self._threads: list[threading.Thread] = []
        self.errors: list[str] = []
        self.faults_ended = float("inf")  # set when the last fault is done

    def suite(self, name: str) -> CampaignSuite:
        suite = CampaignSuite(
            self.urls,
            self.keys,
            f"{self.deployment}:{name}",
            patience=600.0,
            abandoned=self.abandoned,
        )
        with self._lock:
            self._suites.append(suite)
        return suite

    @property
    def sent(self) -> list[Sent]:
        with self._lock:
            return [command for suite in self._suites for command in suite.sent]

    @property
    def retries(self) -> int:
        with self._lock:
            return sum(suite.retries for suite in self._suites)

    # --- the stage ----------------------------------------------------------------------------

    def set_stage(self) -> None:
        """Settings and their places, budgets, the panels' rosters, the reviewers' roster, the
        policy, and the surveys views go to."""
        stage, suite = self.stage, self.suite("stage")
        for setting in stage.demo.settings:
            cases.register(suite, setting, stage.officer)
        for setting in stage.demo.settings:
            # Room for every child a long run places: a full year group would refuse the
            # panel's decision (a refusal, not a fault), which the load has no use for.
            roomy = replace(setting, places=PLACES)
            for year in (stage.academic_year, next_academic_year(stage.academic_year)):
                cases.set_capacity(suite, roomy, year, stage.officer)
        financial_year = financial_year_of(stage.today)
        for area in Area:
            suite.command(
                "funding",
                "PUT",
                f"/budgets/{area.value}/{financial_year}",
                step=f"budget:{area.value}:{financial_year}",
                kind="budget",
                caller=stage.officer,
                body={"annual_amount_pence": BUDGET_PENCE},
            )
        for panel in stage.demo.panels.values():
            cases.keep_hnf_panel(
                suite, panel, stage.today, stage.today + timedelta(365), stage.officer
            )
            cases.keep_placement_panel(
                suite, panel, stage.today, stage.today + timedelta(365), stage.officer
            )
        for district in District:
            # The schools a review case pairs (the first two of a district) are on the roster
            # of reviewers, once: a review case only names them.
            for setting in stage.demo.of_kind("mainstream", district)[:2]:
                cases.enrol_reviewer(
                    suite, setting, stage.today, stage.today + timedelta(365), stage.officer
                )
        for survey in _surveys(stage):
            suite.command(
                "feedback",
                "POST",
                "/surveys",
                step=f"survey:{survey['survey_id']}",
                kind="survey",
                caller=stage.officer,
                body=survey,
            )
            suite.command(
                "feedback",
                "POST",
                f"/surveys/{survey['survey_id']}/publication",
                step=f"survey:{survey['survey_id']}:publication",
                kind="survey.published",
                caller=stage.officer,
            )
        deadline = time.monotonic() + 120
        while not suite.read("funding", "/policies", stage.officer, limit=1)["policies"]:
            if time.monotonic() > deadline:
                raise RuntimeError("funding published no policy")
            time.sleep(0.2)
        suite.close()

    # --- the steady load ----------------------------------------------------------------------

    def start(self) -> None:
        for number in range(self.workers):
            thread = threading.Thread(target=self._work, args=(number,), name=f"load-{number}")
            thread.start()
            self._threads.append(thread)

    def finish(self, within: float = 900.0) -> None:
        """Stop taking new cases; wait for the cases under way to reach their end."""
        self.stop.set()
        deadline = time.monotonic() + within
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def abandon(self) -> None:
        """Stop at once: cases end, requests under way give up (recorded as unanswered)."""
        self.stop.set()
        self.abandoned.set()
        for thread in self._threads:
            thread.join(30.0)

    def _next(self) -> tuple[int, str, random.Random]:
        with self._lock:
            self._numbers += 1
            kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
            return self._numbers, kind, random.Random(self.rng.getrandbits(64))

    def _work(self, worker: int) -> None:
        suite = self.suite(f"w{worker}")
        try:
            while not self.stop.is_set():
                number, kind, rng = self._next()
                case = Case(suite, self.stage, number, rng)
                try:
                    CASES[kind](case)
                except Exception as error:  # a broken case must not stop the load
                    self.errors.append(f"{kind} #{number}: {error!r}")
        finally:
            suite.close()


@dataclass
class Case:
    suite: Suite
    stage: Stage
    number: int
    rng: random.Random

    @property
    def prefix(self) -> str:
        return f"{self.stage.demo.prefix}-{self.number}"

    @property
    def officer(self) -> Caller:
        return self.stage.officer

    def mainstream(self) -> tuple[DemoSetting, int]:
        """A mainstream school, and a year group it teaches (never the nursery year)."""
        setting = self.rng.choice(self.stage.demo.of_kind("mainstream"))
        return setting, self.rng.randint(max(0, setting.lowest_year), min(11, setting.highest_year))

    def early_years(self) -> tuple[DemoSetting, DemoSetting]:
        """An early years setting and the nursery class nearest it."""
        nursery = self.rng.choice(self.stage.demo.of_kind("early-years"))
        return nursery, self.stage.demo.of_kind("mainstream", nursery.district)[0]

    def placement(
        self,
        key: str,
        child_id: str,
        setting: DemoSetting,
        year_group: int,
        nearest: DemoSetting | None = None,
    ) -> PlacementCase:
        return PlacementCase(
            key=key,
            child_id=child_id,
            district=setting.district.value,
            need_type="SLCN" if year_group < 0 else self.rng.choice(("ASD", "SLCN", "SEMH")),
            has_ehcp=year_group >= 0,
            academic_year=self.stage.academic_year,
            year_group=year_group,
            provision_sought=setting.provision,
            preferences=(setting.setting_id,),
            nearest_mainstream=(nearest or setting).setting_id,
            named_setting=setting.setting_id,
            received_on=self.stage.today,
            panel=self.stage.demo.panels[setting.area],
        )


def placement_case(case: Case) -> None:
    """A child placed at a school; the family answers the invitation it brings; some leave."""
    setting, year_group = case.mainstream()
    child = child_id_for(f"{case.prefix}-child")
    placed = cases.place(
        case.suite,
        case.placement(f"{case.prefix}:place", child, setting, year_group),
        case.stage.today + timedelta(7),
        case.officer,
    )
    if placed is None:
        return
    placement_id = placed[1]
    if case.rng.random() < 0.5:
        _family_answers(case, child, placement_id)
    if case.rng.random() < 0.3:
        cases.end_placement(
            case.suite,
            f"{case.prefix}:place",
            placement_id,
            case.stage.today + timedelta(35),
            "left_kent",
            case.officer,
        )


def _family_answers(case: Case, child: str, placement_id: str, within: float = 600.0) -> None:
    """The invitation reaches feedback from placements' event; the family answers it."""
    deadline = time.monotonic() + within
    invitation = None
    while invitation is None and time.monotonic() < deadline:
        invitations = case.suite.every("feedback", "/invitations", parent(child), "invitations")
        invitation = next(
            (i["invitation_id"] for i in invitations if i["cause_id"] == placement_id),
            None,
        )
        if invitation is None:
            time.sleep(0.5)
    step = f"{case.prefix}:response"
    if invitation is None:
        case.suite.skip(step, "response", "no invitation reached feedback in time")
        return
    case.suite.command(
        "feedback",
        "POST",
        f"/surveys/{case.stage.placement_survey}/responses",
        step=step,
        kind="response",
        caller=parent(child),
        body={
            "response_id": f"{case.prefix}-response",
            "voice": "parent-carer",
            "consent": {"given": True},
            "invitation_id": invitation,
            "answers": [
                {"kind": "scale", "question_id": "overall", "value": case.rng.randint(1, 5)},
            ],
        },
    )


def hnf_case(case: Case) -> None:
    """An HNF application and the area panel's decision: approve, decline or defer."""
    setting, year_group = case.mainstream()
    application_id = f"hnf-{case.prefix}"
    band = case.rng.randint(1, 5)
    body = cases.hnf_application(
        application_id,
        child_id_for(f"{case.prefix}-child"),
        setting,
        year_group,
        on=case.stage.today,
        band=band,
    )
    if not cases.submit_hnf(case.suite, f"{case.prefix}:hnf", body).completed:
        return
    fate = case.rng.choices(("approve", "decline", "defer"), weights=(6, 2, 2))[0]
    outcome: dict[str, Any] = {
        "approve": cases.approve(case.stage.today, band),
        "decline": {
            "kind": "decline",
            "merit_reasons": ["needs_met_from_normally_available_resources"],
        },
        "defer": {"kind": "defer_for_information", "items": ["updated_provision_map"]},
    }[fate]
    cases.decide_hnf(
        case.suite,
        f"{case.prefix}:hnf",
        application_id,
        setting.setting_id,
        case.stage.demo.panels[setting.area],
        outcome,
        "The panel weighed the plan and the costed provision against the published criteria.",
        case.officer,
    )


def senif_case(case: Case) -> None:
    nursery, _ = case.early_years()
    cases.senif_award(
        case.suite,
        f"{case.prefix}:senif",
        cases.senif_application(
            f"senif-{case.prefix}",
            child_id_for(f"{case.prefix}-child"),
            nursery,
            on=case.stage.today,
        ),
        case.stage.today + timedelta(7),
        case.officer,
        case.stage.demo.officers[1],
    )


def early_years_leaver_case(case: Case) -> None:
    """A SENIF award, the child placed at the nursery, then leaving Kent: funding ends the
    award from placements' event."""
    nursery, nursery_class = case.early_years()
    child = child_id_for(f"{case.prefix}-child")
    decided = cases.senif_award(
        case.suite,
        f"{case.prefix}:senif",
        cases.senif_application(f"senif-{case.prefix}", child, nursery, on=case.stage.today),
        case.stage.today + timedelta(7),
        case.officer,
        case.stage.demo.officers[1],
    )
    if decided is None or not decided.completed:
        return
    placed = cases.place(
        case.suite,
        case.placement(f"{case.prefix}:nursery", child, nursery, -1, nearest=nursery_class),
        case.stage.today + timedelta(7),
        case.officer,
    )
    if placed is not None:
        cases.end_placement(
            case.suite,
            f"{case.prefix}:nursery",
            placed[1],
            case.stage.today + timedelta(35),
            "left_kent",
            case.officer,
        )


def review_case(case: Case) -> None:
    """A peer review cycle for two schools, one review walked to its close."""
    district = case.rng.choice(list(District))
    settings = case.stage.demo.of_kind("mainstream", district)[:2]
    schools = [s.setting_id for s in settings]
    review_of = cases.open_cycle(
        case.suite,
        f"{case.prefix}:cycle",
        f"{case.prefix}-cycle",
        f"{case.prefix}-cos",
        district.value,
        [schools],
        case.officer,
    )
    school, reviewer = schools
    if school not in review_of:
        return
    cases.walk_review(
        case.suite,
        f"{case.prefix}:review",
        review_of[school],
        school,
        reviewer,
        to="closed",
        on=case.stage.today,
        by=case.officer,
    )


def forum_case(case: Case) -> None:
    """A view heard at a Kent PACT forum meeting, recorded unnamed by an officer."""
    case.suite.command(
        "feedback",
        "POST",
        f"/surveys/{case.stage.forum}/responses",
        step=f"{case.prefix}:forum",
        kind="response.forum",
        caller=case.officer,
        body={
            "response_id": f"{case.prefix}-view",
            "voice": "parent-carer",
            "anonymous": True,
            "consent": {"given": True},
            "district": case.rng.choice(list(District)).value,
            "answers": [
                {"kind": "choice", "question_id": "main_concern", "option": case.rng.choice(THEMES)}
            ],
        },
    )


CASES: dict[str, Callable[[Case], None]] = {
    "placement": placement_case,
    "hnf": hnf_case,
    "senif": senif_case,
    "early-years-leaver": early_years_leaver_case,
    "review": review_case,
    "forum": forum_case,
}


def _surveys(stage: Stage) -> list[dict[str, Any]]:
    return [
        {
            "survey_id": stage.placement_survey,
            "title": "How is the new placement going?",
            "channel": "survey",
            "voices": ["parent-carer"],
            "questions": [
                {"kind": "scale", "question_id": "overall", "prompt": "How happy are you overall?"}
            ],
        },
        {
            "survey_id": stage.forum,
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
