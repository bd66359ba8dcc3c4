"""The support company's logo in the agent's windows: shown when readable, ignored when not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from agent.config import load_config
from agent.ui import Branding, CodeWindow, ConsentDialog
from agent.ui.branding import LOGO_HEIGHT, LOGO_MAX_WIDTH


def write_png(path: Path, width: int = 256, height: int = 64, colour: str = "#ff8800") -> Path:
    img = QImage(width, height, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    assert path.suffix == ".png"  # Qt picks PNG from it (stub and binding disagree on format)
    assert img.save(str(path))
    return path


def test_code_window_and_consent_show_the_logo_scaled(qtbot, tmp_path: Path) -> None:
    logo = write_png(tmp_path / "logo.png")
    branding = Branding(organisation="Acme IT", logo_path=str(logo))
    win = CodeWindow(branding)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.logo is not None and win.logo.isVisible()
    pixmap = win.logo.pixmap()
    assert (pixmap.width(), pixmap.height()) == (LOGO_HEIGHT * 4, LOGO_HEIGHT)
    # At the top: above the header line with the organisation.
    header = win.findChild(type(win.logo), "header")
    assert header is not None
    assert win.logo.geometry().bottom() < header.geometry().top()
    assert pixmap.toImage().pixelColor(5, 5).name() == "#ff8800"

    dialog = ConsentDialog("Eva", "Acme IT", "1234", branding=branding)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.logo is not None and dialog.logo.isVisible()
    assert dialog.logo.pixmap().height() == LOGO_HEIGHT
    dialog.reject()


def test_very_wide_logo_is_capped_in_width(qtbot, tmp_path: Path) -> None:
    logo = write_png(tmp_path / "wide.png", width=2000, height=50)
    win = CodeWindow(Branding(logo_path=str(logo)))
    qtbot.addWidget(win)
    assert win.logo is not None
    assert win.logo.pixmap().width() == LOGO_MAX_WIDTH
    assert win.logo.pixmap().height() <= LOGO_HEIGHT


@pytest.mark.parametrize("kind", ["missing", "not_png", "directory"])
def test_unusable_logo_is_ignored_with_a_warning(qtbot, tmp_path: Path, caplog,
                                                 kind: str) -> None:
    path = tmp_path / "logo.png"
    if kind == "not_png":
        path.write_bytes(b"this is not an image")
    elif kind == "directory":
        path.mkdir()
    branding = Branding(organisation="Acme IT", logo_path=str(path))
    with caplog.at_level(logging.WARNING, logger="agent.ui.branding"):
        win = CodeWindow(branding)
        qtbot.addWidget(win)
        dialog = ConsentDialog("Eva", "Acme IT", "1234", branding=branding)
        qtbot.addWidget(dialog)
    assert win.logo is None and dialog.logo is None
    assert "cannot be read" in caplog.text
    win.show_code("123456789", 600)
    assert win.code_text() == "123 456 789"
    dialog.reject()


def test_no_logo_configured_means_no_label_and_no_warning(qtbot, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        win = CodeWindow(Branding(organisation="Acme IT"))
        qtbot.addWidget(win)
    assert win.logo is None
    assert "logo" not in caplog.text


def test_relative_logo_resolves_against_the_file_that_names_it(tmp_path: Path) -> None:
    # The bundle: agent/branding.toml says logo = "branding-logo.png", beside it.
    bundle = tmp_path / "bundle" / "agent"
    bundle.mkdir(parents=True)
    branding = bundle / "branding.toml"
    branding.write_text('[agent]\norganisation = "Acme IT"\nlogo = "branding-logo.png"\n')
    beside = tmp_path / "downloads"
    beside.mkdir()
    cfg = load_config(env={}, beside=beside, branding=branding)
    assert Path(cfg.logo) == (bundle / "branding-logo.png").resolve()
    # A config file beside the program: relative to that folder.
    (beside / "fernhilfe-agent.toml").write_text('logo = "img/our-logo.png"\n')
    cfg = load_config(env={}, beside=beside, branding=branding)
    assert Path(cfg.logo) == (beside / "img" / "our-logo.png").resolve()
    # Absolute paths and "no logo" stay as they are.
    (beside / "fernhilfe-agent.toml").write_text(f'logo = "{tmp_path / "abs.png"}"\n')
    assert load_config(env={}, beside=beside, branding=branding).logo == str(tmp_path / "abs.png")
    (beside / "fernhilfe-agent.toml").write_text('logo = ""\n')
    assert load_config(env={}, beside=beside, branding=branding).logo == ""


def test_agent_app_passes_the_logo_to_its_windows(qtbot, tmp_path: Path, monkeypatch) -> None:
    from agent.app import AgentApp
    from agent.config import AgentConfig

    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    logo = write_png(tmp_path / "logo.png")
    app = AgentApp(AgentConfig(organisation="Acme IT", logo=str(logo)))
    qtbot.addWidget(app.window)
    try:
        assert app.branding.logo_path == str(logo)
        assert app.window.logo is not None
    finally:
        app.worker.stop()
