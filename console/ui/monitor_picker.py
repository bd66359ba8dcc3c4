"""Which of the customer's monitors the technician sees: a combo box for the session toolbar.

The customer's agent shares one monitor at a time (the primary one at first) or all of them as
one picture; the technician picks here. The box always shows what the agent says is shared (its
last ``Monitors`` message), not what was clicked: a choice the agent could not follow (the monitor
was just unplugged) snaps back when the agent answers. Reached by keyboard through its caption's
mnemonic (Alt+M) and the arrow keys, like the other toolbar boxes.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from shared.messages import Monitor

__all__ = ["MonitorPicker"]


class MonitorPicker(QComboBox):
    """"All monitors", "Monitor 1 (1920×1080)", ...; ``monitor_chosen(index)`` (0 = all) when
    the technician picks another entry. :attr:`caption` is its label for the toolbar."""

    monitor_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._monitors: tuple[Monitor, ...] = ()
        self._shared = 0
        self._active = False  # the picture is shown (the session window says)
        self.caption = QLabel()
        self.caption.setBuddy(self)
        self.caption.setContentsMargins(8, 0, 4, 0)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(self._on_activated)
        self._fill()

    @property
    def shared(self) -> int:
        """The monitor the customer's agent last said it shares (0 = all)."""
        return self._shared

    def entries(self) -> list[tuple[str, int]]:
        """The entries as (text, index) (for tests)."""
        return [(self.itemText(i), int(self.itemData(i))) for i in range(self.count())]

    @Slot(object, int)
    def set_monitors(self, monitors: object, shared: int) -> None:
        """The agent's list and its shared monitor: fill the box and select that one."""
        self._monitors = tuple(mon for mon in monitors  # type: ignore[attr-defined]
                               if isinstance(mon, Monitor))
        self._shared = shared if 0 <= shared <= len(self._monitors) else 0
        self._fill()

    def _fill(self) -> None:
        self.caption.setText(self.tr("Shared &monitor:"))
        self.setAccessibleName(self.tr("Shared monitor"))
        self.setToolTip(self.tr("Which of the customer's monitors you see"))
        self.blockSignals(True)  # filling is not the technician's choice
        try:
            self.clear()
            if len(self._monitors) > 1:
                self.addItem(self.tr("All monitors"), 0)
            for n, mon in enumerate(self._monitors, 1):
                self.addItem(self.tr("Monitor {n} ({width}×{height})").format(
                    n=n, width=mon.width, height=mon.height), n)
            self.setCurrentIndex(max(0, self.findData(self._shared)))
        finally:
            self.blockSignals(False)
        self._update_enabled()

    def set_active(self, active: bool) -> None:
        """Whether the customer's picture is shown now (a choice makes sense only then)."""
        self._active = active
        self._update_enabled()

    def _update_enabled(self) -> None:
        # One monitor (or an agent that sends no list): nothing to choose.
        self.setEnabled(self._active and len(self._monitors) > 1)

    @Slot(int)
    def _on_activated(self, row: int) -> None:
        index = self.itemData(row)
        if isinstance(index, int) and index != self._shared:
            self.monitor_chosen.emit(index)
