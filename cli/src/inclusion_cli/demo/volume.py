"""A year's work at the demo's size, on top of the scenario's hand-made cases: EHC needs
assessments requested month by month over the thirty months before day one, with the seasons
Kent sees (few requests in August, many in the autumn and spring terms; plans due over the
summer more often late), walked to a decision and a final plan; and HNF applications from
mainstream schools, each decided by its area panel. Everything goes through the services'
commands, as the scenario's steps do, several at a time, each with its Idempotency-Key, so a
run again replays it.

The services date what they decide themselves: an assessment's steps carry the days they
happened, so the 20-week figure has its history, but an HNF decision is dated the day it is
made, so the demo's decisions all fall in day one's month.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from inclusion_cli.demo import cases
from inclusion_cli.demo.cases import officer
from inclusion_cli.demo.data import DemoChild, KentDemo, Scale
from inclusion_cli.demo.suite import Caller, Suite

T = TypeVar("T")
WORKERS = 12
"""Commands in flight at once: enough to keep two cores busy, few enough not to queue."""

# Requests for assessment by calendar month (January first), in proportion.
REQUESTS_BY_MONTH = (10, 10, 11, 7, 9, 9, 8, 4, 8, 11, 11, 6)
MONTHS = 30
"""Requests over two and a half years: every term a two-year trend shows has plans issued."""


@dataclass(frozen=True)
class Volume:
    assessments: int
    """Requests for assessment over the thirty months (Kent sees about 3,600 a year)."""
    hnf_applications: int


VOLUMES: dict[Scale, Volume] = {
    "demo": Volume(assessments=480, hnf_applications=60),
    "kent": Volume(assessments=9_000, hnf_applications=1_500),
}


@dataclass(frozen=True)
class Assessment:
    """An EHC needs assessment as it went: the days of its steps (None: not reached)."""

    assessment_id: str
    child: DemoChild
    requested_on: date
    decided_on: date
    assessed: bool
    draft_on: date | None
    final_on: date | None
    away_from: date | None
    """A child away for five weeks, an exception to the 20-week clock."""


def assessments(demo: KentDemo, day_one: date, count: int) -> list[Assessment]:
    """`count` assessments requested over the thirty months before day one, in the months'
    proportions; steps later than day one have not happened yet."""
    rng = random.Random(f"{demo.seed}:assessments")
    months = [_month_before(day_one, n) for n in range(MONTHS, 0, -1)]
    weights = [REQUESTS_BY_MONTH[m.month - 1] for m in months]
    school_age = [c for c in demo.children if c.year_group >= 0]
    children = rng.sample(school_age, min(count, len(school_age)))
    found = []
    for number, child in enumerate(children):
        month = rng.choices(months, weights)[0]
        requested_on = month + timedelta(rng.randrange(28))
        assessed = rng.random() > 0.08
        decided_on = requested_on + timedelta(rng.randrange(28, 43))
        # Plans due in the summer holidays are late more often.
        on_time = rng.random() < (0.4 if month.month in (3, 4) else 0.6)
        days = rng.randrange(105, 141) if on_time else rng.randrange(141, 230)
        final_on = requested_on + timedelta(days) if assessed else None
        found.append(
            Assessment(
                assessment_id=f"ehc-{demo.prefix}-{number}",
                child=child,
                requested_on=requested_on,
                decided_on=decided_on,
                assessed=assessed,
                draft_on=final_on - timedelta(21) if final_on else None,
                final_on=final_on,
                away_from=requested_on + timedelta(42) if rng.random() < 0.06 else None,
            )
        )
    return [a for a in found if a.requested_on <= day_one]


def _month_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Year:
    suite: Suite
    demo: KentDemo
    day_one: date

    @property
    def volume(self) -> Volume:
        return VOLUMES[self.demo.scale]

    def run(self) -> None:
        by = officer(self.demo.officers[0])
        found = assessments(self.demo, self.day_one, self.volume.assessments)
        self._together(found, lambda a: self._assessment(a, by))
        self._together(self._hnf_children(), lambda c: self._hnf(c[0], c[1], by))

    def _together(self, items: Iterable[T], job: Callable[[T], object]) -> None:
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="demo") as pool:
            for _ in pool.map(job, items):
                pass

    def _assessment(self, case: Assessment, by: Caller) -> None:
        key = f"assessment:{case.assessment_id}"
        opened = self.suite.command(
            "placements",
            "POST",
            "/assessments",
            step=f"{key}:request",
            kind="assessment.request",
            caller=by,
            body={
                "assessment_id": case.assessment_id,
                "child_id": case.child.child_id,
                "district": case.child.district.value,
                "requested_on": case.requested_on.isoformat(),
            },
        )
        if not opened.completed:
            return
        if case.away_from is not None and case.away_from <= self.day_one:
            self.suite.command(
                "placements",
                "POST",
                f"/assessments/{case.assessment_id}/exceptions",
                step=f"{key}:exception",
                kind="assessment.exception",
                caller=by,
                body={
                    "clock": "final_ehcp",
                    "kind": "child_away",
                    "reason": "hospital_stay",
                    "from_on": case.away_from.isoformat(),
                    "until": (case.away_from + timedelta(35)).isoformat(),
                },
            )
        steps = [
            ("decided_to_assess" if case.assessed else "decided_not_to_assess", case.decided_on),
            ("draft_plan_issued", case.draft_on),
            ("final_plan_issued", case.final_on),
        ]
        for step, on in steps:
            if on is None or on > self.day_one:
                return
            done = self.suite.command(
                "placements",
                "POST",
                f"/assessments/{case.assessment_id}/steps",
                step=f"{key}:{step}",
                kind=f"assessment.{step}",
                caller=by,
                body={"step": step, "on": on.isoformat()},
            )
            if not done.completed:
                return

    def _hnf_children(self) -> list[tuple[int, DemoChild]]:
        """School-age children at mainstream schools, none of those the scenario's own HNF
        cases use (the first sixty, and Year 6 children moving on), one application each."""
        rng = random.Random(f"{self.demo.seed}:hnf")
        mainstream = [
            c for c in self.demo.children_where(provision="mainstream") if 0 <= c.year_group <= 11
        ]
        moving_on = self.demo.children_where(provision="mainstream", year_group=6)[:8]
        free = [c for c in mainstream[60:] if c not in moving_on]
        chosen = rng.sample(free, min(self.volume.hnf_applications, len(free)))
        return list(enumerate(chosen))

    def _hnf(self, number: int, child: DemoChild, by: Caller) -> None:
        setting = self.demo.setting(child.setting_id)
        band = 1 + number % 5
        application_id = f"hnf-{self.demo.prefix}-year-{number}"
        key = f"hnf-year:{application_id}"
        body = cases.hnf_application(
            application_id,
            child.child_id,
            setting,
            child.year_group,
            on=self.day_one,
            has_ehcp=child.has_ehcp,
            band=band,
        )
        if not cases.submit_hnf(self.suite, key, body).completed:
            return
        panel = self.demo.panels[setting.area]
        outcome: dict[str, object]
        if number % 5 == 4:
            outcome = {
                "kind": "decline",
                "merit_reasons": ["needs_met_from_normally_available_resources"],
            }
            why = "The evidence shows the needs can be met from normally available resources."
        else:
            outcome = cases.approve(self.day_one + timedelta(14), band)
            why = "The plan and costed provision show support beyond the school's own resources."
        cases.decide_hnf(
            self.suite, key, application_id, setting.setting_id, panel, outcome, why, by
        )
