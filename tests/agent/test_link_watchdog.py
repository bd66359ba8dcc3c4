"""The agent's half of the link watchdog (issue 13): what the input thread says is held and
what it released, the grace period setting, and how the customer is told the link is quiet."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from agent.config import ConfigError, load_config
from agent.input import InputThread
from agent.ui import SessionOverlay
from agent.ui.session_view import SessionView
from shared import messages as m
from shared.link import DEFAULT_GRACE
from tests.agent.test_input_policy import Recorder


def test_the_input_thread_knows_what_is_held_and_says_what_it_released() -> None:
    inp = InputThread(Recorder())
    try:
        assert not inp.holds_input
        inp.apply(m.Key("ShiftLeft", "", True))
        inp.apply(m.PointerButton("right", True, 1, 1))
        assert inp.wait_idle() and inp.holds_input
        inp.apply(m.PointerButton("right", False, 1, 1))
        inp.apply(m.Key("ControlLeft", "", True))
        assert inp.wait_idle() and inp.holds_input
        told: list[tuple[list[str], list[str]]] = []
        done = threading.Event()

        def released(keys: list[str], buttons: list[str]) -> None:
            told.append((keys, buttons))
            done.set()

        inp.release_all(on_released=released)
        assert done.wait(5)
        assert told == [(["ControlLeft", "ShiftLeft"], [])]
        assert not inp.holds_input
        inp.apply(m.Key("ShiftLeft", "", True))
        inp.apply(m.Key("ShiftLeft", "", False))
        assert inp.wait_idle() and not inp.holds_input
    finally:
        inp.close()


def test_grace_period_setting(tmp_path: Path) -> None:
    branding = tmp_path / "none.toml"
    assert load_config(env={}, beside=tmp_path, branding=branding).grace_period == DEFAULT_GRACE
    side = tmp_path / "fernhilfe-agent.toml"
    side.write_text("grace_period = 300\n")
    assert load_config(env={}, beside=tmp_path, branding=branding).grace_period == 300.0
    for bad, says in (('"120"', "number of seconds"), ("true", "number of seconds"),
                      ("2", "between"), ("nan", "between"), ("1e9", "between")):
        side.write_text(f"grace_period = {bad}\n")
        with pytest.raises(ConfigError, match=says):
            load_config(env={}, beside=tmp_path, branding=branding)


def test_the_overlay_and_the_window_say_the_link_is_interrupted(qtbot, qapp: QApplication,
                                                               english) -> None:
    ov = SessionOverlay("Anna Schmidt", control=True)
    view = SessionView()
    qtbot.addWidget(view)
    view.show_session("Anna Schmidt", frozenset({"view", "control"}),
                      datetime(2026, 1, 1, 14, 5), True)
    ov.show()
    try:
        assert ov.link_state == "live" and view.link_text() == ""
        view.show()
        for target in (ov, view):
            target.set_link("interrupted")
        assert ov.panel_text() == ("The connection to Anna Schmidt is interrupted. Waiting "
                                   "for it to come back…")
        assert view.link_text() == ("The connection to your technician is interrupted. "
                                    "Waiting for it to come back…")
        for target in (ov, view):
            target.set_link("reconnecting")
        assert ov.panel_text() == "The connection to Anna Schmidt was lost. Reconnecting…"
        assert view.link_text().endswith("Reconnecting…")
        for target in (ov, view):
            target.set_link("restarting")  # the relay said so: nobody left
        assert ov.panel_text() == "The connection service is restarting. Reconnecting…"
        assert view.link_text() == "The connection service is restarting. Reconnecting…"
        for target in (ov, view):
            target.set_link("live")
        assert ov.panel_text() == "Anna Schmidt can see and control your screen"
        assert view.link_text() == ""
    finally:
        ov.close()


def test_the_link_texts_are_german(qtbot, qapp: QApplication, german) -> None:
    ov = SessionOverlay("Anna Schmidt", control=True)
    view = SessionView()
    qtbot.addWidget(view)
    view.show()
    try:
        ov.set_link("interrupted")
        view.set_link("interrupted")
        assert "unterbrochen" in ov.panel_text()
        assert "unterbrochen" in view.link_text()
        ov.set_link("restarting")
        view.set_link("restarting")
        assert ov.panel_text().startswith("Der Verbindungsdienst startet neu.")
        assert view.link_text().startswith("Der Verbindungsdienst startet neu.")
    finally:
        ov.close()
