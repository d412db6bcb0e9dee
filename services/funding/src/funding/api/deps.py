"""What every funding route needs: the service's vault, today's date, the caller's id as
decision records carry it, and where a page of a list starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TypeVar

from fastapi import Request

from inclusion_shared.persistence.personal_data import PersonalDataVault

K = TypeVar("K")


def vault(request: Request) -> PersonalDataVault:
    found: PersonalDataVault = request.app.state.vault
    return found


def today() -> date:
    """Decisions are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()
