"""`inclusion audit verify` on the funding service's real log in Kafka: it passes on what the
service wrote, and fails with the right diagnosis when a decision event is altered."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from inclusion_shared.testing import eventually

from .conftest import (
    APPROVE_BAND_3,
    KENT,
    SCHOOL,
    Funding,
    complete_application,
    events_of,
    panel_decision,
)

INCLUSION = str(Path(sys.executable).parent / "inclusion")


async def audit(funding: Funding, kafka: str) -> tuple[int, dict[str, Any]]:
    """The auditor's command, run as an auditor runs it."""
    process = await asyncio.create_subprocess_exec(
        INCLUSION, "audit", "verify", "--bootstrap", kafka, "--deployment", funding.deployment,
        "--keys", str(funding.keys_dir), "--json",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    return await process.wait(), json.loads(out)


async def test_the_funding_log_verifies_and_an_altered_decision_is_caught(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting()
    funding.client.put(
        "/budgets/east-kent/2026-27",
        json={"annual_amount_pence": 5_000_000},
        headers=funding.as_("kcc-officer", areas=KENT),
    )
    application = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    ).json()
    decided = panel_decision(funding, application["application_id"], APPROVE_BAND_3)
    assert decided.status_code == 201
    assert decided.json()["status"] == "decided"
    events = await funding.fetchval("SELECT max(seq) FROM outbox")

    async def fully_signed() -> dict[str, Any] | None:
        code, report = await audit(funding, kafka_bootstrap)
        signed = report["chains"].get("funding", {}).get("signed_through") == events
        return report if code == 0 and signed else None

    report = await eventually(fully_signed)
    assert report["chains"]["funding"]["decisions_rederived"] == 1

    [decision] = await events_of(
        kafka_bootstrap,
        "funding.decision.v1",
        "decision_id",
        decided.json()["decision"]["decision_id"],
    )
    decision["data"]["annual_amount_pence"] = 1_800_000
    await funding.placements.producer.send_and_wait(
        "funding.decision.v1", json.dumps(decision).encode(), key=decision["subject"].encode()
    )

    async def caught() -> dict[str, Any] | None:
        code, report = await audit(funding, kafka_bootstrap)
        return report["first_divergence"] if code == 1 else None

    divergence = await eventually(caught)
    assert divergence["kind"] == "conflicting events at one position"
    assert divergence["position"] == decision["chainseq"]
    assert divergence["location"]["topic"] == "funding.decision.v1"
