"""What of the monitoring service a replay rebuilds (``inclusion audit replay``, and
``inclusion-monitoring-replay``): all of it. Its model is the four services' events counted,
and nothing else writes it."""

from pathlib import Path

from inclusion_shared.replay import ReadModel, Replayable
from monitoring import stream
from monitoring.settings import Settings

TABLES = (
    "settings",
    "capacities",
    "funding_applications",
    "funding_decisions",
    "funding_budgets",
    "funding_commitments",
    "funding_releases",
    "funding_challenges",
    "placement_requests",
    "consultations",
    "placements",
    "transfer_clocks",
    "amended_plans",
    "clock_exceptions",
    "assessments",
    "review_cycles",
    "reviews",
    "review_actions",
    "review_reports",
    "responses",
    "you_said_we_did",
)

REPLAYABLE = Replayable(
    service="monitoring",
    settings=Settings,
    migrations=Path(__file__).parent / "migrations",
    subscribe=lambda consumer, _: stream.subscribe(consumer),
    read_models=tuple(ReadModel(table) for table in TABLES),
)
