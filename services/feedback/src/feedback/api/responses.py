"""Responses: giving views, seeing one's own, withdrawing consent, and erasing a person's
feedback."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from feedback.access import PERMIT, POLICY, reach, response_record
from feedback.adapters import FeedbackStore
from feedback.api.deps import BY_DAY_AND_ID, pool, today, vault
from feedback.api.views import received_key, response_view
from feedback.domain.response import Answer, Consent
from feedback.domain.values import PseudonymousId, Voice
from feedback.handlers.responses import ResponseForm, erase_person, submit_response, withdraw
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import CHILD_ID_PATTERN, PERSON_ID_PATTERN
from inclusion_shared.kent import District
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged
from inclusion_shared.web.problems import NotFound

router = APIRouter(tags=["responses"])

KeyOwner = Annotated[
    str,
    StringConstraints(
        pattern=(
            rf"^({CHILD_ID_PATTERN[1:-1]}|{PERSON_ID_PATTERN[1:-1]}"
            r"|response:[A-Za-z0-9][A-Za-z0-9_.:-]{0,79})$"
        ),
        max_length=89,
    ),
]
"""Whose key seals a response's words: a child or a named respondent (by their minted ids), or
`response:<response id>` for an anonymous response."""


class ResponseRequest(BaseModel):
    """A response: whose views, consent, answers, and where from — a district (and Community of
    Schools or setting), or the invitation being answered."""

    model_config = ConfigDict(extra="forbid")

    response_id: PseudonymousId = Field(default_factory=lambda: f"response-{uuid4().hex[:20]}")
    voice: Voice
    anonymous: bool = False
    consent: Consent
    individual_complaint: bool = False
    answers: Annotated[tuple[Answer, ...], Field(max_length=50)]
    district: District | None = None
    community_of_schools: PseudonymousId | None = None
    setting_id: PseudonymousId | None = None
    invitation_id: PseudonymousId | None = None


@router.post("/surveys/{survey_id}/responses", status_code=201)
async def respond(
    request: Request,
    survey_id: PseudonymousId,
    body: ResponseRequest,
    who: Principal = Depends(PERMIT["response.give"]),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Give views. Free text is kept encrypted and reaches no event; a response marked as an
    individual complaint goes to the complaints process and is never published. An officer may
    record views heard at a forum meeting or via the Local Offer, unnamed."""
    form = ResponseForm(
        response_id=body.response_id,
        survey_id=survey_id,
        voice=body.voice,
        anonymous=body.anonymous,
        consent=body.consent,
        individual_complaint=body.individual_complaint,
        answers=body.answers,
        district=body.district,
        community_of_schools=body.community_of_schools,
        setting_id=body.setting_id,
        invitation_id=body.invitation_id,
    )
    caller = who.subject

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        stored = await submit_response(work, the_vault, who, caller, form, today())
        view = await response_view(work.connection, the_vault, stored, who, with_words=False)
        return 201, view

    return await run_command(request, who, handle)


@router.get("/responses/mine")
async def mine(
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["own-response.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
    the_vault: PersonalDataVault = Depends(vault),
) -> dict[str, Any]:
    """Your own responses (a parent's or young person's: those about their child; a SENCO's:
    those they gave), with your own words, in the order received, a page at a time. Anonymous
    responses are linked to nobody, so they are not here."""
    after = page.after_as(BY_DAY_AND_ID)
    async with the_pool.acquire() as connection:
        rows = await FeedbackStore(connection).responses_of(
            reach(who, "own-response.read"), after, page.fetch
        )
        found, cursor = page.of(rows, received_key)
        views = [await response_view(connection, the_vault, stored, who) for stored in found]
    return paged(views, cursor, "responses")


@router.get("/responses/{response_id}")
async def read(
    response_id: PseudonymousId,
    who: Principal = Depends(PERMIT["response.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
    the_vault: PersonalDataVault = Depends(vault),
) -> dict[str, Any]:
    """One response: a respondent sees only their own; a moderator, one in their places, its
    words but not who gave them; an auditor its codes."""
    async with the_pool.acquire() as connection:
        stored = await FeedbackStore(connection).response(response_id)
        if stored is None:
            raise NotFound(f"no response {response_id}")
        POLICY.check(who, "response.read", response_record(stored.response))
        return await response_view(connection, the_vault, stored, who)


@router.post("/responses/{response_id}/consent-withdrawal")
async def withdraw_consent(
    request: Request,
    response_id: PseudonymousId,
    who: Principal = Depends(PERMIT["consent.withdraw"]),
) -> JSONResponse:
    """Withdraw consent: the response leaves every published figure and its words are deleted.
    A respondent withdraws their own; an officer, in their places, on a respondent's behalf."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        withdrawn = await withdraw(work, who, response_id, today())
        return 200, {
            "response_id": withdrawn.response_id,
            "status": withdrawn.status.value,
            "withdrawn_on": str(withdrawn.withdrawn_on),
        }

    return await run_command(request, who, handle)


@router.post("/people/{person_id}/erasure")
async def erase(
    request: Request,
    person_id: KeyOwner,
    who: Principal = Depends(PERMIT["person.erase"]),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Erase a person's feedback (a child, or a named respondent): their key is deleted, so their
    words are unreadable wherever copied, and each of their responses leaves every figure."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        shredded, withdrawn = await erase_person(work, the_vault, who, person_id, today())
        if not shredded and not withdrawn:
            raise NotFound(f"no feedback is kept for {person_id}")
        return 200, {
            "person_id": person_id,
            "key_shredded": shredded,
            "responses_withdrawn": [response.response_id for response in withdrawn],
        }

    return await run_command(request, who, handle)
