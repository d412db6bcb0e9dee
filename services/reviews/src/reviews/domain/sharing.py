"""The grants a reviewed setting makes to let others read its report, and revokes. The setting
owns its report and decides who reads it (`reviews.access` consults its grants); Area Boards and
the local authority see anonymised themes only, so a grant to them is refused."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Self

from pydantic import model_validator

from inclusion_shared.identifiers import PersonId
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.values import DomainModel, PseudonymousId

if TYPE_CHECKING:
    from reviews.domain.review import PeerReview


class Role(StrEnum):
    """The roles of domain.md, spelt as tokens carry them. The same names as
    `inclusion_shared.auth.Role`, which the pure domain cannot import (it verifies tokens); a unit
    test keeps the two in step."""

    SENCO = "senco"
    KCC_OFFICER = "kcc-officer"
    PANEL_MEMBER = "panel-member"
    PARENT = "parent"
    YOUNG_PERSON = "young-person"
    AREA_BOARD = "area-board"
    AUDITOR = "auditor"
    PLATFORM_ADMIN = "platform-admin"


THEMES_ONLY: frozenset[Role] = frozenset({Role.AREA_BOARD, Role.KCC_OFFICER})
"""Roles that see anonymised themes across settings and never one setting's report."""


class Grant(DomainModel):
    """Access the owner has granted: to everyone matching all the fields given (a role, a person,
    a setting, or a combination such as the SENCO of one partner school)."""

    grant_id: PseudonymousId
    role: Role | None = None
    subject: PersonId | None = None
    setting: PseudonymousId | None = None
    granted_on: date
    revoked_on: date | None = None

    @model_validator(mode="after")
    def _names_someone(self) -> Self:
        if self.role is None and self.subject is None and self.setting is None:
            raise ValueError("a grant names a role, a subject or a setting")
        return self

    def admits(self, role: str, subject: str, settings: Collection[str]) -> bool:
        """Whether this grant, unless revoked, lets someone with the role and subject, working
        for the settings, read the report."""
        return (
            self.revoked_on is None
            and self.role in (None, role)
            and self.subject in (None, subject)
            and (self.setting is None or self.setting in settings)
        )


def grant_access(review: PeerReview, grant: Grant) -> PeerReview:
    """The owner grants access to the report. A grant to a themes-only role is refused."""
    if grant.role in THEMES_ONLY:
        raise ReviewRefused(RefusalCode.GRANT_TO_THEMES_ONLY_ROLE, (str(grant.role),))
    if any(existing.grant_id == grant.grant_id for existing in review.grants):
        raise ReviewRefused(RefusalCode.DUPLICATE_GRANT, (grant.grant_id,))
    if grant.revoked_on is not None:
        raise ReviewRefused(RefusalCode.GRANT_ALREADY_REVOKED, (grant.grant_id,))
    return review.evolve(grants=(*review.grants, grant))


def revoke_access(review: PeerReview, grant_id: str, *, on: date) -> PeerReview:
    """The owner revokes a grant. The grant stays on record, with the day it was revoked."""
    grant = next((g for g in review.grants if g.grant_id == grant_id), None)
    if grant is None:
        raise ReviewRefused(RefusalCode.UNKNOWN_GRANT, (grant_id,))
    if grant.revoked_on is not None:
        raise ReviewRefused(RefusalCode.GRANT_ALREADY_REVOKED, (grant_id,))
    if on < grant.granted_on:
        raise ReviewRefused(RefusalCode.REVOKED_BEFORE_GRANTED, (grant_id,))
    revoked = grant.evolve(revoked_on=on)
    return review.evolve(
        grants=tuple(revoked if g.grant_id == grant_id else g for g in review.grants)
    )
