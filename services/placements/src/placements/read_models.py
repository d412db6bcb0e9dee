"""What of the placements service a replay rebuilds (``inclusion audit replay``): nothing. It
consumes no other service's events; every table it keeps is its own state, written by its
commands, and its events are the record of them."""

from pathlib import Path

from inclusion_shared.replay import Replayable
from placements.settings import Settings

STATE = (
    "settings",
    "capacities",
    "requests",
    "consultations",
    "decisions",
    "offers",
    "placements",
    "amended_plans",
    "assessments",
    "clock_exceptions",
    "clock_alerts",
    "clocks",
    "clocks_to_compute",
    "panel_rosters",
    "proposals",
    "votes",
)

REPLAYABLE = Replayable(
    service="placements",
    settings=Settings,
    migrations=Path(__file__).parent / "migrations",
    subscribe=lambda consumer, _: None,
    read_models=(),
    state=STATE,
)
