"""Setting an area's annual High Needs budget."""

from __future__ import annotations

from funding import access
from funding.access import POLICY
from funding.adapters import FundingStore
from funding.domain.budget import Budget, BudgetView, view
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.funding import BUDGET_SET, BudgetSet
from inclusion_shared.kent import Area
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Unprocessable


async def set_budget(
    work: UnitOfWork, who: Principal, area: Area, financial_year: str, annual_pence: int
) -> BudgetView:
    POLICY.check(who, "budget.set", access.budget(area))
    store = FundingStore(work.connection)
    current = await store.budget(area, financial_year, for_update=True)
    if current is None:
        budget = Budget(area=area, financial_year=financial_year, annual_amount_pence=annual_pence)
    else:
        budget = current.evolve(annual_amount_pence=annual_pence)
        if view(budget).remaining_pence < 0 and view(current).remaining_pence >= 0:
            raise Unprocessable(
                "the new amount is below what is already committed", code="budget_below_commitments"
            )
    await store.save_budget(budget)
    work.emit(
        BUDGET_SET.type,
        f"{area.value}:{financial_year}",
        BudgetSet(area=area, financial_year=financial_year, annual_amount_pence=annual_pence),
    )
    return view(budget)
