"""The panel's written rationale: free text kept apart from the decision record.

A rationale is free text and may describe the child, so it never goes into an event. It stays
in the placements store (encrypted per person, so it can be crypto-shredded); the decision record
carries only a reference: the document id and a keyed digest of what was written, an HMAC under
a key derived from the child's own. The service recomputes the digest for an auditor while the
child's key exists; once it is erased, the digest can be neither checked nor linked to a guess.
"""

from typing import Annotated

from pydantic import StringConstraints

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.values import DomainModel, PseudonymousId

KeyedDigest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class RationaleRef(DomainModel):
    """What a decision record carries instead of the rationale's text."""

    document_id: PseudonymousId
    digest: KeyedDigest


class Rationale(DomainModel):
    """The rationale's text, for the placements store only: never for an event."""

    document_id: PseudonymousId
    text: str

    @property
    def written(self) -> str:
        """What the panel wrote, as its digest is taken: surrounding whitespace is not part of
        it."""
        return self.text.strip()

    def reference(self, digest: str) -> RationaleRef:
        """The reference to record, with the keyed digest of what was written; refused when
        the rationale is blank."""
        check_written(self)
        return RationaleRef(document_id=self.document_id, digest=digest)


def check_written(rationale: Rationale) -> None:
    """Refuse a blank rationale: a decision is carried with a written one."""
    if not rationale.written:
        raise DecisionRefused(RefusalCode.RATIONALE_MISSING)
