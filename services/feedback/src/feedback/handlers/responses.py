"""Responses: receiving them (free text sealed under the respondent's key, codes into the event),
withdrawing consent, and erasing a person's feedback."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from feedback.access import (
    KENT,
    POLICY,
    giving,
    invitation_record,
    response_record,
    survey_there_for,
)
from feedback.adapters import FeedbackStore, StoredResponse
from feedback.domain.errors import FeedbackRefused
from feedback.domain.invitations import Invitation
from feedback.domain.moderation import withdraw_consent
from feedback.domain.response import (
    Answer,
    ChoiceAnswer,
    Consent,
    Response,
    ResponseStatus,
    ScaleAnswer,
    Submission,
    receive_response,
)
from feedback.domain.values import Channel, Place, Voice
from feedback.handlers.refusals import as_problem
from inclusion_shared.auth import Principal, Role
from inclusion_shared.contracts.feedback import (
    RESPONSE_RECEIVED,
    RESPONSE_ROUTED_TO_COMPLAINTS,
    RESPONSE_WITHDRAWN,
    AnswerCode,
    ResponseReceived,
    ResponseRoutedToComplaints,
    ResponseWithdrawn,
)
from inclusion_shared.events.envelope import Actor
from inclusion_shared.kent import District
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, Forbidden, NotFound, Unprocessable

FAMILY = (Role.PARENT, Role.YOUNG_PERSON)
# Whose views each role may give. A parent or carer gives their own, or their child's; an
# officer records views heard at a forum meeting or through the Local Offer, for nobody by name.
VOICES_OF = {
    Role.PARENT: {Voice.PARENT_CARER, Voice.CHILD},
    Role.YOUNG_PERSON: {Voice.YOUNG_PERSON},
    Role.SENCO: {Voice.PROFESSIONAL, Voice.SETTING},
    Role.KCC_OFFICER: set(Voice),
}
RECORDED_FOR_OTHERS = {Channel.FORUM_MEETING, Channel.LOCAL_OFFER}
FREE_TEXT_KIND = "response-text"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class ResponseForm:
    """What the respondent sent, before the service knows where it belongs."""

    response_id: str
    survey_id: str
    voice: Voice
    anonymous: bool
    consent: Consent
    individual_complaint: bool
    answers: tuple[Answer, ...]
    district: District | None
    community_of_schools: str | None
    setting_id: str | None
    invitation_id: str | None


async def submit_response(
    work: UnitOfWork,
    vault: PersonalDataVault,
    who: Principal,
    respondent_id: str,
    form: ResponseForm,
    today: date,
) -> StoredResponse:
    """Receive a response from `who`. Its free text is sealed under the child's key, the named
    respondent's, or (anonymous) a key of the response's own; the event carries codes only."""
    store = FeedbackStore(work.connection)
    survey = await store.survey(form.survey_id)
    # A draft is not there for those who may not read drafts, as when reading surveys.
    if survey is None or not survey_there_for(who, survey):
        raise NotFound(f"no survey {form.survey_id}")
    if form.voice not in VOICES_OF.get(who.role, set()):
        raise Forbidden(f"a {who.role} may not give the views of a {form.voice}")
    if who.role is Role.KCC_OFFICER and (
        survey.channel not in RECORDED_FOR_OTHERS or not form.anonymous
    ):
        raise Forbidden("an officer records views heard at a forum or via the Local Offer, unnamed")
    place, invitation = await _place_of(store, who, form)
    child_id = None if form.anonymous or who.role not in FAMILY else who.child
    setting_id = invitation.setting_id if invitation else form.setting_id
    POLICY.check(who, "response.give", giving(who, place, setting_id, child_id))
    submission = Submission(
        response_id=form.response_id,
        survey_id=form.survey_id,
        voice=form.voice,
        place=place,
        anonymous=form.anonymous,
        consent=form.consent,
        respondent_id=None if form.anonymous else respondent_id,
        child_id=child_id,
        individual_complaint=form.individual_complaint,
        answers=form.answers,
    )
    try:
        response, free_text = receive_response(survey, submission, today)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    person_id = response.child_id or response.respondent_id or f"response:{response.response_id}"
    stored = StoredResponse(
        response, person_id, f"{FREE_TEXT_KIND}:{response.response_id}" if free_text else None
    )
    if not await store.add_response(stored):
        raise Conflict(f"response {response.response_id} already exists")
    if response.anonymous:
        # The events would otherwise name whoever sent an anonymous response as their actor.
        work.cause = replace(work.cause, actor=Actor(role=who.role.value, id=ANONYMOUS))
    if stored.text_record_id is not None:
        await vault.seal(
            work.connection, person_id, stored.text_record_id, FREE_TEXT_KIND, free_text
        )
    if invitation is not None and not response.anonymous:
        await store.mark_responded(invitation.invitation_id, today)
    work.emit(RESPONSE_RECEIVED.type, response.response_id, _received(response))
    if response.status is ResponseStatus.ROUTED_TO_COMPLAINTS:
        work.emit(
            RESPONSE_ROUTED_TO_COMPLAINTS.type, response.response_id, routed_event(response, today)
        )
    return stored


async def _place_of(
    store: FeedbackStore, who: Principal, form: ResponseForm
) -> tuple[Place, Invitation | None]:
    """An answer to an invitation belongs where the invitation does; otherwise the respondent
    names the district, and the Community of Schools follows from the setting when known."""
    if form.invitation_id is not None:
        invitation = await store.invitation(form.invitation_id)
        if invitation is None:
            raise NotFound(f"no invitation {form.invitation_id}")
        POLICY.check(who, "invitation.answer", invitation_record(invitation))
        return invitation.place, invitation
    if form.district is None:
        raise Unprocessable("say which district the views are from", code="place_missing")
    community = form.community_of_schools
    if community is None and form.setting_id is not None:
        community = await store.community_of(form.setting_id)
    return Place.of(form.district, community), None


async def withdraw(work: UnitOfWork, who: Principal, response_id: str, today: date) -> Response:
    """Withdraw consent: the response leaves every figure and its free text is deleted. A
    respondent withdraws only their own; an officer one in their places, on a respondent's
    behalf."""
    store = FeedbackStore(work.connection)
    stored = await store.response(response_id, for_update=True)
    if stored is None:
        raise NotFound(f"no response {response_id}")
    POLICY.check(who, "consent.withdraw", response_record(stored.response))
    return await _withdraw(work, store, stored, "consent_withdrawn", today)


async def erase_person(
    work: UnitOfWork, vault: PersonalDataVault, who: Principal, person_id: str, today: date
) -> tuple[bool, list[Response]]:
    """Erase a person's feedback: their key is deleted, so every copy of their free text is
    unreadable, and each of their responses leaves every figure. The officer must reach every
    one of the person's responses, or nothing is erased."""
    store = FeedbackStore(work.connection)
    keyed = await store.responses_keyed_to(person_id)
    for stored in keyed:
        POLICY.check(who, "person.erase", response_record(stored.response))
    shredded = await vault.shred(work.connection, person_id)
    if shredded and not keyed:
        # A key with no response sits nowhere narrower than Kent; refusing rolls the shredding
        # back with the rest of the command.
        POLICY.check(who, "person.erase", KENT)
    withdrawn = [
        await _withdraw(work, store, stored, "erasure", today)
        for stored in keyed
        if stored.response.status is not ResponseStatus.WITHDRAWN
    ]
    return shredded, withdrawn


async def _withdraw(
    work: UnitOfWork,
    store: FeedbackStore,
    stored: StoredResponse,
    reason: Literal["consent_withdrawn", "erasure"],
    today: date,
) -> Response:
    try:
        withdrawn = withdraw_consent(stored.response, today)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_response(withdrawn)
    if stored.text_record_id is not None:
        await store.forget_text(stored.text_record_id)
    work.emit(
        RESPONSE_WITHDRAWN.type,
        withdrawn.response_id,
        ResponseWithdrawn(
            response_id=withdrawn.response_id,
            survey_id=withdrawn.survey_id,
            reason=reason,
            withdrawn_on=today,
        ),
    )
    return withdrawn


def routed_event(response: Response, today: date) -> ResponseRoutedToComplaints:
    return ResponseRoutedToComplaints(
        response_id=response.response_id,
        survey_id=response.survey_id,
        reason=response.complaint_reason or "individual_complaint",
        routed_on=today,
    )


def _received(response: Response) -> ResponseReceived:
    return ResponseReceived(
        response_id=response.response_id,
        survey_id=response.survey_id,
        voice=response.voice.value,
        channel=response.channel.value,
        district=response.place.district,
        area=response.place.area,
        community_of_schools=response.place.community_of_schools,
        anonymous=response.anonymous,
        answers=tuple(
            AnswerCode(
                question_id=answer.question_id,
                kind=answer.kind,
                value=answer.value if isinstance(answer, ScaleAnswer) else None,
                option=answer.option if isinstance(answer, ChoiceAnswer) else None,
            )
            for answer in response.answers
        ),
        status=response.status.value,
        received_on=response.received_on,
    )
