"""A token whose signature was checked is believed again for a short while, never past its
expiry, and a refused one is never remembered: one client's many requests cost one check."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from inclusion_shared import auth
from inclusion_shared.auth import (
    CLOCK_SKEW_SECONDS,
    VERIFIED_FOR_SECONDS,
    TokenVerifier,
    generate_signing_key,
    mint_token,
    public_key_pem,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.settings import ServiceSettings
from inclusion_shared.web.problems import Unauthorised

KEY = generate_signing_key()


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens whose signatures were checked, in order."""
    checked: list[str] = []
    decode = jwt.decode

    def counted(token: str, *args: Any, **kwargs: Any) -> Any:
        checked.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counted)
    return checked


def verifier(tmp_path: Path, clock: Clock) -> TokenVerifier:
    public = tmp_path / "dev.pub.pem"
    public.write_bytes(public_key_pem(KEY))
    settings = ServiceSettings(service_name="test", auth_public_key_file=public)
    return TokenVerifier(settings, clock)


def officers_token(number: int, lifetime: int = 900) -> str:
    return mint_token(
        KEY,
        role="kcc-officer",
        subject=person_id_for(f"officer-{number}"),
        areas=("kent",),
        ttl_seconds=lifetime,
    )


async def test_an_officers_token_is_checked_once_for_many_requests(
    tmp_path: Path, checks: list[str]
) -> None:
    clock = Clock()
    tokens = verifier(tmp_path, clock)
    token = officers_token(1)
    first = await tokens.verify(token)
    clock.now += VERIFIED_FOR_SECONDS - 1
    assert await tokens.verify(token) == first
    assert checks == [token]


async def test_a_token_is_checked_again_once_its_belief_runs_out(
    tmp_path: Path, checks: list[str]
) -> None:
    clock = Clock()
    tokens = verifier(tmp_path, clock)
    token = officers_token(1)
    await tokens.verify(token)
    clock.now += VERIFIED_FOR_SECONDS
    await tokens.verify(token)
    assert checks == [token, token]


async def test_a_token_near_its_expiry_is_believed_no_longer_than_it_is_accepted(
    tmp_path: Path, checks: list[str]
) -> None:
    clock = Clock()
    tokens = verifier(tmp_path, clock)
    now = int(clock.now)
    # Expired 40 s ago, so accepted for the 20 s of clock skew left, and believed no longer.
    claims = {"sub": person_id_for("officer-1"), "iss": "inclusion-local", "aud": "inclusion"}
    claims |= {"iat": now - 100, "exp": now - 40, "role": "kcc-officer", "areas": ["kent"]}
    token = jwt.encode(claims, KEY, "ES256")
    await tokens.verify(token)
    clock.now += CLOCK_SKEW_SECONDS - 40 - 1
    await tokens.verify(token)
    assert checks == [token]
    clock.now += 1
    await tokens.verify(token)
    assert checks == [token, token]


async def test_a_refused_token_is_refused_again_and_checked_again(
    tmp_path: Path, checks: list[str]
) -> None:
    tokens = verifier(tmp_path, Clock())
    forged = mint_token(
        generate_signing_key(), role="kcc-officer", subject=person_id_for("x"), areas=("kent",)
    )
    for _ in range(2):
        with pytest.raises(Unauthorised):
            await tokens.verify(forged)
    assert checks == [forged, forged]


async def test_the_tokens_believed_are_bounded_and_the_oldest_goes_first(
    tmp_path: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "VERIFIED_TOKENS_HELD", 2)
    tokens = verifier(tmp_path, Clock())
    first, second, third = (officers_token(n) for n in (1, 2, 3))
    for token in (first, second, third, third, second, first):
        await tokens.verify(token)
    assert checks == [first, second, third, first]
