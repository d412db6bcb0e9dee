"""The CloudEvents 1.0 envelope every Inclusion event travels in (structured mode)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

CONTENT_TYPE = "application/cloudevents+json"
GENESIS_HASH = "0" * 64


class Actor(BaseModel):
    """Who caused an event: a role and a pseudonymous id, never a name."""

    model_config = ConfigDict(frozen=True)

    role: str
    id: str


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured mode, with Inclusion's extension attributes.

    Extension names are lowercase with no underscores, as the CloudEvents spec requires. The
    ``chain*`` extensions place the event in its service's hash chain (see ``chain.py``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: str = "1.0"
    id: UUID
    source: str
    type: str
    subject: str
    time: datetime
    datacontenttype: str = "application/json"
    dataschema: str
    data: dict[str, Any]

    correlationid: UUID
    causationid: UUID | None = None
    actorrole: str
    actorid: str
    traceparent: str | None = None

    chainseq: int = Field(ge=1)
    chainprev: str = Field(pattern=r"^[0-9a-f]{64}$")
    chainhash: str = Field(pattern=r"^[0-9a-f]{64}$")

    @property
    def actor(self) -> Actor:
        return Actor(role=self.actorrole, id=self.actorid)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object that goes on the wire: absent optional attributes are omitted."""
        return self.model_dump(mode="json", exclude_none=True)

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_wire(), separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> CloudEvent:
        """Parse an event from the wire; raises ``pydantic.ValidationError`` on anything else."""
        return cls.model_validate_json(raw)
