"""``fernhilfe-relay`` / ``python -m relay``: run the relay until SIGTERM or SIGINT.

When ready it prints one JSON line to stdout, ``{"event":"listening","url":"ws://HOST:PORT/v1"}``,
so scripts and tests can start it with ``--port 0`` and read the bound URL.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Sequence

from relay.logs import configure_logging
from relay.server import RelayServer
from relay.settings import (
    RelaySettings,
    SettingsError,
    check_revocations_dir,
    check_transport_security,
    load_settings,
)


async def run(settings: RelaySettings) -> int:
    """Serve until a signal arrives; then tell every client ``shutting_down`` and exit 0."""
    server = RelayServer(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Handlers go in before "listening" is printed: a signal may follow at once.
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await server.start()
    print(json.dumps({"event": "listening", "url": server.url}, separators=(",", ":")), flush=True)
    await stop.wait()
    await server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``fernhilfe-relay``."""
    try:
        settings = load_settings(argv)
        check_transport_security(settings)
        check_revocations_dir(settings)
    except SettingsError as exc:
        print(f"fernhilfe-relay: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        return asyncio.run(run(settings))
    except OSError as exc:
        print(
            f"fernhilfe-relay: cannot listen on {settings.host}:{settings.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
