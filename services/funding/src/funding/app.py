"""Builds the funding service: settings, migrations, event subscriptions, the HTTP API, and
the example policy published on first start."""

import json
from pathlib import Path
from uuid import uuid4

from fastapi import FastAPI

from funding import stream
from funding.adapters import FundingStore
from funding.api import (
    budgets,
    challenges,
    daf,
    decisions,
    hnf,
    panels,
    policies,
    proposals,
    senif,
    timeliness,
)
from funding.domain.policy import load_policy
from funding.handlers.policies import publish_policy
from funding.settings import Settings
from inclusion_shared.bootstrap import Service
from inclusion_shared.events.envelope import Actor
from inclusion_shared.persistence.outbox import Cause
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import unit_of_work

MIGRATIONS = Path(__file__).parent / "migrations"
EXAMPLE_POLICY = Path(__file__).parent / "policies" / "kent-example-2026.1.json"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    if settings.personal_data_key_file is None:
        raise SystemExit("funding needs PERSONAL_DATA_KEY_FILE: children's details are encrypted")
    service = Service(settings, migrations=MIGRATIONS)
    service.on_started(publish_example_policy)
    stream.subscribe(service.consumer)
    app = service.http("Funding: High Needs Funding, SENIF and DAF decisions")
    app.state.vault = PersonalDataVault.from_setting(
        settings.personal_data_key_file.read_text().strip()
    )
    for router in (
        policies.router,
        budgets.router,
        hnf.router,
        proposals.router,
        panels.router,
        timeliness.router,
        senif.router,
        daf.router,
        challenges.router,
        decisions.router,
    ):
        app.include_router(router)
    return app


async def publish_example_policy(service: Service) -> None:
    """On first start, publish the example policy the same audited way as any later version."""
    cause = Cause(correlation_id=uuid4(), actor=Actor(role="service", id=service.name))
    async with unit_of_work(service.pool, service.outbox, cause) as work:
        await work.connection.execute("LOCK TABLE policies IN SHARE ROW EXCLUSIVE MODE")
        if not await FundingStore(work.connection).policies():
            await publish_policy(
                work, load_policy(json.loads(EXAMPLE_POLICY.read_text())), service.name
            )
