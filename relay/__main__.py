"""``fernhilfe-relay`` / ``python -m relay``: run the relay until SIGTERM or SIGINT.

When ready it prints one JSON line to stdout, ``{"event":"listening","url":"ws://HOST:PORT/v1"}``
(a cluster node adds ``"node"`` and ``"internal_url"``), so scripts and tests can start it with
``--port 0`` and read the bound URL.

SIGTERM (or SIGINT) drains: no new clients, the sessions keep flowing up to ``drain_timeout``,
then the rest hear ``shutting_down`` and resume elsewhere; a second signal ends the wait.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Sequence

from relay.cluster.state import StateUnavailable
from relay.logs import configure_logging
from relay.server import RelayServer
from relay.settings import (
    RelaySettings,
    SettingsError,
    check_revocations_dir,
    check_transport_security,
    load_settings,
    read_cluster_secret,
)


async def run(settings: RelaySettings) -> int:
    """Serve until a signal arrives; then drain, tell the rest ``shutting_down``, exit 0."""
    server = RelayServer(settings)
    stop, hurry = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()

    def signalled() -> None:
        (hurry if stop.is_set() else stop).set()

    # Handlers go in before "listening" is printed: a signal may follow at once.
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, signalled)
        except NotImplementedError:  # Windows' loops have none: Python's own handler hops over
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(signalled))
    try:
        await server.start()
    except StateUnavailable as exc:
        print(f"fernhilfe-relay: cannot reach redis_url: {exc}", file=sys.stderr)
        await server.stop()
        return 1
    ready = {"event": "listening", "url": server.url}
    if server.internal_url:
        ready |= {"node": server.node, "internal_url": server.internal_url}
    print(json.dumps(ready, separators=(",", ":")), flush=True)
    await stop.wait()
    await server.drain(hurry)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``fernhilfe-relay``."""
    try:
        settings = load_settings(argv)
        check_transport_security(settings)
        check_revocations_dir(settings)
        read_cluster_secret(settings)
    except SettingsError as exc:
        print(f"fernhilfe-relay: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        return asyncio.run(run(settings))
    except OSError as exc:
        where = f"{settings.host}:{settings.port}"
        if settings.cluster_secret_file:
            where += f" or internal {settings.internal_host}:{settings.internal_port}"
        print(f"fernhilfe-relay: cannot listen on {where}: {exc.strerror}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
