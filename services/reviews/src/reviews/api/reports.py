"""The written report: the reviewers draft it; the reviewed setting owns it and decides who
else reads it. Anyone else, Area Boards and KCC officers included, is refused (403)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import PersonId
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged
from inclusion_shared.web.problems import NotFound
from reviews.access import POLICY, check_report, check_review
from reviews.adapters import ReviewsStore
from reviews.api.deps import new_id, today
from reviews.api.views import report_view
from reviews.domain.findings import Report
from reviews.domain.sharing import Role as GranteeRole
from reviews.domain.values import PseudonymousId
from reviews.handlers.reports import draft_report, grant, revoke

router = APIRouter(prefix="/reviews/{review_id}", tags=["reports"])


class GrantRequest(BaseModel):
    """Who may read the report: everyone matching all the fields given (at least one)."""

    model_config = ConfigDict(extra="forbid")

    grant_id: PseudonymousId = Field(default_factory=lambda: new_id("grant"))
    role: GranteeRole | None = None
    subject: PersonId | None = None
    setting: PseudonymousId | None = None


@router.put("/report")
async def write(
    request: Request,
    review_id: PseudonymousId,
    body: Report,
    who: Principal = Depends(permit(POLICY, "report.write")),
) -> JSONResponse:
    """A reviewer writes the report at the written-report stage: strengths and areas for
    development per area of review, each with its evidence; estimates only where the cycle has
    turned them on. Rewriting replaces the draft."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        review = await draft_report(work, review_id, who, body.findings, body.estimates)
        return 200, report_view(review)

    return await run_command(request, who, handle)


@router.get("/report")
async def read(
    request: Request,
    review_id: PseudonymousId,
    who: Principal = Depends(permit(POLICY, "report.read")),
) -> dict[str, Any]:
    """The report, for its owner, its reviewers and those the owner has granted."""
    async with request.app.state.service.pool.acquire() as connection:
        found = await ReviewsStore(connection).review(review_id)
    if found is None:
        raise NotFound(f"no review {review_id}")
    check_report(who, found.review, found.cycle)
    if found.review.report is None:
        raise NotFound(f"the report of review {review_id} is not written yet")
    return report_view(found.review)


# Where a grant stands in the order the owner made them: the key its list pages by.
BY_PLACE: TypeAdapter[tuple[int]] = TypeAdapter(
    tuple[Annotated[int, Field(strict=True, ge=1, le=2**62)]]
)


@router.get("/grants")
async def grants(
    request: Request,
    review_id: PseudonymousId,
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(permit(POLICY, "grant.list")),
) -> dict[str, Any]:
    """The grants the reviewed setting has made, in the order made, revoked ones included, for
    its SENCO (and the auditor); a page at a time."""
    after = page.after_as(BY_PLACE)
    scope = POLICY.where(who, "grant.list", first=4, setting="r.setting_id", district="c.district")
    async with request.app.state.service.pool.acquire() as connection:
        store = ReviewsStore(connection)
        found = await store.review(review_id)
        if found is None:
            raise NotFound(f"no review {review_id}")
        check_review(who, "grant.list", found.review, found.cycle)
        rows = await store.grants(review_id, after[0] if after else None, page.fetch, scope)
    given, cursor = page.of(rows, lambda row: (row[0],))
    return paged([g.model_dump(mode="json") for _, g in given], cursor, "grants")


@router.post("/grants", status_code=201)
async def grant_access(
    request: Request,
    review_id: PseudonymousId,
    body: GrantRequest,
    who: Principal = Depends(permit(POLICY, "grant.give")),
) -> JSONResponse:
    """The reviewed setting's SENCO lets someone read the report. A grant to Area Boards or
    KCC officers is refused: they see anonymised themes only."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        given = await grant(
            work,
            review_id,
            who,
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
    who: Principal = Depends(permit(POLICY, "grant.revoke")),
) -> JSONResponse:
    """The reviewed setting's SENCO withdraws a grant; it stays on record, revoked."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        revoked = await revoke(work, review_id, who, grant_id, today())
        return 200, revoked.model_dump(mode="json")

    return await run_command(request, who, handle)
