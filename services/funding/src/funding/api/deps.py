"""What every funding route needs: the service's vault, today's date, the caller's id as
decision records carry it, and where a page of a list starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TypeVar

from fastapi import Request
from pydantic import TypeAdapter, ValidationError

from funding.domain.values import PseudonymousId
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.web.problems import Forbidden

K = TypeVar("K")
_PSEUDONYMOUS_ID: TypeAdapter[str] = TypeAdapter(PseudonymousId)


def vault(request: Request) -> PersonalDataVault:
    found: PersonalDataVault = request.app.state.vault
    return found


def today() -> date:
    """Decisions are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()


def officer_id(who: Principal) -> str:
    """The caller's token subject as a decision record names them: a pseudonymous id."""
    try:
        return _PSEUDONYMOUS_ID.validate_python(who.subject)
    except ValidationError:
        raise Forbidden("the token's subject is not a pseudonymous id a record can carry") from None
