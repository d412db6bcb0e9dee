"""What every funding route needs: the service's vault and today's date."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import Request

from inclusion_shared.persistence.personal_data import PersonalDataVault


def vault(request: Request) -> PersonalDataVault:
    found: PersonalDataVault = request.app.state.vault
    return found


def today() -> date:
    """Decisions are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()
