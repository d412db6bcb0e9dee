"""Consulting settings on a placement request, and the clock for their replies.

The authority consults every setting the family prefers and always the nearest suitable
mainstream school. A consulted setting has 15 calendar days to reply (the timescales data):
consulted on day 0, a reply on day 15 is on time, none by day 16 is overdue.
"""

from datetime import date, timedelta
from enum import StrEnum
from typing import Self

from pydantic import model_validator

from placements.domain.clocks import Clock, ClockKind, ClockStop
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.registry import SettingRegistry
from placements.domain.request import PlacementRequest
from placements.domain.setting import ProvisionType, check_suitable
from placements.domain.timescales import Timescales
from placements.domain.values import DomainModel, PseudonymousId, ReasonCode


class Answer(StrEnum):
    """A consulted setting accepts or declines."""

    ACCEPT = "accept"
    DECLINE = "decline"


class Reply(DomainModel):
    """A consulted setting's reply. A decline carries a reason code."""

    on: date
    answer: Answer
    reason: ReasonCode | None = None


class Consultation(DomainModel):
    """One setting consulted on one request, with the setting's kind as it was when consulted."""

    request_id: PseudonymousId
    setting_id: PseudonymousId
    provision: ProvisionType
    nearest_mainstream: bool
    sent_on: date
    reply: Reply | None = None

    @model_validator(mode="after")
    def _nearest_mainstream_is_mainstream(self) -> Self:
        if self.nearest_mainstream and self.provision is not ProvisionType.MAINSTREAM:
            raise ValueError("only a mainstream school is consulted as the nearest mainstream")
        return self


def consult(
    request: PlacementRequest, registry: SettingRegistry, nearest_mainstream_id: str, sent_on: date
) -> tuple[Consultation, ...]:
    """Consult each preference in rank order, and the nearest suitable mainstream school.

    The nearest mainstream school is consulted even when the family did not name it. Refused when
    a setting is not registered, or the nearest mainstream school is not mainstream or cannot take
    the child's year group.
    """
    if sent_on < request.received_on:
        raise DecisionRefused(RefusalCode.CONSULTED_BEFORE_REQUEST)
    nearest = registry.setting(nearest_mainstream_id)
    if nearest.provision is not ProvisionType.MAINSTREAM:
        raise DecisionRefused(RefusalCode.NEAREST_IS_NOT_MAINSTREAM, (nearest_mainstream_id,))
    check_suitable(nearest, request.year_group, request.need_type)
    ids = list(request.preferences)
    if nearest.setting_id not in ids:
        ids.append(nearest.setting_id)
    return tuple(
        Consultation(
            request_id=request.request_id,
            setting_id=setting_id,
            provision=registry.setting(setting_id).provision,
            nearest_mainstream=setting_id == nearest.setting_id,
            sent_on=sent_on,
        )
        for setting_id in ids
    )


def record_reply(consultation: Consultation, reply: Reply) -> Consultation:
    """Record a setting's reply: once, not before it was consulted, a decline with a reason."""
    if consultation.reply is not None:
        raise DecisionRefused(RefusalCode.ALREADY_REPLIED, (consultation.setting_id,))
    if reply.on < consultation.sent_on:
        raise DecisionRefused(RefusalCode.REPLY_BEFORE_CONSULTATION)
    if reply.answer is Answer.DECLINE and reply.reason is None:
        raise DecisionRefused(RefusalCode.DECLINE_WITHOUT_REASON)
    return consultation.evolve(reply=reply)


def reply_due_on(consultation: Consultation, timescales: Timescales) -> date:
    """The last day for the setting's reply, counting calendar days, weekends included."""
    return consultation.sent_on + timedelta(days=timescales.consultation_reply_days)


def consultation_clock(consultation: Consultation, timescales: Timescales) -> Clock:
    """The reply clock for one consultation, met by the setting's reply."""
    clock = Clock(
        subject_id=consultation.request_id,
        kind=ClockKind.CONSULTATION_REPLY,
        due_on=reply_due_on(consultation, timescales),
        timescales_version=timescales.version,
        party_id=consultation.setting_id,
    )
    if consultation.reply is None:
        return clock
    return clock.evolve(stopped_on=consultation.reply.on, stop=ClockStop.MET)
