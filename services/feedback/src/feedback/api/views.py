"""How a response is shown: its codes to everyone entitled to see it, its words to its own
respondent and to moderators, and who gave it only to that respondent."""

from __future__ import annotations

from typing import Any

from feedback.adapters import StoredResponse
from inclusion_shared.auth import Principal, Role
from inclusion_shared.persistence.personal_data import PersonalDataVault, PersonErased
from inclusion_shared.persistence.pool import Connection

SEE_WORDS = (Role.PARENT, Role.YOUNG_PERSON, Role.SENCO, Role.KCC_OFFICER)


def received_key(stored: StoredResponse) -> tuple[str, str]:
    """The key lists of responses page by: when received, then the response's id."""
    return stored.response.received_on.isoformat(), stored.response.response_id


async def response_view(
    connection: Connection,
    vault: PersonalDataVault,
    stored: StoredResponse,
    who: Principal,
    *,
    with_words: bool = True,
) -> dict[str, Any]:
    """The response as `who` may see it. Callers have already checked that a respondent is
    looking at their own. An answer to a command leaves the words out (`with_words=False`):
    it is kept, unencrypted, to answer a replayed request."""
    response = stored.response
    view: dict[str, Any] = response.model_dump(
        mode="json", exclude={"respondent_id", "child_id", "place"}
    )
    view |= {
        "district": response.place.district.value,
        "area": response.place.area.value,
        "community_of_schools": response.place.community_of_schools,
    }
    if who.role is not Role.KCC_OFFICER and who.role in SEE_WORDS:
        view |= {"respondent_id": response.respondent_id, "child_id": response.child_id}
    if with_words and who.role in SEE_WORDS and stored.text_record_id is not None:
        view["free_text"] = await _words(connection, vault, stored.text_record_id)
    return view


async def _words(
    connection: Connection, vault: PersonalDataVault, record_id: str
) -> dict[str, str] | None:
    """The response's own words, or None once withdrawn or erased."""
    try:
        return {str(k): str(v) for k, v in (await vault.open(connection, record_id)).items()}
    except PersonErased:
        return None
