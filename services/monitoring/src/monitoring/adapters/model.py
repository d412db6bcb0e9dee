"""Writes the monitoring model: each method records what one kind of event tells, filling in
only its own columns, so events from different topics may arrive in any order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from inclusion_shared.persistence.pool import Connection


class MonitoringModel:
    """The model's tables, seen through one connection (and so one transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def setting(
        self,
        setting_id: str,
        setting_type: str,
        district: str,
        area: str,
        community: str | None,
        designation: Sequence[str],
        seq: int,
        community_name: str | None = None,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO settings AS s (setting_id, setting_type, district, area, community,
                                          designation, seq, community_name)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (setting_id) DO UPDATE
               SET setting_type = $2, district = $3, area = $4, community = $5,
                   designation = $6, seq = $7, community_name = $8
               WHERE s.seq < $7""",
            setting_id,
            setting_type,
            district,
            area,
            community,
            list(designation),
            seq,
            community_name,
        )

    async def capacity(
        self,
        setting_id: str,
        academic_year: str,
        setting_type: str,
        district: str,
        area: str,
        places: int,
        seq: int,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO capacities AS c
                   (setting_id, academic_year, setting_type, district, area, places, seq)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (setting_id, academic_year) DO UPDATE
               SET setting_type = $3, district = $4, area = $5, places = $6, seq = $7
               WHERE c.seq < $7""",
            setting_id,
            academic_year,
            setting_type,
            district,
            area,
            places,
            seq,
        )

    async def application(
        self,
        application_id: str,
        scheme: str,
        setting_id: str,
        district: str,
        area: str,
        submitted_on: date,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO funding_applications
                   (application_id, scheme, setting_id, district, area, submitted_on)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
            application_id,
            scheme,
            setting_id,
            district,
            area,
            submitted_on,
        )

    async def decision(
        self,
        decision_id: str,
        scheme: str,
        setting_id: str,
        district: str,
        area: str,
        outcome: str,
        decided_on: date,
        days_to_decision: int | None,
        target_breached: bool | None,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO funding_decisions (decision_id, scheme, setting_id, district, area,
                   outcome, decided_on, days_to_decision, target_breached)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING""",
            decision_id,
            scheme,
            setting_id,
            district,
            area,
            outcome,
            decided_on,
            days_to_decision,
            target_breached,
        )

    async def budget(self, area: str, financial_year: str, pence: int, seq: int) -> None:
        await self.connection.execute(
            """INSERT INTO funding_budgets AS b (area, financial_year, annual_amount_pence, seq)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (area, financial_year) DO UPDATE
               SET annual_amount_pence = $3, seq = $4 WHERE b.seq < $4""",
            area,
            financial_year,
            pence,
            seq,
        )

    async def commitment(
        self, commitment_id: str, area: str, financial_year: str, pence: int
    ) -> None:
        await self.connection.execute(
            """INSERT INTO funding_commitments (commitment_id, area, financial_year, amount_pence)
               VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
            commitment_id,
            area,
            financial_year,
            pence,
        )

    async def release(
        self, event_id: UUID, commitment_id: str, area: str, financial_year: str, pence: int
    ) -> None:
        await self.connection.execute(
            """INSERT INTO funding_releases
                   (event_id, commitment_id, area, financial_year, amount_pence)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
            event_id,
            commitment_id,
            area,
            financial_year,
            pence,
        )

    async def challenge_lodged(
        self, challenge_id: str, decision_id: str, district: str, area: str, lodged_on: date
    ) -> None:
        await self.connection.execute(
            """INSERT INTO funding_challenges (challenge_id, decision_id, district, area, lodged_on)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (challenge_id) DO UPDATE
               SET district = $3, area = $4, lodged_on = $5""",
            challenge_id,
            decision_id,
            district,
            area,
            lodged_on,
        )

    async def challenge_resolved(self, challenge_id: str, decision_id: str, result: str) -> None:
        await self.connection.execute(
            """INSERT INTO funding_challenges (challenge_id, decision_id, result)
               VALUES ($1, $2, $3)
               ON CONFLICT (challenge_id) DO UPDATE SET result = $3""",
            challenge_id,
            decision_id,
            result,
        )

    async def request(
        self,
        request_id: str,
        district: str,
        area: str,
        academic_year: str,
        need_type: str,
        provision_sought: str,
        received_on: date,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO placement_requests (request_id, district, area, academic_year,
                   need_type, provision_sought, received_on)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
            request_id,
            district,
            area,
            academic_year,
            need_type,
            provision_sought,
            received_on,
        )

    async def consultation_sent(
        self, consultation_id: str, request_id: str, setting_id: str, sent_on: date
    ) -> None:
        await self.connection.execute(
            """INSERT INTO consultations (consultation_id, request_id, setting_id, sent_on)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (consultation_id) DO UPDATE SET sent_on = $4""",
            consultation_id,
            request_id,
            setting_id,
            sent_on,
        )

    async def consultation_answered(
        self,
        consultation_id: str,
        request_id: str,
        setting_id: str,
        answered_on: date,
        on_time: bool,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO consultations
                   (consultation_id, request_id, setting_id, answered_on, on_time)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (consultation_id) DO UPDATE SET answered_on = $4, on_time = $5""",
            consultation_id,
            request_id,
            setting_id,
            answered_on,
            on_time,
        )

    async def consultation_overdue(
        self, consultation_id: str, request_id: str, setting_id: str
    ) -> None:
        await self.connection.execute(
            """INSERT INTO consultations (consultation_id, request_id, setting_id, overdue)
               VALUES ($1, $2, $3, true)
               ON CONFLICT (consultation_id) DO UPDATE SET overdue = true""",
            consultation_id,
            request_id,
            setting_id,
        )

    async def placement(
        self,
        placement_id: str,
        setting_id: str,
        district: str,
        area: str,
        starts_on: date,
        transfer: str | None,
        moved: bool,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO placements
                   (placement_id, setting_id, district, area, starts_on, transfer, moved)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
            placement_id,
            setting_id,
            district,
            area,
            starts_on,
            transfer,
            moved,
        )

    async def transfer_clock(
        self, placement_id: str, clock: str, due_on: date, *, breached: bool
    ) -> None:
        await self.connection.execute(
            """INSERT INTO transfer_clocks AS t (placement_id, clock, due_on, breached)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (placement_id, clock) DO UPDATE
               SET due_on = $3, breached = t.breached OR $4""",
            placement_id,
            clock,
            due_on,
            breached,
        )

    async def amended_plan(self, placement_id: str, issued_on: date) -> None:
        await self.connection.execute(
            """INSERT INTO amended_plans (placement_id, issued_on) VALUES ($1, $2)
               ON CONFLICT DO NOTHING""",
            placement_id,
            issued_on,
        )

    async def assessment_step(
        self, assessment_id: str, district: str, area: str, step: str, on: date
    ) -> None:
        """The request and the final plan of an EHC needs assessment (its other steps stop no
        clock the figures count), each day kept as first heard."""
        if step not in ("assessment_requested", "final_plan_issued"):
            return
        await self.connection.execute(
            """INSERT INTO assessments AS a
                   (assessment_id, district, area, requested_on, final_issued_on)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (assessment_id) DO UPDATE
               SET requested_on = coalesce(a.requested_on, $4),
                   final_issued_on = coalesce(a.final_issued_on, $5)""",
            assessment_id,
            district,
            area,
            on if step == "assessment_requested" else None,
            on if step == "final_plan_issued" else None,
        )

    async def clock_exception(self, exception_id: str, subject_id: str, clock: str) -> None:
        await self.connection.execute(
            """INSERT INTO clock_exceptions (exception_id, subject_id, clock) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING""",
            exception_id,
            subject_id,
            clock,
        )

    async def cycle(
        self, cycle_id: str, community: str, district: str, area: str, opened_on: date
    ) -> None:
        await self.connection.execute(
            """INSERT INTO review_cycles (cycle_id, community, district, area, opened_on)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
            cycle_id,
            community,
            district,
            area,
            opened_on,
        )

    async def review_scheduled(
        self,
        review_id: str,
        cycle_id: str,
        setting_id: str,
        district: str,
        area: str,
        community: str | None,
        scheduled_on: date,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO reviews (review_id, cycle_id, setting_id, district, area, community,
                   scheduled_on)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (review_id) DO UPDATE
               SET cycle_id = $2, setting_id = $3, district = $4, area = $5,
                   community = $6, scheduled_on = $7""",
            review_id,
            cycle_id,
            setting_id,
            district,
            area,
            community,
            scheduled_on,
        )

    async def review_followed_up(self, review_id: str, completed_on: date) -> None:
        await self.connection.execute(
            """INSERT INTO reviews (review_id, followed_up_on) VALUES ($1, $2)
               ON CONFLICT (review_id) DO UPDATE SET followed_up_on = $2""",
            review_id,
            completed_on,
        )

    async def action_agreed(
        self,
        review_id: str,
        item_id: str,
        district: str,
        area: str,
        review_area: str,
        agreed_on: date,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO review_actions
                   (review_id, item_id, district, area, review_area, agreed_on)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (review_id, item_id) DO UPDATE SET agreed_on = $6""",
            review_id,
            item_id,
            district,
            area,
            review_area,
            agreed_on,
        )

    async def action_completed(
        self,
        review_id: str,
        item_id: str,
        district: str,
        area: str,
        review_area: str,
        completed_on: date,
        late: bool,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO review_actions
                   (review_id, item_id, district, area, review_area, completed_on, late)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (review_id, item_id) DO UPDATE SET completed_on = $6, late = $7""",
            review_id,
            item_id,
            district,
            area,
            review_area,
            completed_on,
            late,
        )

    async def action_overdue(
        self, review_id: str, item_id: str, district: str, area: str, review_area: str
    ) -> None:
        await self.connection.execute(
            """INSERT INTO review_actions
                   (review_id, item_id, district, area, review_area, overdue)
               VALUES ($1, $2, $3, $4, $5, true)
               ON CONFLICT (review_id, item_id) DO UPDATE SET overdue = true""",
            review_id,
            item_id,
            district,
            area,
            review_area,
        )

    async def report(
        self,
        review_id: str,
        district: str,
        area: str,
        issued_on: date,
        strengths: Sequence[str],
        developments: Sequence[str],
    ) -> None:
        await self.connection.execute(
            """INSERT INTO review_reports
                   (review_id, district, area, issued_on, strength_areas, development_areas)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
            review_id,
            district,
            area,
            issued_on,
            list(strengths),
            list(developments),
        )

    async def response_received(
        self,
        response_id: str,
        voice: str,
        district: str,
        area: str,
        community: str | None,
        received_on: date,
        *,
        accepted: bool,
        excluded: bool,
    ) -> None:
        await self.connection.execute(
            """INSERT INTO responses AS r (response_id, voice, district, area, community,
                   received_on, accepted, excluded)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (response_id) DO UPDATE
               SET voice = $2, district = $3, area = $4, community = $5, received_on = $6,
                   accepted = r.accepted OR $7, excluded = r.excluded OR $8""",
            response_id,
            voice,
            district,
            area,
            community,
            received_on,
            accepted,
            excluded,
        )

    async def response_tagged(self, response_id: str, themes: Sequence[str], seq: int) -> None:
        await self.connection.execute(
            """INSERT INTO responses AS r (response_id, accepted, themes, themes_seq)
               VALUES ($1, true, $2, $3)
               ON CONFLICT (response_id) DO UPDATE
               SET accepted = true,
                   themes = CASE WHEN r.themes_seq < $3 THEN $2 ELSE r.themes END,
                   themes_seq = greatest(r.themes_seq, $3)""",
            response_id,
            list(themes),
            seq,
        )

    async def response_excluded(self, response_id: str) -> None:
        """Withdrawn, withheld or routed to complaints: out of every figure, for good."""
        await self.connection.execute(
            """INSERT INTO responses (response_id, excluded) VALUES ($1, true)
               ON CONFLICT (response_id) DO UPDATE SET excluded = true""",
            response_id,
        )

    async def you_said_we_did(
        self, action_id: str, status: str, published_on: date | None, seq: int
    ) -> None:
        await self.connection.execute(
            """INSERT INTO you_said_we_did AS a (action_id, status, published_on, seq)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (action_id) DO UPDATE
               SET status = CASE WHEN a.seq < $4 THEN $2 ELSE a.status END,
                   published_on = coalesce(a.published_on, $3),
                   seq = greatest(a.seq, $4)""",
            action_id,
            status,
            published_on,
            seq,
        )
