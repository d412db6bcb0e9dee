"""Run a coroutine from synchronous code, even from inside a running event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`asyncio.run` refuses to nest; an async test fixture calling a sync `ensure_*` would hit
    that, so when a loop is already running here the coroutine gets its own loop in a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


async def within(seconds: float, awaitable: Awaitable[T], default: T) -> T:
    """`awaitable`'s result, or `default` if it has not finished after `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            return await awaitable
    except TimeoutError:
        return default
