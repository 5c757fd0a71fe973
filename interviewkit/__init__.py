"""Interview Kit: turn a candidate's CV into a tailored, streamed interview kit."""

__version__ = "0.1.0"
