"""`inclusion audit` as a person types it: the replay names the services it can rebuild and says
why some have nothing to rebuild; an unknown service is refused before anything is read."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from inclusion_cli.main import app

runner = CliRunner()


def test_replaying_a_service_that_consumes_nothing_passes_and_says_why() -> None:
    result = runner.invoke(
        app, ["audit", "replay", "--service", "placements", "--service", "reviews", "--json"]
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["passed"] is True
    assert set(report["services"]) == {"placements", "reviews"}
    assert report["services"]["reviews"]["note"].startswith("consumes no events")
    assert "offers" in report["services"]["placements"]["not_compared"]


def test_an_unknown_service_is_refused() -> None:
    result = runner.invoke(app, ["audit", "replay", "--service", "payroll"])

    assert result.exit_code == 2
    assert "payroll" in result.output
