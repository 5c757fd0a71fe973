"""Replace personal data in a CV with placeholders before it reaches a remote model.

A model needs the candidate's skills and history, not their phone number,
home address or birth date, and a remote provider should not receive them.
:func:`redact_pii` finds emails, phone numbers, street addresses, labelled
dates (and places) of birth and ages, national ID numbers (Korean resident
registration numbers, Chinese IDs, UK NINOs, labelled SSNs/passports…),
social-profile URLs and handles, and image alt text, and returns the text with
``[EMAIL]``, ``[PHONE]``… instead, plus every replacement made, so the page
can show the recruiter exactly what was removed.  Nothing is ever restored
into the model's output: the placeholders are all it saw.

Best effort by design: patterns are tuned on the real CVs of the test corpus
(English, German, Spanish, Chinese, Japanese, Korean contact blocks).  Names,
employers, nationality or marital-status lines, personal homepages away from
the contact lines and bare handles without a label are left alone.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

KINDS = ("PHOTO", "EMAIL", "URL", "NATIONAL_ID", "DOB", "PHONE", "ADDRESS")

Span = tuple[int, int, str]  # start, end, kind


class Redacted(NamedTuple):
    """One replacement: what kind, the original text, what the model sees instead."""

    kind: str
    original: str
    placeholder: str


@dataclass(frozen=True)
class Redaction:
    text: str
    items: list[Redacted] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many of each kind were replaced, e.g. ``{"EMAIL": 1, "PHONE": 2}``."""
        return dict(Counter(item.kind for item in self.items))


# --- patterns ---------------------------------------------------------------------------

_PHOTO = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|<img\b[^>]*>", re.IGNORECASE)
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
    r"|(?<![\w.+-])[\w.+-]+\s*[\[(]\s*at\s*[\])]\s*[\w-]+(?:\s*[\[(]\s*dot\s*[\])]\s*[\w-]+)+",
    re.IGNORECASE)
_SOCIAL_DOMAINS = (
    r"linkedin\.com|github\.com|gitlab\.com|bitbucket\.org|twitter\.com|x\.com|facebook\.com"
    r"|fb\.com|fb\.co|fb\.me|instagram\.com|medium\.com|tiktok\.com|youtube\.com|youtu\.be"
    r"|threads\.net|mastodon\.social|stackoverflow\.com|kaggle\.com|behance\.net|dribbble\.com"
    r"|xing\.com|weibo\.com|zhihu\.com|velog\.io|tistory\.com|brunch\.co\.kr|blog\.naver\.com"
    r"|qiita\.com|zenn\.dev|about\.me|linktr\.ee|orcid\.org|scholar\.google\.com"
    r"|researchgate\.net|leetcode\.com|codepen\.io|t\.me")
_SOCIAL_URL = re.compile(
    rf"(?<![\w.@-])(?:https?://)?(?:[\w-]+\.)*(?:{_SOCIAL_DOMAINS})(?:/[^\s,;|•·<>()\[\]]*)?",
    re.IGNORECASE)
_NETWORKS = (r"linkedin|github|gitlab|twitter|facebook|instagram|youtube|quora|medium|mastodon"
             r"|xing|kaggle|leetcode|stack ?overflow|telegram|skype|wechat|weixin|kakao(?:talk)?"
             r"|orcid|x")
_HANDLE = r"(@?[\w][\w.-]*(?:@[\w.-]+)?)"
# "LinkedIn: name", "Github:// name", icon names "GITHUB-SQUARE name", LaTeX icons "/github name"
_LABELLED_HANDLE = re.compile(
    rf"(?i:\b(?:{_NETWORKS}))\s*(?::\s*/{{0,2}}|//)\s*{_HANDLE}"
    rf"|(?<![\w/])(?:{_NETWORKS.upper()}|XICON)(?:-[A-Z]+)*\s+{_HANDLE}"
    rf"|(?<![\w])/(?:{_NETWORKS}|xicon)\s+{_HANDLE}")
_DOMAIN = re.compile(
    r"(?<![\w.@/-])(?:https?://\S+|www\.[\w-]+(?:\.[\w-]+)+(?:/\S*)?"
    r"|[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|dev|me|co|info|app|ai|page|site|xyz|tech|blog"
    r"|name|eu|de|kr|cn|jp|uk|es|fr|ch|at|nl|se|in|us|ca|au)(?:/\S*)?)(?![\w@])",
    re.IGNORECASE)

_RRN = re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?-?\s?[1-8]"
                  r"(?:\d{6}|[*xX]{6})(?!\d)")
_CN_ID = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                    r"\d{3}[\dXx](?![\w])")
_NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
_ID_LABEL = re.compile(
    r"(?i:national\s+id(?:entity)?(?:\s+(?:no|number|card))?|id\s+(?:no|number|card)"
    r"|identity\s+card(?:\s+(?:no|number))?|passport(?:\s+(?:no|number|nr))?"
    r"|social\s+security(?:\s+(?:no|number))?|personalausweis(?:nummer)?|ausweisnummer"
    r"|reisepass(?:nummer)?|steuer-?id|steueridentifikationsnummer|sozialversicherungsnummer"
    r"|national\s+insurance(?:\s+(?:no|number))?|aadhaar)\.?\s*[:：#]?\s*"
    r"|(?:SSN|DNI|NIE|NIF|NINO|PAN)\.?\s*[:：#]\s*"
    r"|(?:주민등록번호|주민번호|외국인등록번호|여권번호|身份证(?:号码?)?|マイナンバー|個人番号|旅券番号)\s*[:：]?\s*")
_ID_VALUE = re.compile(r"[A-Z0-9][A-Z0-9 -]{4,22}[A-Z0-9]", re.IGNORECASE)

_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|januar|februar|märz|maerz|mai|juni|juli"
    r"|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
    r"|octubre|noviembre|diciembre|janvier|février|mars|avril|juin|juillet|août|septembre"
    r"|octobre|novembre|décembre")
_DATE = (
    rf"\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}}|\d{{1,2}}[/-]\d{{1,2}}[/-]\d{{2,4}}"
    rf"|\d{{4}}[./-]\s?\d{{1,2}}[./-]\s?\d{{1,2}}\.?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:de\s+|of\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+)?\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{4}}"
    r"|\d{4}\s?[년年]\s?\d{1,2}\s?[월月]\s?\d{1,2}\s?[일日]"
    r"|(?:明治|大正|昭和|平成|令和)\s?\d{1,2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日|\d{4}")
_DOB = re.compile(
    r"(?i:date\s+of\s+birth|birth\s?date|birthday|d\.?o\.?b\.?|born(?:\s+on|\s+in)?"
    r"|geboren(?:\s+am)?|geb\.|geburtsdatum|geburtstag|fecha\s+de\s+nacimiento"
    r"|nacid[oa](?:\s+el)?|date\s+de\s+naissance|née?\s+le|data\s+di\s+nascita|nato\s+il)"
    r"(?:\s*[:：]\s*|\s+)"
    r"|(?:生年月日|出生日期|出生年月|생년월일|출생일?)\s*[:：]?\s*")
_DOB_VALUE = re.compile(
    rf"(?i:{_DATE})(?![\d])"
    r"(?:\s*生)?(?:\s*[(（]\s*満?\s*\d{1,3}\s*[才歳]\s*[)）])?(?:\s*\((?i:aged?)?\s*\d{2}\s*\))?"
    r"(?:,?\s+(?:in|im|à|en|at)\s+[A-ZÄÖÜÀ-Ý][\w'-]+(?:[ -][A-ZÄÖÜ][\w'-]+)?)?")
_BIRTHPLACE = re.compile(
    r"(?i:place\s+of\s+birth|birthplace|geburtsort|lugar\s+de\s+nacimiento|lieu\s+de\s+naissance"
    r"|luogo\s+di\s+nascita)\s*[:：]\s*([^\n,;|•]{2,60})|(?:출생지|本籍|籍贯)\s*[:：]?\s*([^\n,;|•]{2,40})")
_AGE = re.compile(
    r"(?i:\b(?:age|alter|edad|âge)\s*[:：]\s*)(\d{1,2}\b(?:\s*(?i:years|jahre|años|ans))?)"
    r"|(?:나이|年齢|年龄)\s*[:：]\s*(\d{1,2}\s*(?:세|살|歳|岁)?)")

_PHONE = re.compile(r"(?<![\w@/.+-])(?:\+[ \t]?|00)?(?:\([ \t]?\+?\d{1,4}[ \t]?\)[ \t]?)?"
                    r"\d[\d \t().-]{5,22}\d(?:[xX]{1,4})?(?![\w@])")
_CODE_BEFORE = re.compile(r"(?i:isbn(?:-1[03])?|issn|doi|arxiv|orcid)[ \t:.#-]*$")
_YEAR_FIRST = re.compile(r"^(?:19|20)\d\d(?!\d)")
_DATE_ONLY = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{1,3}(?:\.\d{1,3}){3}$")

_STREETS = [
    # 555 La Verne Way, La Verne, CA 91750 (capitalised words before the street type)
    r"\b\d{1,5}[A-Za-z]?[ \t]+(?:[A-Z][\w'.-]*[ \t]+){0,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard"
    r"|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Parkway|Pkwy|Circle|Highway|Hwy"
    r"|Square|Sq)\b\.?(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|#)\.?[ \t]*[\w-]+)?"
    r"(?:,[ \t]*[A-Z][\w.'-]*(?:[ \t][A-Z][\w.'-]*){0,3}){0,2}(?:[ \t]+\d{5}(?:-\d{4})?)?",
    # Musterstr. 99, Hauptstraße 5a
    r"\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee)"
    r"[ \t]*\d{1,4}[ \t]?[a-zA-Z]?\b(?:,?[ \t]+\d{5}[ \t]+[A-ZÄÖÜ][\wäöüß-]+)?",
    # Calle Mayor 5 / Avenida de X, 12 ; 10 rue de Rivoli
    r"\b(?:Calle|C/|Avenida|Avda\.?|Plaza|Paseo|Camino|Carrer|Via|Viale|Piazza|Corso)[ \t]+"
    r"[^\n,•|]{2,40}?,?[ \t]*(?:n[º°o]\.?[ \t]*)?\d{1,4}\b(?:,?[ \t]+\d{5}[ \t]+[A-Z][\w-]+)?",
    r"\b\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?i:rue|avenue|boulevard|place|allée|chemin|impasse"
    r"|quai)[ \t]+[^\n,•|\d]{2,40}",
    # 서울특별시 마포구 월드컵북로 396 / 마포구 합정동 123-4
    r"(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
    r"[가-힣]*[ \t]+)?[가-힣]{1,6}(?:시|군|구)[ \t]+(?:[가-힣]{1,6}(?:구|시)[ \t]+)?"
    r"(?:[가-힣]{1,6}(?:읍|면)[ \t]+)?(?:[가-힣0-9]{1,10}(?:로|길)[ \t]*\d{1,4}(?:-\d{1,4})?"
    r"|[가-힣0-9]{1,8}(?:동|리|가)[ \t]+\d{1,4}(?:-\d{1,4})?(?:번지)?)"
    r"(?:,?[ \t]*(?:[가-힣0-9]+[ \t]?)?\d{1,4}[ \t]?(?:동|호|층)){0,3}",
    # 〒100-0001 東京都豊島区…; 北京市海淀区中关村大街27号
    r"〒[ \t]*\d{3}-?\d{4}",
    r"(?:東京都|北海道|(?:京都|大阪)府|[一-龥]{2,3}県)[一-龥]{1,6}[区市町村郡]"
    r"[一-龥ぁ-んァ-ヶ0-9０-９丁目番地号の\-－ー]*",
    r"[一-龥]{2,6}(?:省|市)[一-龥]{1,8}(?:区|县|市)[一-龥0-9]{1,12}(?:路|街|道|巷|弄)[0-9一-龥]{1,6}号",
]
_STREET = re.compile("|".join(f"(?:{p})" for p in _STREETS))
_ADDRESS_LABEL = re.compile(
    r"(?im)^[ \t]*(?:(?:home|mailing|postal)\s+)?(?:address|anschrift|adresse|wohnort"
    r"|dirección|direccion|domicilio|indirizzo|住所|現住所|地址|주소|거주지)"
    r"[ \t]*[:：]?[ \t]+([^\n]{4,120})$")
_POSTCODE_CITY = re.compile(r"(?m)^[ \t]*((?:[A-Z]{1,2}-)?\d{4,5}[ \t]+[A-ZÄÖÜ][\wäöüß.-]+"
                            r"(?:[ \t][A-ZÄÖÜ(][\wäöüß.)-]*){0,3})[ \t]*$")
_HOUSE_LINE = re.compile(r"^[ \t]*(?:(?i:anschrift|adresse|address|wohnort)[ \t:]+)?"
                         r"([^\n\d@:]{2,40}[ \t]\d{1,4}[a-zA-Z]?)[ \t]*$")


# --- detectors: each yields (start, end, kind) -----------------------------------------

def _all(pattern: re.Pattern[str], text: str, kind: str) -> Iterator[Span]:
    for match in pattern.finditer(text):
        yield match.start(), match.end(), kind


def _groups(pattern: re.Pattern[str], text: str, kind: str) -> Iterator[Span]:
    """The first participating group of each match (the value after a label)."""
    for match in pattern.finditer(text):
        for i in range(1, (pattern.groups or 0) + 1):
            if match.group(i):
                yield match.start(i), match.end(i), kind
                break


def _urls(text: str) -> Iterator[Span]:
    for match in _SOCIAL_URL.finditer(text):
        yield match.start(), match.start() + len(match.group().rstrip(".,")), "URL"
    yield from _groups(_LABELLED_HANDLE, text, "URL")


def _ids(text: str) -> Iterator[Span]:
    yield from _all(_RRN, text, "NATIONAL_ID")
    yield from _all(_CN_ID, text, "NATIONAL_ID")
    yield from _all(_NINO, text, "NATIONAL_ID")
    for label in _ID_LABEL.finditer(text):
        value = _ID_VALUE.match(text, label.end())
        if value and sum(ch.isdigit() for ch in value.group()) >= 5:
            yield value.start(), value.end(), "NATIONAL_ID"


def _births(text: str) -> Iterator[Span]:
    for label in _DOB.finditer(text):
        value = _DOB_VALUE.match(text, label.end())
        if value:
            yield value.start(), value.end(), "DOB"
    yield from _groups(_BIRTHPLACE, text, "DOB")
    yield from _groups(_AGE, text, "DOB")


def _is_phone(candidate: str) -> bool:
    """Digit runs that are dates, year ranges, IPs, decimals or big numbers are not phones."""
    digits = sum(ch.isdigit() for ch in candidate)
    if not 8 <= digits + candidate.lower().count("x") <= 15 or digits < 7:
        return False
    if candidate.startswith(("+", "(", "00")):
        return True
    if _YEAR_FIRST.match(candidate) or _DATE_ONLY.match(candidate) or " - " in candidate:
        return False
    groups = re.split(r"[^\dxX]+", candidate)
    if len(groups) == 1:  # no separators: only an obvious mobile number
        return candidate.startswith("01")
    thousands = len(groups[0]) < 3 and all(len(g) == 3 for g in groups[1:])
    return not thousands and not (len(groups) == 2 and "." in candidate)


def _phones(text: str) -> Iterator[Span]:
    for match in _PHONE.finditer(text):
        if _is_phone(match.group()) and not _CODE_BEFORE.search(text, 0, match.start()):
            yield match.start(), match.end(), "PHONE"


def _addresses(text: str) -> Iterator[Span]:
    yield from _all(_STREET, text, "ADDRESS")
    for match in _ADDRESS_LABEL.finditer(text):
        if any(ch.isdigit() for ch in match.group(1)):
            yield match.start(1), match.end(1), "ADDRESS"
    for match in _POSTCODE_CITY.finditer(text):
        if _YEAR_FIRST.match(match.group(1)) and len(match.group(1).split()[0]) == 4:
            continue
        yield match.start(1), match.end(1), "ADDRESS"
        before = text.rfind("\n", 0, max(match.start() - 1, 0))
        house = _HOUSE_LINE.match(text[before + 1:match.start()].rstrip("\n"))
        if house:
            yield before + 1 + house.start(1), before + 1 + house.end(1), "ADDRESS"


_DETECTORS: dict[str, Callable[[str], Iterator[Span]]] = {
    "PHOTO": lambda text: _all(_PHOTO, text, "PHOTO"),
    "EMAIL": lambda text: _all(_EMAIL, text, "EMAIL"),
    "URL": _urls,
    "NATIONAL_ID": _ids,
    "DOB": _births,
    "PHONE": _phones,
    "ADDRESS": _addresses,
}


def _contact_sites(text: str, spans: list[Span]) -> Iterator[Span]:
    """Homepages next to an email or phone number (same line or the one before or after):
    in a contact block a bare domain is the candidate's own site."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    lines = {bisect_right(starts, s) - 1 for s, _, kind in spans if kind in ("EMAIL", "PHONE")}
    for line in sorted({n + d for n in lines for d in (-1, 0, 1) if 0 <= n + d < len(starts)}):
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
        for match in _DOMAIN.finditer(text, starts[line], end):
            yield match.start(), match.start() + len(match.group().rstrip(".,")), "URL"


def _choose(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans: earliest first, then longest, then by ``KINDS`` order."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s[0], s[0] - s[1], order[s[2]])):
        if span[1] > span[0] and (not chosen or span[0] >= chosen[-1][1]):
            chosen.append(span)
    return chosen


def redact_pii(text: str, kinds: Collection[str] = KINDS) -> Redaction:
    """``text`` with personal data replaced by ``[KIND]`` placeholders, and what was replaced."""
    return _redact(text, tuple(kinds))


@functools.lru_cache(maxsize=32)
def _redact(text: str, kinds: tuple[str, ...]) -> Redaction:
    """Cached: the page redacts the same CV on every rerun."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
    spans = [span for kind in KINDS if kind in kinds for span in _DETECTORS[kind](text)]
    if "URL" in kinds:
        spans += list(_contact_sites(text, spans))
    out: list[str] = []
    items: list[Redacted] = []
    last = 0
    for start, end, kind in _choose(spans):
        placeholder = f"[{kind}]"
        out += [text[last:start], placeholder]
        items.append(Redacted(kind, text[start:end], placeholder))
        last = end
    out.append(text[last:])
    return Redaction("".join(out), items)
