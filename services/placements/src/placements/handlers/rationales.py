"""The keyed digest of a placement decision's written rationale, recomputed from the text as
it is stored now, for an auditor to compare with the digest the decision's event carries."""

from __future__ import annotations

from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import (
    PersonalDataVault,
    PersonErased,
    RecordAltered,
)
from inclusion_shared.persistence.pool import Connection
from inclusion_shared.web.problems import Conflict, Gone, NotFound
from placements.access import POLICY, of_decision
from placements.adapters import PlacementsStore
from placements.domain.rationale import Rationale


async def rationale_digest(
    connection: Connection, who: Principal, vault: PersonalDataVault, decision_id: str
) -> str:
    """The digest under the child's key of what the stored rationale says was written: 404
    when there is no such decision, 410 once the child's key is erased (by design, nothing can
    be checked then), 409 when the stored text is gone or no longer opens under the child's
    key."""
    decision = await PlacementsStore(connection).decision(decision_id)
    if decision is None:
        raise NotFound(f"no decision {decision_id}")
    POLICY.check(who, "rationale.digest", of_decision(decision))
    child_id = decision.request.child_id
    try:
        opened = await vault.open(connection, decision.rationale.document_id)
        text = Rationale(document_id=decision.rationale.document_id, text=opened["rationale"])
        return await vault.digest(connection, child_id, text.written)
    except PersonErased:
        if await vault.erased(connection, child_id):
            raise Gone(
                "the child's details were erased: the rationale's digest cannot be recomputed",
                code="erased",
            ) from None
        raise Conflict(
            f"decision {decision_id}'s stored rationale is missing", code="rationale_altered"
        ) from None
    except RecordAltered:
        raise Conflict(
            f"decision {decision_id}'s stored rationale does not open under the child's key: "
            "it was altered",
            code="rationale_altered",
        ) from None
