from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from inclusion_cli.main import app
from inclusion_shared.identifiers import is_person_id, person_id_for

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
    assert claims["sub"] == person_id_for("dev-senco")  # the same development person each time
    assert claims["exp"] - claims["iat"] == 60
    private = isolated_home / ".local" / "keys" / "dev-signing-key.pem"
    assert private.stat().st_mode & 0o777 == 0o600


def test_token_carries_child_and_person() -> None:
    parent = person_id_for("parent-1")
    result = runner.invoke(
        app,
        ["token", "--role", "parent", "--child", "child-4b8669e033ccb7794915", "--person", parent],
    )

    assert result.exit_code == 0, result.output
    claims = jwt.decode(result.output.strip(), options={"verify_signature": False})
    assert (claims["role"], claims["child"], claims["sub"]) == (
        "parent",
        "child-4b8669e033ccb7794915",
        parent,
    )


def test_a_token_for_a_person_named_other_than_by_a_minted_id_is_refused() -> None:
    result = runner.invoke(app, ["token", "--role", "senco", "--person", "jane.smith"])

    assert result.exit_code != 0
    assert "not a person's id" in result.output


def test_a_new_persons_id_is_minted_in_the_one_shape_a_token_takes() -> None:
    first = runner.invoke(app, ["person", "new"])
    second = runner.invoke(app, ["person", "new"])

    assert first.exit_code == second.exit_code == 0, first.output
    assert is_person_id(first.output.strip()) and is_person_id(second.output.strip())
    assert first.output != second.output
    token = runner.invoke(app, ["token", "--role", "senco", "--person", first.output.strip()])
    assert token.exit_code == 0, token.output


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
