"""CV bytes (or pasted text) in, :class:`CVText` out: PDF worker, cleaning, hidden text, injection."""

from interviewkit.ingest.cv import CVText, clear_cache, read_cv, read_pasted
from interviewkit.ingest.injection import Suspicion

__all__ = ["CVText", "Suspicion", "clear_cache", "read_cv", "read_pasted"]
