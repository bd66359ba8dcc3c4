"""The relay's structured logs: one JSON object per line, and nothing that names a client.

Log lines carry an event name and fields. A client appears only as :class:`LogIds`' salted hash
of its address block (the salt is per process), so lines about one client can be correlated
without the log revealing who it was; nameplates and message content are never logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import sys

log = logging.getLogger("fernhilfe.relay")


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: time, level, event, and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        body = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            body["error"] = self.formatException(record.exc_info)
        return json.dumps(body, separators=(",", ":"))


def configure_logging(level: str) -> None:
    """Structured logs: one JSON object per line on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # websockets logs handshake failures with tracebacks; keep them, but only as warnings.
    logging.getLogger("websockets").setLevel(max(logging.WARNING, root.level))


def log_event(level: int, event: str, **fields: object) -> None:
    """Log ``event`` with ``fields`` (cheap when the level is off: no record is built)."""
    if log.isEnabledFor(level):
        log.log(level, event, extra={"fields": fields})


class LogIds:
    """Salted, per-process hashes of address blocks: correlate log lines, name nobody."""

    def __init__(self) -> None:
        self._salt = secrets.token_bytes(16)

    def __call__(self, key: str) -> str:
        return hashlib.blake2b(key.encode(), key=self._salt, digest_size=6).hexdigest()
