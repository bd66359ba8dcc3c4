"""What the customer's operating system needs before Fernhilfe can show or control it.

Windows (elevated windows, Ctrl+Alt+Del, cursor shapes) and macOS (Screen Recording and
Accessibility permissions) each have a module here; every decision they feed is a pure function,
so it is tested on any platform, while the calls into the OS are tested on that OS in CI.
"""
