"""A token says who is calling and which records they may touch: its role and its scope (the
areas or districts, settings, panels or child), under the claim names the identity provider
uses; it must say when it was issued, and lives no longer than the service allows."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from inclusion_shared.auth import (
    Principal,
    Role,
    TokenVerifier,
    generate_signing_key,
    mint_token,
    public_key_pem,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.settings import ServiceSettings
from inclusion_shared.web.problems import Unauthorised

KEY = generate_signing_key()


def verifier(tmp_path: Path, **settings: Any) -> TokenVerifier:
    public = tmp_path / "dev.pub.pem"
    public.write_bytes(public_key_pem(KEY))
    return TokenVerifier(
        ServiceSettings(service_name="test", auth_public_key_file=public, **settings)
    )


OFFICER = person_id_for("officer-1")


def signed(**claims: Any) -> str:
    now = int(time.time())
    payload = {"sub": OFFICER, "iss": "inclusion-local", "aud": "inclusion", "iat": now}
    payload |= {"exp": now + 600, **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, KEY, "ES256")


async def test_an_officers_areas_and_districts_decide_the_places_they_cover(
    tmp_path: Path,
) -> None:
    token = mint_token(
        KEY,
        role="kcc-officer",
        subject=person_id_for("officer-1"),
        areas=("east-kent",),
        districts=("dover",),
    )
    officer = await verifier(tmp_path).verify(token)
    assert officer.covers_district("thanet") and officer.covers_area("east-kent")
    assert officer.covers_district("dover") and not officer.covers_area("south-kent")
    assert not officer.covers_district("ashford") and not officer.kent_wide


async def test_kent_in_the_areas_claim_covers_every_place(tmp_path: Path) -> None:
    token = mint_token(KEY, role="area-board", subject=person_id_for("board-1"), areas=("kent",))
    board = await verifier(tmp_path).verify(token)
    assert board.kent_wide and board.covers_district("ashford") and board.covers_area("west-kent")


async def test_a_senco_works_for_their_settings_and_a_member_sits_on_their_panels(
    tmp_path: Path,
) -> None:
    senco = await verifier(tmp_path).verify(
        mint_token(
            KEY, role="senco", subject=person_id_for("senco-1"), settings=("school-a", "school-b")
        )
    )
    member = await verifier(tmp_path).verify(
        mint_token(
            KEY, role="panel-member", subject=person_id_for("member-1"), panels=("panel-east",)
        )
    )
    assert senco.works_for("school-b") and not senco.works_for("school-c")
    assert senco.setting == "school-a"  # the one setting older handlers read
    assert member.sits_on("panel-east") and not member.sits_on("panel-west")
    assert not member.covers_district("dover")  # a panel seat is not an officer's patch


async def test_the_identity_providers_own_claim_names_are_read(tmp_path: Path) -> None:
    token = signed(kent_role="kcc-officer", kent_places=["south-kent"])
    officer = await verifier(
        tmp_path, auth_claim_role="kent_role", auth_claim_areas="kent_places"
    ).verify(token)
    assert officer.role is Role.KCC_OFFICER and officer.covers_district("ashford")


async def test_the_person_is_read_from_the_claim_the_identity_provider_fills(
    tmp_path: Path,
) -> None:
    """An identity provider whose subject is its own (an email, a GUID) carries the person's
    minted id in another claim, named by AUTH_CLAIM_PERSON."""
    email = "jane.smith@kent.gov.uk"
    officer = await verifier(tmp_path, auth_claim_person="person").verify(
        signed(role="kcc-officer", sub=email, person=OFFICER)
    )
    assert officer.subject == OFFICER
    with pytest.raises(Unauthorised):
        await verifier(tmp_path).verify(signed(role="kcc-officer", sub=email, person=OFFICER))


@pytest.mark.parametrize(
    "claims",
    [
        {"role": "kcc-officer", "iat": None},  # when was it issued?
        {"role": "kcc-officer", "exp": int(time.time()) + 13 * 3600},  # lives too long
        {"role": "kcc-officer", "iat": int(time.time()) + 3600},  # issued in the future
        {"role": "kcc-officer", "areas": ["narnia"]},  # a place Kent does not have
        {"role": "kcc-officer", "districts": [7]},
        {"role": "kcc-officer", "sub": "Jane.Smith"},  # a person named other than by an id
        {"role": "kcc-officer", "sub": None},
        {"role": "head-of-everything"},
        {"role": None},
    ],
)
async def test_a_token_without_a_known_scope_or_lifetime_is_refused(
    tmp_path: Path, claims: dict[str, Any]
) -> None:
    with pytest.raises(Unauthorised):
        await verifier(tmp_path).verify(signed(**claims))


async def test_the_longest_lifetime_is_a_setting(tmp_path: Path) -> None:
    token = signed(role="auditor", exp=int(time.time()) + 3 * 3600)
    assert isinstance(await verifier(tmp_path).verify(token), Principal)
    with pytest.raises(Unauthorised):
        await verifier(tmp_path, auth_max_token_lifetime_seconds=3600).verify(token)
