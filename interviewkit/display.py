"""Model text on its way to the page: made inert, and split into questions.

Model output (and anything a CV smuggles into it) is rendered as Markdown in
a recruiter's browser.  :func:`inert` escapes the characters that start the
dangerous constructs - raw HTML (``<``), links and images (``[``), and the
backslash that could undo an escape - one character at a time, so it works on
a stream without seeing the whole text: no ``<script>``, no ``javascript:``
link, no remote image that would leak the recruiter's IP.  Headings, lists
and emphasis, which the kit needs, are untouched.  (Streamlit still shows a
bare ``https://`` or ``www.`` address as a link that opens in a new tab with
``noopener``: nothing is fetched unless the recruiter clicks it.)

:func:`split_sections` cuts a stream at each ``### `` heading so every question
streams into its own element: ``st.write_stream`` re-sends its element's whole
text on every update, and a settled question then never travels again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_ESCAPES = {"\\": "\\\\", "<": "\\<", ">": "\\>", "[": "\\[", "]": "\\]", "`": "\\`"}
_TABLE = str.maketrans(_ESCAPES)
HEADING = "### "
_NUMBERED = re.compile(r"### \D{0,12}\d")


def inert(text: str) -> str:
    """Escape the Markdown that could run code, open a link or fetch a resource."""
    return text.translate(_TABLE)


def paragraphs(chunks: Iterable[str]) -> Iterator[str]:
    """Start a new paragraph at each line that opens with bold (``**Follow-up:**``).

    Models write the follow-up on the line right after a bullet, which Markdown
    folds into that bullet.  A line break and a ``*`` at the end of a chunk wait
    for the next chunk; nothing else is held back.
    """
    pending = ""
    for chunk in chunks:
        text = pending + chunk
        cut = len(text) - (2 if text.endswith("\n*") else 1 if text.endswith("\n") else 0)
        text, pending = text[:cut], text[cut:]
        if text:
            yield text.replace("\n**", "\n\n**")
    if pending:
        yield pending


class _Events:
    """Turns chunks into text pieces and section breaks (``None``).

    A heading is recognised only at a line start; the few characters that
    could still become ``### `` wait for the next chunk, nothing else does.
    """

    def __init__(self) -> None:
        self.pending: str | None = ""  # text at a line start that may become a heading
        self.has_text = False  # the current section holds more than white space

    def feed(self, chunk: str) -> Iterator[str | None]:
        out: list[str] = []
        for ch in chunk:
            if self.pending is None:
                out.append(ch)
                self.has_text = self.has_text or not ch.isspace()
                if ch == "\n":
                    self.pending = ""
                continue
            self.pending += ch
            if HEADING.startswith(self.pending):
                if self.pending == HEADING:
                    if self.has_text:
                        yield "".join(out)
                        yield None
                        out = []
                    out.append(HEADING)
                    self.pending, self.has_text = None, True
                continue
            out.append(self.pending)
            self.has_text = self.has_text or not self.pending.isspace()
            self.pending = "" if ch == "\n" else None
        if out:
            yield "".join(out)

    def flush(self) -> Iterator[str | None]:
        if self.pending:
            yield self.pending
        self.pending = None


def _events(chunks: Iterable[str]) -> Iterator[str | None]:
    state = _Events()
    for chunk in chunks:
        yield from (e for e in state.feed(chunk) if e != "")
    yield from state.flush()


def _section(first: str, events: Iterator[str | None]) -> Iterator[str]:
    yield first
    for event in events:
        if event is None:
            return
        yield event


def split_sections(chunks: Iterable[str]) -> Iterator[Iterator[str]]:
    """Yield one chunk stream per ``### `` section (text before the first heading
    is its own section).  Each section is drained before the next one starts."""
    events = _events(chunks)
    for event in events:
        if event is None:
            continue
        section = _section(event, events)
        yield section
        for _ in section:  # whatever the consumer left of this section
            pass


def at_most_questions(chunks: Iterable[str], limit: int) -> Iterator[str]:
    """Pass text through until a numbered heading beyond ``limit`` starts, then stop.

    Small models often write more questions than asked; stopping early saves
    their time and the recruiter's.  Closing this closes ``chunks``.
    """
    source = iter(chunks)
    seen = 0
    try:
        for section in split_sections(source):
            read: list[str] = []
            try:
                _read_head(section, read)
            except BaseException:
                if read:
                    yield "".join(read)  # what arrived before a failure is kept
                raise
            head = "".join(read)
            if _NUMBERED.match(head):
                seen += 1
                if seen > limit:
                    return
            yield head
            yield from section
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


def _read_head(section: Iterator[str], read: list[str]) -> None:
    """Read the start of a section until it is clear whether it is a numbered heading."""
    head = ""
    for chunk in section:
        read.append(chunk)
        head += chunk
        if (not head.startswith(HEADING[:len(head)]) or _NUMBERED.match(head)
                or "\n" in head or len(head) >= len(HEADING) + 16):
            return  # decided: not a heading at all, a numbered one, or an unnumbered one


def sections(text: str) -> list[str]:
    """The same split for finished text (a rerun shows a kept kit the same way)."""
    return ["".join(part) for part in split_sections([text])]
