"""PostgreSQL repositories of the funding service: load and save the domain's models."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import TypeAdapter

from funding.access import POLICY
from funding.domain.budget import Budget
from funding.domain.challenge import Challenge, ChallengeStatus, OverturnRate
from funding.domain.daf import DafClaim
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import ProposedOutcome
from funding.domain.panel import Vote
from funding.domain.policy import FundingPolicy, load_policy
from funding.domain.roster import Roster
from funding.domain.senif import SenifApplication
from funding.domain.senif_award import SenifAward
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import PersonId
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


@dataclass(frozen=True)
class StoredSenifApplication:
    application: SenifApplication
    status: str
    district: District
    area: Area
    submitted_on: date

    def view(self) -> dict[str, Any]:
        """What the API shows: codes and pseudonymous ids only."""
        return {
            "application_id": self.application.application_id,
            "scheme": "senif",
            "status": self.status,
            "child_id": self.application.child_id,
            "setting_id": self.application.setting_id,
            "district": self.district,
            "area": self.area,
            "route": self.application.route,
            "hours_requested_per_week": str(self.application.hours_requested_per_week),
            "submitted_on": self.submitted_on.isoformat(),
        }


@dataclass(frozen=True)
class RunningAward:
    """A SENIF award not yet ended, with where it is and the decision that made it."""

    award: SenifAward
    decision_id: str
    district: District
    area: Area


@dataclass(frozen=True)
class RecordedDecision:
    """A decision from the log: its scheme, whom and where it concerns (its application's
    child, setting, district and area), and the record it can be re-derived from."""

    decision_id: str
    scheme: str
    child_id: str
    setting_id: str
    district: District
    area: Area
    record: dict[str, Any]

    @property
    def panel_id(self) -> str | None:
        """The panel that made it: only an HNF decision is a panel's."""
        panel = self.record.get("panel") if self.scheme == "hnf" else None
        return panel.get("panel_id") if isinstance(panel, dict) else None


@dataclass(frozen=True)
class StoredProposal:
    """A proposal put to a panel, and the votes cast on it so far, in the order cast."""

    proposal_id: str
    application_id: str
    panel_id: str
    status: str
    outcome: Any  # ProposeApproval | ProposeDecline | ProposeDeferral
    override_reason: str | None
    proposed_by: PersonId
    proposed_on: date
    decision_id: str
    votes: tuple[Vote, ...]

    def view(self) -> dict[str, Any]:
        """What the API shows: codes and pseudonymous ids (the rationale stays sealed)."""
        return {
            "proposal_id": self.proposal_id,
            "application_id": self.application_id,
            "panel_id": self.panel_id,
            "status": self.status,
            "outcome": self.outcome.model_dump(mode="json"),
            "override_reason": self.override_reason,
            "proposed_by": self.proposed_by,
            "proposed_on": self.proposed_on.isoformat(),
            "votes": [vote.model_dump(mode="json") for vote in self.votes],
        }


_OUTCOME: TypeAdapter[Any] = TypeAdapter(ProposedOutcome)


@dataclass(frozen=True)
class StoredChallenge:
    """A challenge, and the child whose decision it challenges."""

    challenge: Challenge
    child_id: str


class FundingStore:
    """The funding tables, seen through one connection (and so one transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def policies(self) -> tuple[FundingPolicy, ...]:
        """Every version: a decision chooses the one in force among them (a few a year)."""
        rows = await self.connection.fetch("SELECT document FROM policies ORDER BY effective_from")
        return tuple(load_policy(json.loads(row["document"])) for row in rows)

    async def policies_page(
        self, who: Principal, after: date | None, limit: int
    ) -> list[FundingPolicy]:
        """Up to `limit` versions taking effect after `after` (from the first if None), of
        those the caller may read (Kent's rules sit nowhere in particular)."""
        scope = POLICY.where(who, "policy.read", first=3)
        rows = await self.connection.fetch(
            f"""SELECT document FROM policies
                WHERE ($1::date IS NULL OR effective_from > $1) AND {scope.sql}
                ORDER BY effective_from LIMIT $2""",
            after,
            limit,
            *scope.params,
        )
        return [load_policy(json.loads(row["document"])) for row in rows]

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

    async def has_application(self, application_id: str) -> bool:
        """Whether any application, of any scheme, already has this id."""
        found: bool = await self.connection.fetchval(
            "SELECT EXISTS (SELECT 1 FROM applications WHERE application_id = $1)", application_id
        )
        return found

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
        """An HNF application (other schemes' applications are not found here)."""
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT * FROM applications WHERE application_id = $1 AND scheme = 'hnf'{lock}",
            application_id,
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

    async def withdraw(self, application_id: str, on: date, reason: str | None) -> None:
        await self.connection.execute(
            """UPDATE applications SET status = 'withdrawn', withdrawn_on = $2,
                   withdrawal_reason = $3 WHERE application_id = $1""",
            application_id,
            on,
            reason,
        )

    async def add_senif_application(self, stored: StoredSenifApplication) -> None:
        """A SENIF application is complete when submitted: its rules need no further evidence."""
        app = stored.application
        await self.connection.execute(
            """INSERT INTO applications (application_id, scheme, child_id, setting_id, district,
                   area, status, document, submitted_on, complete_on)
               VALUES ($1, 'senif', $2, $3, $4, $5, $6, $7, $8, $8)""",
            app.application_id,
            app.child_id,
            app.setting_id,
            stored.district.value,
            stored.area.value,
            stored.status,
            app.model_dump_json(),
            stored.submitted_on,
        )

    async def senif_application(
        self, application_id: str, *, for_update: bool = False
    ) -> StoredSenifApplication | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT * FROM applications WHERE application_id = $1 AND scheme = 'senif'{lock}",
            application_id,
        )
        if row is None:
            return None
        return StoredSenifApplication(
            application=SenifApplication.model_validate_json(row["document"]),
            status=row["status"],
            district=District(row["district"]),
            area=Area(row["area"]),
            submitted_on=row["submitted_on"],
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

    async def recorded_decision(
        self, decision_id: str, *, for_update: bool = False
    ) -> RecordedDecision | None:
        lock = " FOR UPDATE OF d" if for_update else ""
        row = await self.connection.fetchrow(
            f"""SELECT d.decision_id, a.scheme, a.child_id, a.setting_id, a.district, a.area,
                       d.record
                FROM decisions d JOIN applications a USING (application_id)
                WHERE d.decision_id = $1{lock}""",
            decision_id,
        )
        if row is None:
            return None
        return RecordedDecision(
            row["decision_id"],
            row["scheme"],
            row["child_id"],
            row["setting_id"],
            District(row["district"]),
            Area(row["area"]),
            json.loads(row["record"]),
        )

    async def timeliness_counts(
        self, who: Principal, area: Area | None, district: District | None
    ) -> tuple[int, int]:
        """How many HNF decisions in the caller's places were timed from a complete
        application, and how many of them breached their policy's target."""
        scope = POLICY.where(who, "timeliness.read", first=3, district="a.district")
        row = await self.connection.fetchrow(
            f"""SELECT count(*) AS decided, count(*) FILTER (WHERE d.target_breached) AS breaches
                FROM decisions d JOIN applications a USING (application_id)
                WHERE {_TIMED_HNF_DECISIONS} AND {scope.sql}""",
            area.value if area else None,
            district.value if district else None,
            *scope.params,
        )
        assert row is not None, "an aggregate answers one row"
        return row["decided"], row["breaches"]

    async def timeliness(
        self,
        who: Principal,
        area: Area | None,
        district: District | None,
        after: tuple[date, str] | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Up to `limit` HNF decisions in the caller's places after `after` (by day decided,
        then id), from complete application to decision, each against the target of the
        policy it was decided under."""
        scope = POLICY.where(who, "timeliness.read", first=6, district="a.district")
        rows = await self.connection.fetch(
            f"""SELECT d.decision_id, d.application_id, a.district, a.area, d.outcome,
                       a.complete_on, d.decided_on, d.days_to_decision,
                       (p.document ->> 'decision_target_days')::integer AS target_days,
                       d.target_breached, d.policy_version
                FROM decisions d
                JOIN applications a USING (application_id)
                JOIN policies p ON p.version = d.policy_version
                WHERE {_TIMED_HNF_DECISIONS} AND {scope.sql}
                  AND ($3::date IS NULL OR (d.decided_on, d.decision_id) > ($3, $4))
                ORDER BY d.decided_on, d.decision_id LIMIT $5""",
            area.value if area else None,
            district.value if district else None,
            *(after or (None, None)),
            limit,
            *scope.params,
        )
        return [
            {
                **dict(row),
                "complete_on": row["complete_on"].isoformat(),
                "decided_on": row["decided_on"].isoformat(),
            }
            for row in rows
        ]

    async def decisions_of(self, application_id: str) -> list[dict[str, Any]]:
        """The application's decisions in order, each with the panel that made it."""
        rows = await self.connection.fetch(
            """SELECT decision_id, outcome, policy_version, decided_on, days_to_decision,
                      target_breached, record -> 'panel' ->> 'panel_id' AS panel_id
               FROM decisions WHERE application_id = $1
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

    async def add_senif_award(
        self, award: SenifAward, decision_id: str, district: District, area: Area
    ) -> None:
        await self.connection.execute(
            """INSERT INTO senif_awards (award_id, decision_id, child_id, setting_id, district,
                   area, document) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            award.award_id,
            decision_id,
            award.child_id,
            award.setting_id,
            district.value,
            area.value,
            award.model_dump_json(),
        )

    async def running_senif_awards(self, child_id: str, setting_id: str) -> list[RunningAward]:
        """The child's awards at a setting not yet ended, locked until the transaction ends."""
        rows = await self.connection.fetch(
            """SELECT * FROM senif_awards
               WHERE child_id = $1 AND setting_id = $2 AND ended_on IS NULL
               ORDER BY award_id FOR UPDATE""",
            child_id,
            setting_id,
        )
        return [
            RunningAward(
                SenifAward.model_validate_json(row["document"]),
                row["decision_id"],
                District(row["district"]),
                Area(row["area"]),
            )
            for row in rows
        ]

    async def end_senif_award(self, award: SenifAward, ended_by_event: UUID) -> None:
        await self.connection.execute(
            """UPDATE senif_awards SET document = $2, ended_on = $3, end_reason = $4,
                   ended_by_event = $5 WHERE award_id = $1""",
            award.award_id,
            award.model_dump_json(),
            award.ended_on,
            award.end_reason.value if award.end_reason else None,
            ended_by_event,
        )

    async def daf_claims_of(self, child_id: str, financial_year: str) -> list[DafClaim]:
        """The child's DAF claims for a year, from any provider. Takes a lock on the child's
        year first, so two providers claiming at once are decided one after the other."""
        await self.connection.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1))", f"daf:{child_id}:{financial_year}"
        )
        rows = await self.connection.fetch(
            "SELECT document FROM daf_claims WHERE child_id = $1 AND financial_year = $2",
            child_id,
            financial_year,
        )
        return [DafClaim.model_validate_json(row["document"]) for row in rows]

    async def add_daf_claim(self, claim: DafClaim, decision_id: str, claimed_on: date) -> None:
        await self.connection.execute(
            """INSERT INTO daf_claims (claim_id, decision_id, child_id, provider_id,
                   financial_year, amount_pence, policy_version, claimed_on, document)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            claim.claim_id,
            decision_id,
            claim.child_id,
            claim.provider_id,
            claim.financial_year,
            claim.amount_pence,
            claim.policy_version,
            claimed_on,
            claim.model_dump_json(),
        )

    async def has_daf_claim(self, claim_id: str) -> bool:
        found: bool = await self.connection.fetchval(
            "SELECT EXISTS (SELECT 1 FROM daf_claims WHERE claim_id = $1)", claim_id
        )
        return found

    async def open_challenge_of(self, decision_id: str) -> str | None:
        found: str | None = await self.connection.fetchval(
            "SELECT challenge_id FROM challenges WHERE decision_id = $1 AND status = 'lodged'",
            decision_id,
        )
        return found

    async def add_challenge(self, challenge: Challenge, child_id: str) -> None:
        await self.connection.execute(
            """INSERT INTO challenges (challenge_id, decision_id, child_id, panel_id, district,
                   status, lodged_on, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            challenge.challenge_id,
            challenge.decision_id,
            child_id,
            challenge.panel_id,
            challenge.district.value,
            challenge.status.value,
            challenge.lodged_on,
            challenge.model_dump_json(),
        )

    async def challenge(
        self, challenge_id: str, *, for_update: bool = False
    ) -> StoredChallenge | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT document, child_id FROM challenges WHERE challenge_id = $1{lock}",
            challenge_id,
        )
        if row is None:
            return None
        return StoredChallenge(Challenge.model_validate_json(row["document"]), row["child_id"])

    async def save_challenge(self, challenge: Challenge) -> None:
        await self.connection.execute(
            """UPDATE challenges SET status = $2, resolved_on = $3, document = $4
               WHERE challenge_id = $1""",
            challenge.challenge_id,
            challenge.status.value,
            challenge.resolved_on,
            challenge.model_dump_json(),
        )

    async def overturn_rates(
        self, who: Principal, by: Literal["panel", "district"]
    ) -> dict[str, OverturnRate]:
        """Of the resolved challenges to each panel's (or district's) decisions in the caller's
        places, how many were overturned, counted by the database; in the order of the panel
        ids (or districts)."""
        column = {"panel": "panel_id", "district": "district"}[by]
        scope = POLICY.where(who, "overturn_rates.read", first=3, district="district")
        rows = await self.connection.fetch(
            f"""SELECT {column} AS key, count(*) AS resolved,
                       count(*) FILTER (WHERE status = $2) AS overturned
                FROM challenges WHERE status <> $1 AND {scope.sql}
                GROUP BY {column}
                ORDER BY {column} COLLATE "C"
            """,
            ChallengeStatus.LODGED.value,
            ChallengeStatus.OVERTURNED.value,
            *scope.params,
        )
        return {
            row["key"]: OverturnRate(resolved=row["resolved"], overturned=row["overturned"])
            for row in rows
        }

    async def roster(self, panel_id: str, *, for_update: bool = False) -> Roster | None:
        lock = " FOR UPDATE" if for_update else ""
        document = await self.connection.fetchval(
            f"SELECT document FROM panel_rosters WHERE panel_id = $1{lock}", panel_id
        )
        return None if document is None else Roster.model_validate_json(document)

    async def save_roster(self, roster: Roster) -> None:
        await self.connection.execute(
            """INSERT INTO panel_rosters (panel_id, area, version, document)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (panel_id) DO UPDATE SET version = $3, document = $4""",
            roster.panel_id,
            roster.area.value,
            roster.version,
            roster.model_dump_json(),
        )

    async def rosters_page(self, who: Principal, after: str | None, limit: int) -> list[Roster]:
        """Up to `limit` rosters after the panel id `after`, of those the caller reaches: an
        officer the panels of their areas, a member their own panels."""
        scope = POLICY.where(who, "panel.read", first=3, area="area", panel="panel_id")
        rows = await self.connection.fetch(
            f"""SELECT document FROM panel_rosters
                WHERE ($1::text IS NULL OR panel_id COLLATE "C" > $1) AND {scope.sql}
                ORDER BY panel_id COLLATE "C" LIMIT $2""",
            after,
            limit,
            *scope.params,
        )
        return [Roster.model_validate_json(row["document"]) for row in rows]

    async def add_proposal(self, proposal: StoredProposal) -> None:
        await self.connection.execute(
            """INSERT INTO hnf_proposals (proposal_id, application_id, panel_id, status, outcome,
                   override_reason, proposed_by, proposed_on, decision_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            proposal.proposal_id,
            proposal.application_id,
            proposal.panel_id,
            proposal.status,
            proposal.outcome.model_dump_json(),
            proposal.override_reason,
            proposal.proposed_by,
            proposal.proposed_on,
            proposal.decision_id,
        )

    async def has_open_proposal(self, application_id: str) -> bool:
        found: bool = await self.connection.fetchval(
            """SELECT EXISTS (SELECT 1 FROM hnf_proposals
                              WHERE application_id = $1 AND status = 'open')""",
            application_id,
        )
        return found

    async def proposal(
        self, proposal_id: str, *, for_update: bool = False
    ) -> StoredProposal | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT * FROM hnf_proposals WHERE proposal_id = $1{lock}", proposal_id
        )
        if row is None:
            return None
        return await self._with_votes(row)

    async def decided_proposal(self, decision_id: str) -> str | None:
        """The proposal whose carrying vote took the decision, and under whose id its rationale
        is sealed; None for a decision taken on no proposal."""
        found: str | None = await self.connection.fetchval(
            """SELECT proposal_id FROM hnf_proposals
               WHERE decision_id = $1 AND status = 'decided'""",
            decision_id,
        )
        return found

    async def proposals_of(self, application_id: str) -> list[StoredProposal]:
        """The application's proposals in the order they were made (at most a few)."""
        rows = await self.connection.fetch(
            """SELECT * FROM hnf_proposals WHERE application_id = $1
               ORDER BY proposed_on, proposal_id""",
            application_id,
        )
        return [await self._with_votes(row) for row in rows]

    async def _with_votes(self, row: Any) -> StoredProposal:
        votes = await self.connection.fetch(
            "SELECT member_id, choice FROM hnf_votes WHERE proposal_id = $1 ORDER BY number",
            row["proposal_id"],
        )
        return StoredProposal(
            proposal_id=row["proposal_id"],
            application_id=row["application_id"],
            panel_id=row["panel_id"],
            status=row["status"],
            outcome=_OUTCOME.validate_json(row["outcome"]),
            override_reason=row["override_reason"],
            proposed_by=row["proposed_by"],
            proposed_on=row["proposed_on"],
            decision_id=row["decision_id"],
            votes=tuple(Vote(member_id=v["member_id"], choice=v["choice"]) for v in votes),
        )

    async def add_vote(
        self, proposal_id: str, vote: Vote, cast_on: date, roster_version: int
    ) -> None:
        await self.connection.execute(
            """INSERT INTO hnf_votes (proposal_id, member_id, choice, cast_on, roster_version)
               VALUES ($1, $2, $3, $4, $5)""",
            proposal_id,
            vote.member_id,
            vote.choice.value,
            cast_on,
            roster_version,
        )

    async def set_proposal_status(self, proposal_id: str, status: str) -> None:
        await self.connection.execute(
            "UPDATE hnf_proposals SET status = $2 WHERE proposal_id = $1", proposal_id, status
        )


# The HNF decisions timed from a complete application, in an area and a district if given ($1,
# $2). A decision on an application never complete has no days to decision.
_TIMED_HNF_DECISIONS = """a.scheme = 'hnf' AND d.days_to_decision IS NOT NULL
    AND ($1::text IS NULL OR a.area = $1) AND ($2::text IS NULL OR a.district = $2)"""
