"""Losing a relay node under a live session costs nothing: the session resumes through another
node, with no new code, no new consent and no new code path (issue 13's resume).

Real parts only: a cluster of three ``python -m relay`` nodes sharing a real redis-server,
HAProxy in front (bench/support/cluster.py), the real agent in this process (its real Allow
button clicked once), the real console process on its own display, real capture, real XTest
typing into a real xterm. The node is killed with SIGKILL, as when its machine dies.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.app import AgentApp
from bench.support.cluster import Cluster, NodeProcess
from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay
from tests.e2e.conftest import Console, connected_session, data_dir_events, xdo
from tests.e2e.test_resume import repaint
from tests.e2e.test_session import (  # noqa: F401  (fixtures used by name)
    Target,
    Xterm,
    agent_audit_dir,
    find_colour,
    focus_console_view,
    grab,
    target,
    target_on_console,
    xterm,
)
from tests.e2e.test_streaming import (  # noqa: F401  (fixture used by name)
    Pattern,
    actual_size_button_pos,
    converge,
    pattern,
)
from tests.relay.cluster.support import metrics_of, running_cluster

pytestmark = pytest.mark.e2e


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with running_cluster(tmp_path / "cluster", flags=()) as running:
        yield running


@pytest.fixture
def relay_url(cluster: Cluster) -> str:
    """The agent and the console (tests/e2e/conftest.py) both reach the cluster's front."""
    return cluster.url


def session_nodes(cluster: Cluster) -> tuple[NodeProcess, NodeProcess] | None:
    """(the node forwarding the session, the node the console's link reaches): the same node,
    or two when the console came in on another one and reaches the agent's node over the
    internal link (that node counts it as bridged). None while the session is not paired."""
    live = [n for n in cluster.nodes if n.alive]
    samples = {n.node_id: metrics_of(n) for n in live}
    carrying = [n for n in live if samples[n.node_id]["fernhilfe_relay_sessions_paired"] > 0]
    bridging = [n for n in live if samples[n.node_id]["fernhilfe_relay_sessions_bridged"] > 0]
    if len(carrying) != 1 or len(bridging) > 1:
        return None
    return carrying[0], (bridging[0] if bridging else carrying[0])


def resumed_without_asking(agent: AgentApp, console: Console, killed: float) -> float:
    """Wait for the console's link to come back; the seconds since the node was killed (to
    the 0.1 s the audit is polled at). The customer saw no code and answered no consent
    again."""
    console.wait_audit("link_interrupted", timeout=15)
    resumed = console.wait_audit("link_resumed", timeout=30)
    took = time.monotonic() - killed
    assert resumed["n"] == 1
    assert agent.window.state != "code" and agent.overlay is not None
    assert agent.worker.active is not None and not agent.worker.active.session.ended
    events = [e["event"] for e in data_dir_events(Path(agent_audit_dir(agent)))]
    assert events.count("consent_decided") == 1
    assert "link_resumed" in events
    return took


def typing_reaches(qtbot, console: Console, xterm: Xterm, text: str) -> None:  # noqa: F811
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", text)
    wait_for(lambda: xterm.text() == text, 20,
             f"typed text after the resume (got {xterm.text()!r})",
             pause=lambda t: qtbot.wait(int(t * 1000) + 1))


def test_killing_the_node_that_carries_the_session_resumes_it_pixel_exact(
        qtbot, agent: AgentApp, console: Console, pattern: Pattern,  # noqa: F811
        xterm: Xterm, cluster: Cluster, x_display: XvfbDisplay) -> None:  # noqa: F811
    button = actual_size_button_pos()
    connected_session(qtbot, agent, console)
    xdo(x_display, "mousemove", "1275", "795")  # the pointer stays off the compared area
    pattern.show()
    pattern.raise_()
    qtbot.waitExposed(pattern)
    win = console.window("Session")
    console.wait_audit("permissions_changed")
    xdo(console.display, "mousemove", "--window", win, str(button[0]), str(button[1]),
        "click", "1")
    xdo(console.display, "mousemove", "1279", "799")  # off the view: moves nothing remote
    converge(qtbot, x_display, console)

    carrier, _ = wait_for(lambda: session_nodes(cluster), 10, "the session to be paired")
    killed = time.monotonic()
    carrier.kill()
    took = resumed_without_asking(agent, console, killed)
    print(f"resumed {took:.2f} s after {carrier.node_id} was killed")
    assert not carrier.alive
    assert wait_for(lambda: session_nodes(cluster), 10, "the session to be paired again")

    # The picture is exact again, also for what changed after the resume...
    pattern.scroll_by(64)
    converge(qtbot, x_display, console)
    # ...and the technician's typing reaches the customer's xterm.
    typing_reaches(qtbot, console, xterm, "cluster")


def test_killing_the_node_that_carries_only_the_consoles_link_resumes_too(
        qtbot, agent: AgentApp, console: Console, target: Target,  # noqa: F811
        xterm: Xterm, cluster: Cluster) -> None:  # noqa: F811
    connected_session(qtbot, agent, console)
    target_on_console(console)
    carrier, consoles_node = wait_for(lambda: session_nodes(cluster), 10,
                                      "the session to be paired")
    assert consoles_node is not carrier, "HAProxy put both ends on one node"
    killed = time.monotonic()
    consoles_node.kill()
    took = resumed_without_asking(agent, console, killed)
    print(f"resumed {took:.2f} s after {consoles_node.node_id} (the console's side) was killed")
    assert carrier.alive

    repaint(target, "#0000c8")
    wait_for(lambda: find_colour(grab(console.display), (200, 0, 0)) is not None, 20,
             "the customer's new (blue) screen to reach the console after the resume",
             pause=lambda t: qtbot.wait(int(t * 1000) + 1))
    typing_reaches(qtbot, console, xterm, "console side")
