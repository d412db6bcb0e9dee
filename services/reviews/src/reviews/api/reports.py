"""The written report: the reviewers draft it; the reviewed setting owns it and decides who
else reads it. Anyone else, Area Boards and KCC officers included, finds no report (404)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from inclusion_shared.auth import Principal, Role, allow
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged
from inclusion_shared.web.problems import NotFound
from reviews.adapters import ReviewsStore
from reviews.api.deps import as_domain, new_id, start_after, today
from reviews.api.views import report_view
from reviews.domain.findings import Report
from reviews.domain.sharing import Role as GranteeRole
from reviews.domain.sharing import is_senco_of, may_read_report
from reviews.domain.values import PseudonymousId
from reviews.handlers.reports import draft_report, grant, revoke

router = APIRouter(prefix="/reviews/{review_id}", tags=["reports"])


class GrantRequest(BaseModel):
    """Who may read the report: everyone matching all the fields given (at least one)."""

    model_config = ConfigDict(extra="forbid")

    grant_id: PseudonymousId = Field(default_factory=lambda: new_id("grant"))
    role: GranteeRole | None = None
    subject: PseudonymousId | None = None
    setting: PseudonymousId | None = None


@router.put("/report")
async def write(
    request: Request,
    review_id: PseudonymousId,
    body: Report,
    who: Principal = Depends(allow(Role.SENCO)),
) -> JSONResponse:
    """A reviewer writes the report at the written-report stage: strengths and areas for
    development per area of review, each with its evidence; estimates only where the cycle has
    turned them on. Rewriting replaces the draft."""
    caller = as_domain(who)

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        review = await draft_report(work, review_id, caller, body.findings, body.estimates)
        return 200, report_view(review)

    return await run_command(request, who, handle)


@router.get("/report")
async def read(
    request: Request, review_id: PseudonymousId, who: Principal = Depends(allow(*Role))
) -> dict[str, Any]:
    """The report, for its owner, its reviewers and those the owner has granted."""
    async with request.app.state.service.pool.acquire() as connection:
        found = await ReviewsStore(connection).review(review_id)
    if found is None or not may_read_report(found.review, as_domain(who)):
        raise NotFound(f"no report of review {review_id} that you may read")
    if found.review.report is None:
        raise NotFound(f"the report of review {review_id} is not written yet")
    return report_view(found.review)


# Where a grant stands in the order the owner made them: the key its list pages by.
PLACE: TypeAdapter[int] = TypeAdapter(Annotated[int, Field(strict=True, ge=1, le=2**62)])


@router.get("/grants")
async def grants(
    request: Request,
    review_id: PseudonymousId,
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(allow(Role.SENCO)),
) -> dict[str, Any]:
    """The grants the reviewed setting has made, in the order made, revoked ones included, for
    its SENCO; a page at a time."""
    after = start_after(page, PLACE)
    async with request.app.state.service.pool.acquire() as connection:
        store = ReviewsStore(connection)
        setting = await store.setting_reviewed(review_id)
        if setting is None or not is_senco_of(setting, as_domain(who)):
            raise NotFound(f"no review {review_id} of your setting")
        rows = await store.grants(review_id, after[0] if after else None, page.fetch)
    found, cursor = page.of(rows, lambda row: (row[0],))
    return paged([g.model_dump(mode="json") for _, g in found], cursor, "grants")


@router.post("/grants", status_code=201)
async def grant_access(
    request: Request,
    review_id: PseudonymousId,
    body: GrantRequest,
    who: Principal = Depends(allow(Role.SENCO)),
) -> JSONResponse:
    """The reviewed setting's SENCO lets someone read the report. A grant to Area Boards or
    KCC officers is refused: they see anonymised themes only."""
    caller = as_domain(who)

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        given = await grant(
            work,
            review_id,
            caller,
            body.grant_id,
            today(),
            role=body.role,
            subject=body.subject,
            setting=body.setting,
        )
        return 201, given.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.post("/grants/{grant_id}/revocation")
async def revoke_access(
    request: Request,
    review_id: PseudonymousId,
    grant_id: PseudonymousId,
    who: Principal = Depends(allow(Role.SENCO)),
) -> JSONResponse:
    """The reviewed setting's SENCO withdraws a grant; it stays on record, revoked."""
    caller = as_domain(who)

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        revoked = await revoke(work, review_id, caller, grant_id, today())
        return 200, revoked.model_dump(mode="json")

    return await run_command(request, who, handle)
