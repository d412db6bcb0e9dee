"""What an auditor asks of a recorded decision beyond the log: the keyed digest of its written
rationale, recomputed from the text the service keeps."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from funding.access import PERMIT
from funding.api.deps import vault
from funding.domain.values import PseudonymousId
from funding.handlers.rationales import rationale_digest
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import PersonalDataVault

router = APIRouter(tags=["decisions"])


@router.get("/decisions/{decision_id}/rationale-digest")
async def read_rationale_digest(
    request: Request,
    decision_id: PseudonymousId,
    who: Principal = Depends(PERMIT["rationale.digest"]),
    the_vault: PersonalDataVault = Depends(vault),
) -> dict[str, Any]:
    """The HMAC-SHA256 of an HNF decision's written rationale under a key derived from the
    child's, recomputed from the text kept here, never the text: the auditor compares it with
    the decision event's `rationale_digest`. 410 Gone (code `erased`) once the child's key is
    erased: by design, nothing can be checked then."""
    async with request.app.state.service.pool.acquire() as connection:
        digest = await rationale_digest(connection, who, the_vault, decision_id)
    return {"decision_id": decision_id, "rationale_digest": digest}
