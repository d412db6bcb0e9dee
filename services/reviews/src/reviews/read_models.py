"""What of the reviews service a replay rebuilds (``inclusion audit replay``): nothing. It
consumes no other service's events; every table it keeps is its own state, written by its
commands, and its events are the record of them."""

from pathlib import Path

from inclusion_shared.replay import Replayable
from reviews.settings import Settings

STATE = (
    "cycles",
    "reviews",
    "overdue_actions",
    "reviewers",
)

REPLAYABLE = Replayable(
    service="reviews",
    settings=Settings,
    migrations=Path(__file__).parent / "migrations",
    subscribe=lambda consumer, _: None,
    read_models=(),
    state=STATE,
)
