"""The pieces of signing in that need no server: session tokens (carrying the role and the
scope signed in with), ID token claims read as a principal, the cookie read as a bearer token
for reading only, where a sign-in may send the browser, and deny by default."""

from pathlib import Path

import jwt
import pytest
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from inclusion_shared.auth import (
    Principal,
    Role,
    TokenVerifier,
    generate_signing_key,
    mint_token,
    public_key_pem,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.app import UnguardedRoute, assert_every_route_guarded
from inclusion_shared.web.problems import Unauthorised
from monitoring.adapters.identity_provider import Attempt
from monitoring.api.sessions import (
    SESSION_AUDIENCE,
    SESSION_COOKIE,
    SessionAwareVerifier,
    SessionCookieAuth,
    SessionKey,
)
from monitoring.api.sign_in import SIGN_IN_PATHS, safe_next, viewer_of
from monitoring.app import create_app, only_sign_in_is_open
from monitoring.settings import Settings

OFFICER = Principal(subject=person_id_for("officer-1"), role=Role.KCC_OFFICER, kent_wide=True)


@pytest.fixture
def signing_key() -> bytes:
    return generate_signing_key()


@pytest.fixture
def settings(tmp_path: Path, signing_key: bytes) -> Settings:
    public = tmp_path / "dev.pub.pem"
    public.write_bytes(public_key_pem(signing_key))
    return Settings(auth_public_key_file=public)


@pytest.fixture
def verifier(settings: Settings) -> SessionAwareVerifier:
    return SessionAwareVerifier(TokenVerifier(settings), SessionKey(b"k" * 32))


async def test_a_session_names_who_signed_in_and_their_role(
    verifier: SessionAwareVerifier,
) -> None:
    token = verifier.sessions.session(OFFICER, 600)
    assert await verifier.verify(token) == OFFICER


@pytest.mark.parametrize(
    "principal",
    [
        Principal(
            subject=person_id_for("board-1"), role=Role.AREA_BOARD, areas=frozenset({Area.EAST})
        ),
        Principal(
            subject=person_id_for("officer-2"),
            role=Role.KCC_OFFICER,
            areas=frozenset({Area.WEST}),
            districts=frozenset({District.THANET, District.DOVER}),
        ),
        Principal(subject=person_id_for("auditor-1"), role=Role.AUDITOR),
        Principal(
            subject=person_id_for("someone"),
            role=Role.SENCO,
            setting="school-b",
            settings=frozenset({"school-a", "school-b"}),
            panels=frozenset({"panel-east"}),
        ),
        Principal(
            subject=person_id_for("parent-1"), role=Role.PARENT, child="child-1ae80cfbd8c8ca02806d"
        ),
    ],
    ids=["one-area", "area-and-districts", "no-scope", "settings-and-panels", "child"],
)
async def test_a_session_carries_the_scope_signed_in_with(
    verifier: SessionAwareVerifier, principal: Principal
) -> None:
    assert await verifier.verify(verifier.sessions.session(principal, 600)) == principal


async def test_a_scoped_role_token_keeps_its_scope(
    verifier: SessionAwareVerifier, signing_key: bytes
) -> None:
    token = mint_token(
        signing_key, role="area-board", subject=person_id_for("b"), areas=("east-kent",)
    )
    assert (await verifier.verify(token)).areas == {Area.EAST}


def test_an_id_tokens_role_and_scope_are_read_under_the_deployments_claim_names(
    settings: Settings,
) -> None:
    named = settings.model_copy(
        update={"oidc_role_claim": "kcc_role", "auth_claim_areas": "kcc_areas"}
    )
    claims = {
        "sub": person_id_for("pairwise-1"),
        "kcc_role": "area-board",
        "kcc_areas": "east-kent",
    }
    assert viewer_of(claims, named) == Principal(
        subject=person_id_for("pairwise-1"), role=Role.AREA_BOARD, areas=frozenset({Area.EAST})
    )
    assert viewer_of({**claims, "kcc_areas": ["kent"]}, named) == Principal(
        subject=person_id_for("pairwise-1"), role=Role.AREA_BOARD, kent_wide=True
    )
    assert viewer_of({**claims, "kcc_areas": "atlantis"}, named) is None
    assert viewer_of({**claims, "kcc_role": "senco"}, named) is None
    assert viewer_of({**claims, "kcc_role": "king"}, named) is None
    assert viewer_of({"kcc_role": "auditor"}, named) is None  # no subject


def test_an_id_token_whose_subject_is_the_providers_own_is_read_by_its_person_claim(
    settings: Settings,
) -> None:
    """A provider with pairwise subjects carries the person's minted id in another claim,
    which AUTH_CLAIM_PERSON names; its own subject is never taken for the person."""
    named = settings.model_copy(update={"auth_claim_person": "kcc_person"})
    claims = {"sub": "pairwise-7d1c", "role": "area-board", "areas": "kent"}
    person = person_id_for("board-member-1")

    assert viewer_of({**claims, "kcc_person": person}, named) == Principal(
        subject=person, role=Role.AREA_BOARD, kent_wide=True
    )
    assert viewer_of(claims, named) is None
    assert viewer_of(claims, settings) is None


async def test_a_role_token_is_still_checked_as_the_kit_checks_it(
    verifier: SessionAwareVerifier, signing_key: bytes
) -> None:
    token = mint_token(signing_key, role="area-board", subject=person_id_for("board-1"))
    assert (await verifier.verify(token)).role is Role.AREA_BOARD


@pytest.mark.parametrize(
    "token",
    [
        SessionKey(b"another key, another deployment!").session(OFFICER, 600),
        SessionKey(b"k" * 32).session(OFFICER, -10),
        SessionKey(b"k" * 32).sign(
            "inclusion-monitoring-sign-in", {"sub": "x", "role": "auditor"}, 60
        ),
        jwt.encode({"sub": "x", "role": "kcc-officer", "aud": SESSION_AUDIENCE}, "k" * 32),
        "not.a.token",
    ],
    ids=["other-key", "expired", "sign-in-state", "not-ours", "garbage"],
)
async def test_a_session_not_signed_here_for_this_purpose_is_refused(
    verifier: SessionAwareVerifier, token: str
) -> None:
    with pytest.raises(Unauthorised):
        await verifier.verify(token)


def test_a_session_key_is_at_least_32_bytes() -> None:
    with pytest.raises(ValueError):
        SessionKey(b"short")


async def through(method: str, headers: list[tuple[bytes, bytes]]) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.update({name.decode(): value for name, value in scope["headers"]})

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        return None

    scope: Scope = {"type": "http", "method": method, "headers": headers}
    await SessionCookieAuth(app)(scope, receive, send)
    return seen


async def test_the_cookie_stands_for_a_bearer_token_when_reading() -> None:
    cookie = (b"cookie", f"theme=dark; {SESSION_COOKIE}=abc.def.ghi".encode())
    assert (await through("GET", [cookie]))["authorization"] == b"Bearer abc.def.ghi"
    assert (await through("HEAD", [cookie]))["authorization"] == b"Bearer abc.def.ghi"


async def test_the_cookie_is_no_authority_for_anything_else() -> None:
    cookie = (b"cookie", f"{SESSION_COOKIE}=abc".encode())
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert "authorization" not in await through(method, [cookie])
    explicit = (b"authorization", b"Bearer own")
    assert (await through("GET", [cookie, explicit]))["authorization"] == b"Bearer own"


@pytest.mark.parametrize(
    ("target", "goes_to"),
    [
        ("/dashboard?scope=area:east-kent", "/dashboard?scope=area:east-kent"),
        ("https://elsewhere.example/", "/dashboard"),
        ("//elsewhere.example/", "/dashboard"),
        ("/\\elsewhere.example", "/dashboard"),
        ("javascript:alert(1)", "/dashboard"),
        (None, "/dashboard"),
    ],
)
def test_signing_in_only_ever_returns_to_this_site(target: str | None, goes_to: str) -> None:
    assert safe_next(target) == goes_to


def test_pkce_challenges_are_the_s256_of_the_verifier() -> None:
    attempt = Attempt(state="s", nonce="n", verifier="dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    assert attempt.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636, B
    assert Attempt.new() != Attempt.new()


def test_every_route_but_signing_in_needs_a_role(settings: Settings) -> None:
    app = create_app(settings)
    assert_every_route_guarded(app)  # the kit's check: every API route has allow()
    only_sign_in_is_open(app)  # and nothing but signing in is open besides
    assert {getattr(route, "path", "") for route in app.router.routes} >= SIGN_IN_PATHS

    def unguarded() -> None:
        return None

    bare = FastAPI()
    bare.add_route("/secret", unguarded)  # type: ignore[arg-type]
    with pytest.raises(UnguardedRoute, match="/secret"):
        only_sign_in_is_open(bare)
