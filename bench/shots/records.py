"""Screenshots of the "Session records" window: the list, a normal session, a crashed one.

``shoot(out_dir, lang)`` writes sample records in the real file format into a temporary folder
(through :class:`desktop.audit_store.AuditRecord` and the real crash bookkeeping), opens the real
:class:`desktop.qt.record_window.RecordWindow` on it in ``lang`` and saves
``records-list-<lang>.png``, ``records-detail-<lang>.png`` and ``records-crashed-<lang>.png``.
Needs an X display (or ``QT_QPA_PLATFORM=offscreen``). No network.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from agent.ui import install_translator
from desktop.audit_store import AuditRecord, close_crashed
from desktop.qt.record_window import RecordWindow
from shared.audit import AuditLog

#: The zone the sample sessions are shown in (the docs show a German customer's records).
ZONE = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _record(directory: Path, start: datetime, steps: list[tuple[int, str, dict[str, object]]],
            crashed: bool = False) -> None:
    """One record with its events ``minutes`` after ``start``."""
    times = iter([start + timedelta(minutes=m) for m, _, _ in steps])
    path = AuditRecord.create(directory, "agent", clock=start.isoformat()).path
    lines: list[str] = []  # the record's own format, with the sample's times
    sample = AuditLog(write=lines.append, clock=lambda: next(times).isoformat(timespec="seconds"))
    for _, event, details in steps:
        sample.log(event, **details)
    path.write_text("".join(lines), encoding="ascii")
    if crashed:  # a note of a process that no longer runs: the next start closes the record
        marker = directory / "running-999999999.json"
        marker.write_text(json.dumps({"pid": 999999999, "record": path.name}))
        close_crashed(directory)


def _samples(directory: Path) -> None:
    who: dict[str, object] = {"technician": "Eva Technik", "organisation": "Müller IT-Service",
                              "verification": "4821", "requested": ["control", "view"]}
    allowed: dict[str, object] = {"allowed": True, "permissions": ["control", "view"],
                                  "timed_out": False}
    _record(directory, START - timedelta(days=3), [
        (0, "keys_agreed", {"verification": "7305"}),
        (0, "consent_requested", {**who, "verification": "7305", "requested": ["view"]}),
        (1, "consent_decided", {"allowed": False, "permissions": [], "timed_out": False}),
        (1, "session_ended", {"reason": "denied", "by_peer": False, "message": ""})])
    _record(directory, START - timedelta(days=1), [
        (0, "keys_agreed", {"verification": "1966"}),
        (0, "consent_requested", {**who, "verification": "1966"}),
        (1, "consent_decided", allowed),
        (1, "session_started", {"permissions": ["control", "view"]}),
        (7, "permissions_changed", {"permissions": ["view"]})], crashed=True)
    _record(directory, START, [
        (0, "keys_agreed", {"verification": "4821"}),
        (0, "consent_requested", who),
        (1, "consent_decided", allowed),
        (1, "session_started", {"permissions": ["control", "view"]}),
        (3, "stream_settings", {"quality": 0, "max_bytes_per_s": 2_000_000}),
        (12, "permissions_changed", {"permissions": ["view"]}),
        (14, "permissions_changed", {"permissions": ["control", "view"]}),
        (25, "session_ended", {"reason": "technician_ended", "by_peer": True, "message": "",
                               "inputs_applied": {"PointerMove": 310, "KeyEvent": 48},
                               "inputs_dropped": {}})])


def shoot(out_dir: Path, lang: str) -> list[Path]:
    """Save the window's three states as PNGs in ``out_dir``; returns their paths."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    install_translator(app, QLocale(lang))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "audit"
        _samples(folder)
        window = RecordWindow(folder, tz=ZONE)
        window.resize(1000, 600)
        window.show_latest()
        for state, row in (("list", 0), ("detail", 0), ("crashed", 1)):
            window.select(row)
            if state == "list":
                window.list.setFocus()
            else:
                window.details.setFocus()
            app.processEvents()
            path = out_dir / f"records-{state}-{lang}.png"
            window.grab().save(str(path))
            saved.append(path)
        window.close()
        window.deleteLater()
    install_translator(app, QLocale("en"))
    return saved


if __name__ == "__main__":
    for language in sys.argv[2:] or ["de", "en"]:
        for shot in shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screens"), language):
            print(shot)
