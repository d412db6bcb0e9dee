"""The roster of peer reviewers: kept by an officer of each reviewer's district, added to by a
reviewer declaring their own interests, read by officers, the reviewer themselves and the
auditor. A review's coordinator assigns reviewers from it by id."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, TypeAdapter

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import PersonId
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged
from inclusion_shared.web.problems import NotFound
from reviews.access import POLICY, reviewer_record
from reviews.adapters import ReviewsStore
from reviews.api.deps import today
from reviews.domain.roster import ReviewerTerms
from reviews.domain.values import PseudonymousId
from reviews.handlers.roster import declare, set_entry

router = APIRouter(prefix="/reviewers", tags=["reviewers"])

# Where an entry stands in the roster's order: the key its list pages by.
BY_REVIEWER: TypeAdapter[tuple[PseudonymousId]] = TypeAdapter(tuple[PseudonymousId])


class InterestRequest(BaseModel):
    """A setting the reviewer has an interest in (they govern it, have worked or have a child
    there): they will not review it."""

    model_config = ConfigDict(extra="forbid")

    setting_id: PseudonymousId


@router.put("/{reviewer_id}")
async def put_entry(
    request: Request,
    reviewer_id: PersonId,
    body: ReviewerTerms,
    who: Principal = Depends(permit(POLICY, "reviewer.enrol")),
) -> JSONResponse:
    """Enrol a reviewer or change their entry, as an officer of their setting's district: the
    setting, what they are there, their term, when they were trained and their declared
    interests. The same entry again changes nothing and keeps its version."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        enrolled = await set_entry(work, who, reviewer_id, body, today())
        return 200, enrolled.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.post("/{reviewer_id}/interests")
async def declare_interest(
    request: Request,
    reviewer_id: PersonId,
    body: InterestRequest,
    who: Principal = Depends(permit(POLICY, "reviewer.declare")),
) -> JSONResponse:
    """The reviewer declares, as themselves, an interest in a setting; declared again, nothing
    changes."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        enrolled = await declare(work, who, reviewer_id, body.setting_id, today())
        return 200, enrolled.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.get("/{reviewer_id}")
async def read_entry(
    request: Request,
    reviewer_id: PersonId,
    who: Principal = Depends(permit(POLICY, "reviewer.read")),
) -> dict[str, Any]:
    """A reviewer's current entry on the roster and its version."""
    async with request.app.state.service.pool.acquire() as connection:
        enrolled = await ReviewsStore(connection).enrolled(reviewer_id)
    if enrolled is None:
        raise NotFound(f"no reviewer {reviewer_id} on the roster")
    POLICY.check(who, "reviewer.read", reviewer_record(enrolled))
    return enrolled.model_dump(mode="json")


@router.get("")
async def list_entries(
    request: Request,
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(permit(POLICY, "reviewer.read")),
) -> dict[str, Any]:
    """The roster's entries the caller may read, by reviewer id, a page at a time: an officer
    those of their places, a reviewer their own; follow `next`."""
    after = page.after_as(BY_REVIEWER)
    scope = POLICY.where(who, "reviewer.read", first=3, district="district", made_by="reviewer_id")
    async with request.app.state.service.pool.acquire() as connection:
        entries = await ReviewsStore(connection).roster_page(
            after[0] if after else None, page.fetch, scope
        )
    shown, cursor = page.of(entries, lambda entry: (entry.reviewer_id,))
    return paged([entry.model_dump(mode="json") for entry in shown], cursor, "reviewers")
