"""CV text in, structure out: sections, entries (jobs, degrees, projects…) and bullets, so
a question can point at one job or one bullet.  Standard library only, deterministic, no
model: what a line *says* (heading, date, title) is :mod:`interviewkit.ingest.headings`;
this module decides what belongs together, in text as pypdf gives it — columns one after
the other, dates before or after a job's bullets, wrapped bullets, page footers between."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from interviewkit.ingest import headings as lex


@dataclass(frozen=True)
class Passage:
    """A span of the CV: ``cv_text[start:end]`` is its source (line breaks, bullet glyphs);
    ``text`` the same words on one line, to show or to quote."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entry:
    """One job, project, degree, publication or skills line. ``title``, ``organisation`` and
    ``dates`` are "" when the CV does not say; ``bullets`` are its bulleted lines (wrapped
    lines joined); ``lines`` its other lines of description, which carry the content of CVs
    without bullet glyphs; ``passage`` spans the whole entry."""

    title: str
    organisation: str
    dates: str
    bullets: tuple[Passage, ...]
    passage: Passage
    lines: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Section:
    """A headed part of the CV (``heading`` is "" for the text above the first heading)."""

    kind: str
    heading: str
    entries: tuple[Entry, ...]
    passage: Passage


@dataclass(frozen=True)
class Askable:
    """A passage worth a question, and where it is from (``entry`` indexes ``entries()``)."""

    kind: str
    entry: int
    passage: Passage


@dataclass(frozen=True)
class CVStructure:
    """The CV's sections in reading order."""

    sections: tuple[Section, ...]

    def entries(self) -> tuple[tuple[str, Entry], ...]:
        """Every entry in order, with its section's kind."""
        return tuple((s.kind, e) for s in self.sections for e in s.entries)

    def passages(self) -> tuple[Askable, ...]:
        """What a question can be about: each entry's bullets, then its other lines, or the
        entry itself when it has neither. Contact details and referees are not asked about,
        but a sentence in the header block above the first heading (a tagline) is."""
        found: list[Askable] = []
        for index, (kind, entry) in enumerate(self.entries()):
            own = (entry.bullets + entry.lines) or (entry.passage,)
            if kind in ("contact", "references"):
                own = tuple(p for p in own if kind == "contact" and not lex.CONTACT.search(
                    p.text) and len(p.text.split()) >= 8)
            found += [Askable(kind, index, p) for p in own
                      if len(re.findall(r"[^\W\d_]{2,}", p.text)) >= 2
                      or len(lex.CJK.findall(p.text)) >= 4]
        return tuple(found)

    def summary_rows(self) -> tuple[dict[str, str | int], ...]:
        """One row per section, for a table on the page."""
        return tuple({"section": s.heading or "(top of the CV)", "kind": s.kind,
                      "entries": len(s.entries), "first entry": next(
                          ((e.title or e.organisation or e.passage.text)[:60]
                           for e in s.entries), "")} for s in self.sections)


# ------------------------------------------------------------------------ lines and items

_BULLET = re.compile(r"^(?:[•◦▪▫■□●►▶▸➢➤✓✔❖⁃‣∙◆◇★»❍・]\s*|[-–—*+·{␣]\s+|\[\d{1,2}\]\s*"
                     r"|\(?\d{1,2}[.)]\s+(?=\D))")
_ICON = re.compile(r"^/[A-Za-z][\w-]*\s+")  # FontAwesome names pypdf writes: "/heartbeat "
_DECOR = re.compile(r"^[^\w\s(\[\"'„“‘+]+\s+")  # icons before a line: "📅 ", "🕮 "
_PUNCT = re.compile(r"^[^\w\s]{1,3}$")
_NUMBER = re.compile(r"^\d{1,4}%?$")
_LABEL = re.compile(r"^[^:]{1,25}:")
_OPEN = re.compile(r"(?:[^\W_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]|[,;\])])$")  # unfinished
_END = re.compile(r"[.!?;:。．！？]$")


@dataclass
class _Item:
    """A logical line: one bullet or one line of text, with the lines wrapped from it
    (``text`` and ``date`` are read once the item is complete)."""

    lines: list[Passage]  # the physical lines, stripped
    glyph: str  # "" for plain text, "#" for "1." or "[1]"

    @cached_property
    def date(self) -> lex.DateHit | None:
        return lex.date_in(self.text)

    @cached_property
    def text(self) -> str:
        out = _DECOR.sub("", _BULLET.sub("", _ICON.sub("", self.lines[0].text), count=1))
        for line in self.lines[1:]:
            hyphen = re.search(r"[^\W\d_]-$", out) and line.text[:1].islower()
            out += ("" if hyphen else " ") + line.text
        return re.sub(r"(?:\s*\.){3,}$", "", out).strip()

    def passage(self) -> Passage:
        return Passage(self.text, self.lines[0].start, self.lines[-1].end)


def _width(text: str) -> int:
    """Printed width: a CJK character takes two columns."""
    return len(text) + len(lex.CJK.findall(text))


def _p90(lines: list[Passage]) -> float:
    """The width most full lines reach (90th percentile): where text wraps."""
    filled = sorted(_width(x.text) for x in lines if x.text)
    return filled[int(0.9 * (len(filled) - 1))] if filled else 80.0


def _glyph(text: str) -> str:
    """The bullet a line starts with ("#" for numbering), "" for plain text."""
    hit = _BULLET.match(text)
    return "" if not hit else "#" if hit.group()[0] in "[(0123456789" else hit.group()[0]


def _joins(item: _Item, line: str, blank: bool, width: float, page: float) -> bool:
    """Whether ``line`` continues ``item``: a wrapped bullet or sentence, a split date."""
    last = item.lines[-1].text
    if lex.is_date_fragment(last) and (lex.is_date_fragment(line) or lex.continues_date(line)):
        return not item.glyph and all(lex.is_date_fragment(x.text) for x in item.lines)
    hit = lex.date_in(line)
    if ((item.glyph and re.search(r"[,&]$", last)) or _PUNCT.match(last)) and not (
            hit and hit.range):
        return True  # "…, Far Far Away," + "2013.";  "Diploma" + ":" + "2009"
    if _glyph(line) or lex.is_date_fragment(line) or (hit and (hit.range or hit.start == 0)):
        return False
    if _PUNCT.match(line) or re.search(r"[,·•&/+(]$", last) or re.match(r"^[·,;)]", line):
        return True
    if (_LABEL.match(line) and _LABEL.match(last)) or line.split()[0] == last.split()[0]:
        return False  # "Languages: …" over "Tools: …", "类别 1 …" over "类别 2 …": a list
    if _NUMBER.match(line):
        return not blank and bool(re.search(r"[^\W\d_]$", last))
    if line[:1].islower() and _OPEN.search(last) and not (lex.date_in(last) and not item.glyph):
        return True
    # a line that fills its column runs on: the section's column for CJK (no case to go
    # by), the page's width for bullets in other scripts
    cjk = bool(lex.CJK.search(last))
    full = _width(last) >= (max(0.7 * width, 20) if cjk else max(0.75 * page, 60))
    return full and not blank and (cjk or bool(item.glyph)) and not _END.search(last) \
        and not lex.date_in(last) and hit is None


def _items(lines: list[Passage], page: float) -> list[_Item]:
    """A section's lines as logical lines; a blank line stops a join by width only."""
    width, items, blank = _p90(lines), list[_Item](), False
    for line in lines:
        if line.text and items and _joins(items[-1], line.text, blank, width, page):
            items[-1].lines.append(line)
        elif line.text:
            items.append(_Item([line], _glyph(line.text)))
        blank = not line.text
    kept: list[_Item] = []  # a long undated line between two bullets ends the first one
    for item, after in zip(items, [*items[1:], None], strict=False):
        if kept and kept[-1].glyph and not item.glyph and not item.date and after \
                and after.glyph and min(_width(item.text), _width(kept[-1].lines[-1].text)) \
                >= 0.5 * width:
            kept[-1] = _Item(kept[-1].lines + item.lines, kept[-1].glyph)
        else:
            kept.append(item)
    used: set[str] = set()  # "• Google  Mountain View" over a dated line: a header, and
    for here, after in pairwise(kept):  # its "◦" lines are the bullets
        if here.glyph not in used and len(here.lines) == 1 and not after.glyph and after.date:
            here.glyph = ""
        used.add(here.glyph)
    return kept


# ------------------------------------------------------------------------------ sections

_TIMELINES = frozenset({"experience", "projects", "education", "volunteering"})


def _pick_headings(lines: list[str]) -> dict[int, str]:
    """Which lines are section headings, and of what kind. A weak heading counts only in the
    style of the CV's clear headings, not under its own kind, not right under a dated job
    line ("프로젝트 계약") and not as a label ("Detailed achievements:"); in a CV whose
    headings are in capitals, a line in lower case ("Volunteer") is a role, not a heading."""
    found = {i: hit for i, line in enumerate(lines) if line and (hit := lex.heading_kind(line))}
    strong = [lines[i] for i, hit in found.items() if hit.strong and not lines[i].endswith(",")]
    styles = Counter(lex.heading_style(x) for x in strong
                     if len(re.findall(r"[^\W\d_]{2,}", x)) > 1)
    usual = styles.most_common(1)[0][0] if styles else ""
    caps = sum(lex.heading_style(x) == "caps" for x in strong) >= max(3, len(strong) - 1)
    kinds: dict[int, str] = {}
    current = above = ""
    for i, line in enumerate(lines):
        hit = found.get(i)
        style = lex.heading_style(line) if hit else ""
        weak_ok = hit is not None and hit.kind != current and style in (usual or style, "nocase") \
            and not (current in _TIMELINES and lex.date_in(above)) and not line.endswith(":")
        if hit and (hit.strong or weak_ok) and (style in ("caps", "nocase") or not caps):
            kinds[i] = current = hit.kind
        above = line or above
    return kinds


_Part = tuple[str, str, Passage | None, list[Passage]]  # kind, heading, heading line, body


def _parts(text: str) -> list[_Part]:
    """The sections' lines, furniture left out; a heading repeated on the next page merged."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        start = pos + len(raw) - len(raw.lstrip())
        lines.append(Passage(raw.strip(), start, start + len(raw.strip())))
        pos += len(raw) + 1
    skip = lex.furniture([x.text for x in lines])
    heads = _pick_headings(["" if i in skip else x.text for i, x in enumerate(lines)])
    marks = [-1, *sorted(heads), len(lines)]
    parts: list[_Part] = []
    for here, after in pairwise(marks):
        body = [lines[i] for i in range(here + 1, after) if i not in skip]
        if here < 0 and any(x.text for x in body):
            prose = any(len(x.text.split()) >= 8 for x in body)
            contact = lex.CONTACT.search(text[: body[-1].end])
            parts.append(("summary" if prose and not contact else "contact", "", None, body))
        elif here >= 0 and parts and parts[-1][2] and parts[-1][0] == heads[here] \
                and lex.heading_key(parts[-1][1]) == lex.heading_key(lines[here].text):
            parts[-1][3].extend(body)
        elif here >= 0:
            parts.append((heads[here], lines[here].text, lines[here], body))
    return parts


def parse_structure(text: str) -> CVStructure:
    """Sections, entries and bullets of a CV's text (as :class:`CVText.text` holds it)."""
    parts = _parts(text)
    page = _p90([x for part in parts for x in part[3]])
    sections = []
    for kind, heading, head, body in parts:
        items = _items(body, page)
        entries = tuple(_entry(kind, label, group) for label, group in _group(kind, items))
        first = head or items[0].lines[0]
        end = items[-1].lines[-1].end if items else first.end
        words = " ".join([heading] + [it.text for it in items]).strip()
        sections.append(Section(kind, heading, entries, Passage(words, first.start, end)))
    return CVStructure(tuple(sections))


# ------------------------------------------------------------------------------- entries

_SINGLE = frozenset({"summary", "contact", "references"})
_LISTS = frozenset({"skills", "languages", "interests", "certifications", "awards",
                    "publications"})


def _date_only(item: _Item) -> bool:
    return item.date is not None and lex.date_only(item.text, item.date)


def _group(kind: str, items: list[_Item]) -> list[tuple[str, list[_Item]]]:
    """Cut a section into entries, as its kind is usually written: (group label, items)."""
    plain = [it for it in items if not it.glyph]
    if kind in _SINGLE or (kind == "other" and not any(it.date for it in plain)):
        return [("", items)] if items else []
    if kind in _LISTS and sum(_date_only(it) for it in plain) < 2:
        groups, label = [], ""  # a line each; a short undated line over bullets or dated
        for here, after in zip(items, [*items[1:], None], strict=False):  # lines labels them
            if after and (after.glyph or after.date) and not (here.glyph or here.date) \
                    and len(here.text.split()) <= 5:
                label = here.text
            else:
                groups.append((label, [here]))
        return groups
    if not any(it.date for it in plain) and (not plain or (
            kind in ("projects", "publications") and len(plain) == len(items))):
        return [("", [it]) for it in items]
    return [("", group) for group in _timeline(items)]


def _caps(text: str) -> bool:
    return text.upper() == text != text.lower()


def _start(run: list[_Item], low: int, anchor: int, offset: int, caps: bool) -> int:
    """Where the entry dated on ``run[anchor]`` begins: ``offset`` lines above, as in the
    section's first entry, past any sentence, on an ALL-CAPS name if the first began so."""
    start = max(anchor - offset, low)
    while start < anchor and re.search(r"(?:[a-z\d]\.|;)$", run[start].text) and not re.search(
            r"(?i)\b(?:inc|ltd|co|corp|llc|gmbh)\.$", run[start].text):
        start += 1
    if caps:
        start = next((j for j in range(start, anchor) if _caps(run[j].text)), start)
    return start


def _timeline(items: list[_Item]) -> list[list[_Item]]:
    """Jobs, degrees, projects: runs of plain lines hold entry headers, cut at their dates;
    bullets belong to the entry above; where dates follow the bullets (the section's first
    date comes after its first bullets), a date just after bullets closes that entry."""
    groups: list[list[_Item]] = []
    dated, offset, caps, trailing, n = False, -1, False, True, 0
    while n < len(items):
        if items[n].glyph:
            groups[-1:] = [(groups[-1] if groups else []) + [items[n]]]
            n += 1
            continue
        run = [items[n]]
        while n + len(run) < len(items) and not items[n + len(run)].glyph:
            run.append(items[n + len(run)])
        n += len(run)
        marks, low = [i for i, it in enumerate(run) if it.date], 0
        if trailing and groups and not dated and any(it.glyph for it in groups[-1]) and marks \
                and marks[0] <= 2 and _date_only(run[marks[0]]):
            low = marks.pop(0) + 1
            low += low < len(run) and lex.is_duration(run[low].text)
            groups[-1] += run[:low]
            dated = True
        if not marks:
            groups += [run[low:]] if low < len(run) else []
            dated = dated and low == len(run)
            continue
        if offset < 0:
            offset, trailing = marks[0] - low, low > 0
            caps = marks[0] > low and _caps(run[low].text)
        starts = [_start(run, low if k == 0 else marks[k - 1] + 1, mark, offset, caps)
                  for k, mark in enumerate(marks)]
        if groups and starts[0] > low:
            groups[-1] += run[low:starts[0]]
        starts[0] = low if not groups else starts[0]
        groups += [run[a:b] for a, b in zip(starts, [*starts[1:], len(run)], strict=False)]
        dated = True
    return groups


def _header(items: list[_Item]) -> tuple[list[_Item], _Item | None]:
    """The lines naming an entry (through its date when the date comes first; then one more
    short line if need be: "Stripe • San Francisco"), and the line with its date."""
    lead = items[: next((k for k, it in enumerate(items[:3]) if it.glyph), 3)]
    anchor = next((it for it in items if it.date and not it.glyph), None)
    if anchor is None or anchor not in lead:
        return lead[:1], anchor
    head = lead[: lead.index(anchor) + 1]
    more = items[len(head)] if len(head) < min(3, len(items)) else None
    if more and not (more.glyph or more.date or _END.search(more.text)) \
            and len(more.text.split()) <= 8:
        head.append(more)
    return head, anchor


def _entry(kind: str, label: str, items: list[_Item]) -> Entry:
    """One entry from its items: header, dates, bullets, other lines (a list kind: one line)."""
    span = Passage(" ".join(it.text for it in items), items[0].lines[0].start,
                   items[-1].lines[-1].end)
    if kind in _SINGLE or (kind == "other" and not any(it.date or it.glyph for it in items)):
        return Entry("", "", "", (), span, tuple(it.passage() for it in items))
    if len(items) == 1 and (kind in _LISTS or kind == "projects"):
        item, hit = items[0], items[0].date
        text = (item.text[: hit.start] + " " + item.text[hit.end:]) if hit else item.text
        text = re.sub(r"\s*\(\s*\)?$", "", text.strip(" |,;–-"))  # "정보처리기사 (2015)"
        title = re.split(r"\s*[:：]\s", text, maxsplit=1)[0][:80]
        return Entry(title, label, hit.text if hit else "",
                     (item.passage(),) if item.glyph else (), span)
    head, anchor = _header(items)
    dates = anchor.date.text if anchor and anchor.date else ""
    texts = [it.text.replace(dates, " | ") if it is anchor else it.text for it in head]
    title, organisation = (texts[0].strip(" |"), "") if kind == "publications" else \
        lex.title_and_organisation(texts)
    bullets = tuple(it.passage() for it in items if it.glyph)
    lines = tuple(it.passage() for it in items if not it.glyph and it not in head
                  and it is not anchor and not lex.is_duration(it.text) and not _date_only(it))
    return Entry(title, organisation or label, dates, bullets, span, lines)
