"""Safety layer: personal data redaction, secret scrubbing, inert Markdown."""

from interviewkit.safety.markdown import inert
from interviewkit.safety.pii import KINDS, Redaction, redact_pii
from interviewkit.safety.secrets import scrub

__all__ = ["KINDS", "Redaction", "inert", "redact_pii", "scrub"]
