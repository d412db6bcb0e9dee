"""The campaign's faults, drawn from one seed: which service dies where and after how much work,
when the broker and the database restart and how. The same seed gives the same schedule; how it
interleaves with the load depends on the machine's timing, as it would in production."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faults.services import CONSUMERS, PRODUCERS, SERVICES

PLAIN = "sigkill"
# The four places a process is made to die, each with the services that reach it and how many
# arrivals at it (drawn uniformly up to this) before it dies.
AFTER_COMMIT = "unit_of_work.after_commit"  # the command committed, its events not yet published
AFTER_PUBLISH = "relay.after_publish"  # published, where they landed not yet recorded
MID_CONSUME = ("consumer.before_db_commit", "consumer.before_commit")  # inside a consumed batch
IN_RELAY = "relay.mid_batch"  # part-way through sending a batch
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], int]] = {
    # kind: (crash points, services, most arrivals before dying)
    "after-commit": ((AFTER_COMMIT,), PRODUCERS, 6),
    "after-publish": ((AFTER_PUBLISH,), PRODUCERS, 6),
    "mid-consume": (MID_CONSUME, CONSUMERS, 8),
    "in-relay": ((IN_RELAY,), PRODUCERS, 12),
    "plain": ((), SERVICES, 0),
}


@dataclass(frozen=True)
class Kill:
    service: str
    kind: str  # a key of KINDS
    point: str | None  # None: a plain SIGKILL from outside
    nth: int  # die on the nth arrival at the point
    delay: float  # plain: seconds after the process is ready; armed: seconds before arrivals count

    @property
    def crash_at(self) -> str | None:
        return f"{self.point}:{self.nth}" if self.point else None


@dataclass(frozen=True)
class Restart:
    """A broker restart (kill: SIGKILL, else a clean stop) or a PostgreSQL immediate restart,
    `gap` seconds after the previous one of its kind ended."""

    gap: float
    kill: bool = False


@dataclass(frozen=True)
class Schedule:
    kills: dict[str, list[Kill]]  # per service, in order
    broker: list[Restart]
    postgres: list[Restart]
    seed: int

    @property
    def total_kills(self) -> int:
        return sum(len(k) for k in self.kills.values())


def plan(
    seed: int,
    kills: int,
    broker_restarts: int,
    postgres_restarts: int,
    *,
    gap: tuple[float, float] = (5.0, 20.0),
    first_within: float = 15.0,
) -> Schedule:
    """Kills spread evenly over the five kinds; each service's first kill is a plain one, so
    every later one can be armed when the process restarts after the one before (so at least
    one plain kill per service, even when `kills` is small)."""
    rng = random.Random(seed)
    kinds = list(KINDS)
    drawn = [kinds[n % len(kinds)] for n in range(kills)]
    rng.shuffle(drawn)
    per_service: dict[str, list[Kill]] = {name: [] for name in SERVICES}
    for name in SERVICES:
        # The first kills spread out, so five services do not all start again at once.
        per_service[name].append(Kill(name, "plain", None, 0, rng.uniform(0.5, first_within)))
    plain_left = drawn.count("plain") - len(SERVICES)
    for kind in drawn:
        if kind == "plain":
            if plain_left <= 0:
                continue
            plain_left -= 1
        # The eligible service with the fewest kills so far: no one service's turn of kills
        # outlasts the others' by much.
        eligible = list(KINDS[kind][1])
        rng.shuffle(eligible)
        service = min(eligible, key=lambda name: len(per_service[name]))
        per_service[service].append(_kill(rng, service, kind))
    broker = [Restart(rng.uniform(*gap), kill=n % 2 == 0) for n in range(broker_restarts)]
    rng.shuffle(broker)
    postgres = [Restart(rng.uniform(*gap)) for _ in range(postgres_restarts)]
    return Schedule(per_service, broker, postgres, seed)


def _kill(rng: random.Random, service: str, kind: str) -> Kill:
    points, _, most = KINDS[kind]
    if not points:
        return Kill(service, kind, None, 0, rng.uniform(0.5, 6.0))
    # Arrivals count only after a few seconds' work: a restarted service has a backlog (retried
    # commands, unpublished events, unconsumed records) that would reach any point at once.
    return Kill(service, kind, rng.choice(points), rng.randint(1, most), rng.uniform(3.0, 10.0))
