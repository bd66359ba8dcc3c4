"""The console's session history over many records: ``python -m bench.history_bench``.

The technician's list must open fast even after years of sessions. This writes ``--records``
(default 5 000) console session records with :class:`desktop.audit_store.AuditRecord` (the
events the console driver writes, issue 17's clipboard and file events included), then times,
in a fresh folder: the first :meth:`console.history.HistoryStore.sync` (every record read),
a second sync with nothing changed (what opening the window costs), a sync after one record
changed, loading the whole list, and a search for a word in a few notes; then the window on an
offscreen Qt (``--no-window``: not): opening it, and a search typed into it. Prints JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.audit_store import AuditRecord

#: A console record's permission names of issue 17.
ALL_GRANTED = ["clipboard", "control", "files_in", "files_out", "view"]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def write_console_record(directory: Path, start: datetime, minutes: float = 10.0, *,
                         verification: str = "4711",
                         permissions: Sequence[str] = ("control", "view"),
                         later: Sequence[str] = (),
                         files: Sequence[tuple[str, str, int]] = (),
                         cancelled: Sequence[tuple[str, str, int]] = (),
                         clipboard: Sequence[str] = (),
                         reason: str | None = "technician_ended",
                         technician: str = "") -> AuditRecord:
    """One console record as the console driver writes it (api17.md section 6): keys agreed,
    the customer's answer, ``later`` permissions asked for and granted, clipboard texts
    (directions), files (direction, name, size) completed and ``cancelled``, and the end
    ``minutes`` after ``start`` (``reason`` None: no end, a running or killed console)."""
    record = AuditRecord.create(directory, "console", clock=_iso(start))
    step = timedelta(minutes=minutes) / (4 + len(files) + len(cancelled) + len(clipboard))
    now = start

    def log(event: str, **details: Any) -> None:
        nonlocal now
        record.log(event, time=_iso(now), **details)
        now += step

    identity: dict[str, Any] = {"verdict": "no_proof"}
    if technician:
        identity = {"verdict": "presented", "technician": technician, "serial": 1}
    log("keys_agreed", verification=verification, identity=identity)
    log("consent_answered", allowed=True, permissions=sorted(permissions))
    if later:
        log("permissions_requested", permissions=sorted(later))
        log("permissions_changed", permissions=sorted({*permissions, *later}))
    for direction in clipboard:
        log("clipboard", direction=direction, chars=12)
    for n, (direction, name, size) in enumerate(files, 1):
        sha = hashlib.sha256(name.encode()).hexdigest()
        log("file_offered", direction=direction, id=n, name=name, size=size, sha256=sha)
        log("file_completed", direction=direction, id=n, name=name, size=size, sha256=sha)
    for n, (direction, name, size) in enumerate(cancelled, 1000):
        sha = hashlib.sha256(name.encode()).hexdigest()
        log("file_offered", direction=direction, id=n, name=name, size=size, sha256=sha)
        log("file_cancelled", direction=direction, id=n, reason="cancelled", by="customer")
    if reason is not None:
        record.log("session_ended", time=_iso(start + timedelta(minutes=minutes)),
                   reason=reason, by_peer=reason == "customer_ended", message="",
                   inputs_sent={"PointerMove": 120, "Key": 30}, inputs_not_sent=0)
    return record


def make_records(directory: Path, count: int) -> list[AuditRecord]:
    """``count`` records, one every 3 hours back from 2026-11-30, every tenth with two files
    and the clipboard, every fifth with permissions asked for later."""
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    records = []
    for n in range(count):
        files = ([("to_customer", f"update-{n}.msi", 4_000_000),
                  ("to_technician", f"log-{n}.txt", 2_000)] if n % 10 == 0 else [])
        records.append(write_console_record(
            directory, start - timedelta(hours=3 * n), minutes=5 + n % 50,
            verification=f"{n % 10000:04d}", later=["clipboard"] if n % 5 == 0 else [],
            files=files, clipboard=["to_customer"] if files else [],
            reason="technician_ended" if n % 3 else "customer_ended"))
    return records


def _window_times(store: Any, audit: Path) -> dict[str, float]:
    """The history window on an offscreen Qt: opening it over the index (the GUI thread's
    part: query, model, column widths) and a search typed into it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from console.ui.history_window import HistoryWindow

    app = QApplication.instance() or QApplication([])
    t0 = time.perf_counter()
    window = HistoryWindow(store, audit)  # reload() on the GUI thread, then a sync thread
    window.show()
    app.processEvents()
    opened = time.perf_counter() - t0
    window.wait_synced()
    t0 = time.perf_counter()
    window.search.setText("müller")  # what each key press costs
    app.processEvents()
    typed = time.perf_counter() - t0
    shown = window.model.rowCount()
    window.close()
    return {"window_open_ms": round(opened * 1000, 1), "window_search_ms": round(typed * 1000, 1),
            "window_rows_after_search": shown}


def run(count: int, with_window: bool = True) -> dict[str, Any]:
    from console.history import HistoryStore

    with tempfile.TemporaryDirectory(prefix="fh-history-") as tmp:
        audit = Path(tmp) / "audit"
        t0 = time.perf_counter()
        records = make_records(audit, count)
        written = time.perf_counter() - t0
        store = HistoryStore(Path(tmp) / "history.sqlite3")
        try:
            for n, record in enumerate(records[:count // 100 or 1]):
                store.set_notes(record.path.name, f"Kanzlei Müller {n}", "Jahresupdate")
            t0 = time.perf_counter()
            indexed = store.sync(audit)
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = store.sync(audit)
            unchanged = time.perf_counter() - t0
            records[0].log("clipboard", direction="to_technician", chars=3)
            t0 = time.perf_counter()
            one = store.sync(audit)
            one_changed = time.perf_counter() - t0
            t0 = time.perf_counter()
            rows = store.sessions()
            listed = time.perf_counter() - t0
            t0 = time.perf_counter()
            found = store.sessions("müller")
            searched = time.perf_counter() - t0
            t0 = time.perf_counter()
            none = store.sessions("nirgendwo")
            searched_none = time.perf_counter() - t0
            window = _window_times(store, audit) if with_window else {}
        finally:
            store.close()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).glob("history.sqlite3*"))
    return {
        "bench": "history_bench",
        "records": count,
        "write_records_s": round(written, 3),
        "first_sync_s": round(first, 3), "indexed": indexed,
        "sync_unchanged_ms": round(unchanged * 1000, 1), "reindexed_unchanged": again,
        "sync_one_changed_ms": round(one_changed * 1000, 1), "reindexed_one": one,
        "list_all_ms": round(listed * 1000, 1), "rows": len(rows),
        "search_ms": round(searched * 1000, 1), "found": len(found),
        "search_nothing_ms": round(searched_none * 1000, 1), "found_nothing": len(none),
        "db_bytes": db_bytes,
        **window,
        "meta": {"load_avg_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()},
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--no-window", action="store_true", help="only the store, no Qt")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.records, not args.no_window), indent=2))


if __name__ == "__main__":
    main()
