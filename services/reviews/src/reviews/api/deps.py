"""What every reviews route needs: today's date, fresh ids, and where a page of a list starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4


def today() -> date:
    """Reviews are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()


def new_id(kind: str) -> str:
    """A fresh pseudonymous id for something the service names, e.g. `review-…`."""
    return f"{kind}-{uuid4().hex[:20]}"
