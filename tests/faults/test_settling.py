"""The campaign waits for everything to settle, but not for ever on something stuck: what it is
still waiting for, unchanged for the stall limit, is handed to the verdict instead."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from faults import campaign
from faults.infra import Ports


def options(stalled_after: float) -> campaign.Options:
    return campaign.Options(
        seed=1, kills=0, broker_restarts=0, postgres_restarts=0, workers=1, rejoins=0,
        point_timeout=1.0, gap=(1.0, 2.0), poisons_each=0, workdir=Path("."), ports=Ports(),
        stalled_after=stalled_after,
    )  # fmt: skip


def settle(monkeypatch: pytest.MonkeyPatch, waits: list[str | None], stalled_after: float) -> Any:
    async def waiting_for(*_: object) -> str | None:
        return waits.pop(0) if len(waits) > 1 else waits[0]

    monkeypatch.setattr(campaign, "_waiting_for", waiting_for)
    none: Any = None
    return asyncio.run(
        campaign._settle(none, none, "d", none, options(stalled_after), lambda _: None)
    )


def test_what_does_not_move_is_named_instead_of_waited_for_for_ever(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, unsettled = settle(monkeypatch, ["funding's inbox (48 events to take)"], 0.2)

    assert unsettled is not None and unsettled.startswith("funding's inbox (48 events to take)")


def test_what_keeps_moving_is_waited_for_until_it_settles(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[str | None] = [f"funding's inbox ({n} events to take)" for n in (3, 2, 1)]

    _, unsettled = settle(monkeypatch, [*waits, None], 0.3)

    assert unsettled is None
