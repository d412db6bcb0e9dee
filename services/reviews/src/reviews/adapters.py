"""PostgreSQL repositories of the reviews service: load and save the domain's models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import asyncpg

from inclusion_shared.access import Where
from inclusion_shared.kent import Area, District
from inclusion_shared.persistence.pool import Connection
from reviews.domain.areas import ReviewArea
from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview
from reviews.domain.roster import EnrolledReviewer
from reviews.domain.sharing import Grant
from reviews.domain.stages import Stage
from reviews.domain.themes import COUNTED_KIND, COUNTED_STAGES, AreaCounts, DistrictCounts

# Per district and area of review, the reviews whose issued report names the area: each
# counts once per area (DISTINCT), however many of its findings are there.
_THEMES = """
    SELECT c.district, finding->>'area' AS review_area, count(DISTINCT r.review_id) AS reviews
    FROM reviews r JOIN cycles c USING (cycle_id),
         jsonb_array_elements(r.document->'report'->'findings') AS finding
    WHERE r.stage = ANY($1::text[]) AND finding->>'kind' = $2 AND {scope}
    GROUP BY c.district, finding->>'area'"""


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

    async def grants(
        self, review_id: str, after: int | None, limit: int, scope: Where
    ) -> list[tuple[int, Grant]]:
        """A page of a review's grants in the order they were made, each with its place in
        that order (grants are only ever appended, so a place never changes), if the review is
        within `scope` (a condition on its row `r` and its cycle's `c`, parameters from $4)."""
        rows = await self.connection.fetch(
            f"""SELECT given.place, given.document
                FROM reviews r JOIN cycles c USING (cycle_id),
                     jsonb_array_elements(r.document->'grants') WITH ORDINALITY
                         AS given(document, place)
                WHERE r.review_id = $1 AND ($2::bigint IS NULL OR given.place > $2)
                  AND {scope.sql}
                ORDER BY given.place LIMIT $3""",
            review_id,
            after,
            limit,
            *scope.params,
        )
        return [(row["place"], Grant.model_validate_json(row["document"])) for row in rows]

    async def themes_in(self, area: Area) -> DistrictCounts:
        """Themes of the reviews of a Kent area's cycles, by district."""
        rows = await self._themes("c.area = $3", area.value)
        return {
            (District(row["district"]), ReviewArea(row["review_area"])): row["reviews"]
            for row in rows
        }

    async def themes_of(self, cycle_id: str) -> AreaCounts:
        """Themes of one cycle's reviews."""
        rows = await self._themes("r.cycle_id = $3", cycle_id)
        return {ReviewArea(row["review_area"]): row["reviews"] for row in rows}

    async def _themes(self, scope: str, value: str) -> list[asyncpg.Record]:
        return await self.connection.fetch(
            _THEMES.format(scope=scope),
            [stage.value for stage in COUNTED_STAGES],
            COUNTED_KIND.value,
            value,
        )

    async def reviews_at(self, stages: Iterable[Stage], scope: Where) -> list[ReviewInCycle]:
        """Reviews at the given stages within `scope` (a condition on the review `r` and its
        cycle `c`, parameters from $2), each with its cycle, locked until the transaction ends."""
        rows = await self.connection.fetch(
            f"""SELECT r.document AS review, c.document AS cycle
                FROM reviews r JOIN cycles c USING (cycle_id)
                WHERE r.stage = ANY($1::text[]) AND {scope.sql}
                ORDER BY r.review_id FOR UPDATE OF r""",
            [stage.value for stage in stages],
            *scope.params,
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

    async def enrolled(
        self, reviewer_id: str, *, lock: str | None = None
    ) -> EnrolledReviewer | None:
        """A reviewer's current entry on the roster; `lock` ("UPDATE" to change it, "SHARE" to
        assign from it) holds it until the transaction ends."""
        clause = {None: "", "UPDATE": " FOR UPDATE", "SHARE": " FOR SHARE"}[lock]
        document = await self.connection.fetchval(
            f"SELECT document FROM reviewers WHERE reviewer_id = $1{clause}", reviewer_id
        )
        return None if document is None else EnrolledReviewer.model_validate_json(document)

    async def save_enrolled(self, enrolled: EnrolledReviewer) -> None:
        await self.connection.execute(
            """INSERT INTO reviewers (reviewer_id, setting_id, district, version, document)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (reviewer_id) DO UPDATE
               SET setting_id = $2, district = $3, version = $4, document = $5""",
            enrolled.reviewer_id,
            enrolled.setting_id,
            enrolled.district.value,
            enrolled.version,
            enrolled.model_dump_json(),
        )

    async def roster_page(
        self, after: str | None, limit: int, scope: Where
    ) -> list[EnrolledReviewer]:
        """Up to `limit` entries of the roster after the reviewer id `after`, by reviewer id,
        of those within `scope` (a condition on the row's columns, parameters from $3)."""
        rows = await self.connection.fetch(
            f"""SELECT document FROM reviewers
                WHERE ($1::text IS NULL OR reviewer_id COLLATE "C" > $1) AND {scope.sql}
                ORDER BY reviewer_id COLLATE "C" LIMIT $2""",
            after,
            limit,
            *scope.params,
        )
        return [EnrolledReviewer.model_validate_json(row["document"]) for row in rows]
