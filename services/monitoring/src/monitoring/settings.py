"""The monitoring service's settings, from environment variables."""

from pathlib import Path

from pydantic import Field, SecretStr

from inclusion_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "monitoring"

    # Signing in from a browser, production: the OpenID Connect authorization-code flow against
    # the deployment's identity provider. Off until the issuer, client and redirect are all set.
    oidc_issuer: str | None = Field(
        None, description="the identity provider's issuer URL; its discovery document is read"
    )
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_redirect_uri: str | None = Field(
        None, description="this service's /auth/callback as the identity provider knows it"
    )
    oidc_scopes: str = "openid"
    oidc_role_claim: str = Field(
        "role", description="the ID token claim that carries the suite's role"
    )

    # Signing in from a browser, development: paste a role token from `inclusion token`.
    dev_sign_in: bool = Field(
        False, description="development only: allow signing in with a role token"
    )

    session_key_file: Path | None = Field(
        None,
        description="the key signing session cookies (every replica the same); "
        "without it a random key is made at start and sessions end with the process",
    )
    session_hours: float = Field(8.0, gt=0, le=24)

    @property
    def oidc_enabled(self) -> bool:
        return None not in (
            self.oidc_issuer,
            self.oidc_client_id,
            self.oidc_client_secret,
            self.oidc_redirect_uri,
        )
