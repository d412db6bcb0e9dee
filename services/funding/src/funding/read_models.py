"""What of the funding service a replay of its consumed events rebuilds (``inclusion audit
replay``): the settings registry it learns from the placements service. Everything else it
keeps is its own state, written by its commands, or depends on it: the awards a child's move
ends were made by its officers, a re-application needs an approval it recorded."""

from pathlib import Path

from funding import stream
from funding.settings import Settings
from inclusion_shared.replay import ReadModel, Replayable

REPLAYABLE = Replayable(
    service="funding",
    settings=Settings,
    migrations=Path(__file__).parent / "migrations",
    subscribe=lambda consumer, _: stream.subscribe(consumer),
    read_models=(ReadModel("known_settings"),),
    state=(
        "policies",
        "applications",
        "decisions",
        "budgets",
        "reapplications",
        "senif_awards",
        "daf_claims",
        "challenges",
        "panel_rosters",
        "hnf_proposals",
        "hnf_votes",
    ),
)
