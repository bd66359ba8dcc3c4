"""Qt helpers both desktop programs use: translator loading, plain-text labels, the app start.

They live here, not in the agent, so that the console never imports the agent (the two programs
are separate layers that only share ``desktop`` and ``shared``).
"""
