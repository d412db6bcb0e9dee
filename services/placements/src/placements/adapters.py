"""PostgreSQL repositories of the placements service: load and save the domain's models."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from inclusion_shared.access import Where
from inclusion_shared.identifiers import PersonId
from inclusion_shared.kent import District
from inclusion_shared.persistence.pool import Connection
from placements.domain.capacity import Capacity
from placements.domain.clock_exceptions import ClockException
from placements.domain.clocks import (
    Clock,
    ClockKind,
    ClockReading,
    ClockStatus,
    ClockStop,
    read_clock,
)
from placements.domain.consultation import Consultation
from placements.domain.ehc_clocks import EhcEvent
from placements.domain.offers import Offer
from placements.domain.panel import Vote
from placements.domain.placement import Placement
from placements.domain.placement_clocks import PlannedPost16Move
from placements.domain.placement_decision import PlacementDecision, ProposedPlacement
from placements.domain.request import PlacementRequest
from placements.domain.roster import Roster
from placements.domain.setting import DESIGNATED, ProvisionType, Setting
from placements.domain.sufficiency import Designation
from placements.domain.timeliness import Tallies
from placements.domain.values import NeedType

Case = Literal["consultation", "placement", "assessment"]
"""The kinds of case clocks are computed from."""


class Reach(Protocol):
    """The rows of a list the caller reaches, as a condition on the list's own district column
    with its parameters numbered from ``first`` (``placements.access.reach`` makes one)."""

    def __call__(self, *, first: int, district: str) -> Where: ...


@dataclass(frozen=True)
class StoredRequest:
    """A request, and the panel that last decided it (None until one has)."""

    request: PlacementRequest
    status: str
    panel_id: str | None = None

    def view(self) -> dict[str, Any]:
        """What the API shows: codes and pseudonymous ids only."""
        return {
            **self.request.model_dump(mode="json"),
            "phase": self.request.phase,
            "status": self.status,
        }


@dataclass(frozen=True)
class StoredProposal:
    """A proposal put to a panel, and the votes cast on it so far, in the order cast."""

    proposal_id: str
    request_id: str
    panel_id: str
    status: str
    proposed: ProposedPlacement
    proposed_by: PersonId
    proposed_on: date
    decision_id: str
    votes: tuple[Vote, ...]

    def view(self) -> dict[str, Any]:
        """What the API shows: codes and pseudonymous ids (the rationale stays sealed)."""
        return {
            "proposal_id": self.proposal_id,
            "request_id": self.request_id,
            "panel_id": self.panel_id,
            "status": self.status,
            **self.proposed.model_dump(mode="json"),
            "proposed_by": self.proposed_by,
            "proposed_on": self.proposed_on.isoformat(),
            "votes": [vote.model_dump(mode="json") for vote in self.votes],
        }


@dataclass(frozen=True)
class StoredConsultation:
    """A consultation, with where its case sits: its request's district and panel."""

    consultation_id: str
    consultation: Consultation
    child_id: str
    district: str
    panel_id: str | None

    def view(self, reply_due_on: date) -> dict[str, Any]:
        return {
            "consultation_id": self.consultation_id,
            **self.consultation.model_dump(mode="json"),
            "reply_due_on": reply_due_on.isoformat(),
        }


@dataclass(frozen=True)
class StoredOffer:
    """An offer, with where its case sits: its request's district and panel."""

    offer: Offer
    request_id: str
    district: str
    panel_id: str | None

    def view(self) -> dict[str, Any]:
        return {**self.offer.model_dump(mode="json"), "request_id": self.request_id}


@dataclass(frozen=True)
class StoredPlacement:
    """A placement, with where its case sits: the district and panel of the request its offer
    answered."""

    placement: Placement
    has_ehcp: bool
    post_16_move: PlannedPost16Move | None
    amended_plans: tuple[date, ...]
    district: str
    panel_id: str | None

    def view(self) -> dict[str, Any]:
        return {
            **self.placement.model_dump(mode="json"),
            "has_ehcp": self.has_ehcp,
            "post_16_move": self.post_16_move.model_dump(mode="json")
            if self.post_16_move
            else None,
            "amended_plans": [day.isoformat() for day in self.amended_plans],
        }


@dataclass(frozen=True)
class StoredAssessment:
    assessment_id: str
    child_id: str
    district: str
    steps: tuple[EhcEvent, ...]

    def view(self) -> dict[str, Any]:
        return {
            "assessment_id": self.assessment_id,
            "child_id": self.child_id,
            "district": self.district,
            "steps": [step.model_dump(mode="json") for step in self.steps],
        }


@dataclass(frozen=True)
class StoredClock:
    """A clock, whose case it is and the district the case sits in; a consultation's reply
    clock names its consultation."""

    clock: Clock
    child_id: str
    district: str
    consultation_id: str | None = None

    def read(self, now: date, warning_days: Mapping[ClockKind, int]) -> ClockReading:
        warn = warning_days.get(self.clock.kind)
        return read_clock(self.clock, now, () if warn is None else (warn,))

    def view(self, reading: ClockReading) -> dict[str, Any]:
        return {
            **self.clock.model_dump(mode="json"),
            "child_id": self.child_id,
            "consultation_id": self.consultation_id,
            "status": reading.status.value,
            "days_left": reading.days_left,
        }


ClockKey = tuple[date, str, str, str]
"""Where a clock comes in the list of clocks: due day, kind, subject and party ('' for none)."""


class PlacementsStore:
    """The placements tables, seen through one connection (and so one transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def setting(self, setting_id: str) -> Setting | None:
        document = await self.connection.fetchval(
            "SELECT document FROM settings WHERE setting_id = $1", setting_id
        )
        return None if document is None else Setting.model_validate_json(document)

    async def settings(self, setting_ids: list[str]) -> list[Setting]:
        """The settings with these ids (those registered)."""
        rows = await self.connection.fetch(
            "SELECT document FROM settings WHERE setting_id = ANY($1) ORDER BY setting_id",
            setting_ids,
        )
        return [Setting.model_validate_json(row["document"]) for row in rows]

    async def add_setting(self, setting: Setting) -> None:
        await self.connection.execute(
            """INSERT INTO settings (setting_id, provision, district, area, community_id, document)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            setting.setting_id,
            setting.provision.value,
            setting.district.value,
            setting.area.value,
            setting.community_id,
            setting.model_dump_json(),
        )

    async def capacity(
        self, setting_id: str, academic_year: str, *, for_update: bool = False
    ) -> Capacity | None:
        lock = " FOR UPDATE" if for_update else ""
        document = await self.connection.fetchval(
            f"""SELECT document FROM capacities
                WHERE setting_id = $1 AND academic_year = $2{lock}""",
            setting_id,
            academic_year,
        )
        return None if document is None else Capacity.model_validate_json(document)

    async def save_capacity(self, capacity: Capacity) -> None:
        await self.connection.execute(
            """INSERT INTO capacities (setting_id, academic_year, document) VALUES ($1, $2, $3)
               ON CONFLICT (setting_id, academic_year) DO UPDATE SET document = $3""",
            capacity.setting_id,
            capacity.academic_year,
            capacity.model_dump_json(),
        )

    async def capacities_of(self, setting_id: str) -> list[Capacity]:
        rows = await self.connection.fetch(
            "SELECT document FROM capacities WHERE setting_id = $1 ORDER BY academic_year",
            setting_id,
        )
        return [Capacity.model_validate_json(row["document"]) for row in rows]

    async def has_request(self, request_id: str) -> bool:
        found: bool = await self.connection.fetchval(
            "SELECT EXISTS (SELECT 1 FROM requests WHERE request_id = $1)", request_id
        )
        return found

    async def add_request(self, request: PlacementRequest, status: str) -> None:
        await self.connection.execute(
            """INSERT INTO requests (request_id, child_id, district, academic_year, status,
                   document) VALUES ($1, $2, $3, $4, $5, $6)""",
            request.request_id,
            request.child_id,
            request.district.value,
            request.academic_year,
            status,
            request.model_dump_json(),
        )

    async def request(self, request_id: str, *, for_update: bool = False) -> StoredRequest | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT document, status, panel_id FROM requests WHERE request_id = $1{lock}",
            request_id,
        )
        if row is None:
            return None
        return StoredRequest(
            PlacementRequest.model_validate_json(row["document"]), row["status"], row["panel_id"]
        )

    async def set_request_status(self, request_id: str, status: str) -> None:
        await self.connection.execute(
            "UPDATE requests SET status = $2 WHERE request_id = $1", request_id, status
        )

    async def put_before_panel(self, request_id: str, panel_id: str) -> None:
        """The case is now before the panel that decided it."""
        await self.connection.execute(
            "UPDATE requests SET panel_id = $2 WHERE request_id = $1", request_id, panel_id
        )

    async def demand_in(self, academic_year: str, reach: Reach) -> dict[Designation, int]:
        """Requests for a year in the districts the caller reaches, counted by the database per
        district and designation: the kind of provision sought, and the need type when that
        provision is designated by need."""
        where = reach(first=3, district="district")
        rows = await self.connection.fetch(
            f"""SELECT district, document ->> 'provision_sought' AS provision,
                       CASE WHEN document ->> 'provision_sought' = ANY($2::text[])
                            THEN document ->> 'need_type' END AS need_type,
                       count(*) AS n
                FROM requests WHERE academic_year = $1 AND {where.sql}
                GROUP BY 1, 2, 3""",
            academic_year,
            [provision.value for provision in DESIGNATED],
            *where.params,
        )
        return {_designation(row): row["n"] for row in rows}

    async def places_in(self, academic_year: str, reach: Reach) -> dict[Designation, int]:
        """Places for a year at settings in the districts the caller reaches, summed by the
        database per district and designation: a setting designated for several needs counts
        its places under each."""
        where = reach(first=2, district="s.district")
        rows = await self.connection.fetch(
            f"""SELECT s.district, s.provision, need.need_type, sum(c.total)::bigint AS n
                FROM (SELECT setting_id,
                             coalesce((document ->> 'designated_places')::integer,
                                      (SELECT coalesce(sum((e ->> 'places')::integer), 0)
                                       FROM jsonb_array_elements(document -> 'by_year_group') e)
                             ) AS total
                      FROM capacities WHERE academic_year = $1) c
                JOIN settings s USING (setting_id)
                LEFT JOIN LATERAL jsonb_array_elements_text(s.document -> 'need_types')
                     AS need (need_type) ON true
                WHERE {where.sql}
                GROUP BY 1, 2, 3""",
            academic_year,
            *where.params,
        )
        return {_designation(row): row["n"] for row in rows}

    async def add_consultation(
        self, consultation_id: str, consultation: Consultation, child_id: str
    ) -> None:
        await self.connection.execute(
            """INSERT INTO consultations (consultation_id, request_id, setting_id, child_id,
                   document) VALUES ($1, $2, $3, $4, $5)""",
            consultation_id,
            consultation.request_id,
            consultation.setting_id,
            child_id,
            consultation.model_dump_json(),
        )

    async def consultation(
        self, consultation_id: str, *, for_update: bool = False
    ) -> StoredConsultation | None:
        lock = " FOR UPDATE OF k" if for_update else ""
        row = await self.connection.fetchrow(
            f"""SELECT {_CONSULTATION} FROM consultations k JOIN requests r USING (request_id)
                WHERE k.consultation_id = $1{lock}""",
            consultation_id,
        )
        return None if row is None else _consultation(row)

    async def consultations(self, request_id: str) -> list[StoredConsultation]:
        """The consultations on one request."""
        rows = await self.connection.fetch(
            f"""SELECT {_CONSULTATION} FROM consultations k JOIN requests r USING (request_id)
                WHERE k.request_id = $1 ORDER BY k.consultation_id""",
            request_id,
        )
        return [_consultation(row) for row in rows]

    async def save_reply(self, consultation_id: str, consultation: Consultation) -> None:
        assert consultation.reply is not None
        await self.connection.execute(
            """UPDATE consultations SET document = $2, replied_on = $3
               WHERE consultation_id = $1""",
            consultation_id,
            consultation.model_dump_json(),
            consultation.reply.on,
        )

    async def add_decision(self, decision: PlacementDecision) -> None:
        await self.connection.execute(
            """INSERT INTO decisions (decision_id, request_id, setting_id, child_id, decided_on,
                   record) VALUES ($1, $2, $3, $4, $5, $6)""",
            decision.decision_id,
            decision.request.request_id,
            decision.setting.setting_id,
            decision.request.child_id,
            decision.decided_on,
            decision.model_dump_json(),
        )

    async def decision(self, decision_id: str) -> PlacementDecision | None:
        record = await self.connection.fetchval(
            "SELECT record FROM decisions WHERE decision_id = $1", decision_id
        )
        return None if record is None else PlacementDecision.model_validate_json(record)

    async def decisions_of(self, request_id: str) -> list[dict[str, Any]]:
        rows = await self.connection.fetch(
            """SELECT decision_id, setting_id, decided_on FROM decisions WHERE request_id = $1
               ORDER BY decided_on, decision_id""",
            request_id,
        )
        return [{**dict(row), "decided_on": row["decided_on"].isoformat()} for row in rows]

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

    async def rosters_page(self, after: str | None, limit: int, where: Where) -> list[Roster]:
        """Up to `limit` rosters after the panel id `after`, of those `where` keeps (numbered
        from $3, on the columns area and panel_id)."""
        rows = await self.connection.fetch(
            f"""SELECT document FROM panel_rosters
                WHERE ($1::text IS NULL OR panel_id COLLATE "C" > $1) AND {where.sql}
                ORDER BY panel_id COLLATE "C" LIMIT $2""",
            after,
            limit,
            *where.params,
        )
        return [Roster.model_validate_json(row["document"]) for row in rows]

    async def add_proposal(self, proposal: StoredProposal) -> None:
        await self.connection.execute(
            """INSERT INTO proposals (proposal_id, request_id, panel_id, status, document,
                   proposed_by, proposed_on, decision_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            proposal.proposal_id,
            proposal.request_id,
            proposal.panel_id,
            proposal.status,
            proposal.proposed.model_dump_json(),
            proposal.proposed_by,
            proposal.proposed_on,
            proposal.decision_id,
        )

    async def has_open_proposal(self, request_id: str) -> bool:
        found: bool = await self.connection.fetchval(
            "SELECT EXISTS (SELECT 1 FROM proposals WHERE request_id = $1 AND status = 'open')",
            request_id,
        )
        return found

    async def proposal(
        self, proposal_id: str, *, for_update: bool = False
    ) -> StoredProposal | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT * FROM proposals WHERE proposal_id = $1{lock}", proposal_id
        )
        return None if row is None else await self._with_votes(row)

    async def proposals_of(self, request_id: str) -> list[StoredProposal]:
        """The request's proposals in the order they were made (at most a few)."""
        rows = await self.connection.fetch(
            """SELECT * FROM proposals WHERE request_id = $1
               ORDER BY proposed_on, proposal_id""",
            request_id,
        )
        return [await self._with_votes(row) for row in rows]

    async def _with_votes(self, row: Any) -> StoredProposal:
        votes = await self.connection.fetch(
            "SELECT member_id, choice FROM votes WHERE proposal_id = $1 ORDER BY number",
            row["proposal_id"],
        )
        return StoredProposal(
            proposal_id=row["proposal_id"],
            request_id=row["request_id"],
            panel_id=row["panel_id"],
            status=row["status"],
            proposed=ProposedPlacement.model_validate_json(row["document"]),
            proposed_by=row["proposed_by"],
            proposed_on=row["proposed_on"],
            decision_id=row["decision_id"],
            votes=tuple(Vote(member_id=v["member_id"], choice=v["choice"]) for v in votes),
        )

    async def add_vote(
        self, proposal_id: str, vote: Vote, cast_on: date, roster_version: int
    ) -> None:
        await self.connection.execute(
            """INSERT INTO votes (proposal_id, member_id, choice, cast_on, roster_version)
               VALUES ($1, $2, $3, $4, $5)""",
            proposal_id,
            vote.member_id,
            vote.choice.value,
            cast_on,
            roster_version,
        )

    async def set_proposal_status(self, proposal_id: str, status: str) -> None:
        await self.connection.execute(
            "UPDATE proposals SET status = $2 WHERE proposal_id = $1", proposal_id, status
        )

    async def add_offer(self, offer: Offer, request_id: str) -> None:
        await self.connection.execute(
            """INSERT INTO offers (offer_id, decision_id, request_id, child_id, setting_id,
                   academic_year, status, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            offer.offer_id,
            offer.decision_id,
            request_id,
            offer.child_id,
            offer.setting_id,
            offer.academic_year,
            offer.status.value,
            offer.model_dump_json(),
        )

    async def offer(self, offer_id: str, *, for_update: bool = False) -> StoredOffer | None:
        lock = " FOR UPDATE OF o" if for_update else ""
        row = await self.connection.fetchrow(
            f"""SELECT {_OFFER} FROM offers o JOIN requests r USING (request_id)
                WHERE o.offer_id = $1{lock}""",
            offer_id,
        )
        return None if row is None else _offer(row)

    async def save_offer(self, offer: Offer) -> None:
        await self.connection.execute(
            "UPDATE offers SET status = $2, document = $3 WHERE offer_id = $1",
            offer.offer_id,
            offer.status.value,
            offer.model_dump_json(),
        )

    async def offers_at(self, setting_id: str, academic_year: str) -> list[Offer]:
        rows = await self.connection.fetch(
            "SELECT document FROM offers WHERE setting_id = $1 AND academic_year = $2",
            setting_id,
            academic_year,
        )
        return [Offer.model_validate_json(row["document"]) for row in rows]

    async def offers_of(self, request_id: str) -> list[StoredOffer]:
        rows = await self.connection.fetch(
            f"""SELECT {_OFFER} FROM offers o JOIN requests r USING (request_id)
                WHERE o.request_id = $1 ORDER BY o.offer_id""",
            request_id,
        )
        return [_offer(row) for row in rows]

    async def placement_of_offer(self, offer_id: str) -> str | None:
        found: str | None = await self.connection.fetchval(
            "SELECT placement_id FROM placements WHERE offer_id = $1", offer_id
        )
        return found

    async def add_placement(self, placement: Placement, has_ehcp: bool) -> None:
        await self.connection.execute(
            """INSERT INTO placements (placement_id, offer_id, child_id, setting_id, has_ehcp,
                   started_on, document) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            placement.placement_id,
            placement.offer_id,
            placement.child_id,
            placement.setting_id,
            has_ehcp,
            placement.started_on,
            placement.model_dump_json(),
        )

    async def placement(
        self, placement_id: str, *, for_update: bool = False
    ) -> StoredPlacement | None:
        lock = " FOR UPDATE OF p" if for_update else ""
        row = await self.connection.fetchrow(
            f"""SELECT {_PLACEMENT} FROM {_PLACEMENT_CASE} WHERE p.placement_id = $1{lock}""",
            placement_id,
        )
        return None if row is None else _placement(row)

    async def latest_placement_of(self, child_id: str) -> StoredPlacement | None:
        """The child's most recent placement. Takes a lock on the child first, so placements
        started for one child at once are started one after the other."""
        await self.connection.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1))", f"child-placements:{child_id}"
        )
        row = await self.connection.fetchrow(
            f"""SELECT {_PLACEMENT} FROM {_PLACEMENT_CASE} WHERE p.child_id = $1
                ORDER BY p.started_on DESC, p.placement_id DESC LIMIT 1""",
            child_id,
        )
        return None if row is None else _placement(row)

    async def save_placement(self, placement: Placement) -> None:
        await self.connection.execute(
            "UPDATE placements SET ended_on = $2, document = $3 WHERE placement_id = $1",
            placement.placement_id,
            placement.ended_on,
            placement.model_dump_json(),
        )

    async def plan_post_16_move(self, placement_id: str, move: PlannedPost16Move) -> None:
        await self.connection.execute(
            "UPDATE placements SET post_16_move = $2 WHERE placement_id = $1",
            placement_id,
            move.model_dump_json(),
        )

    async def add_amended_plan(self, placement_id: str, issued_on: date) -> bool:
        """Record an amended plan; False when one was already recorded for that day."""
        added: bool | None = await self.connection.fetchval(
            """INSERT INTO amended_plans (placement_id, issued_on) VALUES ($1, $2)
               ON CONFLICT DO NOTHING RETURNING true""",
            placement_id,
            issued_on,
        )
        return bool(added)

    async def add_assessment(self, assessment: StoredAssessment) -> None:
        await self.connection.execute(
            """INSERT INTO assessments (assessment_id, child_id, district, steps)
               VALUES ($1, $2, $3, $4)""",
            assessment.assessment_id,
            assessment.child_id,
            assessment.district,
            _steps_json(assessment.steps),
        )

    async def assessment(
        self, assessment_id: str, *, for_update: bool = False
    ) -> StoredAssessment | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"SELECT * FROM assessments WHERE assessment_id = $1{lock}", assessment_id
        )
        return None if row is None else _assessment(row)

    async def save_steps(self, assessment: StoredAssessment) -> None:
        await self.connection.execute(
            "UPDATE assessments SET steps = $2 WHERE assessment_id = $1",
            assessment.assessment_id,
            _steps_json(assessment.steps),
        )

    async def add_exception(self, exception_id: str, exception: ClockException) -> None:
        await self.connection.execute(
            """INSERT INTO clock_exceptions (exception_id, subject_id, clock, document)
               VALUES ($1, $2, $3, $4)""",
            exception_id,
            exception.subject_id,
            exception.clock.value,
            exception.model_dump_json(),
        )

    async def keep_clocks(self, case: Case, case_id: str, clocks: Sequence[StoredClock]) -> None:
        """The clocks computed from one case, replacing those computed from it before."""
        await self.connection.execute(
            "DELETE FROM clocks WHERE source = $1 AND source_id = $2", case, case_id
        )
        await self.connection.executemany(
            """INSERT INTO clocks (kind, subject_id, party_id, source, source_id, child_id,
                   district, consultation_id, due_on, stopped_on, stop, timescales_version)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
            [
                (
                    kept.clock.kind.value,
                    kept.clock.subject_id,
                    kept.clock.party_id or "",
                    case,
                    case_id,
                    kept.child_id,
                    kept.district,
                    kept.consultation_id,
                    kept.clock.due_on,
                    kept.clock.stopped_on,
                    kept.clock.stop.value if kept.clock.stop else None,
                    kept.clock.timescales_version,
                )
                for kept in clocks
            ],
        )

    async def cases_without_clocks(self, limit: int) -> list[tuple[Case, str]]:
        """Up to `limit` cases recorded before clocks were kept, taken off the list (until the
        transaction ends, no other replica takes them)."""
        rows = await self.connection.fetch(
            """DELETE FROM clocks_to_compute WHERE (source, source_id) IN (
                   SELECT source, source_id FROM clocks_to_compute
                   ORDER BY source, source_id LIMIT $1 FOR UPDATE SKIP LOCKED)
               RETURNING source, source_id""",
            limit,
        )
        return [(row["source"], row["source_id"]) for row in rows]

    async def clocks(
        self,
        as_of: date,
        warning_days: Mapping[ClockKind, int],
        kind: ClockKind | None,
        status: ClockStatus | None,
        after: ClockKey | None,
        limit: int,
        reach: Reach,
    ) -> list[StoredClock]:
        """Up to `limit` clocks the caller reaches after `after` in due order, of a kind and a
        status on a day if given: the database filters, so a page reads no more clocks than it
        shows."""
        where = reach(first=10, district="c.district")
        rows = await self.connection.fetch(
            f"""SELECT * FROM (SELECT c.*, {_STATUS_ON} AS status FROM clocks c) c
                WHERE ($3::text IS NULL OR c.kind = $3) AND ($4::text IS NULL OR c.status = $4)
                  AND ($5::date IS NULL
                       OR (c.due_on, c.kind, c.subject_id, c.party_id) > ($5, $6, $7, $8))
                  AND {where.sql}
                ORDER BY c.due_on, c.kind, c.subject_id, c.party_id LIMIT $9""",
            as_of,
            _warnings(warning_days),
            kind.value if kind else None,
            status.value if status else None,
            *(after or (None, None, None, None)),
            limit,
            *where.params,
        )
        return [_clock(row) for row in rows]

    async def clocks_to_alert(
        self, as_of: date, warning_days: Mapping[ClockKind, int], reach: Reach
    ) -> list[StoredClock]:
        """The clocks the caller reaches due soon or breached on a day whose warning or breach
        was not raised."""
        where = reach(first=3, district="c.district")
        rows = await self.connection.fetch(
            f"""SELECT * FROM (SELECT c.*, {_STATUS_ON} AS status FROM clocks c) c
                WHERE c.status IN ('{ClockStatus.DUE_SOON}', '{ClockStatus.BREACHED}')
                  AND {where.sql}
                  AND NOT EXISTS (
                      SELECT 1 FROM clock_alerts a
                      WHERE (a.subject_id, a.kind, a.party_id) = (c.subject_id, c.kind, c.party_id)
                        AND a.alert = CASE c.status WHEN '{ClockStatus.DUE_SOON}' THEN 'warning'
                                                    ELSE 'breached' END)
                ORDER BY c.due_on, c.kind, c.subject_id, c.party_id""",
            as_of,
            _warnings(warning_days),
            *where.params,
        )
        return [_clock(row) for row in rows]

    async def timeliness_tallies(self, as_of: date, reach: Reach) -> Tallies:
        """The clocks the caller reaches counted by the database by kind, status on a day, and
        whether an exception to the clock of that case had started by then."""
        where = reach(first=3, district="c.district")
        rows = await self.connection.fetch(
            f"""SELECT kind, status, excepted, count(*) AS n FROM (
                    SELECT c.kind, {_STATUS_ON} AS status,
                           EXISTS (SELECT 1 FROM clock_exceptions e
                                   WHERE e.subject_id = c.subject_id AND e.clock = c.kind
                                     AND (e.document ->> 'from_on')::date <= $1) AS excepted
                    FROM clocks c WHERE {where.sql}) c
                GROUP BY kind, status, excepted""",
            as_of,
            _warnings({}),
            *where.params,
        )
        return Counter(
            {
                (ClockKind(row["kind"]), ClockStatus(row["status"]), row["excepted"]): row["n"]
                for row in rows
            }
        )

    async def raise_alert(
        self, subject_id: str, kind: str, party_id: str | None, alert: str, on: date
    ) -> bool:
        """Record a clock's warning or breach; False when it was raised before."""
        raised: bool | None = await self.connection.fetchval(
            """INSERT INTO clock_alerts (subject_id, kind, party_id, alert, raised_on)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
            subject_id,
            kind,
            party_id or "",
            alert,
            on,
        )
        return bool(raised)


_PLANS = """(SELECT coalesce(array_agg(issued_on ORDER BY issued_on), '{}')
             FROM amended_plans a WHERE a.placement_id = p.placement_id) AS plans"""
# A case's records are read with where the case sits: its request's district and panel.
_CONSULTATION = "k.consultation_id, k.document, k.child_id, r.district, r.panel_id"
_OFFER = "o.document, o.request_id, r.district, r.panel_id"
_PLACEMENT = f"p.*, r.district, r.panel_id, {_PLANS}"
_PLACEMENT_CASE = """placements p JOIN offers o ON o.offer_id = p.offer_id
                     JOIN requests r ON r.request_id = o.request_id"""

# A clock's status on the day $1, as placements.domain.clocks.read_clock reads it, with each
# kind's warning days in the jsonb $2 (a kind without any never warns). Filtering and counting
# clocks by status needs it in SQL; an integration test holds it to read_clock.
_STATUS_ON = f"""CASE
    WHEN c.stopped_on IS NOT NULL AND c.stopped_on <= $1::date THEN
        CASE WHEN c.stop = '{ClockStop.WITHDRAWN}' THEN '{ClockStatus.WITHDRAWN}'
             WHEN c.stopped_on <= c.due_on THEN '{ClockStatus.MET}'
             ELSE '{ClockStatus.MET_LATE}' END
    WHEN $1::date > c.due_on THEN '{ClockStatus.BREACHED}'
    WHEN $1::date >= c.due_on - ($2::jsonb ->> c.kind)::integer THEN '{ClockStatus.DUE_SOON}'
    ELSE '{ClockStatus.RUNNING}'
END"""


def _warnings(warning_days: Mapping[ClockKind, int]) -> str:
    return json.dumps({kind.value: days for kind, days in warning_days.items()})


def _clock(row: Any) -> StoredClock:
    stop = row["stop"]
    clock = Clock(
        subject_id=row["subject_id"],
        kind=ClockKind(row["kind"]),
        due_on=row["due_on"],
        timescales_version=row["timescales_version"],
        party_id=row["party_id"] or None,
        stopped_on=row["stopped_on"],
        stop=None if stop is None else ClockStop(stop),
    )
    return StoredClock(clock, row["child_id"], row["district"], row["consultation_id"])


def _designation(row: Any) -> Designation:
    need = row["need_type"]
    return District(row["district"]), ProvisionType(row["provision"]), need and NeedType(need)


def _consultation(row: Any) -> StoredConsultation:
    return StoredConsultation(
        row["consultation_id"],
        Consultation.model_validate_json(row["document"]),
        row["child_id"],
        row["district"],
        row["panel_id"],
    )


def _offer(row: Any) -> StoredOffer:
    return StoredOffer(
        Offer.model_validate_json(row["document"]),
        row["request_id"],
        row["district"],
        row["panel_id"],
    )


def _placement(row: Any) -> StoredPlacement:
    move = row["post_16_move"]
    return StoredPlacement(
        placement=Placement.model_validate_json(row["document"]),
        has_ehcp=row["has_ehcp"],
        post_16_move=None if move is None else PlannedPost16Move.model_validate_json(move),
        amended_plans=tuple(row["plans"]),
        district=row["district"],
        panel_id=row["panel_id"],
    )


def _assessment(row: Any) -> StoredAssessment:
    return StoredAssessment(
        row["assessment_id"],
        row["child_id"],
        row["district"],
        tuple(EhcEvent.model_validate(step) for step in json.loads(row["steps"])),
    )


def _steps_json(steps: tuple[EhcEvent, ...]) -> str:
    return json.dumps([step.model_dump(mode="json") for step in steps])
