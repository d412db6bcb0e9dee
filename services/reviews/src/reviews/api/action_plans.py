"""The action plan and the follow-up: the reviewed setting agrees actions (owner by role, due
date) and marks them done; the coordinator sweeps for overdue actions; the coordinator or a
reviewer records the follow-up, which closes the loop."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from reviews.access import POLICY
from reviews.api.deps import new_id, today
from reviews.api.views import progress_view
from reviews.domain.action_plan import MOST_ACTIONS, ActionItem, ActionOwner
from reviews.domain.follow_up import ActionChange
from reviews.domain.values import PseudonymousId, Summary
from reviews.handlers.action_plans import agree_plan, complete, raise_overdue
from reviews.handlers.follow_up import follow_up

router = APIRouter(tags=["action plans"])


class ActionRequest(BaseModel):
    """One action, answering one area-for-development finding of the report."""

    model_config = ConfigDict(extra="forbid")

    item_id: PseudonymousId = Field(default_factory=lambda: new_id("action"))
    finding_id: PseudonymousId
    action: Summary
    owner: ActionOwner
    due_on: date

    def item(self) -> ActionItem:
        return ActionItem.model_validate(self.model_dump())


class ActionPlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: Annotated[tuple[ActionRequest, ...], Field(min_length=1, max_length=MOST_ACTIONS)]


class FollowUpRequest(BaseModel):
    """What changed for every action in the plan, with the evidence seen."""

    model_config = ConfigDict(extra="forbid")

    actions: Annotated[tuple[ActionChange, ...], Field(max_length=MOST_ACTIONS)]


class SweepRequest(BaseModel):
    """The day to sweep as of; today unless given."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None


@router.post("/reviews/{review_id}/action-plan", status_code=201)
async def agree(
    request: Request,
    review_id: PseudonymousId,
    body: ActionPlanRequest,
    who: Principal = Depends(permit(POLICY, "action-plan.agree")),
) -> JSONResponse:
    """The reviewed setting's SENCO records the agreed plan, once the report is issued."""
    items = [action.item() for action in body.items]

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 201, progress_view(await agree_plan(work, review_id, who, items, today()))

    return await run_command(request, who, handle)


@router.post("/reviews/{review_id}/actions/{item_id}/completion")
async def mark_done(
    request: Request,
    review_id: PseudonymousId,
    item_id: PseudonymousId,
    who: Principal = Depends(permit(POLICY, "action.complete")),
) -> JSONResponse:
    """The reviewed setting's SENCO marks an action done."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        done = await complete(work, review_id, who, item_id, today())
        return 200, done.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.post("/actions/overdue-sweep")
async def sweep(
    request: Request,
    body: SweepRequest | None = None,
    who: Principal = Depends(permit(POLICY, "overdue.sweep")),
) -> JSONResponse:
    """Raise an event for each open action past its due date, once per action, of the reviews
    in the caller's places."""
    as_of = (body.as_of if body else None) or today()

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        raised = await raise_overdue(work, who, as_of)
        return 200, {"as_of": as_of.isoformat(), "raised": raised}

    return await run_command(request, who, handle)


@router.post("/reviews/{review_id}/follow-up", status_code=201)
async def record(
    request: Request,
    review_id: PseudonymousId,
    body: FollowUpRequest,
    who: Principal = Depends(permit(POLICY, "follow-up.record")),
) -> JSONResponse:
    """The coordinator or a reviewer records the follow-up of every action in the plan."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 201, progress_view(await follow_up(work, review_id, who, body.actions, today()))

    return await run_command(request, who, handle)
