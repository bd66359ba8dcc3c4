"""``python -m agent`` / ``fernhilfe-agent``: start the customer's agent."""

from __future__ import annotations

import sys

from agent.app import main

if __name__ == "__main__":
    sys.exit(main())
