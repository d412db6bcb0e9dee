"""Named crash points for fault-injection tests: the process kills itself (SIGKILL, no clean-up)
when ``INCLUSION_CRASH_AT`` names the point it reaches. A no-op in normal running."""

from __future__ import annotations

import os
import signal

CRASH_ENV = "INCLUSION_CRASH_AT"


def crash_point(name: str) -> None:
    """Die here, as abruptly as a power cut, if the environment asks for it."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
