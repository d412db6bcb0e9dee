"""What every reviews route needs: today's date, and the caller as the domain knows them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from pydantic import ValidationError

from inclusion_shared.auth import Principal as TokenPrincipal
from inclusion_shared.web.problems import Forbidden
from reviews.domain.sharing import Principal, Role


def today() -> date:
    """Reviews are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()


def new_id(kind: str) -> str:
    """A fresh pseudonymous id for something the service names, e.g. `review-…`."""
    return f"{kind}-{uuid4().hex[:20]}"


def as_domain(who: TokenPrincipal) -> Principal:
    """The caller with the pseudonymous subject and setting a review record can carry."""
    try:
        return Principal(subject=who.subject, role=Role(who.role.value), setting=who.setting)
    except ValidationError:
        raise Forbidden(
            "the token's subject or setting is not a pseudonymous id a record can carry"
        ) from None
