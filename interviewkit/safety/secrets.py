"""Secrets out of any text meant for people or for storage.

Error messages quote server replies and history stores prompts; neither may
ever carry an API key.  :func:`scrub` removes the configured secrets and
anything shaped like an OpenAI key or a bearer token.
"""

from __future__ import annotations

import re

_SECRET_PATTERNS = (re.compile(r"\bsk-[A-Za-z0-9_\-*]{6,}"),
                    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9_\-.=]{6,}"))


def scrub(text: str, *secrets: str | None) -> str:
    """Remove secrets (and anything shaped like an OpenAI key) from text meant for people."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    text = _SECRET_PATTERNS[0].sub("sk-[redacted]", text)
    return _SECRET_PATTERNS[1].sub(r"\1[redacted]", text)



