"""The topic catalogue: every topic the suite uses, named ``<service>.<aggregate>.v<major>``.

Keys are aggregate ids, so per-aggregate order holds within a partition. Decision topics keep
their records forever: they are the auditable decision log.
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICES = ("funding", "placements", "reviews", "feedback")
DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True)
class Topic:
    """One Kafka topic of the suite and the settings it is created with."""

    service: str
    aggregate: str
    major: int = 1
    keeps_forever: bool = True
    partitions: int = 3

    @property
    def name(self) -> str:
        return f"{self.service}.{self.aggregate}.v{self.major}"

    @property
    def dead_letters(self) -> str:
        return self.name + DLQ_SUFFIX

    def config(self, *, min_insync_replicas: int = 1) -> dict[str, str]:
        """Topic-level configuration; production raises ``min_insync_replicas`` to 2."""
        settings = {"min.insync.replicas": str(min_insync_replicas)}
        if self.keeps_forever:
            settings["retention.ms"] = "-1"
        return settings


AUDIT_CHECKPOINTS = Topic("audit", "checkpoints")

CATALOGUE: tuple[Topic, ...] = (
    Topic("funding", "application"),
    Topic("funding", "decision"),
    Topic("funding", "allocation"),
    Topic("funding", "budget"),
    Topic("funding", "policy"),
    Topic("funding", "challenge"),
    Topic("placements", "setting"),
    Topic("placements", "placement"),
    Topic("placements", "consultation"),
    Topic("reviews", "review"),
    Topic("feedback", "survey"),
    Topic("feedback", "response"),
    Topic("feedback", "theme"),
    Topic("feedback", "invitation"),
    AUDIT_CHECKPOINTS,
)


def topic_named(name: str) -> Topic:
    """The catalogue entry for a topic name; raises KeyError for a name not in the catalogue."""
    for topic in CATALOGUE:
        if topic.name == name:
            return topic
    raise KeyError(f"topic {name!r} is not in the catalogue")


def topics_of(service: str) -> tuple[Topic, ...]:
    """The topics a service owns and publishes to."""
    return tuple(topic for topic in CATALOGUE if topic.service == service)
