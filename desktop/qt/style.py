"""A visible focus ring on every button of both programs (issue 11, accessibility).

Someone working with the keyboard alone must see which button Enter or Space will press: in the
consent dialog that decides between Allow and Deny. Qt's Fusion style marks a focused button only
by a faint change of its frame colour, and only after a Tab press; buttons with a style sheet of
their own (Copy, Allow, End session) lose even that. :class:`FocusRingStyle` draws a ring of its
own instead: 2 px dark blue with a 1 px white line inside, so it stands out on light windows and
on coloured buttons alike. It paints over the widget's own edge and takes no space: focus never
moves the layout.

The ring replaces Qt's focus rectangle (``PE_FrameFocusRect``), which the style sheet engine and
most styles draw for the focused button, check box or tool button, and is drawn on top of every
focused push button too (Fusion draws no focus rectangle there); other widgets keep their look.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

#: The ring's colour: contrast 13:1 on white, 12:1 on the windows' #fafbfc (WCAG asks 3:1).
RING_COLOUR = QColor("#0a3069")
#: The line just inside the ring, so the ring also shows on dark or accent-coloured buttons.
INNER_COLOUR = QColor("#ffffff")
RING_WIDTH = 2
INNER_WIDTH = 1
_APP_ATTR = "_fernhilfe_focus_style"


class FocusRingStyle(QProxyStyle):
    """The application's style with a clear focus ring on buttons; everything else unchanged."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect and isinstance(
            widget, QAbstractButton
        ):
            draw_focus_ring(painter, QRectF(widget.rect()))
            return
        super().drawPrimitive(element, option, painter, widget)

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        # Fusion marks a focused push button in its frame colour and asks for no focus
        # rectangle: draw the ring on top (buttons with a style sheet come by drawPrimitive).
        if (element == QStyle.ControlElement.CE_PushButton
                and isinstance(widget, QAbstractButton)
                and option.state & QStyle.StateFlag.State_HasFocus):
            draw_focus_ring(painter, QRectF(widget.rect()))


def draw_focus_ring(painter: QPainter, rect: QRectF) -> None:
    """Paint the ring along the inside edge of ``rect`` (the button's own area)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = RING_WIDTH / 2
    outer = rect.adjusted(half, half, -half, -half)
    painter.setPen(QPen(RING_COLOUR, RING_WIDTH, Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.SquareCap, Qt.PenJoinStyle.MiterJoin))
    painter.drawRect(outer)
    inset = RING_WIDTH + INNER_WIDTH / 2
    painter.setPen(QPen(INNER_COLOUR, INNER_WIDTH, Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.SquareCap, Qt.PenJoinStyle.MiterJoin))
    painter.drawRect(rect.adjusted(inset, inset, -inset, -inset))
    painter.restore()


def install_focus_ring(app: QApplication) -> FocusRingStyle:
    """Make ``app``'s style draw the focus ring (idempotent); call before building windows.

    Widgets with a style sheet build on the application's style, so they get the ring too.
    """
    current = app.style()
    if isinstance(current, FocusRingStyle):
        return current
    base = current.name() if current is not None else "fusion"
    style = FocusRingStyle(base)
    app.setStyle(style)
    setattr(app, _APP_ATTR, style)  # Qt owns it; the attribute keeps the Python wrapper alive
    return style
