"""How much each measurement does, from the full run's sizes scaled down for a quick one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    backlog: int
    """outbox rows the relay publishes, and records the raw producer sends"""
    consumed: int
    """events the consumer applies, and raw transactions"""
    round_trips: int
    hashed: int
    peak_seconds: float
    open_loop_seconds: float
    audit_events: int
    """events in the audit log (written once, read by every run)"""
    within: float
    """seconds any one measurement may take before the bench gives up"""

    @classmethod
    def scaled(cls, scale: float) -> Sizes:
        def count(full: int, least: int) -> int:
            return max(least, round(full * scale))

        def seconds(full: float, least: float) -> float:
            return max(least, full * scale)

        return cls(
            backlog=count(50_000, 200),
            consumed=count(3_000, 50),
            round_trips=count(1_000, 30),
            hashed=count(20_000, 200),
            peak_seconds=seconds(5, 1),
            open_loop_seconds=seconds(20, 2),
            audit_events=count(1_000_000, 1_000),
            within=seconds(600, 120),
        )
