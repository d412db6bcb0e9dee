"""The keyed digest of an HNF decision's written rationale, recomputed from the text as it is
stored now, for an auditor to compare with the digest the decision's event carries."""

from __future__ import annotations

from funding.access import check_case
from funding.adapters import FundingStore
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import (
    PersonalDataVault,
    PersonErased,
    RecordAltered,
)
from inclusion_shared.persistence.pool import Connection
from inclusion_shared.web.problems import Conflict, Gone, NotFound


async def rationale_digest(
    connection: Connection, who: Principal, vault: PersonalDataVault, decision_id: str
) -> str:
    """The digest under the child's key of the rationale sealed for the decision: 404 when
    there is no such decision or it has no written rationale, 410 once the child's key is
    erased (by design, nothing can be checked then), 409 when the stored text is gone or no
    longer opens under the child's key."""
    store = FundingStore(connection)
    recorded = await store.recorded_decision(decision_id)
    if recorded is None:
        raise NotFound(f"no decision {decision_id}")
    check_case(
        who,
        "rationale.digest",
        district=recorded.district,
        area=recorded.area,
        setting=recorded.setting_id,
        child=recorded.child_id,
        panels=[recorded.panel_id] if recorded.panel_id else [],
    )
    proposal_id = await store.decided_proposal(decision_id)
    if proposal_id is None:
        raise NotFound(f"decision {decision_id} has no written rationale", code="no_rationale")
    try:
        opened = await vault.open(connection, f"rationale:{proposal_id}")
        return await vault.digest(connection, recorded.child_id, opened["rationale"])
    except PersonErased:
        if await vault.erased(connection, recorded.child_id):
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
