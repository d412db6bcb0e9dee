"""A small Kent, published as the four services would publish it: five settings, funding
applications, decisions, budgets and challenges; placement requests, consultations, transfer
deadlines, capacity and moves; a peer-review cycle; responses and "You said, we did" actions.

Almost everything falls in the autumn term of financial year 2026-27 (transfer deadlines in its
spring term). The counts are chosen so that most published figures can be checked by hand, some
cells are suppressed (fewer than 5) and some are suppressed only to protect another.
"""

from __future__ import annotations

from datetime import date

from inclusion_shared.contracts import feedback as fb
from inclusion_shared.contracts import funding as fu
from inclusion_shared.contracts import placements as pl
from inclusion_shared.contracts import reviews as rv
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventContract, EventData
from inclusion_shared.identifiers import child_id_for
from inclusion_shared.testing import UpstreamService

YEAR = "2026-27"
THANET_1, THANET_2 = "school-t1", "school-t2"
NURSERY, SRP, SPECIAL = "nursery-d1", "srp-c1", "special-s1"
# (setting, type, district, area, community, designation)
SETTINGS = (
    (THANET_1, "mainstream", "thanet", "east-kent", "cos-thanet-1", ()),
    (THANET_2, "mainstream", "thanet", "east-kent", "cos-thanet-2", ()),
    (NURSERY, "early-years", "dover", "south-kent", "cos-dover-1", ()),
    (SRP, "srp", "canterbury", "east-kent", "cos-canterbury-1", ("ASD",)),
    (SPECIAL, "special", "swale", "east-kent", "cos-swale-1", ("ASD", "SLCN")),
)
# What the registry calls the Thanet communities (the others it gives no name).
COMMUNITY_NAMES = {"cos-thanet-1": "Margate Coast", "cos-thanet-2": "Ramsgate Harbour"}
PLACE = {setting: (district, area) for setting, _, district, area, _, _ in SETTINGS}


class Scenario:
    """Publishes the scenario through four upstream services, keeping every event it sent."""

    def __init__(self, upstream: dict[str, UpstreamService], tag: str) -> None:
        self.upstream = upstream
        self.tag = tag
        self.events: list[CloudEvent] = []

    async def emit(self, contract: EventContract, subject: str, data: EventData) -> CloudEvent:
        event = await self.upstream[contract.topic.service].publish(contract.type, subject, data)
        self.events.append(event)
        return event

    def id(self, kind: str, number: int) -> str:
        made = f"{kind}-{self.tag}-{number}"
        return child_id_for(made) if kind == "child" else made

    async def publish(self) -> None:
        await self.settings()
        await self.funding()
        await self.placements()
        await self.reviews()
        await self.feedback()

    async def settings(self) -> None:
        for setting, kind, district, area, community, designation in SETTINGS:
            await self.emit(
                pl.SETTING_REGISTERED,
                setting,
                pl.SettingRegistered(
                    setting_id=setting,
                    setting_type=kind,
                    district=district,
                    area=area,
                    community_of_schools=community,
                    designation=designation,
                    community_name=COMMUNITY_NAMES.get(community),
                ),
            )
        for setting, places in ((SRP, 8), (SPECIAL, 20)):
            district, area = PLACE[setting]
            await self.emit(
                pl.CAPACITY_SET,
                setting,
                pl.CapacitySet(
                    setting_id=setting,
                    setting_type="srp" if setting == SRP else "special",
                    district=district,
                    area=area,
                    academic_year=YEAR,
                    designated_places=places,
                    total_places=places,
                ),
            )

    async def funding(self) -> None:
        applications = [(THANET_1, "hnf")] * 7 + [(THANET_2, "hnf")] * 2 + [(NURSERY, "senif")] * 6
        for number, (setting, scheme) in enumerate(applications):
            district, area = PLACE[setting]
            application = self.id("application", number)
            await self.emit(
                fu.APPLICATION_SUBMITTED,
                application,
                fu.ApplicationSubmitted(
                    application_id=application,
                    scheme=scheme,
                    child_id=self.id("child", number),
                    setting_id=setting,
                    district=district,
                    area=area,
                    submitted_on=date(2026, 10, 5),
                ),
            )
        decisions = (
            [(THANET_1, "hnf", "approved", 10)] * 6
            + [(THANET_2, "hnf", "approved", 14)] * 2
            + [(NURSERY, "senif", "awarded", 6)] * 6
        )
        for number, (setting, scheme, outcome, days) in enumerate(decisions):
            district, area = PLACE[setting]
            decision = self.id("decision", number)
            await self.emit(
                fu.DECISION_RECORDED,
                decision,
                fu.DecisionRecorded(
                    decision_id=decision,
                    application_id=self.id("application", number),
                    scheme=scheme,
                    child_id=self.id("child", number),
                    setting_id=setting,
                    district=district,
                    area=area,
                    outcome=outcome,
                    policy_version="kent-example-2026.1",
                    decided_on=date(2026, 11, 2),
                    days_to_decision=days,
                    target_days=14,
                    target_breached=False,
                    record={},
                ),
            )
        # East's budget is set twice: the later one stands.
        for area, pence in (
            ("east-kent", 100_000_000),
            ("east-kent", 120_000_000),
            ("south-kent", 50_000_000),
            ("north-kent", 1_000_000),
        ):
            await self.emit(
                fu.BUDGET_SET,
                f"{area}:{YEAR}",
                fu.BudgetSet(area=area, financial_year=YEAR, annual_amount_pence=pence),
            )
        commitments = (
            [("east-kent", 1_000_000)] * 6
            + [("south-kent", 2_000_000)] * 5
            + [("north-kent", 300_000)] * 5
        )
        for number, (area, pence) in enumerate(commitments):
            await self.emit(
                fu.ALLOCATION_COMMITTED,
                area,
                fu.AllocationCommitted(
                    commitment_id=self.id("commitment", number),
                    decision_id=self.id("decision", number),
                    area=area,
                    financial_year=YEAR,
                    amount_pence=pence,
                    remaining_pence=0,
                ),
            )
        await self.emit(
            fu.ALLOCATION_RELEASED,
            "east-kent",
            fu.AllocationReleased(
                commitment_id=self.id("commitment", 0),
                area="east-kent",
                financial_year=YEAR,
                amount_pence=1_000_000,
                reason="award_ended",
                remaining_pence=0,
            ),
        )
        # Eleven challenges to Thanet decisions at school-t1: six overturned, five upheld.
        for number in range(11):
            challenge = self.id("challenge", number)
            decision = self.id("decision", number % 6)
            await self.emit(
                fu.CHALLENGE_LODGED,
                challenge,
                fu.ChallengeLodged(challenge_id=challenge, decision_id=decision, district="thanet"),
            )
            await self.emit(
                fu.CHALLENGE_RESOLVED,
                challenge,
                fu.ChallengeResolved(
                    challenge_id=challenge,
                    decision_id=decision,
                    result="overturned" if number < 6 else "upheld",
                    reasons=("new-evidence",),
                ),
            )

    async def placements(self) -> None:
        requests = (
            [("thanet", "east-kent", "mainstream", "MLD")] * 6
            + [("thanet", "east-kent", "srp", "ASD")] * 5
            + [("dover", "south-kent", "special", "SLCN")] * 5
        )
        for number, (district, area, sought, need) in enumerate(requests):
            request = self.id("request", number)
            await self.emit(
                pl.PLACEMENT_REQUESTED,
                self.id("child", number),
                pl.PlacementRequested(
                    request_id=request,
                    child_id=self.id("child", number),
                    district=district,
                    area=area,
                    academic_year=YEAR,
                    phase="primary",
                    year_group=3,
                    need_type=need,
                    has_ehcp=True,
                    provision_sought=sought,
                    received_on=date(2026, 10, 10),
                ),
            )
        # Six consultations of school-t1 answered on time; five of school-t2 overdue.
        for number in range(11):
            setting = THANET_1 if number < 6 else THANET_2
            consultation = self.id("consultation", number)
            request = self.id("request", number)
            await self.emit(
                pl.CONSULTATION_SENT,
                consultation,
                pl.ConsultationSent(
                    consultation_id=consultation,
                    request_id=request,
                    child_id=self.id("child", number),
                    setting_id=setting,
                    setting_type="mainstream",
                    nearest_mainstream=True,
                    sent_on=date(2026, 10, 12),
                    reply_due_on=date(2026, 10, 27),
                    timescales_version="sen-2014.1",
                ),
            )
            if number < 6:
                await self.emit(
                    pl.CONSULTATION_ANSWERED,
                    consultation,
                    pl.ConsultationAnswered(
                        consultation_id=consultation,
                        request_id=request,
                        setting_id=setting,
                        answer="accept",
                        answered_on=date(2026, 10, 20),
                        reply_due_on=date(2026, 10, 27),
                        on_time=True,
                    ),
                )
            else:
                await self.emit(
                    pl.CONSULTATION_OVERDUE,
                    consultation,
                    pl.ConsultationOverdue(
                        consultation_id=consultation,
                        request_id=request,
                        setting_id=setting,
                        reply_due_on=date(2026, 10, 27),
                        as_of=date(2026, 10, 28),
                        days_overdue=1,
                    ),
                )
        await self.transfers()
        await self.moves()
        await self.assessments()

    async def transfers(self) -> None:
        """Sixteen Year 6 placements at school-t1, each with a transfer deadline on 15 February
        2027: six met, five missed, five missed with an allowed exception."""
        due = date(2027, 2, 15)
        for number in range(16):
            placement, child = self.id("placement", number), self.id("child", 10_000 + number)
            await self.emit(
                pl.PLACEMENT_STARTED,
                child,
                pl.PlacementStarted(
                    placement_id=placement,
                    child_id=child,
                    setting_id=THANET_1,
                    setting_type="mainstream",
                    district="thanet",
                    area="east-kent",
                    phase="primary",
                    year_group=6,
                    starts_on=date(2025, 9, 3),
                ),
            )
            await self.emit(
                pl.DEADLINE_WARNING,
                child,
                pl.DeadlineWarning(
                    subject_id=placement,
                    child_id=child,
                    clock="school_transfer",
                    due_on=due,
                    as_of=date(2026, 11, 15),
                    days_left=92,
                    timescales_version="sen-2014.1",
                ),
            )
            if number < 6:
                await self.emit(
                    pl.AMENDED_PLAN_ISSUED,
                    child,
                    pl.AmendedPlanIssued(
                        placement_id=placement, child_id=child, issued_on=date(2026, 11, 20)
                    ),
                )
                continue
            if number >= 11:
                await self.emit(
                    pl.CLOCK_EXCEPTION_RECORDED,
                    child,
                    pl.ClockExceptionRecorded(
                        exception_id=self.id("exception", number),
                        subject_id=placement,
                        child_id=child,
                        clock="school_transfer",
                        kind="child_away",
                        reason="hospital",
                        from_on=date(2027, 1, 10),
                    ),
                )
            await self.emit(
                pl.DEADLINE_BREACHED,
                child,
                pl.DeadlineBreached(
                    subject_id=placement,
                    child_id=child,
                    clock="school_transfer",
                    due_on=due,
                    as_of=date(2027, 2, 16),
                    days_overdue=1,
                    timescales_version="sen-2014.1",
                ),
            )

    async def moves(self) -> None:
        """Five phase transfers into school-t1 and five other moves into school-t2."""
        for number in range(10):
            setting = THANET_1 if number < 5 else THANET_2
            child = self.id("child", 20_000 + number)
            await self.emit(
                pl.PLACEMENT_STARTED,
                child,
                pl.PlacementStarted(
                    placement_id=self.id("move", number),
                    child_id=child,
                    setting_id=setting,
                    setting_type="mainstream",
                    district="thanet",
                    area="east-kent",
                    phase="secondary" if number < 5 else "primary",
                    starts_on=date(2026, 10, 15),
                    transfer="primary-to-secondary" if number < 5 else None,
                    previous_setting_id=None if number < 5 else THANET_1,
                    move_reason=None if number < 5 else "family_moved",
                ),
            )

    async def assessments(self) -> None:
        """Final EHC plans term by term, for the 20-week figure and its trend: each plan as
        (district, area, issued on, days from the request, with an exception). In Thanet, the
        2025 summer and 2026 spring terms each have a few plans missed (with and without an
        exception): four small cells that protect each other, so those two terms are gaps in
        the trend, and the others are published. Dover has plans in the 2026 autumn term."""
        thanet = ("thanet", "east-kent")
        dover = ("dover", "south-kent")
        terms = (
            (date(2025, 6, 16), 8, 2, 1),
            (date(2025, 11, 17), 10, 5, 0),
            (date(2026, 2, 16), 9, 3, 2),
            (date(2026, 6, 15), 12, 5, 5),
            (date(2026, 11, 16), 15, 5, 0),
        )
        plans = [
            (*thanet, issued_on, days, days == 150)
            for issued_on, met, missed, excepted in terms
            for days in [100] * met + [141] * missed + [150] * excepted
        ]
        plans += [(*dover, date(2026, 11, 16), days, False) for days in [139] * 5 + [200] * 5]
        for number, (district, area, issued_on, days, excepted) in enumerate(plans):
            assessment, child = self.id("assessment", number), self.id("child", 30_000 + number)
            requested_on = date.fromordinal(issued_on.toordinal() - days)
            steps = (("assessment_requested", requested_on), ("final_plan_issued", issued_on))
            for step, on in steps:
                await self.emit(
                    pl.ASSESSMENT_STEP_RECORDED,
                    child,
                    pl.AssessmentStepRecorded(
                        assessment_id=assessment,
                        child_id=child,
                        district=district,
                        area=area,
                        step=step,
                        on=on,
                    ),
                )
            if excepted:
                await self.emit(
                    pl.CLOCK_EXCEPTION_RECORDED,
                    child,
                    pl.ClockExceptionRecorded(
                        exception_id=self.id("assessment-exception", number),
                        subject_id=assessment,
                        child_id=child,
                        clock="final_ehcp",
                        kind="child_away",
                        reason="hospital",
                        from_on=requested_on,
                        until=date.fromordinal(requested_on.toordinal() + 40),
                    ),
                )

    async def reviews(self) -> None:
        """One cycle in cos-thanet-1: six reviews (five followed up), ten actions (five done on
        time, five overdue), six reports."""
        cycle = self.id("cycle", 0)
        place = {"district": "thanet", "area": "east-kent"}
        await self.emit(
            rv.CYCLE_OPENED,
            cycle,
            rv.CycleOpened(
                cycle_id=cycle,
                community_of_schools="cos-thanet-1",
                partnerships=((THANET_1, THANET_2),),
                avoid_reciprocal_reviews=True,
                estimates_turned_on=False,
                opened_on=date(2026, 9, 10),
                **place,
            ),
        )
        for number in range(6):
            review = self.id("review", number)
            common = {"review_id": review, "cycle_id": cycle, "setting_id": THANET_1, **place}
            await self.emit(
                rv.REVIEW_SCHEDULED,
                review,
                rv.ReviewScheduled(
                    partner_settings=(THANET_2,), scheduled_on=date(2026, 9, 20), **common
                ),
            )
            await self.emit(
                rv.REPORT_ISSUED,
                review,
                rv.ReportIssued(
                    issued_on=date(2026, 10, 1),
                    findings=3,
                    strength_areas=("leadership",),
                    development_areas=("assessment-and-identification",),
                    estimates_given=False,
                    **common,
                ),
            )
            if number < 5:
                await self.emit(
                    rv.FOLLOW_UP_COMPLETED,
                    review,
                    rv.FollowUpCompleted(
                        completed_on=date(2026, 11, 10),
                        actions_completed=1,
                        actions_open=1,
                        **common,
                    ),
                )
        for number in range(10):
            review = self.id("review", number % 5)
            action = {
                "review_id": review,
                "cycle_id": cycle,
                "setting_id": THANET_1,
                "item_id": self.id("item", number),
                "review_area": "assessment-and-identification",
                "owner_role": "senco",
                "due_on": date(2026, 11, 1),
                **place,
            }
            await self.emit(
                rv.ACTION_AGREED, review, rv.ActionAgreed(agreed_on=date(2026, 10, 2), **action)
            )
            if number < 5:
                await self.emit(
                    rv.ACTION_COMPLETED,
                    review,
                    rv.ActionCompleted(completed_on=date(2026, 10, 30), late=False, **action),
                )
            else:
                await self.emit(
                    rv.ACTION_OVERDUE,
                    review,
                    rv.ActionOverdue(as_of=date(2026, 11, 2), days_overdue=1, **action),
                )

    async def feedback(self) -> None:
        """Six parents in cos-thanet-1 (accepted, tagged 'communication'), five young people in
        cos-dover-1 (awaiting moderation, then tagged 'transport'), one parent who withdrew and
        one complaint; ten "You said, we did" actions, five of them done."""
        survey = self.id("survey", 0)
        received = [("parent-carer", "thanet", "east-kent", "cos-thanet-1", "accepted")] * 7 + [
            ("young-person", "dover", "south-kent", "cos-dover-1", "awaiting_moderation")
        ] * 5
        received.append(
            ("parent-carer", "thanet", "east-kent", "cos-thanet-1", "routed_to_complaints")
        )
        for number, (voice, district, area, community, status) in enumerate(received):
            response = self.id("response", number)
            await self.emit(
                fb.RESPONSE_RECEIVED,
                response,
                fb.ResponseReceived(
                    response_id=response,
                    survey_id=survey,
                    voice=voice,
                    channel="survey",
                    district=district,
                    area=area,
                    community_of_schools=community,
                    anonymous=True,
                    answers=(),
                    status=status,
                    received_on=date(2026, 10, 20),
                ),
            )
            if number == 6:
                await self.emit(
                    fb.RESPONSE_WITHDRAWN,
                    response,
                    fb.ResponseWithdrawn(
                        response_id=response,
                        survey_id=survey,
                        reason="consent_withdrawn",
                        withdrawn_on=date(2026, 10, 25),
                    ),
                )
            elif number < 12:
                theme = "communication" if number < 6 else "transport"
                await self.emit(
                    fb.RESPONSE_TAGGED,
                    response,
                    fb.ResponseTagged(
                        response_id=response,
                        survey_id=survey,
                        themes=(theme,),
                        sentiment="negative",
                        tagged_on=date(2026, 10, 26),
                    ),
                )
        for number in range(10):
            action = self.id("action", number)
            common = {"action_id": action, "themes": ("transport",), "owner_role": "kcc-officer"}
            await self.emit(
                fb.ACTION_PUBLISHED,
                action,
                fb.ActionPublished(status="planned", published_on=date(2026, 11, 1), **common),
            )
            if number < 5:
                await self.emit(
                    fb.ACTION_UPDATED,
                    action,
                    fb.ActionUpdated(status="done", updated_on=date(2026, 11, 20), **common),
                )
