"""PostgreSQL repositories of the reviews service: load and save the domain's models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from inclusion_shared.kent import Area
from inclusion_shared.persistence.pool import Connection
from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview
from reviews.domain.stages import Stage


@dataclass(frozen=True)
class ReviewInCycle:
    """A review with the cycle it belongs to, which says where it is and what it allows."""

    review: PeerReview
    cycle: ReviewCycle


class ReviewsStore:
    """The reviews tables, seen through one connection (and so one transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def add_cycle(self, cycle: ReviewCycle, opened_on: date, opened_by: str) -> bool:
        """Record a new cycle; false when a cycle with its id exists (even one being opened by a
        transaction not yet committed: the insert waits for it)."""
        added = await self.connection.fetchval(
            """INSERT INTO cycles (cycle_id, community_id, district, area, document, opened_on,
                   opened_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (cycle_id) DO NOTHING RETURNING true""",
            cycle.cycle_id,
            cycle.community_id,
            cycle.district.value,
            cycle.area.value,
            cycle.model_dump_json(),
            opened_on,
            opened_by,
        )
        return added is True

    async def cycle(self, cycle_id: str, *, for_update: bool = False) -> ReviewCycle | None:
        lock = " FOR UPDATE" if for_update else ""
        document = await self.connection.fetchval(
            f"SELECT document FROM cycles WHERE cycle_id = $1{lock}", cycle_id
        )
        return None if document is None else ReviewCycle.model_validate_json(document)

    async def cycles_in(self, area: Area) -> list[ReviewCycle]:
        rows = await self.connection.fetch(
            "SELECT document FROM cycles WHERE area = $1 ORDER BY cycle_id", area.value
        )
        return [ReviewCycle.model_validate_json(row["document"]) for row in rows]

    async def add_review(self, review: PeerReview) -> None:
        await self.connection.execute(
            """INSERT INTO reviews (review_id, cycle_id, setting_id, stage, document)
               VALUES ($1, $2, $3, $4, $5)""",
            review.review_id,
            review.cycle_id,
            review.setting_id,
            review.stage.value,
            review.model_dump_json(),
        )

    async def review(self, review_id: str, *, for_update: bool = False) -> ReviewInCycle | None:
        """A review and its cycle. Updating one locks the cycle first, so that reviews of one
        cycle change one at a time (the reciprocity rule looks across them)."""
        cycle_id = await self.connection.fetchval(
            "SELECT cycle_id FROM reviews WHERE review_id = $1", review_id
        )
        if cycle_id is None:
            return None
        cycle = await self.cycle(cycle_id, for_update=for_update)
        lock = " FOR UPDATE" if for_update else ""
        document = await self.connection.fetchval(
            f"SELECT document FROM reviews WHERE review_id = $1{lock}", review_id
        )
        assert cycle is not None, "a review's cycle is never deleted"
        return ReviewInCycle(PeerReview.model_validate_json(document), cycle)

    async def save_review(self, review: PeerReview) -> None:
        await self.connection.execute(
            "UPDATE reviews SET stage = $2, document = $3 WHERE review_id = $1",
            review.review_id,
            review.stage.value,
            review.model_dump_json(),
        )

    async def reviews_of(self, cycle_ids: Iterable[str]) -> list[PeerReview]:
        rows = await self.connection.fetch(
            """SELECT document FROM reviews WHERE cycle_id = ANY($1::text[])
               ORDER BY cycle_id, setting_id""",
            list(cycle_ids),
        )
        return [PeerReview.model_validate_json(row["document"]) for row in rows]

    async def reviews_at(self, *stages: Stage) -> list[ReviewInCycle]:
        """Reviews at the given stages, each with its cycle, locked until the transaction ends."""
        rows = await self.connection.fetch(
            """SELECT r.document AS review, c.document AS cycle
               FROM reviews r JOIN cycles c USING (cycle_id)
               WHERE r.stage = ANY($1::text[])
               ORDER BY r.review_id FOR UPDATE OF r""",
            [stage.value for stage in stages],
        )
        return [
            ReviewInCycle(
                PeerReview.model_validate_json(row["review"]),
                ReviewCycle.model_validate_json(row["cycle"]),
            )
            for row in rows
        ]

    async def record_overdue(self, review_id: str, item_id: str, due_on: date, as_of: date) -> bool:
        """Record an overdue action; false when it was recorded before."""
        recorded = await self.connection.fetchval(
            """INSERT INTO overdue_actions (review_id, item_id, due_on, found_as_of)
               VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING true""",
            review_id,
            item_id,
            due_on,
            as_of,
        )
        return recorded is True
