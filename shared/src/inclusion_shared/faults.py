"""Named crash points for fault-injection tests: the process kills itself (SIGKILL, no clean-up)
when ``INCLUSION_CRASH_AT`` names the point it reaches. A no-op in normal running.

``INCLUSION_CRASH_AT=relay.after_publish`` dies the first time the point is reached;
``INCLUSION_CRASH_AT=relay.after_publish:7`` dies the seventh time, so a seeded fault campaign
can choose *when* (after how much work) a process dies, not only where. With
``INCLUSION_CRASH_AFTER=5`` only arrivals after the process's first five seconds count, so a
restarted process catches up on its backlog for a while before it dies again."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

CRASH_ENV = "INCLUSION_CRASH_AT"
CRASH_AFTER_ENV = "INCLUSION_CRASH_AFTER"

_reached: Counter[str] = Counter()
_began = time.monotonic()


def crash_target(value: str | None) -> tuple[str, int] | None:
    """The point and the how-many-th time to die there, from the environment's value; None for
    no (or an unreadable) crash request, which must never crash a service by accident."""
    if not value:
        return None
    point, _, nth = value.partition(":")
    if not nth:
        return point, 1
    try:
        times = int(nth)
    except ValueError:
        return None
    return (point, times) if times >= 1 else None


def _armed() -> bool:
    try:
        after = float(os.environ.get(CRASH_AFTER_ENV) or 0)
    except ValueError:
        return False
    return time.monotonic() - _began >= after


def crash_point(name: str) -> None:
    """Die here, as abruptly as a power cut, if the environment asks for it."""
    target = crash_target(os.environ.get(CRASH_ENV))
    if target is None or target[0] != name or not _armed():
        return
    _reached[name] += 1
    if _reached[name] >= target[1]:
        os.kill(os.getpid(), signal.SIGKILL)
