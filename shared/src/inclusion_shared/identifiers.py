"""Identifiers for children: a prefix and a random part that the server mints, so a child's id
can never be their name (``Jane.Smith``, ``jsmith2014``) or anything else about them.

A command that first brings a child to the suite may leave the id out and is given a new one
in its answer; every later command, in any service, names the child by that id. The pattern
below is the only shape accepted, in commands and in the event contracts alike.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from pydantic import StringConstraints

CHILD_PREFIX = "child-"
RANDOM_HEX_DIGITS = 20  # 80 random bits: lowercase hex, so no word longer than "faded" fits
CHILD_ID_PATTERN = rf"^{CHILD_PREFIX}[0-9a-f]{{{RANDOM_HEX_DIGITS}}}$"

CHILD_ID_LENGTH = len(CHILD_PREFIX) + RANDOM_HEX_DIGITS

ChildId = Annotated[str, StringConstraints(pattern=CHILD_ID_PATTERN, max_length=CHILD_ID_LENGTH)]
"""A child's server-minted id: ``child-`` and twenty lowercase hex digits."""


NEW_CHILD = (
    "The child's id (`child-` and 20 hex digits) from an earlier answer of the suite's; left out "
    "for a child new to it, who is given one, returned in the answer."
)
"""How a command that may first bring a child describes its `child_id`."""


def mint_child_id() -> str:
    """A new child's id, from a cryptographic random source."""
    return CHILD_PREFIX + secrets.token_hex(RANDOM_HEX_DIGITS // 2)


def child_id_for(seed: str) -> str:
    """A child's id made the same way every time from a seed of fictional data (the demo's, a
    test's): the same shape as a minted one, and as meaningless."""
    return CHILD_PREFIX + hashlib.sha256(seed.encode()).hexdigest()[:RANDOM_HEX_DIGITS]
