"""One asyncio loop in a daemon thread: where agent and console do their network I/O.

Apart from the relay client because it is about threads, not the protocol: the Qt bridges own
one each and the session driver runs on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any


class LoopThread:
    """One asyncio loop in a daemon thread: where agent and console do their network I/O.

    The GUI thread never blocks on it; it schedules work with :meth:`call` and, at exit, asks
    for an orderly :meth:`stop` (the given shutdown coroutine runs first, e.g. to send ``End``
    and release held input).
    """

    def __init__(self, name: str, on_start: Callable[[], None] | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self._on_start = on_start
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def call(self, fn: Callable[..., object], *args: object) -> None:
        """Run ``fn(*args)`` on the loop soon; nothing if the loop has stopped."""
        if self._thread.is_alive():
            with contextlib.suppress(RuntimeError):  # closed between the check and the call
                self.loop.call_soon_threadsafe(fn, *args)

    def stop(self, shutdown: Callable[[], Coroutine[Any, Any, None]] | None = None,
             timeout: float = 5.0) -> None:
        """Run ``shutdown()`` on the loop (bounded by ``timeout``), then stop the thread."""
        if not self._thread.is_alive():
            return
        if shutdown is not None:
            fut = asyncio.run_coroutine_threadsafe(shutdown(), self.loop)
            with contextlib.suppress(Exception):
                fut.result(timeout)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        if self._on_start is not None:
            self._on_start()
        self.loop.run_forever()
        with contextlib.suppress(Exception):
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()


__all__ = ["LoopThread"]
