"""The consumer handler the bench measures, and the state it keeps: for each application
submitted it records the application and commits money against the area's budget (one event)."""

from __future__ import annotations

from inclusion_shared.contracts.funding import (
    ALLOCATION_COMMITTED,
    AllocationCommitted,
    ApplicationSubmitted,
)
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.persistence.pool import Connection
from inclusion_shared.persistence.unit_of_work import UnitOfWork

STATE_TABLE = """CREATE TABLE IF NOT EXISTS bench_application (
    application_id text PRIMARY KEY,
    area           text NOT NULL,
    status         text NOT NULL,
    submitted_on   date NOT NULL
)"""

SAVE_APPLICATION = """INSERT INTO bench_application (application_id, area, status, submitted_on)
    VALUES ($1, $2, 'committed', $3)
    ON CONFLICT (application_id) DO UPDATE SET status = excluded.status"""

COMMITMENT_PENCE = 1_450_000


async def create_state(connection: Connection) -> None:
    await connection.execute(STATE_TABLE)


async def save_application(connection: Connection, data: ApplicationSubmitted) -> None:
    await connection.execute(
        SAVE_APPLICATION, data.application_id, data.area.value, data.submitted_on
    )


def commitment(data: ApplicationSubmitted) -> AllocationCommitted:
    return AllocationCommitted(
        commitment_id=f"commit-{data.application_id}",
        decision_id=f"decision-{data.application_id}",
        area=data.area,
        financial_year="2026-27",
        amount_pence=COMMITMENT_PENCE,
        remaining_pence=250_000_000,
    )


async def on_application_submitted(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
    """State plus one outgoing event, in the consumer's one transaction."""
    assert isinstance(data, ApplicationSubmitted)
    await save_application(work.connection, data)
    work.emit(ALLOCATION_COMMITTED.type, f"{data.area.value}:2026-27", commitment(data))
