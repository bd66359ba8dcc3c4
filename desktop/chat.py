"""The chat as both session drivers run it: send a line, take one in, keep the record honest.

The policy (who may chat when, the flood budget, what text the wire carries) is
:mod:`shared.session`'s; this is the one place both programs turn it into I/O, so the agent and
the console record the chat by the same rule: a ``chat`` line in the audit record only while
the customer opted in (``session.chat_recorded``), on both sides, and never otherwise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from shared.session import ChatReceived, ChatRefused, Step

log = logging.getLogger(__name__)

#: Who wrote a line, as the record names them (api15.md).
TECHNICIAN = "technician"
CUSTOMER = "customer"


@dataclass(frozen=True)
class ChatSent:
    """Our own line went out (the window shows it as sent; nothing when the session was not
    active, e.g. after it ended)."""

    text: str


@dataclass(frozen=True)
class ChatNotSent:
    """Our line could not go out: the link is being re-made (what is sealed meanwhile is
    dropped, see :meth:`SessionDriver.send`). The window says so and offers it again."""

    text: str


class _ChatSession(Protocol):
    chat_recorded: bool

    def send_chat(self, text: str) -> Step: ...


class ChatDriver(Protocol):
    """What of a :class:`desktop.session_driver.SessionDriver` the chat uses."""

    link_down: bool

    @property
    def session(self) -> _ChatSession: ...
    def audit(self, event: str, **details: object) -> bool: ...
    def handle(self, step: Step) -> None: ...
    def sink(self, ev: object) -> None: ...


def send_chat(driver: ChatDriver, text: str, sender: str) -> None:
    """Send ``text`` as ``sender`` (this side). The windows check :func:`chat_problem` first,
    so a refusal here is a caller's bug: logged, nothing sent, the session goes on. While the
    link is being re-made the line is not sent and the window is told (never shown as sent)."""
    if driver.link_down:
        driver.sink(ChatNotSent(text))
        return
    try:
        step = driver.session.send_chat(text)
    except ChatRefused as exc:
        log.error("chat line refused (%s): not sent", exc.problem)
        return
    if not step.outgoing:
        return  # the session is not active (any more): nothing went out, nothing to record
    if driver.session.chat_recorded and not driver.audit("chat", sender=sender, text=text):
        return  # no record, no line: the failed record ends the session
    driver.handle(step)
    driver.sink(ChatSent(text))


def chat_received(driver: ChatDriver, ev: ChatReceived, sender: str) -> None:
    """A line from the other side (``sender``): into the record if the customer opted in,
    then to the window."""
    if driver.session.chat_recorded and not driver.audit("chat", sender=sender, text=ev.text):
        return
    driver.sink(ev)
