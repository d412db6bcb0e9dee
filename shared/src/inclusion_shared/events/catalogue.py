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
    key: str = "the aggregate's pseudonymous id"  # what the Kafka key (the CloudEvent subject) is

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


AUDIT_CHECKPOINTS = Topic("audit", "checkpoints", key="the chain: the signing service's name")
_BUDGET = "the budget's area and financial year, as `east-kent:2026-27`"

CATALOGUE: tuple[Topic, ...] = (
    Topic("funding", "application", key="the application id"),
    Topic("funding", "decision", key="the decision id"),
    Topic("funding", "allocation", key=f"{_BUDGET}; the award id when an award ends"),
    Topic("funding", "budget", key=_BUDGET),
    Topic("funding", "policy", key="the policy version"),
    Topic("funding", "challenge", key="the challenge id"),
    Topic("funding", "panel", key="the panel id"),
    Topic("placements", "setting", key="the setting id"),
    Topic("placements", "placement", key="the child's pseudonymous id"),
    Topic("placements", "consultation", key="the consultation id"),
    Topic("placements", "panel", key="the panel id"),
    Topic("reviews", "review", key="the review id; the cycle id for a cycle's opening"),
    Topic("reviews", "reviewer", key="the reviewer's pseudonymous id"),
    Topic("feedback", "survey", key="the survey id"),
    Topic("feedback", "response", key="the response id"),
    Topic("feedback", "theme", key="the theme code; the action id for an action"),
    Topic("feedback", "invitation", key="the invitation id"),
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
