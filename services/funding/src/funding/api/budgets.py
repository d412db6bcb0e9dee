"""Annual High Needs budgets per area: committed, released and remaining."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from funding import access
from funding.access import PERMIT, POLICY
from funding.adapters import FundingStore
from funding.domain.budget import view
from funding.domain.dates import FinancialYear
from funding.handlers.budgets import set_budget
from inclusion_shared.auth import Principal
from inclusion_shared.kent import Area
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound

router = APIRouter(prefix="/budgets", tags=["budgets"])
# Validated as the domain validates it, so every year a path names is one a budget can have.
FinancialYearPath = Annotated[FinancialYear, Path(examples=["2026-27"])]
# Kent's whole High Needs Block is a few hundred million pounds; anything near this is a typo.
MAX_ANNUAL_PENCE = 10_000_000_000


class BudgetAmount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    annual_amount_pence: int = Field(gt=0, le=MAX_ANNUAL_PENCE, strict=True)


@router.put("/{area}/{financial_year}")
async def put_budget(
    request: Request,
    area: Area,
    financial_year: FinancialYearPath,
    amount: BudgetAmount,
    who: Principal = Depends(PERMIT["budget.set"]),
) -> JSONResponse:
    """Set an area's annual budget for a financial year (April to March): an officer covering
    the whole area (or Kent)."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        budget = await set_budget(work, who, area, financial_year, amount.annual_amount_pence)
        return 200, budget.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.get("/{area}/{financial_year}")
async def get_budget(
    request: Request,
    area: Area,
    financial_year: FinancialYearPath,
    who: Principal = Depends(PERMIT["budget.read"]),
) -> dict[str, Any]:
    """An area's budget for a financial year, for the officers and Area Board covering the
    area, and the auditor."""
    POLICY.check(who, "budget.read", access.budget(area))
    async with request.app.state.service.pool.acquire() as connection:
        budget = await FundingStore(connection).budget(area, financial_year)
    if budget is None:
        raise NotFound(f"no budget is set for {area} in {financial_year}")
    return view(budget).model_dump(mode="json")
