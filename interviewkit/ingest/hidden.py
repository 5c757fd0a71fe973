"""Text in a PDF that a human reader would not see, found while pypdf extracts it.

Applicants hide instructions for AI screeners in white or microscopic text, or
outside the page.  :class:`HiddenTextProbe` follows the graphics state through
pypdf's operator visitor (fill colour, text render mode, the save/restore
stack, filled rectangles and images that could be a dark background) and
records each text run that is invisible: white/near-white fill not drawn over
a dark area, an effective size under 2 pt, render mode 3 (invisible), or a
position outside the page box.  It runs inside the extraction worker, so it
only returns plain tuples.

It is called for every operator of every page, so operators it does not follow
(paths, fonts, text positioning: most of a page) cost one set lookup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PageObject

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TINY_PT = 2.0
LIGHT = 0.92  # every channel at least this bright counts as white on a white page
MAX_SPANS = 40
MAX_SPAN_CHARS = 400
KIND_TEXT = {
    "white": "white or near-white text",
    "tiny": "text smaller than 2 pt",
    "invisible": "invisible text (render mode 3)",
    "off_page": "text outside the page",
}


FILL_COLOUR = frozenset({b"g", b"rg", b"k", b"sc", b"scn"})
PAINT = frozenset({b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"})
NO_PAINT = frozenset({b"n", b"S", b"s"})
FOLLOWED = FILL_COLOUR | PAINT | NO_PAINT | {b"q", b"Q", b"Tr", b"re", b"Do"}


def _mul(m: Sequence[float], n: Sequence[float]) -> Matrix:
    a, b, c, d, e, f = m  # pypdf's matrices are lists of six floats
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _lightness(operator: bytes, operands: Sequence[Any]) -> float | None:
    """Brightness 0..1 of a fill colour operator, None when it is not one we read."""
    try:
        values = [float(v) for v in operands if isinstance(v, int | float)]
    except (TypeError, ValueError):
        return None
    if operator in (b"g",) or (operator in (b"sc", b"scn") and len(values) == 1):
        return values[0] if values else None
    if operator == b"rg" or (operator in (b"sc", b"scn") and len(values) == 3):
        return min(values) if len(values) == 3 else None
    if operator == b"k" or (operator in (b"sc", b"scn") and len(values) == 4):
        c, m, y, k = values if len(values) == 4 else (1.0, 1.0, 1.0, 1.0)
        return 1.0 - min(1.0, max(c + k, m + k, y + k)) if len(values) == 4 else None
    return None


@dataclass
class _State:
    fill: float = 0.0  # brightness of the fill colour (text is black by default)
    render_mode: int = 0


@dataclass
class HiddenTextProbe:
    """pypdf visitors that collect hidden text runs of one page."""

    page_box: tuple[float, float, float, float]
    page_number: int = 1
    spans: list[tuple[str, int, str]] = field(default_factory=list)
    _state: _State = field(default_factory=_State)
    _stack: list[_State] = field(default_factory=list)
    _cm: Matrix = IDENTITY
    _cm_stack: list[Matrix] = field(default_factory=list)
    _dark: list[tuple[float, float, float, float]] = field(default_factory=list)
    _rects: list[tuple[float, float, float, float]] = field(default_factory=list)

    def operand(self, operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        """``visitor_operand_before``: follow colour, render mode and backgrounds."""
        if operator not in FOLLOWED:
            return
        if operator in FILL_COLOUR:
            light = _lightness(operator, operands or [])
            if light is not None:
                self._state.fill = light
        elif operator == b"q":
            self._stack.append(_State(self._state.fill, self._state.render_mode))
        elif operator == b"Q":
            if self._stack:
                self._state = self._stack.pop()
        elif operator == b"Tr":
            if operands:
                self._state.render_mode = int(operands[0])
        elif operator == b"re":
            if len(operands) == 4:
                self._rects.append(self._box(cm, *(float(v) for v in operands)))
        elif operator in PAINT:
            if self._state.fill < LIGHT:
                self._dark.extend(self._rects)
            self._rects = []
        elif operator in NO_PAINT:
            self._rects = []
        else:  # Do: images can be backgrounds
            self._dark.append(self._box(cm, 0.0, 0.0, 1.0, 1.0))

    @staticmethod
    def _box(cm: Any, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        m = tuple(float(v) for v in cm) if cm else IDENTITY
        xs, ys = [], []
        for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
            xs.append(m[0] * px + m[2] * py + m[4])
            ys.append(m[1] * px + m[3] * py + m[5])
        return min(xs), min(ys), max(xs), max(ys)

    def text(self, text: str, cm: Any, tm: Any, font_dict: Any, font_size: Any) -> None:
        """``visitor_text``: classify one run of text by what a reader would see."""
        if not text or not text.strip() or len(self.spans) >= MAX_SPANS:
            return
        m = _mul(tm or IDENTITY, cm or IDENTITY)
        size = abs(float(font_size or 0)) * math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
        kind = self._classify(size, m[4], m[5])
        if kind:
            self._add(kind, text)

    def _classify(self, size: float, x: float, y: float) -> str | None:
        left, bottom, right, top = self.page_box
        if self._state.render_mode == 3:
            return "invisible"
        if x < left - 2 or x > right + 2 or y < bottom - 2 or y > top + 2:
            return "off_page"
        if 0 < size < TINY_PT:
            return "tiny"
        if self._state.fill >= LIGHT and not self._on_dark(x, y):
            return "white"
        return None

    def _on_dark(self, x: float, y: float) -> bool:
        return any(x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1
                   for x0, y0, x1, y1 in self._dark)

    def _add(self, kind: str, text: str) -> None:
        if self.spans and self.spans[-1][0] == kind and self.spans[-1][1] == self.page_number:
            joined = (self.spans[-1][2] + text)[:MAX_SPAN_CHARS]
            self.spans[-1] = (kind, self.page_number, joined)
        else:
            self.spans.append((kind, self.page_number, text[:MAX_SPAN_CHARS]))


def page_text(page: PageObject, number: int, spans: list[tuple[str, int, str]]) -> str:
    """One page's text from pypdf, adding to ``spans`` the text a reader would not see."""
    box = page.mediabox
    probe = HiddenTextProbe((float(box.left), float(box.bottom), float(box.right),
                             float(box.top)), number)
    text: str = page.extract_text(visitor_operand_before=probe.operand, visitor_text=probe.text)
    spans.extend(probe.spans)
    return text
