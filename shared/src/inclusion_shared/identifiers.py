"""Identifiers for children and for people: a prefix and a random part that the server mints, so
an id can never be a name (``Jane.Smith``, ``jsmith2014``) or anything else about someone.

A command that first brings a child to the suite may leave the id out and is given a new one
in its answer; every later command, in any service, names the child by that id. A person — a
SENCO, officer, panel member, reviewer, parent — is named by the id their identity provider
carries in the token (``inclusion person new`` mints one to provision an account with); rosters,
votes and grants name them by it. The patterns below are the only shapes accepted, in commands
and in the event contracts alike.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Annotated

from pydantic import StringConstraints

RANDOM_HEX_DIGITS = 20  # 80 random bits: lowercase hex, so no word longer than "faded" fits

CHILD_PREFIX = "child-"
CHILD_ID_PATTERN = rf"^{CHILD_PREFIX}[0-9a-f]{{{RANDOM_HEX_DIGITS}}}$"
CHILD_ID_LENGTH = len(CHILD_PREFIX) + RANDOM_HEX_DIGITS

PERSON_PREFIX = "person-"
PERSON_ID_PATTERN = rf"^{PERSON_PREFIX}[0-9a-f]{{{RANDOM_HEX_DIGITS}}}$"
PERSON_ID_LENGTH = len(PERSON_PREFIX) + RANDOM_HEX_DIGITS

ChildId = Annotated[str, StringConstraints(pattern=CHILD_ID_PATTERN, max_length=CHILD_ID_LENGTH)]
"""A child's server-minted id: ``child-`` and twenty lowercase hex digits."""

PersonId = Annotated[str, StringConstraints(pattern=PERSON_ID_PATTERN, max_length=PERSON_ID_LENGTH)]
"""A person's minted id: ``person-`` and twenty lowercase hex digits."""


NEW_CHILD = (
    "The child's id (`child-` and 20 hex digits) from an earlier answer of the suite's; left out "
    "for a child new to it, who is given one, returned in the answer."
)
"""How a command that may first bring a child describes its `child_id`."""


def _random(prefix: str) -> str:
    return prefix + secrets.token_hex(RANDOM_HEX_DIGITS // 2)


def _seeded(prefix: str, seed: str) -> str:
    return prefix + hashlib.sha256(seed.encode()).hexdigest()[:RANDOM_HEX_DIGITS]


def mint_child_id() -> str:
    """A new child's id, from a cryptographic random source."""
    return _random(CHILD_PREFIX)


def child_id_for(seed: str) -> str:
    """A child's id made the same way every time from a seed of fictional data (the demo's, a
    test's): the same shape as a minted one, and as meaningless."""
    return _seeded(CHILD_PREFIX, seed)


def mint_person_id() -> str:
    """A new person's id, from a cryptographic random source."""
    return _random(PERSON_PREFIX)


def person_id_for(seed: str) -> str:
    """A person's id made the same way every time from a seed of fictional data (the demo's, a
    test's: ``person_id_for("member-1")``): the same shape as a minted one, and as meaningless."""
    return _seeded(PERSON_PREFIX, seed)


def is_person_id(value: object) -> bool:
    """Whether a value has the shape of a person's id."""
    return isinstance(value, str) and re.fullmatch(PERSON_ID_PATTERN, value) is not None


def is_child_id(value: object) -> bool:
    """Whether a value has the shape of a child's id."""
    return isinstance(value, str) and re.fullmatch(CHILD_ID_PATTERN, value) is not None
