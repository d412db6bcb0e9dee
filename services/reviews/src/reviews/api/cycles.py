"""Review cycles: the local authority's coordinator opens one per Community of Schools (or for
chosen settings), with its pairs and triads, and follows its reviews' progress."""

from __future__ import annotations

from typing import Annotated, Any, Self

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field, model_validator

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from reviews.access import POLICY, cycle_record
from reviews.adapters import ReviewsStore
from reviews.api.deps import new_id, today
from reviews.api.views import cycle_view
from reviews.domain.cycle import MOST_PARTNERSHIPS, ReviewCycle
from reviews.domain.values import PseudonymousId
from reviews.handlers.cycles import open_cycle

router = APIRouter(prefix="/cycles", tags=["cycles"])


class CycleRequest(ReviewCycle):
    """A cycle as the coordinator opens it. `reviewed_settings` are the settings reviewed in
    this cycle (every setting in the partnerships unless given): with reciprocal reviews avoided,
    a pair has one direction this cycle and the other next."""

    cycle_id: PseudonymousId = Field(default_factory=lambda: new_id("cycle"))
    reviewed_settings: (
        Annotated[tuple[PseudonymousId, ...], Field(min_length=1, max_length=3 * MOST_PARTNERSHIPS)]
        | None
    ) = None

    @model_validator(mode="after")
    def _each_setting_reviewed_once(self) -> Self:
        reviewed = self.reviewed_settings or ()
        if len(set(reviewed)) != len(reviewed):
            raise ValueError("a setting is reviewed once in a cycle")
        return self

    def cycle(self) -> ReviewCycle:
        return ReviewCycle.model_validate(self.model_dump(exclude={"reviewed_settings"}))

    def reviewed(self) -> tuple[str, ...]:
        every = tuple(setting for pair in self.partnerships for setting in pair)
        return self.reviewed_settings or every


@router.post("", status_code=201)
async def open_a_cycle(
    request: Request,
    body: CycleRequest,
    who: Principal = Depends(permit(POLICY, "cycle.open")),
) -> JSONResponse:
    """Open a cycle in one of the caller's districts and schedule a review of each setting
    reviewed in it."""
    cycle = body.cycle()
    reviewed = [(new_id("review"), setting) for setting in body.reviewed()]

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        reviews = await open_cycle(work, cycle, reviewed, today(), who)
        return 201, cycle_view(cycle, reviews)

    return await run_command(request, who, handle)


@router.get("/{cycle_id}")
async def read(
    request: Request,
    cycle_id: PseudonymousId,
    who: Principal = Depends(permit(POLICY, "cycle.read")),
) -> dict[str, Any]:
    """A cycle with its partnerships and each review's stage."""
    async with request.app.state.service.pool.acquire() as connection:
        store = ReviewsStore(connection)
        cycle = await store.cycle(cycle_id)
        if cycle is None:
            raise NotFound(f"no cycle {cycle_id}")
        POLICY.check(who, "cycle.read", cycle_record(cycle))
        return cycle_view(cycle, await store.reviews_of([cycle_id]))
