"""Placement requests and the consultations on them: the family's preferences and always the
nearest suitable mainstream school, each with its reply clock; a consulted setting's reply."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import uuid4

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    CONSULTATION_ANSWERED,
    CONSULTATION_SENT,
    PLACEMENT_REQUESTED,
    ConsultationAnswered,
    ConsultationSent,
    PlacementRequested,
)
from inclusion_shared.kent import AREA_OF
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound
from placements.access import POLICY, of_consultation, of_request, of_stored_request
from placements.adapters import PlacementsStore, StoredConsultation, StoredRequest
from placements.domain.consultation import Answer, Reply, consult, record_reply, reply_due_on
from placements.domain.registry import SettingRegistry
from placements.domain.request import PlacementRequest
from placements.handlers.case_clocks import keep_consultation_clock, timescales_in_force
from placements.handlers.refusals import the_rules

# Consultations go out once a request is received; a decision can follow them.
CONSULTABLE = {"received"}


def consultation_view(stored: StoredConsultation) -> dict[str, Any]:
    """A consultation as the API shows it, with the day its reply is due."""
    return stored.view(reply_due_on(stored.consultation, timescales_in_force()))


async def registry_of(store: PlacementsStore, setting_ids: list[str]) -> SettingRegistry:
    """The registry as far as these settings go; an id not registered stays unknown to it."""
    return SettingRegistry(settings=tuple(await store.settings(sorted(set(setting_ids)))))


async def receive_request(
    work: UnitOfWork, who: Principal, request: PlacementRequest
) -> StoredRequest:
    """Record a request for a child in a district of the caller's; each setting the family
    ranks must be registered."""
    POLICY.check(who, "request.receive", of_request(request))
    store = PlacementsStore(work.connection)
    if await store.has_request(request.request_id):
        raise Conflict(f"request {request.request_id} already exists")
    registry = await registry_of(store, list(request.preferences))
    with the_rules():
        for setting_id in request.preferences:
            registry.setting(setting_id)
    await store.add_request(request, "received")
    work.emit(
        PLACEMENT_REQUESTED.type,
        request.child_id,
        PlacementRequested(
            request_id=request.request_id,
            child_id=request.child_id,
            district=request.district,
            area=AREA_OF[request.district],
            academic_year=request.academic_year,
            phase=request.phase.value,
            year_group=int(request.year_group),
            need_type=request.need_type.value,
            has_ehcp=request.has_ehcp,
            provision_sought=request.provision_sought.value,
            preferences=request.preferences,
            received_on=request.received_on,
        ),
    )
    return StoredRequest(request, "received")


async def send_consultations(
    work: UnitOfWork, who: Principal, request_id: str, nearest_mainstream_id: str, today: date
) -> list[StoredConsultation]:
    """Consult every preference, in rank order, and the nearest suitable mainstream school."""
    store = PlacementsStore(work.connection)
    stored = await store.request(request_id, for_update=True)
    if stored is None:
        raise NotFound(f"no request {request_id}")
    POLICY.check(who, "consultation.send", of_stored_request(stored))
    if stored.status not in CONSULTABLE:
        raise Conflict(f"request {request_id} is {stored.status}; its consultations are sent")
    request = stored.request
    registry = await registry_of(store, [*request.preferences, nearest_mainstream_id])
    timescales = timescales_in_force()
    with the_rules():
        consultations = consult(request, registry, nearest_mainstream_id, today)
    sent = []
    for consultation in consultations:
        consultation_id = f"con-{uuid4().hex[:20]}"
        await store.add_consultation(consultation_id, consultation, request.child_id)
        stored_consultation = StoredConsultation(
            consultation_id,
            consultation,
            request.child_id,
            request.district.value,
            stored.panel_id,
        )
        await keep_consultation_clock(store, stored_consultation)
        sent.append(stored_consultation)
        work.emit(
            CONSULTATION_SENT.type,
            consultation_id,
            ConsultationSent(
                consultation_id=consultation_id,
                request_id=request.request_id,
                child_id=request.child_id,
                setting_id=consultation.setting_id,
                setting_type=consultation.provision.value,
                nearest_mainstream=consultation.nearest_mainstream,
                preference_rank=request.rank_of(consultation.setting_id),
                sent_on=consultation.sent_on,
                reply_due_on=reply_due_on(consultation, timescales),
                timescales_version=timescales.version,
            ),
        )
    await store.set_request_status(request_id, "consulting")
    return sent


async def answer_consultation(
    work: UnitOfWork,
    who: Principal,
    consultation_id: str,
    answer: Answer,
    reason: str | None,
    today: date,
) -> StoredConsultation:
    """The consulted setting's SENCO accepts or declines (with a reason code), once."""
    store = PlacementsStore(work.connection)
    stored = await store.consultation(consultation_id, for_update=True)
    if stored is None:
        raise NotFound(f"no consultation {consultation_id}")
    POLICY.check(who, "consultation.answer", of_consultation(stored))
    with the_rules():
        answered = record_reply(stored.consultation, Reply(on=today, answer=answer, reason=reason))
    await store.save_reply(consultation_id, answered)
    replied = replace(stored, consultation=answered)
    await keep_consultation_clock(store, replied)
    due = reply_due_on(answered, timescales_in_force())
    work.emit(
        CONSULTATION_ANSWERED.type,
        consultation_id,
        ConsultationAnswered(
            consultation_id=consultation_id,
            request_id=answered.request_id,
            setting_id=answered.setting_id,
            answer=answer.value,
            reason=reason,
            answered_on=today,
            reply_due_on=due,
            on_time=today <= due,
        ),
    )
    return replied
