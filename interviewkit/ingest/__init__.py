"""CV bytes (or pasted text) in, :class:`CVText` out.

The PDF worker, text cleaning, hidden text, and text addressed to an AI.
"""

from interviewkit.ingest.cv import CVText, clear_cache, read_cv, read_pasted
from interviewkit.ingest.injection import Suspicion

__all__ = ["CVText", "Suspicion", "clear_cache", "read_cv", "read_pasted"]
