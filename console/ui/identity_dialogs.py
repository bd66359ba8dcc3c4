"""The technician's certificate in the console: import it once, unlock it once per run.

:class:`ImportIdentityDialog` takes the two files the administrator handed over (certificate and
sealed key) and the key file's passphrase; where this computer has no usable keyring it also asks
for a new passphrase (twice) that protects the key on this computer. :class:`PassphraseDialog`
asks for that passphrase when the console first needs the key in a run.

Both only collect input and show what the caller says went wrong: the checking and storing is
:mod:`console.identity` (the integrator calls it on ``accepted``-like signals).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import button_row


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #8a1c12; font-weight: 600;")
    label.setVisible(False)
    return label


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(1024)
    return edit


class ImportIdentityDialog(QDialog):
    """Certificate file, key file, its passphrase (and a new one where no keyring helps).

    ``import_requested(cert_path, key_path, key_passphrase, new_passphrase)`` when the technician
    clicks Import (``new_passphrase`` empty when the keyring keeps the key). The integrator
    answers with :meth:`show_error` or :meth:`accept`.
    """

    import_requested = Signal(str, str, str, str)

    def __init__(self, needs_passphrase: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import certificate"))
        self.setMinimumWidth(520)
        self.needs_passphrase = False
        intro = QLabel(self.tr("Your administrator gave you two files: your certificate "
                               "(.fhcert) and your key (.fhkey), and the key's passphrase. With "
                               "them, customers see that you really work for your support "
                               "company."))
        intro.setWordWrap(True)
        self.cert_edit = QLineEdit()
        self.cert_edit.setObjectName("certificateFile")
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("keyFile")
        self.key_passphrase_edit = _password_edit()
        self.key_passphrase_edit.setObjectName("keyPassphrase")
        self.new_passphrase_edit = _password_edit()
        self.new_passphrase_edit.setObjectName("newPassphrase")
        self.repeat_passphrase_edit = _password_edit()
        self.repeat_passphrase_edit.setObjectName("repeatPassphrase")
        cert_browse = QPushButton(self.tr("Browse…"))
        cert_browse.setAccessibleName(self.tr("Choose the certificate file"))
        cert_browse.clicked.connect(lambda: self._browse(
            self.cert_edit, self.tr("Fernhilfe certificate (*.fhcert)")))
        key_browse = QPushButton(self.tr("Browse…"))
        key_browse.setAccessibleName(self.tr("Choose the key file"))
        key_browse.clicked.connect(lambda: self._browse(
            self.key_edit, self.tr("Fernhilfe key (*.fhkey)")))

        form = QFormLayout()
        cert_label = QLabel(self.tr("&Certificate:"))
        cert_label.setBuddy(self.cert_edit)  # a row of a layout gets no buddy by itself
        key_label = QLabel(self.tr("&Key:"))
        key_label.setBuddy(self.key_edit)
        form.addRow(cert_label, self._with_button(self.cert_edit, cert_browse))
        form.addRow(key_label, self._with_button(self.key_edit, key_browse))
        form.addRow(self.tr("Key &passphrase:"), self.key_passphrase_edit)
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setObjectName("keyringNote")
        self._new_label = QLabel(self.tr("&New passphrase:"))
        self._new_label.setBuddy(self.new_passphrase_edit)
        self._repeat_label = QLabel(self.tr("&Repeat it:"))
        self._repeat_label.setBuddy(self.repeat_passphrase_edit)
        form.addRow(self._new_label, self.new_passphrase_edit)
        form.addRow(self._repeat_label, self.repeat_passphrase_edit)
        self.error_label = _error_label()
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._submit)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error_label)
        layout.addLayout(button_row(cancel, self.import_button))
        for widget, name in ((self.cert_edit, self.tr("Certificate file")),
                             (self.key_edit, self.tr("Key file")),
                             (self.key_passphrase_edit, self.tr("Passphrase of the key file")),
                             (self.new_passphrase_edit, self.tr("New passphrase")),
                             (self.repeat_passphrase_edit, self.tr("Repeat the new passphrase")),
                             (self.error_label, self.tr("Error"))):
            widget.setAccessibleName(name)
        force_plain_text(self)  # file names and errors are shown literally
        self.set_needs_passphrase(needs_passphrase)

    def set_needs_passphrase(self, needed: bool) -> None:
        """Ask for a new passphrase (no usable keyring, or it refused the key) or not."""
        self.needs_passphrase = needed
        for widget in (self._new_label, self.new_passphrase_edit, self._repeat_label,
                       self.repeat_passphrase_edit):
            widget.setVisible(needed)
        if needed:
            self.keyring_note.setText(self.tr(
                "This computer has no keyring the console can use. Choose a passphrase that "
                "protects your key here; the console asks for it once each time it starts."))
        else:
            self.keyring_note.setText(self.tr("Your key will be kept in this computer's "
                                              "keyring."))

    @staticmethod
    def _with_button(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    def _browse(self, edit: QLineEdit, file_filter: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.windowTitle(), edit.text(),
                                              file_filter)
        if path:
            edit.setText(path)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.import_button.setEnabled(True)
        self.adjustSize()

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def _submit(self) -> None:
        cert, key = self.cert_edit.text().strip(), self.key_edit.text().strip()
        if not cert or not key:
            self.show_error(self.tr("Please choose both files: the certificate and the key."))
            return
        if not self.key_passphrase_edit.text():
            self.show_error(self.tr("Please enter the passphrase of the key file."))
            self.key_passphrase_edit.setFocus()
            return
        new = ""
        if self.needs_passphrase:
            new = self.new_passphrase_edit.text()
            if new != self.repeat_passphrase_edit.text():
                self.show_error(self.tr("The two new passphrases differ."))
                self.repeat_passphrase_edit.setFocus()
                return
            if not new:
                self.show_error(self.tr("Please choose a passphrase for your key on this "
                                        "computer."))
                self.new_passphrase_edit.setFocus()
                return
        self.show_error("")
        self.import_button.setEnabled(False)
        self.import_requested.emit(cert, key, self.key_passphrase_edit.text(), new)


class PassphraseDialog(QDialog):
    """Asks once per run for the passphrase that protects the technician's key here."""

    def __init__(self, technician: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock your certificate"))
        self.setMinimumWidth(420)
        text = QLabel(self.tr("Enter the passphrase of your key to connect as {name} "
                              "(verified).").format(name=technician))
        text.setWordWrap(True)
        self.passphrase_edit = _password_edit()
        self.passphrase_edit.setObjectName("passphrase")
        self.passphrase_edit.setAccessibleName(self.tr("Passphrase"))
        self.error_label = _error_label()
        self.error_label.setAccessibleName(self.tr("Error"))
        ok = QPushButton(self.tr("Unlock"))
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        self.ok_button = ok
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.error_label)
        layout.addLayout(button_row(cancel, ok))
        force_plain_text(self)  # the certificate's name is outside text
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.adjustSize()  # room for the wrapped lines: nothing is cut off
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
