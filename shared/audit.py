"""The audit record every session leaves on both PCs (GDPR Art. 28: who did what, and when).

Pure data plus a tiny file writer: the agent and the console each keep one record per session,
append events as they happen, and save it as JSON lines in the user's data directory, so that a
crash mid-session still leaves everything up to the crash on disk. ``render_text`` turns a record
into the human-readable form a customer or auditor asks for.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.errors import FernhilfeError


class AuditError(FernhilfeError):
    """An audit file cannot be read."""


def default_audit_dir() -> Path:
    """The user's data folder for audit records (``FERNHILFE_DATA_DIR`` overrides it)."""
    import platformdirs

    base = os.environ.get("FERNHILFE_DATA_DIR") or platformdirs.user_data_dir("Fernhilfe", False)
    return Path(base) / "audit"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class AuditRecord:
    """One session's record; every ``log`` call is written through to disk at once."""

    path: Path
    events: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def create(cls, directory: Path, role: str, clock: str | None = None) -> AuditRecord:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = re.sub(r"[^0-9T]", "", clock or _now())[:15]
        path = directory / f"session-{stamp}-{role}.jsonl"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"session-{stamp}-{role}-{n}.jsonl"
        return cls(path=path)

    def log(self, event: str, **details: Any) -> None:
        entry = {"time": _now(), "event": event, **details}
        self.events.append(entry)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")


def read_record(path: Path) -> list[dict[str, Any]]:
    """Load a saved record; a damaged line is an AuditError naming the line."""
    events = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AuditError(f"{path}:{number}: damaged audit line ({exc.msg})") from exc
        if not isinstance(entry, dict) or "event" not in entry or "time" not in entry:
            raise AuditError(f"{path}:{number}: not an audit entry")
        events.append(entry)
    return events


def render_text(events: list[dict[str, Any]]) -> str:
    """A plain, line-per-event rendering for people."""
    lines = []
    for entry in events:
        details = ", ".join(
            f"{k}={v}" for k, v in sorted(entry.items()) if k not in ("time", "event")
        )
        lines.append(f"{entry['time']}  {entry['event']}" + (f"  ({details})" if details else ""))
    return "\n".join(lines)


def recent_records(directory: Path, count: int = 1) -> list[Path]:
    """The ``count`` most recent audit files in ``directory``, oldest first."""
    if not directory.is_dir():
        return []
    files = sorted(directory.glob("session-*.jsonl"), key=lambda p: (p.stat().st_mtime, p.name))
    return files[-count:] if count > 0 else []


def render_recent(directory: Path, count: int = 1) -> str:
    """What ``--show-audit`` prints: the latest records, each under its file name."""
    paths = recent_records(directory, count)
    if not paths:
        return f"No sessions recorded yet (looked in {directory})."
    parts = []
    for path in paths:
        try:
            body = render_text(read_record(path))
        except AuditError as exc:
            body = str(exc)
        parts.append(f"== {path.name}\n{body}")
    return "\n\n".join(parts)
