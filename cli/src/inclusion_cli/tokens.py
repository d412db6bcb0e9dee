"""Development bearer tokens, signed with the local key that `inclusion up` gives the services."""

from __future__ import annotations

from pathlib import Path

from inclusion_cli.keys import ensure_dev_signing_key


class TokenRequestError(ValueError):
    pass


def mint_dev_token(
    keys_dir: Path,
    *,
    role: str,
    subject: str | None = None,
    setting: str | None = None,
    child: str | None = None,
    ttl_seconds: int = 3600,
) -> str:
    # Imported here: the auth kit pulls in FastAPI, which `inclusion status` should not pay for.
    from inclusion_shared.auth import (
        Role,
        mint_token,
    )

    roles = [member.value for member in Role]
    if role not in roles:
        raise TokenRequestError(f"unknown role {role!r}; choose one of: {', '.join(roles)}")
    if ttl_seconds <= 0:
        raise TokenRequestError("the lifetime must be a positive number of seconds")
    key = ensure_dev_signing_key(keys_dir)
    token: str = mint_token(
        key.private.read_bytes(),
        role=role,
        subject=subject or f"dev-{role}",  # pseudonymous, like every id in the suite
        setting=setting,
        child=child,
        ttl_seconds=ttl_seconds,
    )
    return token
