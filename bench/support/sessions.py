"""An agent's and a console's session machines wired back to back in memory, no relay.

The sans-I/O core (shared/session.py) takes bytes and returns bytes, so benchmarks and tests
that need an active session without sockets deliver one side's output to the other until
both are quiet.
"""

from __future__ import annotations

from shared.session import AgentSession, ConsoleSession


def pump(agent: AgentSession, console: ConsoleSession, agent_out: list[bytes],
         console_out: list[bytes]) -> tuple[list[object], list[object]]:
    """Deliver messages both ways until quiet; every event per side (agent's, console's)."""
    agent_events: list[object] = []
    console_events: list[object] = []
    while agent_out or console_out:
        to_console, agent_out = agent_out, []
        to_agent, console_out = console_out, []
        for data in to_console:
            step = console.receive(data)
            console_out += step.outgoing
            console_events += step.events
        for data in to_agent:
            step = agent.receive(data)
            agent_out += step.outgoing
            agent_events += step.events
    return agent_events, console_events
