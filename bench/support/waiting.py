"""Waiting for a condition with a deadline: the one place tests and benchmarks poll.

A test that sleeps a fixed time either waits too long (slow) or too short (flaky). These wait
exactly until the condition holds, and fail with a message that names what never happened.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Sized
from typing import Any, TypeVar

T = TypeVar("T")

#: How often a condition is polled: short against the timings tests measure (tens of ms).
STEP = 0.02


def wait_for(pred: Callable[[], T | None], timeout: float = 15.0, what: str = "the condition",
             step: float = STEP, pause: Callable[[float], None] = time.sleep) -> T:
    """Poll ``pred`` until it returns something truthy; return that, or raise TimeoutError
    after ``timeout`` seconds. ``pause`` waits between polls (a Qt test passes one that keeps
    processing events, e.g. ``lambda s: qtbot.wait(int(s * 1000))``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        pause(step)


async def wait_for_async(pred: Callable[[], Any], timeout: float = 5.0,
                         what: str = "the condition", step: float = STEP) -> Any:
    """:func:`wait_for` on an event loop (``pred`` may be a coroutine function): the loop keeps
    serving while it waits."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(step)


def grew(items: Sized, n: int) -> Callable[[], bool]:
    """A condition: ``items`` holds more than ``n`` entries now."""
    return lambda: len(items) > n


class _Settling:
    """The bookkeeping of "unchanged for ``quiet`` seconds", for both :func:`settled` helpers."""

    def __init__(self, first: int, quiet: float, timeout: float, what: str) -> None:
        self.deadline = time.monotonic() + timeout
        self.last, self.since = first, time.monotonic()
        self.quiet, self.timeout, self.what = quiet, timeout, what

    def settled(self, value: int) -> bool:
        """Note ``value`` (read just now); True once it has not changed for ``quiet``."""
        now = time.monotonic()
        if value != self.last:
            self.last, self.since = value, now
        elif now - self.since >= self.quiet:
            return True
        if now > self.deadline:
            raise TimeoutError(f"timed out after {self.timeout:g} s waiting for {self.what}")
        return False


def settled(count: Callable[[], int], quiet: float, timeout: float = 10.0,
            what: str = "things to settle", pause: Callable[[float], None] = time.sleep) -> int:
    """Wait until ``count()`` has not changed for ``quiet`` seconds; return its value. For "let
    the screen come to rest" where nothing signals the end: it waits on the condition (no more
    reports for ``quiet``), not a fixed time."""
    state = _Settling(count(), quiet, timeout, what)
    while True:
        pause(STEP)
        value = count()
        if state.settled(value):
            return value


async def settled_async(count: Callable[[], int], quiet: float, timeout: float = 10.0,
                        what: str = "things to settle") -> int:
    """:func:`settled` on an event loop: the loop keeps serving while it waits."""
    state = _Settling(count(), quiet, timeout, what)
    while True:
        await asyncio.sleep(STEP)
        value = count()
        if state.settled(value):
            return value
