"""The technician's start window: who I am, which relay, and the code the customer reads out."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.ui.permissions import ASKABLE, BASE_REQUEST, permission_label
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import digits_font
from shared.text import MAX_NAME_BYTES, MAX_NAME_WIDTH, name_problem

CODE_DIGITS_MIN = 9
_CODE_SEPARATORS = " -.\t"


def code_problem(text: str) -> str | None:
    """Why ``text`` cannot be a session code (an untranslated key), or ``None`` if it may be.

    Only a quick check for typos; ``shared.codes.parse_code`` is the real parser.
    """
    stripped = text.strip()
    if not stripped:
        return "empty"
    if any(not (ch.isdigit() or ch in _CODE_SEPARATORS) for ch in stripped):
        return "characters"
    if sum(ch.isdigit() for ch in stripped) < CODE_DIGITS_MIN:
        return "short"
    return None


def _setting_true(value: object) -> bool:
    """A remembered tick: QSettings gives ``True`` or, from an INI file, ``"true"``."""
    return value is True or str(value).lower() in ("true", "1")


class ConnectWindow(QWidget):
    """Name, company and the connection service's address (remembered) plus the code and
    Connect.

    Signal ``connect_requested(name, organisation, relay_url, code_text)`` — all ``str``; the
    code text is passed as typed (spaces/dashes allowed, at least 9 digits).
    ``records_requested()``: the technician asked for the session records (the button shows
    only once :meth:`enable_records` was called by whoever opens that window).
    Slots: :meth:`show_error`, :meth:`set_busy`, :meth:`focus_code`, :meth:`enable_records`,
    :meth:`show_verified`, :meth:`show_unverified`.

    Above the form a line says who the technician connects as: verified by a certificate (its
    name and company replace the typed ones, which are then read-only) or not verified, with
    "Import certificate…" (``import_requested``).

    Errors get their own area under the form: it wraps, and the window grows to show all of
    it, so a long error never squeezes the code field (issue 11).
    """

    connect_requested = Signal(str, str, str, str)
    records_requested = Signal()
    history_requested = Signal()  # the "History…" button: the session history (issue 17)
    # the technician asked to import a certificate (the integrator opens the dialog)
    import_requested = Signal()

    def __init__(
        self,
        settings: QSettings | str | None = None,
        default_relay_url: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if settings is None:
            settings = QSettings("Fernhilfe", "Console")
        elif isinstance(settings, str):
            settings = QSettings(settings, QSettings.Format.IniFormat)
        self._settings = settings
        self.setWindowTitle(self.tr("Fernhilfe – Connect to a customer"))
        self.setMinimumWidth(460)

        self.name_edit = QLineEdit(str(settings.value("technician/name", "") or ""))
        self.name_edit.setPlaceholderText(self.tr("Your name, as the customer will see it"))
        self.organisation_edit = QLineEdit(str(settings.value("technician/organisation", "") or ""))
        self.organisation_edit.setPlaceholderText(self.tr("Your company, as the customer will "
                                                          "see it"))
        for edit in (self.name_edit, self.organisation_edit):
            edit.setMaxLength(MAX_NAME_BYTES)  # the exact rule is checked on Connect
        self.relay_edit = QLineEdit(
            str(settings.value("relay/url", default_relay_url) or default_relay_url)
        )
        self.relay_edit.setPlaceholderText("wss://relay.example.com/v1")
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("code")
        self.code_edit.setPlaceholderText("123 456 789")
        self.code_edit.setMaxLength(32)
        self.code_edit.setFont(digits_font(self.code_edit.font(), 1.6))
        # The code is read aloud and typed: its field never gets smaller than its text.
        self.code_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.code_edit.setMinimumHeight(self.code_edit.sizeHint().height())
        self.code_edit.textEdited.connect(lambda _t: self._set_error(""))
        for edit in (self.name_edit, self.organisation_edit, self.relay_edit, self.code_edit):
            edit.returnPressed.connect(self._submit)  # Enter connects from any field

        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.error_box = QFrame()
        self.error_box.setObjectName("errorBox")
        self.error_box.setVisible(False)
        self.error_box.setStyleSheet(
            "QFrame#errorBox { background: #fdecea; border: 1px solid #f1aeb5;"
            " border-radius: 4px; } QLabel#error { color: #8a1c12; font-weight: 600;"
            " border: none; background: transparent; }")
        error_layout = QVBoxLayout(self.error_box)
        error_layout.setContentsMargins(10, 8, 10, 8)
        error_layout.addWidget(self.error_label)

        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setStyleSheet("color: #57606a;")

        self.connect_button = QPushButton(self.tr("Connect"))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self._submit)
        self.records_button = QPushButton(self.tr("Session records…"))
        self.records_button.setVisible(False)
        self.records_button.clicked.connect(self.records_requested)
        self.history_button = QPushButton(self.tr("History…"))
        self.history_button.setObjectName("history")
        self.history_button.setAccessibleName(self.tr("Session history"))
        self.history_button.clicked.connect(self.history_requested)

        self.identity_label = QLabel()
        self.identity_label.setObjectName("identity")
        self.identity_label.setWordWrap(True)
        self.identity_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton(self.tr("Import certificate…"))
        self.import_button.clicked.connect(self.import_requested)
        self.identity_box = QFrame()
        self.identity_box.setObjectName("identityBox")
        identity_row = QHBoxLayout(self.identity_box)
        identity_row.setContentsMargins(10, 6, 6, 6)
        identity_row.addWidget(self.identity_label, 1)
        identity_row.addWidget(self.import_button)
        self._verified = False

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Your name:"), self.name_edit)
        form.addRow(self.tr("Your com&pany:"), self.organisation_edit)
        form.addRow(self.tr("Connection &service:"), self.relay_edit)
        form.addRow(self.tr("C&ode:"), self.code_edit)

        # Issue 17: what to ask the customer for besides the screen and control (each is
        # unticked in the customer's dialog until the customer ticks it), remembered.
        self.ask_label = QLabel(self.tr("Also ask the customer for:"))
        self.ask_boxes: dict[str, QCheckBox] = {}
        ask_column = QVBoxLayout()
        ask_column.setContentsMargins(0, 4, 0, 0)
        ask_column.addWidget(self.ask_label)
        for name in ASKABLE:
            box = QCheckBox(permission_label(name))
            box.setObjectName(f"ask_{name}")
            box.setChecked(_setting_true(settings.value(f"ask/{name}", False)))
            self.ask_boxes[name] = box
            ask_column.addWidget(box)

        buttons = QHBoxLayout()
        buttons.addWidget(self.records_button)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.connect_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        self.hint_label = QLabel(self.tr("Ask the customer to read out the code that Fernhilfe "
                                         "shows on their screen."))
        self.hint_label.setWordWrap(True)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.identity_box)
        layout.addLayout(form)
        layout.addLayout(ask_column)
        layout.addWidget(self.error_box)
        layout.addLayout(buttons)

        self._name_accessibly()
        self._inputs = (self.name_edit, self.organisation_edit, self.relay_edit, self.code_edit)
        # the code, then Connect (Enter connects anyway); the ticks after it, as they change
        # seldom
        chain = (*self._inputs, self.connect_button, *self.ask_boxes.values(),
                 self.records_button)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        force_plain_text(self)  # errors may quote what the relay said: never rich text
        self.show_unverified()
        self.code_edit.setFocus()

    def _name_accessibly(self) -> None:
        """Names a screen reader says for each control (the labels' text without ``&``)."""
        for widget, name in (
                (self.name_edit, self.tr("Your name")),
                (self.organisation_edit, self.tr("Your company")),
                (self.relay_edit, self.tr("Address of the connection service")),
                (self.code_edit, self.tr("Code the customer reads out")),
                (self.connect_button, self.tr("Connect")),
                (self.identity_label, self.tr("Who you connect as")),
                (self.import_button, self.tr("Import certificate")),
                (self.records_button, self.tr("Session records")),
                (self.error_label, self.tr("Error")),
                (self.status_label, self.tr("Status")),
                (self.ask_label, self.tr("What else to ask the customer for")),
                (self.hint_label, self.tr("Hint"))):
            widget.setAccessibleName(name)

    # ----------------------------------------------------------------- slots

    @Slot(str)
    def show_error(self, text: str) -> None:
        """Show ``text`` in the error area (e.g. "Wrong code", "Relay unreachable"); ends the
        busy state."""
        self.set_busy(False)
        self._set_error(text)

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        """While connecting: inputs read-only, Connect disabled, a short status text."""
        for edit in self._inputs:
            edit.setReadOnly(busy or (self._verified and edit in self._name_edits))
        for box in self.ask_boxes.values():
            box.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)
        self.status_label.setText(self.tr("Connecting to the customer…") if busy else "")

    @Slot(bool)
    def enable_records(self, enabled: bool = True) -> None:
        """Show the "Session records…" button (only once something opens that window)."""
        self.records_button.setVisible(enabled)

    @property
    def _name_edits(self) -> tuple[QLineEdit, QLineEdit]:
        return (self.name_edit, self.organisation_edit)

    def show_verified(self, technician: str, organisation: str, valid_until: str) -> None:
        """A certificate is imported: its name and company are what the customer sees.

        ``technician`` and ``organisation`` come from the certificate (outside text: the labels
        are plain text); ``valid_until`` is the date as the technician reads it.
        """
        self._verified = True
        self.identity_label.setText(self.tr(
            "Verified: {name}, {organisation} (certificate valid until {date})").format(
                name=technician, organisation=organisation, date=valid_until))
        self.identity_box.setStyleSheet(
            "QFrame#identityBox { background: #e6f4ea; border: 1px solid #8cc79b;"
            " border-radius: 4px; } QLabel#identity { color: #0f5323; font-weight: 600;"
            " border: none; background: transparent; }")
        self.import_button.setText(self.tr("Import certificate…"))
        for edit, text in zip(self._name_edits, (technician, organisation), strict=True):
            edit.setText(text)
            edit.setReadOnly(True)
            edit.setToolTip(self.tr("From your certificate"))

    def show_unverified(self, reason: str = "") -> None:
        """No usable certificate: the customer sees a warning. ``reason`` (translated) says
        why when there is one (e.g. the certificate expired)."""
        was_verified = self._verified
        self._verified = False
        text = self.tr("Not verified — the customer sees a warning.")
        self.identity_label.setText(f"{reason} {text}" if reason else text)
        self.identity_box.setStyleSheet(
            "QFrame#identityBox { background: #fff8e1; border: 1px solid #e0c36a;"
            " border-radius: 4px; } QLabel#identity { color: #5c4400; border: none;"
            " background: transparent; }")
        for edit in self._name_edits:
            edit.setReadOnly(False)
            edit.setToolTip("")
            if was_verified:  # back to what the technician typed last time
                key = "technician/name" if edit is self.name_edit else "technician/organisation"
                edit.setText(str(self._settings.value(key, "") or ""))

    def requested_permissions(self) -> frozenset[str]:
        """What the next session asks the customer for: the screen and control, plus what is
        ticked (clipboard, send files = ``files_in``, receive files = ``files_out``)."""
        return BASE_REQUEST | {name for name, box in self.ask_boxes.items() if box.isChecked()}

    def is_verified(self) -> bool:
        return self._verified

    def identity_text(self) -> str:
        return self.identity_label.text()

    def error_text(self) -> str:
        """The error currently shown (empty when none)."""
        return self.error_label.text() if self.error_box.isVisibleTo(self) else ""

    # ----------------------------------------------------------------- internals

    def _set_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_box.setVisible(bool(text))
        self.error_box.setAccessibleDescription(text)
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow the window so that everything, a long error included, is shown in full.

        A top-level window's minimum height ignores wrapped labels (their height depends on the
        width); without this the layout squeezes the other rows, the code field first.
        """
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        need = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        need = max(need, layout.totalMinimumSize().height())
        self.setMinimumHeight(need)
        if self.height() < need:
            self.resize(width, need)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Narrower means more lines for a wrapped error: grow again (after this resize)."""
        super().resizeEvent(event)
        if self.error_box.isVisibleTo(self) and event.size().width() != event.oldSize().width():
            QTimer.singleShot(0, self._fit_height)

    def _submit(self) -> None:
        if not self.connect_button.isEnabled():
            return
        name = self.name_edit.text().strip()
        organisation = self.organisation_edit.text().strip()
        relay = self.relay_edit.text().strip()
        code = self.code_edit.text().strip()
        if not name:
            self._set_error(self.tr("Please enter your name: the customer sees it before "
                                    "allowing the session."))
            self.name_edit.setFocus()
            return
        for edit, text, is_name in ((self.name_edit, name, True),
                                    (self.organisation_edit, organisation, False)):
            problem = name_problem(text)
            if problem is not None:
                self._set_error(self._name_problem_text(problem, is_name))
                edit.setFocus()
                return
        if not relay.startswith(("ws://", "wss://")):
            self._set_error(self.tr("The address of the connection service starts with wss:// "
                                    "(or ws:// for one on this computer)."))
            self.relay_edit.setFocus()
            return
        problem = code_problem(code)
        if problem is not None:
            messages = {
                "empty": self.tr("Please enter the code the customer reads out to you."),
                "characters": self.tr("The code has only digits, like 123 456 789."),
                "short": self.tr("The code has 9 digits, like 123 456 789. Please check it."),
            }
            self._set_error(messages[problem])
            self.code_edit.setFocus()
            return
        self._set_error("")
        if not self._verified:  # the certificate's name is not what the technician typed
            self._settings.setValue("technician/name", name)
            self._settings.setValue("technician/organisation", organisation)
        self._settings.setValue("relay/url", relay)
        for perm, box in self.ask_boxes.items():
            self._settings.setValue(f"ask/{perm}", box.isChecked())
        self._settings.sync()
        self.connect_requested.emit(name, organisation, relay, code)

    def _name_problem_text(self, problem: str, is_name: bool) -> str:
        """Why the name/organisation cannot be sent (the customer's program would refuse it)."""
        if problem in ("too_long", "too_wide"):
            if is_name:
                return self.tr("Your name is too long for the customer's window (at most {n} "
                               "characters).").format(n=MAX_NAME_WIDTH)
            return self.tr("Your company name is too long for the customer's window (at most "
                           "{n} characters).").format(n=MAX_NAME_WIDTH)
        if is_name:
            return self.tr("Your name contains characters the customer's window does not show "
                           "(line breaks, invisible or text-direction characters, special "
                           "spaces). Please type it plainly.")
        return self.tr("Your company name contains characters the customer's window does not "
                       "show (line breaks, invisible or text-direction characters, special "
                       "spaces). Please type it plainly.")

    def focus_code(self) -> None:
        """Put the cursor into the code field (e.g. after an error)."""
        self.code_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.code_edit.selectAll()
