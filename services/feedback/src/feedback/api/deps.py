"""What every feedback route needs: the service's vault, today's date, the caller's id as a
response records it, and the pool for queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import asyncpg
from fastapi import Request
from pydantic import TypeAdapter, ValidationError

from feedback.domain.values import PseudonymousId
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.web.problems import Forbidden

_PSEUDONYMOUS_ID: TypeAdapter[str] = TypeAdapter(PseudonymousId)


def vault(request: Request) -> PersonalDataVault:
    found: PersonalDataVault = request.app.state.vault
    return found


def pool(request: Request) -> asyncpg.Pool:
    found: asyncpg.Pool = request.app.state.service.pool
    return found


def today() -> date:
    """Responses and moderation are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()


def respondent_id(who: Principal) -> str:
    """The caller's token subject as a response records it: a pseudonymous id."""
    try:
        return _PSEUDONYMOUS_ID.validate_python(who.subject)
    except ValidationError:
        raise Forbidden("the token's subject is not a pseudonymous id a record can carry") from None
