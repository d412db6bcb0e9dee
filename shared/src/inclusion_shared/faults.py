"""Named fault points for fault-injection tests, a no-op in normal running.

A crash point kills the process (SIGKILL, no clean-up) when ``INCLUSION_CRASH_AT`` names the
point it reaches. ``INCLUSION_CRASH_AT=relay.after_publish`` dies the first time the point is
reached; ``INCLUSION_CRASH_AT=relay.after_publish:7`` dies the seventh time, so a seeded fault
campaign can choose *when* (after how much work) a process dies, not only where. With
``INCLUSION_CRASH_AFTER=5`` only arrivals after the process's first five seconds count, so a
restarted process catches up on its backlog for a while before it dies again.

A raise point raises an error instead, once, on the arrival ``INCLUSION_RAISE_AT`` names (the
same ``point`` or ``point:N`` form): the process lives on, and whatever supervises the code
that reached the point must recover from an error it did not foresee."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections import Counter
from collections.abc import Callable

CRASH_ENV = "INCLUSION_CRASH_AT"
CRASH_AFTER_ENV = "INCLUSION_CRASH_AFTER"
RAISE_ENV = "INCLUSION_RAISE_AT"
# The warning a raise point logs as it raises: how a campaign counts the faults it injected.
RAISED = "fault injected: raising at a fault point"

log = logging.getLogger(__name__)

_reached: Counter[str] = Counter()
_raise_reached: Counter[str] = Counter()
_began = time.monotonic()


def crash_target(value: str | None) -> tuple[str, int] | None:
    """The point and the how-many-th time to die (or raise) there, from the environment's
    value; None for no (or an unreadable) request, which must never fail a service by accident."""
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


def fault_point(name: str, error: Callable[[str], BaseException]) -> None:
    """Raise ``error(message)`` here, once, if the environment asks for it on this arrival."""
    target = crash_target(os.environ.get(RAISE_ENV))
    if target is None or target[0] != name:
        return
    _raise_reached[name] += 1
    if _raise_reached[name] == target[1]:
        log.warning(RAISED, extra={"fault_point": name, "arrival": target[1]})
        raise error(f"fault injected at {name} (arrival {target[1]})")
