"""``python -m console`` / ``fernhilfe-console``: start the technician's console."""

from __future__ import annotations

import sys

from console.app import main

if __name__ == "__main__":
    sys.exit(main())
