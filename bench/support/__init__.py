"""Real-world scaffolding that benchmarks and tests both drive: Xvfb displays, the local relay
process, the built one-file agent.

It lives in bench/ (not tests/) because the layers run shared <- ... <- bench <- tests: tests may
use what the bench uses, never the other way round.
"""
