"""Model text made inert before it is rendered as Markdown in a recruiter's browser.

Model output (and anything a CV smuggles into it) is rendered as Markdown.
:func:`inert` escapes the characters that start the dangerous constructs - raw
HTML (``<``), links and images (``[``), and the backslash that could undo an
escape - one character at a time, so it works on a stream without seeing the
whole text: no ``<script>``, no ``javascript:`` link, no remote image that
would leak the recruiter's IP.  Headings, lists and emphasis, which the kit
needs, are untouched.  (Streamlit still shows a bare ``https://`` or ``www.``
address as a link that opens in a new tab with ``noopener``: nothing is
fetched unless the recruiter clicks it.)
"""

from __future__ import annotations

_ESCAPES = {"\\": "\\\\", "<": "\\<", ">": "\\>", "[": "\\[", "]": "\\]", "`": "\\`"}
_TABLE = str.maketrans(_ESCAPES)


def inert(text: str) -> str:
    """Escape the Markdown that could run code, open a link or fetch a resource."""
    return text.translate(_TABLE)
