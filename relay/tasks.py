"""Stopping the relay's background loops without trusting one cancellation to stop them."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("fernhilfe.relay")


async def cancel_and_wait(task: asyncio.Task[Any], timeout: float) -> bool:
    """Cancel ``task`` and wait at most ``timeout`` seconds for it to end; True if it did.

    Why: on Python 3.11 a cancellation can be lost inside library code: ``asyncio.wait_for``
    returns the inner result when the inner call finishes just as the cancel arrives
    (CPython gh-86296, fixed in 3.12), and redis-py writes every command through it. The
    cancelled loop then ran on, and awaiting it held a cluster node's close for 53 s (seen in
    CI). So the loops stopped here also end on their own stop flag, and this wait is bounded.
    A cancellation of the caller itself is never swallowed (it propagates from the wait)."""
    task.cancel()
    await asyncio.wait({task}, timeout=timeout)
    if not task.done():
        log.warning("background task %s did not end within %.1f s of its cancel; "
                    "it ends at its next stop check", task.get_name(), timeout)
        return False
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s failed", task.get_name(), exc_info=task.exception())
    return True
