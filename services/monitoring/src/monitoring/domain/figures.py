"""The monitored figures, service by service: what each counts, from which events, how it is
laid out, and how it was computed (each figure's method page says this to its readers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from inclusion_shared.disclosure import Symbol
from monitoring.domain.places import Level
from monitoring.domain.tables import (
    Block,
    Derived,
    Figure,
    RowFigures,
    Shape,
    Timing,
    Unit,
    Value,
    mean,
    pounds,
    ratio,
    share,
    total_of,
)


@dataclass(frozen=True)
class Method:
    """How a figure is computed, in words: what is counted, when and where it counts, and what
    the events cannot tell."""

    events: tuple[str, ...]
    counts: str
    when: str
    where: str
    limits: str = ""


@dataclass(frozen=True)
class Monitored:
    figure: Figure
    method: Method


SCHEMES = (("hnf", "High Needs Funding"), ("senif", "SENIF"), ("daf", "Disability Access Fund"))
OUTCOMES = (
    ("approved", "Approved"),
    ("awarded", "Awarded"),
    ("declined", "Declined"),
    ("refused", "Refused"),
    ("deferred_for_information", "Deferred for information"),
)
PROVISION = (
    ("mainstream", "Mainstream"),
    ("srp", "SRP"),
    ("special", "Special school"),
    ("pru", "PRU"),
    ("early-years", "Early years"),
    ("portage", "Portage"),
)
NEEDS = tuple(
    (code, code)
    for code in (
        "ASD",
        "SLCN",
        "SEMH",
        "SPLD",
        "MLD",
        "SLD",
        "PMLD",
        "PD",
        "HI",
        "VI",
        "MSI",
        "OTH",
    )
)
REVIEW_AREAS = (
    ("outcomes", "Outcomes"),
    ("leadership", "Leadership"),
    ("teaching-and-learning", "Teaching and learning"),
    ("working-with-pupils-and-parents", "Working with pupils and parents"),
    ("assessment-and-identification", "Assessment and identification"),
    ("monitoring-tracking-and-evaluation", "Monitoring, tracking and evaluation"),
    ("efficient-use-of-resources", "Efficient use of resources"),
    ("quality-of-provision", "Quality of provision"),
)
VOICES = (
    ("child", "Child"),
    ("young-person", "Young person"),
    ("parent-carer", "Parent or carer"),
    ("professional", "Professional"),
    ("setting", "Setting"),
)
ACTION_STATUSES = (
    ("planned", "Planned"),
    ("in-progress", "In progress"),
    ("done", "Done"),
    ("not-taken", "Not taken"),
)

TIMELINESS = (
    ("met", "Met"),
    ("met-excepted", "Met, with an exception"),
    ("missed", "Missed"),
    ("missed-excepted", "Missed, with an exception"),
)


def met_shares(within: str) -> tuple[Derived, Derived]:
    """Timeliness both with and without the cases that had an allowed exception, as the DfE
    reports it."""
    return (
        Derived(
            "met-percent",
            f"% {within} (all)",
            Unit.PERCENT,
            share(["met", "met-excepted"], ["met", "met-excepted", "missed", "missed-excepted"]),
            "(met + met with an exception) as a percentage of all settled",
        ),
        Derived(
            "met-percent-excluding",
            f"% {within} (excluding exceptions)",
            Unit.PERCENT,
            share(["met"], ["met", "missed"]),
            "met as a percentage of (met + missed): cases with an exception left out",
        ),
    )


SETTLED = ("met", "met-excepted", "missed", "missed-excepted")
PLACE_FROM_EVENT = "The district and area the event names."
COMMUNITY_FROM_REGISTRY = (
    " The Community of Schools is the setting's, as the placements service registered it "
    "(placements.setting.registered); a setting it has not registered is 'not known'."
)
NO_CHILD_COMMUNITY = (
    "the events name the child's district but no setting, so no Community of Schools."
)


def _budget_committed(amounts: Mapping[str, int]) -> int:
    return amounts.get("committed", 0) - amounts.get("released", 0)


def _budget_share(row: RowFigures) -> Value:
    budget = row.amounts.get("budget", 0)
    if not isinstance(row.published.get("committed", 0), int):
        return Symbol.SUPPRESSED
    if budget == 0:
        return Symbol.NOT_APPLICABLE
    share_of_budget = Decimal(_budget_committed(row.amounts)) * 100 / budget
    return share_of_budget.quantize(Decimal(1), rounding=ROUND_HALF_UP)


FUNDING: tuple[Monitored, ...] = (
    Monitored(
        Figure(
            id="funding-applications",
            service="funding",
            title="Funding applications received",
            source="funding-applications",
            shape=Shape.PLACES,
            blocks=(Block(SCHEMES, total=("applications", "All applications")),),
            chart="applications",
        ),
        Method(
            events=("funding.application.submitted",),
            counts="Each complete application received for decision, once, by scheme.",
            when="The day it was submitted.",
            where=PLACE_FROM_EVENT + COMMUNITY_FROM_REGISTRY,
            limits="Applications returned as incomplete or withdrawn are not counted here.",
        ),
    ),
    Monitored(
        Figure(
            id="funding-decisions",
            service="funding",
            title="Funding decisions by outcome",
            source="funding-decisions",
            shape=Shape.PLACES,
            blocks=(Block(OUTCOMES, total=("decisions", "All decisions")),),
            chart="decisions",
        ),
        Method(
            events=("funding.decision.recorded",),
            counts="Each decision recorded, by its outcome. An application deferred for "
            "information and decided later has two decisions.",
            when="The day of the decision.",
            where=PLACE_FROM_EVENT + COMMUNITY_FROM_REGISTRY,
        ),
    ),
    Monitored(
        Figure(
            id="funding-timeliness",
            service="funding",
            title="Time to decision against the target",
            source="funding-timeliness",
            shape=Shape.PLACES,
            blocks=(
                Block(
                    (
                        ("within-target", "Within target"),
                        ("outside-target", "Outside target"),
                        ("no-target", "No target recorded"),
                    ),
                    total=("decisions", "All decisions"),
                ),
            ),
            derived=(
                Derived(
                    "within-target-percent",
                    "% within target",
                    Unit.PERCENT,
                    share(["within-target"], ["within-target", "outside-target"]),
                    "within target as a percentage of (within target + outside target)",
                ),
                Derived(
                    "mean-days",
                    "Mean days to decision",
                    Unit.DAYS,
                    mean(["within-target", "outside-target"]),
                    "days to decision, averaged over decisions with a target (one decimal place)",
                ),
            ),
            chart="within-target-percent",
        ),
        Method(
            events=("funding.decision.recorded",),
            counts="Each decision, by whether it was made within the decision target in force "
            "(target_breached false), outside it (true), or with no target recorded.",
            when="The day of the decision.",
            where=PLACE_FROM_EVENT + COMMUNITY_FROM_REGISTRY,
            limits="The days are the funding service's own count (days_to_decision) from the "
            "day the application was complete.",
        ),
    ),
    Monitored(
        Figure(
            id="funding-budget",
            service="funding",
            title="Money committed against the annual High Needs budget",
            source="funding-budget",
            shape=Shape.PLACES,
            blocks=(Block((("committed", "Commitments"),)),),
            derived=(
                Derived(
                    "budget-pounds",
                    "Annual budget (£)",
                    Unit.POUNDS,
                    pounds(lambda amounts: amounts.get("budget", 0)),
                    "the budget set for the area and year (the latest set)",
                ),
                Derived(
                    "committed-pounds",
                    "Committed (£)",
                    Unit.POUNDS,
                    pounds(_budget_committed, behind=["committed"]),
                    "the sum of commitments less the sum of releases",
                ),
                Derived(
                    "remaining-pounds",
                    "Remaining (£)",
                    Unit.POUNDS,
                    pounds(
                        lambda a: a.get("budget", 0) - _budget_committed(a), behind=["committed"]
                    ),
                    "the annual budget less what is committed (negative: over-committed)",
                ),
                Derived(
                    "committed-percent",
                    "% of budget committed",
                    Unit.PERCENT,
                    _budget_share,
                    "committed as a percentage of the annual budget (over 100: over-committed)",
                ),
            ),
            timing=Timing.FINANCIAL_YEAR,
            finest=Level.AREA,
            finest_because="High Needs budgets and commitments are held per area.",
            chart="committed-percent",
        ),
        Method(
            events=(
                "funding.budget.set",
                "funding.allocation.committed",
                "funding.allocation.released",
            ),
            counts="Commitments against each area's High Needs budget for the financial year "
            "they name, net of releases, beside the budget last set for that area and year. "
            "Over-commitment shows as more than 100% and a negative remainder.",
            when="The financial year each budget, commitment and release names.",
            where="The area each event names.",
            limits="Money committed is published only where the number of commitments behind "
            "it is (5 or more), so that no award can be worked out.",
        ),
    ),
    Monitored(
        Figure(
            id="funding-challenges",
            service="funding",
            title="Challenges to funding decisions",
            source="funding-challenges",
            shape=Shape.PLACES,
            blocks=(
                Block(
                    (
                        ("upheld", "Upheld"),
                        ("overturned", "Overturned"),
                        ("awaiting", "Not yet resolved"),
                    ),
                    total=("challenges", "All challenges"),
                ),
            ),
            derived=(
                Derived(
                    "overturn-rate",
                    "Overturn rate %",
                    Unit.PERCENT,
                    share(["overturned"], ["upheld", "overturned"]),
                    "overturned as a percentage of (upheld + overturned)",
                ),
            ),
            chart="challenges",
        ),
        Method(
            events=("funding.challenge.lodged", "funding.challenge.resolved"),
            counts="Each challenge lodged, by how it was resolved, if it has been.",
            when="The day it was lodged (the event's time: the contract carries no date).",
            where="The district the challenge names and its area."
            + COMMUNITY_FROM_REGISTRY
            + " The setting is the challenged decision's.",
        ),
    ),
)

PLACEMENTS: tuple[Monitored, ...] = (
    Monitored(
        Figure(
            id="placements-requests",
            service="placements",
            title="Placement requests by provision sought",
            source="placements-requests",
            shape=Shape.PLACES,
            blocks=(Block(PROVISION, total=("requests", "All requests")),),
            finest=Level.DISTRICT,
            finest_because=NO_CHILD_COMMUNITY,
            chart="requests",
        ),
        Method(
            events=("placements.placement.requested",),
            counts="Each placement request, by the provision sought.",
            when="The day it was received.",
            where="The child's district and area, as the request names them.",
            limits="A request names no setting, so there is no Community of Schools.",
        ),
    ),
    Monitored(
        Figure(
            id="placements-consultations",
            service="placements",
            title="Consultations answered within 15 days",
            source="placements-consultations",
            shape=Shape.PLACES,
            blocks=(
                Block(
                    (
                        ("on-time", "Answered within 15 days"),
                        ("late", "Answered late"),
                        ("overdue", "Overdue, no answer"),
                        ("awaiting", "Not yet due"),
                    ),
                    total=("consultations", "All consultations"),
                ),
            ),
            derived=(
                Derived(
                    "on-time-percent",
                    "% answered within 15 days",
                    Unit.PERCENT,
                    share(["on-time"], ["on-time", "late", "overdue"]),
                    "answered within 15 days as a percentage of (answered + overdue)",
                ),
            ),
            chart="on-time-percent",
        ),
        Method(
            events=(
                "placements.consultation.sent",
                "placements.consultation.answered",
                "placements.consultation.overdue",
            ),
            counts="Each consultation of a setting on a request: answered on time (the "
            "placements service's own on_time, against the 15-day reply due day), answered "
            "late, overdue with no answer yet, or not yet due.",
            when="The day the consultation was sent.",
            where="The consulted setting's place, from the settings registry.",
            limits="A consultation of a setting the registry has not told monitoring about "
            "has no place: it counts in Kent's total, in the 'not known' row.",
        ),
    ),
    Monitored(
        Figure(
            id="placements-transfers",
            service="placements",
            title="Phase-transfer deadlines met, with and without exceptions",
            source="placements-transfers",
            shape=Shape.PLACES,
            blocks=(Block(TIMELINESS, total=("transfers", "All settled")),),
            derived=met_shares("met"),
            chart="met-percent",
        ),
        Method(
            events=(
                "placements.placement.deadline-warning",
                "placements.placement.deadline-breached",
                "placements.placement.amended-plan-issued",
                "placements.placement.clock-exception-recorded",
                "placements.placement.started",
            ),
            counts="Each transfer deadline (school to school, secondary to post-16, between "
            "post-16 institutions) that is settled: missed when placements reported it "
            "breached; met when the amended plan was issued on or before its due day. Cases "
            "with an allowed exception recorded against the same clock are counted apart, so "
            "timeliness is shown both with and without them, as the DfE reports it.",
            when="The deadline's due day.",
            where="The placement's setting: the district and area its start names."
            + COMMUNITY_FROM_REGISTRY,
            limits="The contracts tell monitoring a deadline's due day only when placements "
            "warns of it or reports it breached: a plan issued before the warning point is "
            "not seen, so 'met' counts only deadlines that were warned of. A placements event "
            "announcing each transfer clock (or the due day on amended-plan-issued) would "
            "close this gap.",
        ),
    ),
    Monitored(
        Figure(
            id="placements-assessments",
            service="placements",
            title="EHC plans issued within 20 weeks, with and without exceptions",
            source="placements-assessments",
            shape=Shape.PLACES,
            blocks=(Block(TIMELINESS, total=("plans", "Plans issued")),),
            derived=(
                *met_shares("within 20 weeks"),
                Derived(
                    "mean-weeks",
                    "Mean days from request to plan",
                    Unit.DAYS,
                    mean([code for code, _ in TIMELINESS]),
                    "days from the request for assessment to the final plan, averaged over the "
                    "plans issued (one decimal place)",
                ),
            ),
            finest=Level.DISTRICT,
            finest_because=NO_CHILD_COMMUNITY,
            chart="met-percent",
        ),
        Method(
            events=(
                "placements.placement.assessment-step-recorded",
                "placements.placement.clock-exception-recorded",
            ),
            counts="Each final EHC plan issued: met when it was issued within 20 weeks (140 "
            "days) of the request for assessment, missed otherwise. Plans whose final_ehcp "
            "clock had an allowed exception recorded are counted apart, so timeliness is shown "
            "both with and without them, as the DfE reports it.",
            when="The day the final plan was issued.",
            where="The district and area recorded when the assessment was requested.",
            limits="The 20 weeks are those of the SEND Regulations 2014 (placements' "
            "send-regulations-2014 timescales); a plan whose request monitoring never heard of "
            "is not counted. Assessments that end without a plan (a decision not to assess or "
            "not to issue) are not counted here.",
        ),
    ),
    Monitored(
        Figure(
            id="placements-sufficiency",
            service="placements",
            title="Sufficiency: demand against capacity by designation",
            source="placements-sufficiency",
            shape=Shape.CATEGORIES,
            row_heading="Need (designation)",
            rows=NEEDS,
            blocks=(
                Block((("places", "Places"),), summable=False),
                Block((("requests", "Specialist requests"),)),
            ),
            derived=(
                Derived(
                    "requests-per-place",
                    "Requests per place",
                    Unit.RATIO,
                    ratio("requests", "places"),
                    "specialist requests per place, to two decimal places",
                ),
            ),
            timing=Timing.ACADEMIC_YEAR,
            finest=Level.DISTRICT,
            finest_because=NO_CHILD_COMMUNITY,
            chart="requests-per-place",
        ),
        Method(
            events=(
                "placements.setting.registered",
                "placements.setting.capacity-set",
                "placements.placement.requested",
            ),
            counts="Places: the designated places (or total places) of each SRP and special "
            "school for the academic year, under each need it is designated for; a setting "
            "designated for two needs counts under both, so the places column has no "
            "meaningful total. Specialist requests: requests seeking an SRP or a special "
            "school place, by the child's need.",
            when="The academic year the capacity is set for and the request is made for; a "
            "period shows the academic year it ends in.",
            where="Places: the setting's district and area; requests: the child's.",
            limits="Requests name no setting, so sufficiency is not broken down by Community "
            "of Schools.",
        ),
    ),
    Monitored(
        Figure(
            id="placements-started",
            service="placements",
            title="Placements started, mainstream and specialist",
            source="placements-started",
            shape=Shape.PLACES,
            blocks=(Block(PROVISION, total=("placements", "All placements started")),),
            derived=(
                Derived(
                    "specialist",
                    "Specialist (SRP and special school)",
                    Unit.COUNT,
                    total_of(["srp", "special"]),
                    "SRP + special school",
                ),
            ),
            chart="placements",
        ),
        Method(
            events=("placements.placement.started", "placements.setting.registered"),
            counts="Each placement that started, by the kind of setting it is at.",
            when="The day the placement starts.",
            where="The setting's district and area, from the placement." + COMMUNITY_FROM_REGISTRY,
            limits="A placement at a setting the registry has not told monitoring about is "
            "not counted, since its kind is not known.",
        ),
    ),
    Monitored(
        Figure(
            id="placements-moves",
            service="placements",
            title="Moves between settings",
            source="placements-moves",
            shape=Shape.PLACES,
            blocks=(
                Block(
                    (("phase-transfer", "Phase transfer"), ("other-move", "Other move")),
                    total=("moves", "All moves"),
                ),
            ),
            chart="moves",
        ),
        Method(
            events=("placements.placement.started",),
            counts="Each placement that began a move: a phase transfer, or a move from "
            "another setting (previous_setting_id) for another reason.",
            when="The day the new placement starts.",
            where="The new setting's district and area, from the placement."
            + COMMUNITY_FROM_REGISTRY,
        ),
    ),
)

REVIEWS: tuple[Monitored, ...] = (
    Monitored(
        Figure(
            id="reviews-cycles",
            service="reviews",
            title="Peer-review cycles and reviews",
            source="reviews-cycles",
            shape=Shape.PLACES,
            blocks=(
                Block((("cycles", "Cycles opened"),)),
                Block(
                    (("under-way", "Reviews under way"), ("followed-up", "Reviews followed up")),
                    total=("reviews", "Reviews scheduled"),
                ),
            ),
            chart="reviews",
        ),
        Method(
            events=(
                "reviews.review.cycle-opened",
                "reviews.review.scheduled",
                "reviews.review.follow-up-completed",
            ),
            counts="Cycles of peer review opened, and the reviews scheduled in them: followed "
            "up (the loop closed) or still under way.",
            when="Cycles: the day opened; reviews: the day scheduled.",
            where="The district and area the events name; the Community of Schools is the "
            "cycle's (or the review's own, where it names one).",
        ),
    ),
    Monitored(
        Figure(
            id="reviews-actions",
            service="reviews",
            title="Review actions completed and overdue",
            source="reviews-actions",
            shape=Shape.PLACES,
            blocks=(
                Block(
                    (
                        ("on-time", "Completed by the due date"),
                        ("late", "Completed late"),
                        ("overdue", "Overdue"),
                        ("open", "Open, not yet due"),
                    ),
                    total=("actions", "All actions agreed"),
                ),
            ),
            derived=(
                Derived(
                    "completed-percent",
                    "% completed",
                    Unit.PERCENT,
                    share(["on-time", "late"], ["on-time", "late", "overdue", "open"]),
                    "(completed by the due date + completed late) as a percentage of all actions",
                ),
            ),
            chart="actions",
        ),
        Method(
            events=(
                "reviews.review.action-agreed",
                "reviews.review.action-completed",
                "reviews.review.action-overdue",
            ),
            counts="Each action of an agreed plan: completed by its due date, completed late, "
            "overdue (the reviews service's sweep found it open after its due date), or open "
            "and not yet due.",
            when="The day the action was agreed.",
            where="The district and area the events name; the Community of Schools is the "
            "review's cycle's.",
        ),
    ),
    Monitored(
        Figure(
            id="reviews-themes",
            service="reviews",
            title="Anonymised themes of peer-review reports",
            source="reviews-themes",
            shape=Shape.CATEGORIES,
            row_heading="Area of review",
            rows=REVIEW_AREAS,
            blocks=(
                Block(
                    (("strength", "Named a strength"), ("development", "Named for development")),
                    total=("mentions", "All mentions"),
                ),
            ),
            chart="development",
        ),
        Method(
            events=("reviews.review.report-issued",),
            counts="How many reports named each of the eight areas of the Whole School SEND "
            "review as a strength, and as an area for development. Reports stay with the "
            "reviewed school: only the areas they name are counted, never what they say.",
            when="The day the report was issued.",
            where="The district and area the report's event names; the Community of Schools "
            "is the review's cycle's.",
        ),
    ),
)

FEEDBACK: tuple[Monitored, ...] = (
    Monitored(
        Figure(
            id="feedback-responses",
            service="feedback",
            title="Responses by voice",
            source="feedback-responses",
            shape=Shape.PLACES,
            blocks=(Block(VOICES, total=("responses", "All responses")),),
            chart="responses",
        ),
        Method(
            events=(
                "feedback.response.received",
                "feedback.response.tagged",
                "feedback.response.withdrawn",
                "feedback.response.withheld",
                "feedback.response.routed-to-complaints",
            ),
            counts="Each response that counts: accepted (on arrival, or when a moderator "
            "tagged it), and not withdrawn, withheld as abusive or routed to complaints.",
            when="The day it was received.",
            where="The district, area and Community of Schools the response names.",
        ),
    ),
    Monitored(
        Figure(
            id="feedback-themes",
            service="feedback",
            title="Themes heard, by voice",
            source="feedback-themes",
            shape=Shape.CATEGORIES,
            row_heading="Theme",
            blocks=(Block(VOICES, total=("mentions", "All mentions")),),
            chart="mentions",
        ),
        Method(
            events=("feedback.response.tagged", "feedback.response.received"),
            counts="How many counted responses a moderator tagged with each theme, by voice. "
            "A response tagged with two themes counts under both.",
            when="The day the response was received.",
            where="The district, area and Community of Schools the response names.",
        ),
    ),
    Monitored(
        Figure(
            id="feedback-actions",
            service="feedback",
            title='"You said, we did" actions by status',
            source="feedback-actions",
            shape=Shape.CATEGORIES,
            row_heading="Status",
            rows=ACTION_STATUSES,
            blocks=(Block((("actions", "Actions"),)),),
            finest=Level.KENT,
            finest_because="actions answer themes heard across Kent and name no place.",
            chart="actions",
        ),
        Method(
            events=("feedback.theme.action-published", "feedback.theme.action-updated"),
            counts="Each published action, by its latest status.",
            when="The day the action was published.",
            where="Kent: the actions name no place.",
        ),
    ),
)

SERVICES: dict[str, tuple[Monitored, ...]] = {
    "funding": FUNDING,
    "placements": PLACEMENTS,
    "reviews": REVIEWS,
    "feedback": FEEDBACK,
}
SERVICE_TITLES = {
    "funding": "Funding",
    "placements": "Placements and transitions",
    "reviews": "Peer reviews",
    "feedback": "Views of children and families",
}
CATALOGUE: dict[str, Monitored] = {
    monitored.figure.id: monitored for figures in SERVICES.values() for monitored in figures
}
