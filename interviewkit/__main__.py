"""Entry point for ``python -m interviewkit``."""

import sys

from interviewkit.cli import main

sys.exit(main())
