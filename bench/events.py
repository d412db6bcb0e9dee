"""The suite's own events, as the bench sends them: the real types and data models, sealed into
hash chains by the kit's ``Outbox``, but travelling on topics and under a deployment named after
the bench run, so no catalogue topic and no real deployment's log ever sees them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from uuid import uuid4

from inclusion_shared.contracts.funding import (
    ALLOCATION_COMMITTED,
    APPLICATION_SUBMITTED,
    BUDGET_SET,
    AllocationCommitted,
    ApplicationSubmitted,
    BudgetSet,
)
from inclusion_shared.contracts.placements import SETTING_REGISTERED, SettingRegistered
from inclusion_shared.events.catalogue import Topic
from inclusion_shared.events.envelope import GENESIS_HASH, Actor, CloudEvent
from inclusion_shared.events.registry import ContractRegistry
from inclusion_shared.identifiers import child_id_for
from inclusion_shared.kent import AREA_OF, District
from inclusion_shared.persistence.outbox import Cause, NewEvent, Outbox

SUITE_CONTRACTS = (APPLICATION_SUBMITTED, ALLOCATION_COMMITTED, BUDGET_SET, SETTING_REGISTERED)
DISTRICTS = tuple(District)
CHAINS = ("funding", "placements")
"""The services whose chains the audit log holds (one sealing process each)."""


def bench_contracts(prefix: str) -> ContractRegistry:
    """The suite's event types with their real data models, each on a topic named ``prefix.*``."""
    registry = ContractRegistry()
    for contract in SUITE_CONTRACTS:
        registry.register(
            contract.type, Topic(prefix, contract.topic.aggregate), contract.data_model
        )
    return registry


def bench_topics(registry: ContractRegistry) -> list[Topic]:
    return sorted({contract.topic for contract in registry}, key=lambda topic: topic.name)


def application_submitted(i: int) -> NewEvent:
    district = DISTRICTS[i % len(DISTRICTS)]
    application_id = f"hnf-{i:012d}"
    return NewEvent(
        APPLICATION_SUBMITTED.type,
        application_id,
        ApplicationSubmitted(
            application_id=application_id,
            scheme="hnf",
            child_id=child_id_for(f"bench-{i * 7919 % 1_000_003:07d}"),
            setting_id=f"school-{i % 600:04d}",
            district=district,
            area=AREA_OF[district],
            submitted_on=date(2026, 1 + i % 12, 1 + i % 28),
        ),
    )


def allocation_committed(i: int) -> NewEvent:
    district = DISTRICTS[i % len(DISTRICTS)]
    return NewEvent(
        ALLOCATION_COMMITTED.type,
        f"{AREA_OF[district].value}:2026-27",
        AllocationCommitted(
            commitment_id=f"commit-{i:012d}",
            decision_id=f"decision-{i:012d}",
            area=AREA_OF[district],
            financial_year="2026-27",
            amount_pence=1_450_000 + i % 1000,
            remaining_pence=250_000_000 - i,
        ),
    )


def budget_set(i: int) -> NewEvent:
    area = AREA_OF[DISTRICTS[i % len(DISTRICTS)]]
    year = 2000 + i % 90
    financial_year = f"{year}-{(year + 1) % 100:02d}"
    return NewEvent(
        BUDGET_SET.type,
        f"{area.value}:{financial_year}",
        BudgetSet(area=area, financial_year=financial_year, annual_amount_pence=80_000_000 + i),
    )


def setting_registered(i: int) -> NewEvent:
    district = DISTRICTS[i % len(DISTRICTS)]
    setting_id = f"school-{i:08d}"
    return NewEvent(
        SETTING_REGISTERED.type,
        setting_id,
        SettingRegistered(
            setting_id=setting_id,
            setting_type="mainstream" if i % 5 else "special",
            district=district,
            area=AREA_OF[district],
        ),
    )


FUNDING_MIX: tuple[Callable[[int], NewEvent], ...] = (
    application_submitted,
    allocation_committed,
    budget_set,
)
AUDITED_FUNDING_MIX: tuple[Callable[[int], NewEvent], ...] = (application_submitted, budget_set)
"""The funding chain of the audit log: a commitment is re-checked against the decision it
commits, and a synthetic one follows none, so each would rightly be a finding."""


def chain_events(
    service: str, count: int, mix: Sequence[Callable[[int], NewEvent]] = FUNDING_MIX
) -> Iterator[NewEvent]:
    """What a service's chain holds: funding a mix of its event types, placements settings."""
    for i in range(count):
        yield mix[i % len(mix)](i) if service == "funding" else setting_registered(i)


def chain_groups(prefix: str) -> list[list[str]]:
    """The bench topics that hold each chain, as the audit's workers read them."""
    groups: dict[str, set[str]] = {}
    for contract in SUITE_CONTRACTS:
        topic = Topic(prefix, contract.topic.aggregate).name
        groups.setdefault(contract.topic.service, set()).add(topic)
    return [sorted(topics) for _, topics in sorted(groups.items())]


class ChainSealer:
    """Seals events one after another into one service's chain, as its outbox would."""

    def __init__(self, service: str, registry: ContractRegistry, deployment: str) -> None:
        self.outbox = Outbox(
            service, contracts=registry, deployment=deployment, own_topics_only=False
        )
        self.cause = Cause(correlation_id=uuid4(), actor=Actor(role="service", id=service))
        self.seq, self.previous = 0, GENESIS_HASH

    def seal(self, new: NewEvent) -> CloudEvent:
        self.seq += 1
        event = self.outbox.seal(new, self.cause, self.seq, self.previous, datetime.now(UTC), None)
        self.previous = event.chainhash
        return event

    def topic_of(self, event: CloudEvent) -> str:
        return self.outbox.contracts[event.type].topic.name
