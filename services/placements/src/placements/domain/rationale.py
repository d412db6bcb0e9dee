"""The panel's written rationale: free text kept apart from the decision record.

A rationale is free text and may describe the child, so it never goes into an event. It stays
in the placements store (encrypted per person, so it can be crypto-shredded); the decision record
carries only a reference: the document id and the SHA-256 of the text. An auditor holding the
text checks it against the hash; once the text is erased the record still verifies.
"""

import hashlib
from typing import Annotated

from pydantic import StringConstraints

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.values import DomainModel, PseudonymousId

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _digest(text: str) -> str:
    # Surrounding whitespace is not part of what the panel wrote; it must not change the hash.
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


class RationaleRef(DomainModel):
    """What a decision record carries instead of the rationale's text."""

    document_id: PseudonymousId
    sha256: Sha256


class Rationale(DomainModel):
    """The rationale's text, for the placements store only: never for an event."""

    document_id: PseudonymousId
    text: str

    def reference(self) -> RationaleRef:
        """The reference to record; refused when the rationale is blank."""
        digest = _digest(self.text)
        if digest == EMPTY_SHA256:
            raise DecisionRefused(RefusalCode.RATIONALE_MISSING)
        return RationaleRef(document_id=self.document_id, sha256=digest)


def check_reference(ref: RationaleRef) -> None:
    """Refuse a reference to a blank rationale."""
    if ref.sha256 == EMPTY_SHA256:
        raise DecisionRefused(RefusalCode.RATIONALE_MISSING)


def matches(ref: RationaleRef, rationale: Rationale) -> bool:
    """True when the stored text is the one the decision recorded."""
    return ref.document_id == rationale.document_id and ref.sha256 == _digest(rationale.text)
