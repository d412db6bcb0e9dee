"""aiokafka, when the broker goes away under it, can hand a `CancelledError` to the task awaiting
one of its futures although nobody cancelled that task. Loops that must ride through broker
restarts tell the two apart here."""

from __future__ import annotations

import asyncio


def cancelled_for_real() -> bool:
    """True if someone asked for the current task to be cancelled (so it must end)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
