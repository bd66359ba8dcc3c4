"""The console's session history (issue 17): an index of the real records, the technician's
notes beside it, search, and the billing CSV.

Records are written by :class:`desktop.audit_store.AuditRecord` with the events the console
driver writes (``bench.history_bench.write_console_record``), read back by the real store."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.history_bench import write_console_record
from console.history import (
    SCHEMA_VERSION,
    HistoryError,
    HistoryRow,
    HistoryStore,
    csv_cell,
    default_history_path,
    export_csv,
    like_pattern,
)
from desktop.audit_store import AuditRecord, default_audit_dir

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BERLIN = timezone(timedelta(hours=1))


@pytest.fixture
def audit(tmp_path: Path) -> Path:
    return tmp_path / "audit"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    s = HistoryStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


def test_sync_indexes_a_console_record_with_everything_billing_needs(
        audit: Path, store: HistoryStore) -> None:
    record = write_console_record(
        audit, START, minutes=61.5, verification="0815", later=["clipboard", "files_in"],
        files=[("to_customer", "update.msi", 4_000_000), ("to_technician", "log.txt", 2_000)],
        cancelled=[("to_customer", "big.iso", 9_000_000)],
        clipboard=["to_customer", "to_customer", "to_technician"],
        reason="customer_ended", technician="Erika Muster")
    AuditRecord.create(audit, "agent").log("consent_requested", technician="x")  # not ours
    assert store.sync(audit) == 1
    [row] = store.sessions()
    assert row.key == record.path.name
    assert row.start == START
    assert row.end == START + timedelta(minutes=61.5)
    assert row.duration_s == 3690
    assert row.billed_minutes == 62  # a started minute is billed
    assert row.verification == "0815"
    assert row.technician == "Erika Muster"
    assert set(row.permissions) == {"view", "control", "clipboard", "files_in"}
    assert (row.clipboard_to_customer, row.clipboard_to_technician) == (2, 1)
    assert (row.files_to_customer, row.files_to_technician) == (1, 1)
    assert row.files_count == 2
    assert row.files_bytes == 4_002_000  # the cancelled one was not moved
    assert row.file_names == ("update.msi", "log.txt")
    assert (row.end_reason, row.ended_by) == ("customer_ended", "customer")
    assert row.problem == ""


def _row(store: HistoryStore, key: str) -> HistoryRow:
    row = store.session(key)
    assert row is not None
    return row


def test_sync_reads_only_new_or_changed_records_and_forgets_deleted_ones(
        audit: Path, store: HistoryStore) -> None:
    first = write_console_record(audit, START)
    second = write_console_record(audit, START + timedelta(hours=2), reason=None)
    assert store.sync(audit) == 2
    assert store.sync(audit) == 0  # nothing changed: nothing read
    assert _row(store, second.path.name).end_reason == ""  # still running
    second.log("session_ended", reason="technician_ended", by_peer=False, message="")
    os.utime(second.path, ns=(1, 1))  # a changed record, whatever its time
    assert store.sync(audit) == 1
    assert _row(store, second.path.name).end_reason == "technician_ended"
    first.path.unlink()
    assert store.sync(audit) == 0
    assert [r.key for r in store.sessions()] == [second.path.name]


def test_the_database_is_rebuilt_from_the_records_and_only_the_notes_live_in_it(
        tmp_path: Path, audit: Path) -> None:
    record = write_console_record(audit, START, files=[("to_customer", "a.msi", 10)])
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    store.set_notes(record.path.name, "Kanzlei Müller", "Update 4.2")
    store.sync(audit)
    before = store.sessions()
    store.set_notes(record.path.name, "Kanzlei Müller", "Update 4.2, billed")
    assert store.sync(audit) == 0
    record.log("clipboard", direction="to_technician", chars=4)  # the record grows
    assert store.sync(audit) == 1
    [row] = store.sessions()
    assert (row.customer, row.note) == ("Kanzlei Müller", "Update 4.2, billed")  # survived
    store.close()
    for leftover in tmp_path.glob("history.sqlite3*"):
        leftover.unlink()
    rebuilt = HistoryStore(path)
    assert rebuilt.sync(audit) == 1
    [again] = rebuilt.sessions()
    assert again.files_count == before[0].files_count == 1
    assert again.clipboard_to_technician == 1
    assert (again.customer, again.note) == ("", "")  # the notes were only in the database
    rebuilt.close()


def test_notes_can_be_kept_before_the_record_is_indexed(audit: Path,
                                                         store: HistoryStore) -> None:
    record = write_console_record(audit, START, reason=None)  # the session still runs
    store.set_notes(record.path.name, "Praxis Dr. Özdemir", "Drucker")
    assert store.notes(record.path.name) == ("Praxis Dr. Özdemir", "Drucker")
    store.sync(audit)
    assert store.sessions()[0].customer == "Praxis Dr. Özdemir"
    with pytest.raises(ValueError):
        store.set_notes("../evil.jsonl", "x", "y")


def test_search_over_customer_note_files_and_end_any_case_every_word(
        audit: Path, store: HistoryStore) -> None:
    a = write_console_record(audit, START, files=[("to_customer", "Setup_2026.msi", 5)])
    b = write_console_record(audit, START + timedelta(days=1), reason="customer_ended")
    c = write_console_record(audit, START + timedelta(days=2))
    store.set_notes(a.path.name, "Kanzlei MÜLLER", "Jahresupdate")
    store.set_notes(b.path.name, "Bäckerei Schulz", "100% erledigt")
    store.set_notes(c.path.name, "Müller & Söhne", "Drucker_treiber")
    store.sync(audit)

    def keys(query: str = "", **kw: datetime) -> list[str]:
        return [r.key for r in store.sessions(query, **kw)]

    assert keys() == [c.path.name, b.path.name, a.path.name]  # newest first
    assert keys("müller") == [c.path.name, a.path.name]  # umlauts in any case
    assert keys("müller jahresupdate") == [a.path.name]  # every word
    assert keys("setup_2026") == [a.path.name]  # file names
    assert keys("customer_ended") == [b.path.name]  # how it ended
    assert keys("100%") == [b.path.name]
    assert keys("%") == [b.path.name]  # the technician's % is a character, not a wildcard
    assert keys("ker_") == [c.path.name]  # so is _ (a wildcard would find "Bäckerei")
    assert keys("r_t") == [c.path.name]
    assert keys("x' OR '1'='1") == []  # parameters only
    assert keys("\\") == []
    assert keys(since=START + timedelta(hours=12)) == [c.path.name, b.path.name]
    assert keys(until=START + timedelta(days=1)) == [a.path.name]  # until is exclusive
    assert keys("müller", since=START + timedelta(days=1, hours=1),
                until=START + timedelta(days=3)) == [c.path.name]


def test_like_pattern_escapes_every_wildcard() -> None:
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"


def test_a_hostile_or_damaged_record_is_indexed_with_what_can_be_read(
        audit: Path, store: HistoryStore) -> None:
    good = write_console_record(audit, START, files=[("to_customer", "ok.txt", 3)])
    with good.path.open("a", encoding="ascii") as fh:
        fh.write("{not json\n")
    hostile = AuditRecord.create(audit, "console", clock="2026-11-29T08:00:00+00:00")
    hostile.log("keys_agreed", time="2026-11-29T08:00:00+00:00",
                verification="=cmd|' /C calc'!A0\u202e", identity={"technician": ["x"]})
    hostile.log("consent_answered", time="2026-11-29T08:00:01+00:00", allowed="yes",
                permissions=[1, "view", "a,b", None])
    hostile.log("file_offered", time="2026-11-29T08:00:02+00:00", direction="to_customer",
                id=True, name={"a": 1}, size=-5)
    hostile.log("file_completed", time="2026-11-29T08:00:03+00:00", direction="to_customer",
                id=7, name="evil\u202egnp.exe\n=1+1", size=2**70, sha256="x")
    hostile.log("file_completed", time="2026-11-29T08:00:03+00:00", direction="sideways",
                id=8, name="x", size=1)
    hostile.log("clipboard", time="2026-11-29T08:00:04+00:00", direction=None, chars="x")
    hostile.log("session_ended", time="2036-01-01T00:00:00+00:00", reason=["x"], by_peer=3)
    odd = audit / "session-20261128T070000-console.jsonl"
    odd.write_bytes(b"\xff\xfe\x00garbage\n" * 10 + b'{"event": "x", "time": 5}')
    (audit / "session-20261127T070000-console.jsonl").mkdir()  # not a file
    assert store.sync(audit) == 4
    rows = {r.key: r for r in store.sessions()}
    assert rows[good.path.name].problem == "damaged"
    assert rows[good.path.name].file_names == ("ok.txt",)
    bad = rows[hostile.path.name]
    assert bad.duration_s is None  # "ended" ten years later: an edited record, not billed
    assert "\u202e" not in bad.verification and "\n" not in "".join(bad.file_names)
    assert all("," not in p for p in bad.permissions)
    assert rows[odd.name].problem == "damaged"
    assert rows["session-20261127T070000-console.jsonl"].problem == "unreadable"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.binary(max_size=80),
    st.builds(lambda e, d: (
        '{{"time": "2026-11-30T09:00:00+00:00", "event": {}, "direction": {}, "id": 1, '
        '"name": {}, "size": {}}}'.format(*e)).encode() if d else b"",
        st.tuples(st.sampled_from(['"file_offered"', '"file_completed"', '"clipboard"',
                                   '"file_cancelled"', '"session_ended"', "3"]),
                  st.sampled_from(['"to_customer"', '"to_technician"', "null", "[]"]),
                  st.sampled_from(['"a"', "1", "null", '"\\u0000"']),
                  st.sampled_from(["1", "-1", "1e400", '"x"', "true"])),
        st.booleans())), max_size=12))
def test_any_record_content_is_indexed_and_never_raises(tmp_path: Path,
                                                         lines: list[bytes]) -> None:
    audit = tmp_path / "fuzz-audit"
    audit.mkdir(exist_ok=True)
    path = audit / "session-20261130T090000-console.jsonl"
    path.write_bytes(b"\n".join(lines))
    os.utime(path, ns=(len(lines), len(b"".join(lines)) + 1))
    store = HistoryStore(tmp_path / "fuzz.sqlite3")
    try:
        store.sync(audit)
        [row] = store.sessions()
        assert row.files_count >= 0 and row.files_bytes >= 0
        export_csv([row], io.StringIO())
    finally:
        store.close()


def test_export_csv_for_billing_reads_back_with_umlauts_and_no_formulas(
        tmp_path: Path, audit: Path, store: HistoryStore) -> None:
    a = write_console_record(audit, START, minutes=30.2,
                             files=[("to_customer", "=HYPERLINK(x).msi", 1)])
    b = write_console_record(audit, START + timedelta(days=1), minutes=0, reason="denied")
    store.set_notes(a.path.name, "Kanzlei Müller, Köln", "=1+2\nzweite Zeile; mit ;")
    store.set_notes(b.path.name, "+49 221 123", "@SUM(A1)")
    store.sync(audit)
    out = tmp_path / "billing.csv"
    assert export_csv(store.sessions(), out, tz=BERLIN) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: German Excel reads umlauts
    assert "Müller".encode() in raw
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh, delimiter=";"))
    assert table[0] == ["date", "start", "end", "duration_minutes", "customer", "note",
                        "permissions", "files", "ended"]
    newest, older = table[1], table[2]
    assert newest[:4] == ["2026-12-01", "10:00", "10:00", "0"]
    assert newest[4:6] == ["'+49 221 123", "'@SUM(A1)"]
    assert older[:4] == ["2026-11-30", "10:00", "10:30", "31"]  # local time, rounded up
    assert older[4] == "Kanzlei Müller, Köln"
    assert older[5] == "'=1+2\nzweite Zeile; mit ;"
    assert older[6] == "control, view"
    assert older[7] == "'=HYPERLINK(x).msi"
    assert older[8] == "technician_ended"
    for row in table:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_export_csv_to_streams_and_in_the_window_language() -> None:
    row_start = START
    row = HistoryRow("k", row_start, row_start + timedelta(seconds=61), 61, customer="-x")
    text = io.StringIO()
    export_csv([row], text, headers=[f"h{n}" for n in range(9)], delimiter=",",
               ended_text=lambda r: "Beendet", permissions_text=lambda r: "alles")
    lines = text.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("h0,h1")
    assert lines[1].endswith(",'-x,,alles,,Beendet")
    assert ",2," in lines[1]  # 61 s are 2 billed minutes
    binary = io.BytesIO()
    export_csv([row], binary)
    assert binary.getvalue().startswith(b"\xef\xbb\xbf")
    assert not binary.closed
    with pytest.raises(ValueError):
        export_csv([row], io.StringIO(), headers=["one"])


@pytest.mark.parametrize(("value", "cell"), [
    ("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("a=1", "a=1"), ("", ""), (None, ""), (5, "5")])
def test_csv_cell_defuses_formulas(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_one_connection_per_thread_and_wal(audit: Path, store: HistoryStore) -> None:
    for n in range(20):
        write_console_record(audit, START + timedelta(hours=n))
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(20):
                store.sessions("x")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    store.sync(audit)
    for t in threads:
        t.join()
    assert not errors
    assert len(store.sessions()) == 20
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_schema_version_older_is_rebuilt_newer_is_refused(tmp_path: Path, audit: Path) -> None:
    record = write_console_record(audit, START)
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    store.set_notes(record.path.name, "Kunde", "Notiz")
    store.sync(audit)
    store.close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = 0")
    db.commit()
    db.close()
    older = HistoryStore(path)  # sessions rebuilt, notes kept
    assert older.sessions() == []
    older.sync(audit)
    assert older.sessions()[0].customer == "Kunde"
    older.close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    with pytest.raises(HistoryError, match="newer"):
        HistoryStore(path)


def test_a_damaged_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is no database" * 100)
    with pytest.raises(HistoryError, match="move the file away"):
        HistoryStore(path)


def test_default_path_is_beside_the_records(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path))
    assert default_history_path() == default_audit_dir().parent / "history.sqlite3"
    assert default_history_path().parent == tmp_path


def test_the_benchmark_runs_and_finds_what_it_wrote() -> None:
    from bench.history_bench import run

    figures = run(30, with_window=False)
    assert figures["indexed"] == figures["rows"] == 30
    assert figures["reindexed_unchanged"] == 0 and figures["reindexed_one"] == 1
    assert figures["found"] == 1 and figures["found_nothing"] == 0


def test_one_sync_reads_a_bounded_amount_newest_first(audit: Path, store: HistoryStore) -> None:
    records = [write_console_record(audit, START + timedelta(hours=n)) for n in range(4)]
    for n, record in enumerate(records):
        os.utime(record.path, ns=(n * 10**9, n * 10**9))
    size = records[0].path.stat().st_size
    assert store.sync(audit, budget=size * 2) == 2  # two records' worth
    assert {r.key for r in store.sessions()} == {records[3].path.name, records[2].path.name}
    assert store.sync(audit) == 2  # the rest next time
