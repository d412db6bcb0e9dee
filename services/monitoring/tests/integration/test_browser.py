"""The dashboard in a real browser (Debian's Chromium, headless, driven by playwright-core from
npm): served by `inclusion-monitoring` running as its own process, signed in with a Kent-wide
Area Board member's token, drilled down Kent → East Kent → Thanet, where a community's two
applications show as `c`, and a table downloaded as CSV. The screenshot is left in
test-artifacts/."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from inclusion_shared.auth import mint_token
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.testing import eventually

from .conftest import Monitoring

REPO = Path(__file__).resolve().parents[4]
SCRIPT = Path(__file__).parent / "browser" / "dashboard.mjs"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(monitoring: Monitoring) -> Iterator[str]:
    """`inclusion-monitoring` as `make up` runs it, on the module's database and deployment."""
    settings, port = monitoring.settings, free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers,
        "DEPLOYMENT": settings.deployment,
        "AUTH_PUBLIC_KEY_FILE": str(monitoring.public_key),
        "DEV_SIGN_IN": "true",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    command = Path(sys.executable).parent / "inclusion-monitoring"
    server = subprocess.Popen(
        [str(command)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"

    try:
        yield url
    finally:
        server.terminate()
        server.wait(30)


@pytest.fixture(scope="module")
def node() -> str:
    """Node.js with playwright-core installed, and Debian's Chromium: `make install` brings
    them (npm ci; the chromium package)."""
    found = shutil.which("node")
    assert found, "Node.js runs the browser test"
    assert (REPO / "node_modules" / "playwright-core").is_dir(), (
        "run `npm ci` in the repository root: the browser test needs playwright-core"
    )
    assert CHROMIUM.is_file(), "install Debian's chromium package (make system-deps)"
    return found


@pytest.fixture(scope="module")
async def seen(monitoring: Monitoring, served: str, node: str) -> dict[str, Any]:
    """What the browser saw, walking the dashboard once as a Kent-wide Area Board member."""

    async def ready() -> bool:
        try:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"{served}/health/ready", timeout=2)).status_code == 200
        except httpx.HTTPError:
            return False

    await eventually(ready, within=60, every=0.25)
    token = mint_token(
        monitoring.signing_key,
        role="area-board",
        subject=person_id_for("board-member-7"),
        areas=("kent",),
    )
    browser = await asyncio.create_subprocess_exec(
        node,
        str(SCRIPT),
        env={
            **os.environ,
            "MONITORING_URL": served,
            "MONITORING_TOKEN": token,
            "ARTIFACTS": str(ARTIFACTS),
            "CHROMIUM": str(CHROMIUM),
        },
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(browser.communicate(), 200)
    assert browser.returncode == 0, stderr.decode()[-3000:]
    found: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])
    return found


@pytest.mark.timeout(240)
def test_the_dashboard_in_a_real_browser(seen: dict[str, Any]) -> None:
    assert seen["signInUrl"] == "/auth/sign-in"
    assert seen["cookie"] == [
        {"name": "monitoring_session", "secure": True, "httpOnly": True, "sameSite": "Lax"}
    ]
    assert seen["heading"] == "Kent: financial year 2026-27"
    assert seen["kentEast"] == ["9", "0", "0", "9"]
    assert seen["kentTotal"] == ["9", "6", "0", "15"]
    assert seen["tables"] >= 16
    assert seen["headerScopes"][:5] == ["col"] * 5 and "row" in seen["headerScopes"]
    assert seen["firstFocus"] == "Skip to the figures"
    assert seen["focusOutline"] == "solid"
    assert seen["areaHeading"] == "East Kent: financial year 2026-27"
    assert seen["districtHeading"] == "Thanet: financial year 2026-27"
    assert seen["breadcrumbs"] == ["Kent", "East Kent", "Thanet"]
    assert seen["smallCommunity"] == ["c", "0", "0", "c"]
    assert seen["suppressedCells"] > 0
    assert seen["csvName"] == "funding-applications-table-district-thanet-2026-27.csv"
    assert seen["csv"].splitlines()[1:] == [
        "Margate Coast,c,0,0,c",
        "Ramsgate Harbour,c,0,0,c",
        "Total,9,0,0,9",
    ]
    assert seen["methodHeading"] == "How “Funding applications received” is computed"
    assert seen["problems"] == [], "no script or policy errors in the console"
    assert seen["screenshot"].endswith("monitoring-dashboard.png")
    assert (ARTIFACTS / "monitoring-trends.png").is_file()


# The terms the Thanet 20-week chart must show, whatever today is (the chart ends at today's
# term or the year's end): (term, all plans, excluding exceptions, Kent's all plans).
THANET_TWENTY_WEEKS = {
    "2025 summer": ("c", "c", "c"),
    "2025 autumn": ("67%", "67%", "67%"),
    "2026 spring": ("c", "c", "c"),
    "2026 summer": ("55%", "71%", "55%"),
    "2026 autumn": ("75%", "75%", "67%"),
}


def test_trend_charts_agree_with_their_tables_and_csv_and_pass_the_accessibility_check(
    seen: dict[str, Any],
) -> None:
    assert seen["charts"] == [
        "twenty-week-plans",
        "consultation-replies",
        "funding-decisions",
        "placements-started",
        "you-said-we-did",
    ]
    for page, found in seen["accessibility"].items():
        assert found["passes"] > 0, page
        assert found["violations"] == [], f"serious or critical axe findings on the {page}"
    assert set(seen["accessibility"]) == {
        "kent dashboard",
        "district dashboard",
        "method page",
        "figure page",
    }

    chart = seen["twentyWeeks"]
    assert chart["labelledBy"] == "chart-twenty-week-plans-title chart-twenty-week-plans-desc"
    assert chart["title"] == "EHC plans issued within 20 weeks"
    assert "for Thanet, with Kent for comparison" in chart["description"]
    names = ["Thanet, all plans", "Thanet, excluding exceptions", "Kent, all plans"]
    drawn = {line["series"]: dict(line["points"]) for line in chart["drawn"]}
    assert list(drawn) == names
    table = {row[0]: tuple(row[1:]) for row in chart["table"]["rows"]}
    assert chart["table"]["head"] == ["Term", *names]
    csv_rows = list(csv.reader(io.StringIO(chart["csv"])))
    assert csv_rows[0] == ["Term", *names]
    csv_values = [tuple(row[1:]) for row in csv_rows[1:]]
    assert len(csv_values) == len(table) == 6
    for (term, values), from_csv in zip(table.items(), csv_values, strict=True):
        assert tuple(drawn[name][term] for name in names) == values, term
        assert tuple(v.removesuffix("%") for v in values) == from_csv, term
    for term, expected in THANET_TWENTY_WEEKS.items():
        assert table[term] == expected, term
    # Suppressed terms are gaps in the lines, said with their reason; the rest are drawn.
    for line in chart["drawn"]:
        assert {"2025 summer", "2026 spring"} <= set(line["gaps"])
        assert line["runs"] == 1  # 2026 summer to 2026 autumn; 2025 autumn stands alone
    assert (
        "Not drawn for Thanet, all plans: 2025 summer, 2026 spring — c, suppressed"
        in (chart["caption"])
    )
    assert "Thanet 75% against Kent 67%" in chart["caption"]
    assert chart["csvName"].startswith("twenty-week-plans-trend-district-thanet-2026-27")

    assert ["2026 autumn", "75%"] in seen["figureChart"]
    assert seen["filteredHeading"] == "Dover: financial year 2026-27"
    assert seen["filteredCsvLink"] == (
        "/charts/twenty-week-plans.csv?scope=district%3Adover&year=2026-27&term="
    )
