"""Long-lived background work that never dies silently.

A ``Supervised`` task runs its work until the service stops. If the work raises anything, the
error is logged with its traceback, counted, and the work starts again after a backoff that
doubles up to a bound; if it returns while the service is still running, that is a failure too.
The service's readiness reads ``running`` (the work is under way now), its liveness ``alive``
(the work has not failed ``dying_after`` times in a row): a task that keeps dying gets the
process restarted by whoever watches liveness.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from inclusion_shared.observability.metrics import TASK_FAILURES

log = logging.getLogger(__name__)

Work = Callable[[], Awaitable[None]]


class Supervised:
    def __init__(
        self,
        name: str,
        work: Work,
        stopping: asyncio.Event,
        *,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        dying_after: int = 5,
        healthy_after: float = 60.0,
    ) -> None:
        self.name = name
        self.work = work
        self.stopping = stopping
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.dying_after = dying_after
        self.healthy_after = healthy_after
        self.running = False
        self.failures = 0  # since the process started: the count an operator graphs
        self.failing = 0  # in a row: a run that lasted ``healthy_after`` seconds resets it
        self.last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def alive(self) -> bool:
        return self.failing < self.dying_after

    def start(self) -> Supervised:
        self._task = asyncio.create_task(self._supervise(), name=self.name)
        return self

    async def wait(self, grace: float | None = None) -> None:
        """Until the work has ended after ``stopping`` was set; past ``grace`` seconds it is
        cancelled (work waiting on a broker that is down need not hold up a shutdown)."""
        if self._task is None:
            return
        done, _ = await asyncio.wait([self._task], timeout=grace)
        if not done:
            log.warning("background task did not stop in %ss; cancelling it", grace)
            self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            if not self._task.cancelled():
                raise

    async def _supervise(self) -> None:
        while not self.stopping.is_set():
            began = time.monotonic()
            self.running = True
            try:
                await self.work()
            except Exception as error:
                self._failed(began, repr(error), traceback=True)
            else:
                if self.stopping.is_set():
                    break
                self._failed(began, "the work returned while the service runs", traceback=False)
            finally:
                self.running = False
            delay = min(self.backoff * 2 ** min(self.failing - 1, 16), self.max_backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), delay)

    def _failed(self, began: float, error: str, *, traceback: bool) -> None:
        if time.monotonic() - began >= self.healthy_after:
            self.failing = 0
        self.failures += 1
        self.failing += 1
        TASK_FAILURES.add(task=self.name)
        self.last_error = error
        extra = {"task": self.name, "failures": self.failures, "in_a_row": self.failing}
        if traceback:
            log.exception("background task failed; restarting it", extra=extra)
        else:
            log.error("background task ended; restarting it", extra=extra)
