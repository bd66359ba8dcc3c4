"""How both desktop programs start and stop: options, logging, the Qt application, exit handling.

The agent and the console each keep their own ``main()`` with their own options; this is the part
they share, so that ``--lang``, ``--show-audit``, ``--records``, the log format and the clean exit
on Ctrl+C or SIGTERM (held keys and buttons released, the worker stopped) cannot drift apart.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtWidgets import QApplication

from desktop.audit_store import default_audit_dir, render_recent
from desktop.qt.record_window import RecordWindow
from desktop.qt.style import install_focus_ring
from shared.errors import FernhilfeError

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"
#: How often Qt's loop hands control back to Python, so that signal handlers run while it sleeps.
WAKE_MS = 200


class _Stoppable(Protocol):
    def stop(self) -> None: ...


class Program(Protocol):
    """What a program's top object offers: show its first window, quit on request, a worker."""

    @property
    def worker(self) -> _Stoppable: ...

    def start(self) -> None: ...

    def quit(self) -> None: ...


@dataclass(frozen=True)
class Launch:
    """What a program decided before Qt starts: the UI language and how to build its top object."""

    language: str | None
    create: Callable[[], Program]


@dataclass(frozen=True)
class ProgramInfo:
    """Names and translations of one program (the agent or the console)."""

    prog: str  # command name, for --help and error messages
    description: str
    app_name: str  # QApplication.applicationName
    install_translator: Callable[[QCoreApplication, QLocale | None], object]
    #: Whose session records ``--records`` shows ("agent"/"console"; None: every record).
    record_role: str | None = None


def run_program(
    info: ProgramInfo,
    argv: list[str] | None,
    add_options: Callable[[argparse.ArgumentParser], None],
    prepare: Callable[[argparse.Namespace], Launch],
) -> int:
    """Parse the command line, then run the program until it quits; returns the exit code.

    ``add_options`` adds the program's own options (listed before the common ``--lang``,
    ``--show-audit`` and ``--records``). ``prepare`` runs after logging is set up and before any Qt
    object exists; a :class:`FernhilfeError` from it is a start-up problem the user can fix (a bad
    settings file, say): its message goes to stderr and the exit code is 2, never a traceback.
    """
    parser = argparse.ArgumentParser(prog=info.prog, description=info.description)
    add_options(parser)
    parser.add_argument("--lang", help="UI language such as de or en (default: system locale)")
    parser.add_argument("--show-audit", nargs="?", const=1, type=int, metavar="N",
                        help="print the audit record of the last N sessions and exit")
    parser.add_argument("--records", action="store_true",
                        help="open the session records window (no session) and exit when it "
                             "is closed")
    args = parser.parse_args(argv)
    if args.show_audit is not None:
        print(render_recent(default_audit_dir(), args.show_audit))
        return 0
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        launch = prepare(args)
    except FernhilfeError as exc:
        print(f"{info.prog}: {exc}", file=sys.stderr)
        return 2
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(info.app_name)
    install_focus_ring(app)  # a visible focus ring on every button of every window
    info.install_translator(app, QLocale(launch.language) if launch.language else None)
    if args.records:  # the program's language (prepare read it), but no session at all
        return run_until_quit(app, RecordsProgram(default_audit_dir(), info.record_role))
    return run_until_quit(app, launch.create())


class RecordsProgram:
    """``--records``: only the "Session records" window for ``directory``; no worker runs."""

    def __init__(self, directory: Path, role: str | None = None) -> None:
        self.window = RecordWindow(directory, role=role)

    @property
    def worker(self) -> RecordsProgram:
        return self  # nothing runs in the background: stopping it is a no-op

    def stop(self) -> None:
        """The (absent) worker's stop."""

    def start(self) -> None:
        self.window.show_latest()

    def quit(self) -> None:
        self.window.close()


def run_until_quit(app: QCoreApplication, program: Program) -> int:
    """Run Qt's loop with ``program``; Ctrl+C and SIGTERM quit it the way its Quit button does.

    A signal ends the session cleanly (held input released, the peer told) instead of killing the
    process mid-way. The worker is stopped again after the loop, which may also end because the
    last window closed.
    """
    signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, program.quit))
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, program.quit))
    wake = QTimer()
    wake.start(WAKE_MS)
    wake.timeout.connect(lambda: None)
    program.start()
    code = app.exec()
    program.worker.stop()
    return code
