"""The campaign's faults, drawn from one seed: which service dies where and after how much work,
which of its lives an error is raised in and where, when the broker and the database restart
and how, when PostgreSQL is down as a service starts, when a table is locked for longer than
the statement timeout, when a burst of oversized requests comes. The same seed gives the same
schedule; how it interleaves with the load depends on the machine's timing, as it would in
production."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from faults.services import CONSUMERS, PRODUCERS, SERVICES

PLAIN = "sigkill"
# The four places a process is made to die, each with the services that reach it and how many
# arrivals at it (drawn uniformly up to this) before it dies.
AFTER_COMMIT = "unit_of_work.after_commit"  # the command committed, its events not yet published
AFTER_PUBLISH = "relay.after_publish"  # published, where they landed not yet recorded
# Inside a consumed poll: between two records' savepoints, before its transaction commits, and
# committed but its offsets not.
MID_CONSUME = ("consumer.between_records", "consumer.before_db_commit", "consumer.before_commit")
IN_RELAY = "relay.mid_batch"  # part-way through sending a batch
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], int]] = {
    # kind: (crash points, services, most arrivals before dying)
    "after-commit": ((AFTER_COMMIT,), PRODUCERS, 6),
    "after-publish": ((AFTER_PUBLISH,), PRODUCERS, 6),
    "mid-consume": (MID_CONSUME, CONSUMERS, 8),
    # The relay reaches its point once a partition's batch, not once an event: a few arrivals.
    "in-relay": ((IN_RELAY,), PRODUCERS, 3),
    "plain": ((), SERVICES, 0),
}
# Killed plainly, then started again while PostgreSQL is down (not one of the kinds above).
POSTGRES_DOWN = "postgres-down"

# Errors raised, not deaths: the process lives on and must recover from an error nobody
# foresaw in its relay, or from the broker failing it just as it dead-letters a poison.
RELAY_RAISE = "relay.before_record"
DEAD_LETTER_RAISE = "consumer.before_dead_letter"
RAISES: dict[str, tuple[tuple[str, ...], int]] = {
    # point: (services, most arrivals before raising)
    RELAY_RAISE: (PRODUCERS, 5),
    DEAD_LETTER_RAISE: (CONSUMERS, 2),
}
# Tables locked to make a database slow, and whose: every command writes its idempotency key,
# every consumed event its inbox row, and both write events to the outbox.
LOCKED_TABLES: dict[str, tuple[str, ...]] = {
    "idempotency_keys": PRODUCERS,
    "inbox": CONSUMERS,
    "outbox": PRODUCERS,
}


@dataclass(frozen=True)
class Raise:
    point: str
    nth: int  # raise on the nth arrival at the point

    @property
    def raise_at(self) -> str:
        return f"{self.point}:{self.nth}"


@dataclass(frozen=True)
class Kill:
    service: str
    kind: str  # a key of KINDS
    point: str | None  # None: a plain SIGKILL from outside
    nth: int  # die on the nth arrival at the point
    delay: float  # plain: seconds after the process is ready; armed: seconds before arrivals count
    # An error raised in the life that this kill ends (armed when the process starts).
    raising: Raise | None = None
    hold: float = 0.0  # postgres-down: seconds PostgreSQL stays down as the service starts again

    @property
    def crash_at(self) -> str | None:
        return f"{self.point}:{self.nth}" if self.point else None


@dataclass(frozen=True)
class Restart:
    """A broker restart (kill: SIGKILL, else a clean stop) or a PostgreSQL immediate restart,
    `gap` seconds after the previous one of its kind ended."""

    gap: float
    kill: bool = False
    poisons: int = 0  # a broker stop: poisons produced just before, in flight as it goes down


@dataclass(frozen=True)
class Lock:
    """A table of a service's database locked (ACCESS EXCLUSIVE, in an open transaction) for
    `hold` seconds, longer than the services' statement timeout, `gap` seconds after the last."""

    service: str
    table: str
    gap: float
    hold: float


@dataclass(frozen=True)
class Schedule:
    kills: dict[str, list[Kill]]  # per service, in order
    broker: list[Restart]
    postgres: list[Restart]
    seed: int
    locks: list[Lock] = field(default_factory=list)
    bursts: list[float] = field(default_factory=list)  # gaps before each oversized burst

    @property
    def total_kills(self) -> int:
        return sum(len(k) for k in self.kills.values())

    @property
    def first_lives(self) -> dict[str, Kill]:
        """Each service's first kill, which ends the life it starts the campaign in."""
        return {name: kills[0] for name, kills in self.kills.items() if kills}

    @property
    def raises(self) -> list[Raise]:
        return [k.raising for kills in self.kills.values() for k in kills if k.raising]

    @property
    def postgres_down(self) -> int:
        return sum(k.kind == POSTGRES_DOWN for kills in self.kills.values() for k in kills)


def plan(
    seed: int,
    kills: int,
    broker_restarts: int,
    postgres_restarts: int,
    *,
    raises: int = 0,
    postgres_down: int = 0,
    locks: int = 0,
    bursts: int = 0,
    statement_timeout: float = 2.0,
    gap: tuple[float, float] = (5.0, 20.0),
    first_within: float = 15.0,
) -> Schedule:
    """Kills spread evenly over the five kinds; each service's first kill is a plain one, so
    every later one can be armed when the process restarts after the one before (so at least
    one plain kill per service, even when `kills` is small). The restarts with PostgreSQL down
    come among each service's later kills; the raised errors, in the two kinds in turn, in
    lives of the services that reach their points; the locks on the three tables in turn, each
    held one to six seconds past the statement timeout."""
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
    # Drawn after the faults above, so a seed's kills and restarts stay what they were.
    broker = [replace(restart, poisons=rng.randint(2, 4)) for restart in broker]
    for _ in range(postgres_down):
        service = min(rng.sample(SERVICES, len(SERVICES)), key=lambda s: len(per_service[s]))
        kills_of = per_service[service]
        kill = Kill(service, POSTGRES_DOWN, None, 0, rng.uniform(0.5, 6.0), hold=rng.uniform(3, 6))
        kills_of.insert(rng.randint(1, len(kills_of)), kill)
    points = list(RAISES)
    for number in range(raises):
        point = points[number % len(points)]
        services, most = RAISES[point]
        # Not a life that ends at a crash point of the same code (the relay dying after its
        # fourth batch never reaches a raise on its fifth).
        lives = [
            (service, n)
            for service in services
            for n, kill in enumerate(per_service[service])
            if kill.raising is None and (kill.point or "").split(".")[0] != point.split(".")[0]
        ]
        if not lives:
            continue
        service, n = rng.choice(lives)
        raising = Raise(point, rng.randint(1, most))
        per_service[service][n] = replace(per_service[service][n], raising=raising)
    tables = list(LOCKED_TABLES)
    held = [
        Lock(
            rng.choice(LOCKED_TABLES[tables[n % len(tables)]]),
            tables[n % len(tables)],
            rng.uniform(*gap),
            statement_timeout + rng.uniform(1.0, 6.0),
        )
        for n in range(locks)
    ]
    gaps = [rng.uniform(*gap) for _ in range(bursts)]
    return Schedule(per_service, broker, postgres, seed, held, gaps)


def _kill(rng: random.Random, service: str, kind: str) -> Kill:
    points, _, most = KINDS[kind]
    if not points:
        return Kill(service, kind, None, 0, rng.uniform(0.5, 6.0))
    # Arrivals count only after a few seconds' work: a restarted service has a backlog (retried
    # commands, unpublished events, unconsumed records) that would reach any point at once.
    return Kill(service, kind, rng.choice(points), rng.randint(1, most), rng.uniform(3.0, 10.0))
