"""What of the feedback service a replay of its consumed events rebuilds (``inclusion audit
replay``): the settings registry it learns from the placements service, and the invitations
other services' events cause (once per cause, with ids made from the cause). The day an
invitation was answered is a respondent's doing, not an event's, and is not compared."""

from pathlib import Path
from typing import Any

from feedback import stream
from feedback.settings import Settings
from inclusion_shared.messaging.consumer import InboxConsumer
from inclusion_shared.replay import ReadModel, Replayable


def _subscribe(consumer: InboxConsumer, settings: Any) -> None:
    stream.subscribe(consumer, settings.invitation_policy())


REPLAYABLE = Replayable(
    service="feedback",
    settings=Settings,
    migrations=Path(__file__).parent / "migrations",
    subscribe=_subscribe,
    read_models=(
        ReadModel("known_settings"),
        ReadModel("invitations", ignore=("responded_on",)),
    ),
    state=("surveys", "responses", "themes", "actions"),
)
