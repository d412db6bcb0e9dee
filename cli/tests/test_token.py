from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from inclusion_cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keys go to tmp_path/.local, never the developer's .local."""
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))
    return tmp_path


def test_token_for_a_valid_role_verifies_with_the_dev_public_key(isolated_home: Path) -> None:
    result = runner.invoke(app, ["token", "--role", "senco", "--setting", "S-42", "--ttl", "60"])

    assert result.exit_code == 0, result.output
    public = (isolated_home / ".local" / "keys" / "dev-signing-key.pub.pem").read_bytes()
    claims = jwt.decode(result.output.strip(), public, algorithms=["ES256"], audience="inclusion")
    assert claims["role"] == "senco"
    assert claims["settings"] == ["S-42"]
    assert claims["sub"] == "dev-senco"
    assert claims["exp"] - claims["iat"] == 60
    private = isolated_home / ".local" / "keys" / "dev-signing-key.pem"
    assert private.stat().st_mode & 0o777 == 0o600


def test_token_carries_child_and_subject() -> None:
    result = runner.invoke(
        app,
        ["token", "--role", "parent", "--child", "child-4b8669e033ccb7794915", "--subject", "p-1"],
    )

    assert result.exit_code == 0, result.output
    claims = jwt.decode(result.output.strip(), options={"verify_signature": False})
    assert (claims["role"], claims["child"], claims["sub"]) == (
        "parent",
        "child-4b8669e033ccb7794915",
        "p-1",
    )


def test_the_same_key_signs_every_token(isolated_home: Path) -> None:
    first = runner.invoke(app, ["token", "--role", "auditor"]).output.strip()
    second = runner.invoke(app, ["token", "--role", "area-board"]).output.strip()

    public = (isolated_home / ".local" / "keys" / "dev-signing-key.pub.pem").read_bytes()
    for token in (first, second):
        jwt.decode(token, public, algorithms=["ES256"], audience="inclusion")


def test_unknown_role_is_refused_with_the_valid_roles_listed() -> None:
    result = runner.invoke(app, ["token", "--role", "wizard"])

    assert result.exit_code != 0
    assert "unknown role 'wizard'" in result.output
    assert "kcc-officer" in result.output


def test_non_positive_ttl_is_refused() -> None:
    result = runner.invoke(app, ["token", "--role", "senco", "--ttl", "0"])

    assert result.exit_code != 0


def test_an_officers_token_carries_the_places_they_work_in() -> None:
    places = ["--area", "east-kent", "--district", "dover", "--district", "ashford"]
    result = runner.invoke(app, ["token", "--role", "kcc-officer", *places])

    assert result.exit_code == 0, result.output
    claims = jwt.decode(result.output.strip(), options={"verify_signature": False})
    assert (claims["areas"], claims["districts"]) == (["east-kent"], ["dover", "ashford"])


def test_a_place_kent_does_not_have_is_refused_with_the_places_listed() -> None:
    result = runner.invoke(app, ["token", "--role", "kcc-officer", "--area", "narnia"])

    assert result.exit_code != 0
    assert "unknown area 'narnia'" in result.output and "east-kent" in result.output


def test_a_token_cannot_outlive_the_longest_lifetime_services_accept() -> None:
    assert runner.invoke(app, ["token", "--role", "auditor", "--ttl", str(13 * 3600)]).exit_code
