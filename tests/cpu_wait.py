"""How long threads waited for a CPU that other processes held (Linux schedstat).

The streamer's rate and latency tests measure wall time. On a loaded 2-core machine (CI, or six
lanes at once) a thread that is ready to run can wait for a CPU for most of a window: that wait
is the machine's, not the code's. A pacing or echo bug shows as SLEEP (the thread is not
runnable: it waits for a timer, a condition, a credit), never as run-queue wait. So those tests
take the run-queue wait of the threads that do the work out of their windows: what they assert
(60 updates/s, a grab within 28 ms of a key) is then what the code does in the time it was
given, and a bug that makes it sleep fails them as before, on a quiet or a busy machine.

The kernel reports it in ``/proc/self/task/<tid>/schedstat`` (second field, ns; CONFIG_SCHED_INFO,
on in Debian's kernels and here). Where it does not, the wait reads 0: nothing is taken out,
the test measures wall time as it did.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path


def run_queue_wait(native_id: int | None = None, pid: int | str = "self") -> float:
    """Seconds thread ``native_id`` (default: the caller) of process ``pid`` has been runnable
    but not running since it started; 0.0 where the kernel does not say."""
    tid = native_id if native_id is not None else threading.get_native_id()
    try:
        fields = Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()
        return int(fields[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Window:
    """A measuring window and the CPU its working threads were kept from during it.

    ``stolen`` is the LONGEST run-queue wait of the given threads over the window, not their
    sum: the threads work in a chain, and the longest single wait is what the chain surely
    lost. So a rate over :attr:`given` is never flattered beyond what one thread lost.
    """

    def __init__(self, *threads: threading.Thread | None) -> None:
        self._ids = [t.native_id for t in threads if t is not None and t.native_id is not None]
        self._t0 = time.monotonic()
        self._w0 = [run_queue_wait(i) for i in self._ids]
        self.wall = 0.0
        self.stolen = 0.0

    def close(self) -> Window:
        """End the window; returns itself (``wall``, ``stolen`` and ``given`` are set)."""
        self.wall = time.monotonic() - self._t0
        waits = [run_queue_wait(i) - w0 for i, w0 in zip(self._ids, self._w0, strict=True)]
        self.stolen = min(max([0.0, *waits]), self.wall)
        return self

    def __repr__(self) -> str:
        return f"Window(wall={self.wall:.3f} s, stolen={self.stolen:.3f} s)"

    @property
    def given(self) -> float:
        """Wall seconds of the window minus what the machine kept from the working threads."""
        return max(self.wall - self.stolen, 1e-6)
