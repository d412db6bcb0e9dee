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
    settings: tuple[str, ...] = (),
    areas: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    panels: tuple[str, ...] = (),
    ttl_seconds: int = 3600,
) -> str:
    # Imported here: the auth kit pulls in FastAPI, which `inclusion status` should not pay for.
    from inclusion_shared.auth import KENT_WIDE, Role, mint_token
    from inclusion_shared.identifiers import is_person_id, person_id_for
    from inclusion_shared.kent import Area, District

    roles = [member.value for member in Role]
    if role not in roles:
        raise TokenRequestError(f"unknown role {role!r}; choose one of: {', '.join(roles)}")
    if subject is not None and not is_person_id(subject):
        raise TokenRequestError(
            f"{subject!r} is not a person's id (person- and 20 lowercase hex digits); "
            "`inclusion person new` mints one"
        )
    if ttl_seconds <= 0:
        raise TokenRequestError("the lifetime must be a positive number of seconds")
    known_areas = [KENT_WIDE, *(area.value for area in Area)]
    if unknown := [area for area in areas if area not in known_areas]:
        raise TokenRequestError(f"unknown area {unknown[0]!r}; one of: {', '.join(known_areas)}")
    known_districts = [district.value for district in District]
    if unknown := [d for d in districts if d not in known_districts]:
        raise TokenRequestError(
            f"unknown district {unknown[0]!r}; one of: {', '.join(known_districts)}"
        )
    key = ensure_dev_signing_key(keys_dir)
    token: str = mint_token(
        key.private.read_bytes(),
        role=role,
        subject=subject or person_id_for(f"dev-{role}"),  # the role's development person
        setting=setting,
        child=child,
        settings=settings,
        areas=areas,
        districts=districts,
        panels=panels,
        ttl_seconds=ttl_seconds,
    )
    return token
