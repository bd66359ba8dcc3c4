"""The start-up both programs share (desktop/qt/app.py): options, --show-audit, start-up errors,
and the clean exit on SIGTERM that releases held input instead of killing the process."""

from __future__ import annotations

import argparse
import os
import signal
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtWidgets import QApplication

from agent.app import main as agent_main
from agent.config import ConfigError
from console.app import main as console_main
from desktop.qt.app import Launch, ProgramInfo, run_program, run_until_quit


def _no_translator(app: QCoreApplication, locale: QLocale | None) -> None:
    raise AssertionError("Qt must not start after a start-up error")


INFO = ProgramInfo("fernhilfe-test", "test program", app_name="Test",
                   install_translator=_no_translator)


def _no_options(parser: argparse.ArgumentParser) -> None:
    pass


@pytest.mark.parametrize(("main", "options"), [
    (agent_main, ["--relay", "--lang", "--show-audit"]),
    (console_main, ["--relay", "--settings", "--lang", "--show-audit"]),
])
def test_both_programs_keep_their_options_in_order(main, options, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    positions = [text.index(option + " ") for option in options]
    assert positions == sorted(positions)


@pytest.mark.parametrize("main", [agent_main, console_main])
def test_show_audit_prints_and_exits_without_qt(main, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path))
    assert main(["--show-audit", "3"]) == 0
    assert "No sessions recorded yet" in capsys.readouterr().out


def test_a_start_up_error_is_a_message_and_exit_code_2(capsys) -> None:
    def prepare(args: argparse.Namespace) -> Launch:
        raise ConfigError("fernhilfe-agent.toml: [agent] must be a table")

    assert run_program(INFO, [], _no_options, prepare) == 2
    err = capsys.readouterr().err
    assert err == "fernhilfe-test: fernhilfe-agent.toml: [agent] must be a table\n"


class _Worker:
    def __init__(self) -> None:
        self.stops = 0

    def stop(self) -> None:
        self.stops += 1


class _Program:
    """Sends itself SIGTERM once the loop runs; quits the way the real programs do."""

    def __init__(self) -> None:
        self.worker = _Worker()
        self.quits = 0

    def start(self) -> None:
        QTimer.singleShot(50, lambda: os.kill(os.getpid(), signal.SIGTERM))

    def quit(self) -> None:
        self.quits += 1
        self.worker.stop()  # the real programs release held input and stop the worker here
        QApplication.quit()


@pytest.fixture
def restore_signals() -> Iterator[None]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.usefixtures("restore_signals")
def test_sigterm_quits_through_the_program_and_stops_the_worker(qapp) -> None:
    program = _Program()
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.exit(99))  # the loop must not hang
    guard.start(10_000)
    assert run_until_quit(qapp, program) == 0
    assert program.quits == 1
    assert program.worker.stops == 2  # in quit(), and again once the loop has ended
