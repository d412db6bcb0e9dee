"""Placement requests, the consultations on them, and consulted settings' replies."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import NEW_CHILD, ChildId, mint_child_id
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, check_case, of_consultation
from placements.adapters import PlacementsStore
from placements.api.deps import not_after_today, today, vault
from placements.domain.consultation import Answer
from placements.domain.request import PlacementRequest
from placements.domain.values import PseudonymousId, ReasonCode
from placements.handlers.requests import (
    answer_consultation,
    consultation_view,
    receive_request,
    send_consultations,
)

router = APIRouter(tags=["requests and consultations"])
REQUEST_RECEIVE = permit(POLICY, "request.receive")
REQUEST_READ = permit(POLICY, "request.read")
CONSULTATION_SEND = permit(POLICY, "consultation.send")
CONSULTATION_READ = permit(POLICY, "consultation.read")
CONSULTATION_ANSWER = permit(POLICY, "consultation.answer")


class ChildDetails(BaseModel):
    """Who the child is. Kept only in this service, encrypted under the child's own key."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    date_of_birth: date


class PlacementRequestBody(PlacementRequest):
    """A request as an officer records it; the service names it unless the officer does."""

    request_id: PseudonymousId = Field(default_factory=lambda: f"req-{uuid4().hex[:20]}")
    child_id: ChildId = Field(default_factory=mint_child_id, description=NEW_CHILD)
    child_details: ChildDetails | None = None

    def request(self) -> PlacementRequest:
        return PlacementRequest.model_validate(self.model_dump(exclude={"child_details"}))


class ConsultationsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nearest_mainstream_id: PseudonymousId = Field(
        description="the nearest suitable mainstream school, consulted whatever the preferences"
    )


class ReplyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Answer
    reason: ReasonCode | None = Field(None, description="a code; a decline needs one")


@router.post("/requests", status_code=201)
async def receive(
    request: Request,
    body: PlacementRequestBody,
    who: Principal = Depends(REQUEST_RECEIVE),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Record a placement request for a pseudonymous child: year group, need, EHCP or not, the
    provision sought and the family's settings, most preferred first."""
    placement_request = body.request()
    not_after_today(placement_request.received_on, today(request), "received_on")

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        stored = await receive_request(work, who, placement_request)
        if body.child_details is not None:
            await the_vault.seal(
                work.connection,
                placement_request.child_id,
                f"child-details:{placement_request.request_id}",
                "child-details",
                body.child_details.model_dump(mode="json"),
            )
        return 201, stored.view()

    return await run_command(request, who, handle)


@router.get("/requests/{request_id}")
async def read_request(
    request: Request,
    request_id: PseudonymousId,
    who: Principal = Depends(REQUEST_READ),
) -> dict[str, Any]:
    """A request with its consultations, the proposals put to panels with their votes, its
    decisions and offers, for those entitled to see it: a parent or young person sees only
    their own, a panel member only one put to their panel."""
    async with request.app.state.service.pool.acquire() as connection:
        store = PlacementsStore(connection)
        stored = await store.request(request_id)
        if stored is None:
            raise NotFound(f"no request {request_id}")
        proposals = await store.proposals_of(request_id)
        check_case(who, "request.read", stored, (p.panel_id for p in proposals))
        return {
            **stored.view(),
            "consultations": [consultation_view(c) for c in await store.consultations(request_id)],
            "proposals": [proposal.view() for proposal in proposals],
            "decisions": await store.decisions_of(request_id),
            "offers": [offer.view() for offer in await store.offers_of(request_id)],
        }


@router.post("/requests/{request_id}/consultations", status_code=201)
async def consult(
    request: Request,
    request_id: PseudonymousId,
    body: ConsultationsRequest,
    who: Principal = Depends(CONSULTATION_SEND),
) -> JSONResponse:
    """Consult the family's settings and the nearest suitable mainstream school; each reply is
    due within the statutory days."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        sent = await send_consultations(
            work, who, request_id, body.nearest_mainstream_id, today(request)
        )
        return 201, {
            "request_id": request_id,
            "consultations": [consultation_view(c) for c in sent],
        }

    return await run_command(request, who, handle)


@router.get("/consultations/{consultation_id}")
async def read_consultation(
    request: Request,
    consultation_id: PseudonymousId,
    who: Principal = Depends(CONSULTATION_READ),
) -> dict[str, Any]:
    """A consultation; a SENCO sees only those with their own setting."""
    async with request.app.state.service.pool.acquire() as connection:
        stored = await PlacementsStore(connection).consultation(consultation_id)
    if stored is None:
        raise NotFound(f"no consultation {consultation_id}")
    POLICY.check(who, "consultation.read", of_consultation(stored))
    return consultation_view(stored)


@router.post("/consultations/{consultation_id}/reply")
async def reply(
    request: Request,
    consultation_id: PseudonymousId,
    body: ReplyRequest,
    who: Principal = Depends(CONSULTATION_ANSWER),
) -> JSONResponse:
    """The consulted setting's SENCO accepts or declines, once; only their own setting's."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        answered = await answer_consultation(
            work, who, consultation_id, body.answer, body.reason, today(request)
        )
        return 200, consultation_view(answered)

    return await run_command(request, who, handle)
