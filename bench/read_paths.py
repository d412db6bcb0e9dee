"""`python -m bench.read_paths` (`make bench-dashboard`): the Area Board's read paths at Kent's
size, on the suite `make up SCALE=kent` runs. The dashboard for Kent, an area, a district and a
Community of Schools, a figure's page, and the CSV downloads of a table and a trend chart, each
asked for over and over by a few board members at once (closed loop), as an area-board token
signed with the local development key. Prints p50 and p95 of each against the 300 ms target,
and writes the figures as JSON (the last line printed is its path).

There is no raw baseline to set these against: the target is a person waiting for a page. The
figures include uvicorn, the session check, the queries and the rendering, all on this machine
with the load generator beside them."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.stats import clock, ms, percentile
from inclusion_cli.paths import state_dir
from inclusion_cli.tokens import mint_dev_token

TARGET_MS = 300.0
PATHS = {
    "dashboard, Kent": "/dashboard?scope=kent",
    "dashboard, an area": "/dashboard?scope=area:east-kent",
    "dashboard, a district": "/dashboard?scope=district:thanet",
    "dashboard, a Community of Schools": "/dashboard?scope=community:kent2026-cos-thanet-1",
    "figure page, a district": "/figures/placements-assessments?scope=district:thanet",
    "CSV of a table, Kent": "/figures/funding-decisions/table.csv?scope=kent",
    "CSV of a trend chart, a district": "/charts/twenty-week-plans.csv?scope=district:thanet",
}


@dataclass(frozen=True)
class ReadPath:
    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    largest_bytes: int

    @property
    def met(self) -> bool:
        return self.p95_ms <= TARGET_MS


async def measure(
    base: str, token: str, name: str, path: str, requests: int, clients: int
) -> ReadPath:
    timings: list[float] = []
    largest = 0

    async def member(client: httpx.AsyncClient) -> None:
        nonlocal largest
        while len(timings) < requests:
            started = clock()
            answer = await client.get(path)
            timings.append(clock() - started)
            if answer.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {answer.status_code}: {answer.text[:300]}")
            largest = max(largest, len(answer.content))

    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        await client.get(path)  # once to warm it
        await asyncio.gather(*(member(client) for _ in range(clients)))
    return ReadPath(
        name, len(timings), ms(percentile(timings, 50)), ms(percentile(timings, 95)), largest
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.read_paths", description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8005", help="the monitoring service")
    parser.add_argument("--requests", type=int, default=200, help="requests per path")
    parser.add_argument("--clients", type=int, default=4, help="board members asking at once")
    parser.add_argument("--out", type=Path, default=Path(".local/bench"))
    args = parser.parse_args(argv)
    token = mint_dev_token(state_dir().keys, role="area-board", areas=("kent",))
    found = {}
    for name, path in PATHS.items():
        found[name] = await measure(args.url, token, name, path, args.requests, args.clients)
    print(f"{'read path':<36} {'p50 ms':>8} {'p95 ms':>8}  target  verdict")
    for name, figures in found.items():
        verdict = "met" if figures.met else "MISSED"
        timings = f"{figures.p50_ms:>8.1f} {figures.p95_ms:>8.1f}"
        print(f"{name:<36} {timings}  ≤ {TARGET_MS:g}  {verdict}")
    args.out.mkdir(parents=True, exist_ok=True)
    written = args.out / f"read-paths-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    written.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "load_average": os.getloadavg(),
                "clients": args.clients,
                "target_p95_ms": TARGET_MS,
                "paths": {name: asdict(f) | {"met": f.met} for name, f in found.items()},
            },
            indent=2,
        )
    )
    print(written)
    return 0 if all(f.met for f in found.values()) else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
