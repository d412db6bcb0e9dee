"""PostgreSQL repositories of the funding service: load and save the domain's models."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from funding.domain.budget import Budget
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.policy import FundingPolicy, load_policy
from inclusion_shared.kent import Area, District
from inclusion_shared.persistence.pool import Connection


@dataclass(frozen=True)
class KnownSetting:
    setting_id: str
    setting_type: str
    district: District
    area: Area


@dataclass(frozen=True)
class StoredApplication:
    application: HighNeedsApplication
    scheme: str
    status: str
    area: Area
    missing: list[str]
    submitted_on: date
    complete_on: date | None

    def view(self) -> dict[str, Any]:
        """What the API shows: codes and pseudonymous ids only."""
        return {
            "application_id": self.application.application_id,
            "scheme": self.scheme,
            "status": self.status,
            "child_id": self.application.child_id,
            "setting_id": self.application.setting_id,
            "district": self.application.district,
            "area": self.area,
            "missing": self.missing,
            "submitted_on": self.submitted_on.isoformat(),
            "complete_on": self.complete_on.isoformat() if self.complete_on else None,
        }


class FundingStore:
    """The funding tables, seen through one connection (and so one transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def policies(self) -> tuple[FundingPolicy, ...]:
        rows = await self.connection.fetch("SELECT document FROM policies ORDER BY effective_from")
        return tuple(load_policy(json.loads(row["document"])) for row in rows)

    async def add_policy(self, policy: FundingPolicy, published_by: str) -> None:
        await self.connection.execute(
            """INSERT INTO policies (version, effective_from, document, published_by)
               VALUES ($1, $2, $3, $4)""",
            policy.version,
            policy.effective_from,
            policy.model_dump_json(),
            published_by,
        )

    async def setting(self, setting_id: str) -> KnownSetting | None:
        row = await self.connection.fetchrow(
            "SELECT * FROM known_settings WHERE setting_id = $1", setting_id
        )
        if row is None:
            return None
        return KnownSetting(
            row["setting_id"], row["setting_type"], District(row["district"]), Area(row["area"])
        )

    async def register_setting(self, setting: KnownSetting) -> None:
        await self.connection.execute(
            """INSERT INTO known_settings (setting_id, setting_type, district, area)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (setting_id) DO UPDATE
               SET setting_type = $2, district = $3, area = $4""",
            setting.setting_id,
            setting.setting_type,
            setting.district.value,
            setting.area.value,
        )

    async def add_application(
        self, stored: StoredApplication, reapplication_of: str | None
    ) -> None:
        app = stored.application
        await self.connection.execute(
            """INSERT INTO applications (application_id, scheme, child_id, setting_id, district,
                   area, status, document, missing, submitted_on, complete_on, reapplication_of)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
            app.application_id,
            stored.scheme,
            app.child_id,
            app.setting_id,
            app.district.value,
            stored.area.value,
            stored.status,
            app.model_dump_json(),
            json.dumps(stored.missing),
            stored.submitted_on,
            stored.complete_on,
            reapplication_of,
        )

    async def application(
        self, application_id: str, *, for_update: bool = False
    ) -> StoredApplication | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT * FROM applications WHERE application_id = $1{lock}", application_id
        )
        if row is None:
            return None
        return StoredApplication(
            application=HighNeedsApplication.model_validate_json(row["document"]),
            scheme=row["scheme"],
            status=row["status"],
            area=Area(row["area"]),
            missing=json.loads(row["missing"]),
            submitted_on=row["submitted_on"],
            complete_on=row["complete_on"],
        )

    async def set_status(self, application_id: str, status: str) -> None:
        await self.connection.execute(
            "UPDATE applications SET status = $2 WHERE application_id = $1", application_id, status
        )

    async def add_decision(
        self,
        *,
        decision_id: str,
        application_id: str,
        outcome: str,
        policy_version: str,
        decided_on: date,
        days_to_decision: int | None,
        target_breached: bool | None,
        record: dict[str, Any],
    ) -> None:
        await self.connection.execute(
            """INSERT INTO decisions (decision_id, application_id, outcome, policy_version,
                   decided_on, days_to_decision, target_breached, record)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            decision_id,
            application_id,
            outcome,
            policy_version,
            decided_on,
            days_to_decision,
            target_breached,
            json.dumps(record),
        )

    async def decisions_of(self, application_id: str) -> list[dict[str, Any]]:
        rows = await self.connection.fetch(
            """SELECT decision_id, outcome, policy_version, decided_on, days_to_decision,
                      target_breached FROM decisions WHERE application_id = $1
               ORDER BY decided_on, decision_id""",
            application_id,
        )
        return [{**dict(row), "decided_on": row["decided_on"].isoformat()} for row in rows]

    async def budget(
        self, area: Area, financial_year: str, *, for_update: bool = False
    ) -> Budget | None:
        lock = " FOR UPDATE" if for_update else ""
        document = await self.connection.fetchval(
            f"SELECT document FROM budgets WHERE area = $1 AND financial_year = $2{lock}",
            area.value,
            financial_year,
        )
        return None if document is None else Budget.model_validate_json(document)

    async def save_budget(self, budget: Budget) -> None:
        await self.connection.execute(
            """INSERT INTO budgets (area, financial_year, document) VALUES ($1, $2, $3)
               ON CONFLICT (area, financial_year) DO UPDATE SET document = $3""",
            budget.area.value,
            str(budget.financial_year),
            budget.model_dump_json(),
        )

    async def approved_hnf_of_child(self, child_id: str) -> str | None:
        """The child's most recent approved HNF application, if any."""
        found: str | None = await self.connection.fetchval(
            """SELECT a.application_id FROM applications a
               JOIN decisions d ON d.application_id = a.application_id
               WHERE a.child_id = $1 AND a.scheme = 'hnf' AND d.outcome = 'approved'
               ORDER BY d.decided_on DESC LIMIT 1""",
            child_id,
        )
        return found

    async def add_reapplication(
        self,
        child_id: str,
        previous_application_id: str,
        transfer: str,
        setting_id: str,
        event_id: UUID,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO reapplications (child_id, previous_application_id, transfer,
                   new_setting_id, opened_by_event) VALUES ($1, $2, $3, $4, $5)""",
            child_id,
            previous_application_id,
            transfer,
            setting_id,
            event_id,
        )
