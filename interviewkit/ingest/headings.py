"""What lines of a CV say: headings in seven languages, dates, job titles, page furniture.

Vocabulary and line-level recognisers, kept apart from :mod:`interviewkit.ingest.structure`
(which decides what belongs together) so that adding a heading or a month name never
touches the parser.  Headings are matched on folded text (NFKC, case-folded, accents off
Latin letters), so "EXPÉRIENCE", "Expérience" and the ligature in "Beruﬂiche" all match.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

# One string per kind: phrases separated by "|"; spaces inside a phrase separate its words.
_VOCABULARY = {
    "summary": "summary|profile|professional profile|about|about me|objective|career objective|"
    "overview|introduction|personal statement|profil|kurzprofil|zusammenfassung|uber mich|perfil|"
    "resumen|perfil profesional|sobre mi|a propos|objectif|presentation|자기소개|소개|요약|"
    "프로필|自己pr|自己紹介|職務要約|概要|プロフィール|志望動機|志望の動機|个人简介|自我评价|"
    "个人总结|简介|求职意向|个人评价",
    "experience": "experience|experiences|work experience|employment|employment history|"
    "work history|career|career history|research|positions|appointments|internships|internship|"
    "berufserfahrung|berufstatigkeit|berufliche tatigkeiten|tatigkeiten|praxiserfahrung|"
    "werdegang|beruflicher werdegang|arbeitserfahrung|experiencia|experiencia laboral|"
    "experiencia profesional|trayectoria|historial laboral|parcours professionnel|emplois|경력|"
    "경력사항|경력기술서|경험|업무경험|직무경험|근무경력|職歴|職務経歴|職務経歴書|経歴|業務経験|"
    "職務内容|工作经历|工作经验|工作背景|实习经历|实习经验|职业经历|工作履历",
    "projects": "projects|project|personal projects|open source|open source contributions|"
    "projekte|projekterfahrung|proyectos|projets|프로젝트|프로젝트경험|개인프로젝트|오픈소스|"
    "プロジェクト|開発実績|项目经历|项目经验|项目",
    "education": "education|training|education training|academic background|academics|degrees|"
    "studies|ausbildung|bildung|bildungsweg|schulbildung|hochschulstudium|studium|"
    "schulausbildung|akademischer werdegang|educacion|formacion|formacion academica|estudios|"
    "formation|etudes|diplomes|cursus|학력|학력사항|교육|학업|교육사항|学歴|学業|教育背景|"
    "教育经历|学历|教育",
    "skills": "skills|competencies|core competencies|strengths|expertise|abilities|tech stack|"
    "tools|toolbox|proficiencies|programming languages|programmiersprachen|"
    "lenguajes de programacion|langages de programmation|编程语言|kenntnisse|fahigkeiten|"
    "kompetenzen|fachkenntnisse|it kenntnisse|edv kenntnisse|starken|habilidades|competencias|"
    "conocimientos|aptitudes|destrezas|competences|savoir faire|connaissances|기술|기술스택|"
    "보유기술|핵심역량|핵심 역량|역량|스킬|보유역량|スキル|技術|技能|保有スキル|特技|专业技能|"
    "技能|技术栈|技能特长|专业技术|技术能力|个人技能|计算机技能",
    "publications": "publications|papers|selected publications|patents|talks|presentations|"
    "invited talks|veroffentlichungen|publikationen|publicaciones|논문|발표|論文|出版物|发表论文|"
    "论文发表|学术论文|科研成果",
    "certifications": "certifications|certificates|certification|licenses|licences|zertifikate|"
    "zertifizierungen|certificados|certificaciones|certificats|자격증|자격사항|자격|免許|資格|"
    "证书|资格证书",
    "awards": "awards|honors|honours|achievements|accomplishments|prizes|scholarships|"
    "most proud of|auszeichnungen|preise|ehrungen|premios|reconocimientos|distinciones|logros|"
    "prix|distinctions|recompenses|수상|수상경력|수상내역|受賞|受賞歴|表彰|获奖|荣誉|奖项|"
    "获奖经历",
    "languages": "languages|language skills|language|sprachen|fremdsprachen|sprachkenntnisse|"
    "idiomas|lenguas|langues|어학|언어|외국어|語学|言語|语言|外语|语言能力|语言技能",
    "volunteering": "volunteering|volunteer|volunteer experience|community|community service|"
    "involvement|extracurricular|extracurricular activities|activities|other activities|"
    "weitere tatigkeiten|sonstige tatigkeiten|ehrenamt|engagement|voluntariado|benevolat|봉사|"
    "봉사활동|대외활동|활동|ボランティア|社会活动|志愿者|课外活动|校园经历",
    "interests": "interests|hobbies|interessen|hobbys|freizeit|intereses|aficiones|pasatiempos|"
    "centres d interet|loisirs|취미|관심사|趣味|兴趣爱好|兴趣|爱好|个人兴趣",
    "references": "references|referees|referenzen|zeugnis|zeugnisse|referencias|추천인|推荐人",
    "contact": "contact|contact information|contact details|personal information|"
    "personal details|personal data|links|socials|kontakt|personliche daten|personliche angaben|"
    "datos personales|informacion personal|contacto|coordonnees|informations personnelles|"
    "인적사항|연락처|개인정보|個人情報|連絡先|个人信息|联系方式|基本信息|curriculum vitae|"
    "lebenslauf|履歴書|简历|个人简历|이력서",
    "other": "coursework|relevant coursework|additional information|miscellaneous|misc|other|"
    "others|sonstiges|weiteres|miscelaneo|otros|divers|autres|기타|その他|其他|本人希望記入欄",
}
KINDS = tuple(_VOCABULARY)  # every Section.kind, "other" last
# Words that sharpen a heading without changing it ("Selected Projects", "추가 프로젝트").
_MODIFIERS = frozenset({
    "selected", "relevant", "key", "main", "other", "additional", "personal", "professional",
    "technical", "academic", "추가", "선별", "주요", "개인", "기타", "主な", "主要", "其他",
    "其它"})
_CONNECTORS = frozenset({
    "and", "&", "of", "und", "y", "e", "et", "de", "des", "du", "la", "le", "del", "en", "für"})
# "Experience in Python": a sentence, not a heading
_GLUE = frozenset({"in", "with", "at", "on", "for", "to", "as", "from", "using", "by"})
_SALUTATION = re.compile(r"(?i)^(dear|sehr geehrte[rn]?|estimad[oa]s?|madame|monsieur|cher|"
                         r"chère|liebe|to whom)\b.{0,60}[,:]$")
_NUMBERING = re.compile(r"^(?:\(?\d{1,2}[.)]?|\(?(?:[IVX]{1,4}|[A-Ha-h])[.)]"
                        r"|[一二三四五六七八九十]+[、.])\s+")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")


def fold(text: str) -> str:
    """NFKC, case-fold and drop accents from Latin letters only (Hangul and kana stay whole)."""
    if text.isascii():
        return text.casefold()
    return "".join(unicodedata.normalize("NFD", c)[0] if "\u00c0" <= c <= "\u024f" else c
                   for c in unicodedata.normalize("NFKC", text).casefold())


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Words as written and folded: camelCase split ("WorkExperience"), spaced letters
    ("S K I L L S") joined, connectors ("and", "de") dropped."""
    words = re.findall(r"[^\W\d_]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text))
    if len(words) >= 3 and sum(len(w) == 1 for w in words) >= 0.6 * len(words):
        words = ["".join(words)]
    kept = [(w, f) for w, f in zip(words, map(fold, words), strict=True) if f not in _CONNECTORS]
    return [w for w, _ in kept], [f for _, f in kept]


_PHRASES: dict[tuple[str, ...], str] = {}  # every phrase as a word tuple, and its kind
for _kind, _listed in _VOCABULARY.items():
    for _phrase in _listed.split("|"):
        _PHRASES.setdefault(tuple(w for w in _phrase.split() if w not in _CONNECTORS), _kind)
_GLUED = {"".join(words): kind for words, kind in _PHRASES.items() if len("".join(words)) > 3}


def _glued_kind(word: str) -> tuple[str, int] | None:
    """A phrase glued into one word ("honorsawards"): its kind and the letters left over."""
    for size in range(len(word), 3, -1):
        kind = _GLUED.get(word[:size]) or _GLUED.get(word[-size:])
        if kind:
            return kind, len(word) - size
    return None


def _match_words(words: list[str]) -> tuple[str | None, list[int]]:
    """Kind of the earliest (then longest) phrase; indices of the words no phrase covers."""
    covered = [False] * len(words)
    first = None
    for start in range(len(words)):
        for size in range(min(4, len(words) - start), 0, -1):
            kind = _PHRASES.get(tuple(words[start:start + size]))
            if kind is not None:
                covered[start:start + size] = [True] * size
                first = first or kind
                break
    return first, [i for i, hit in enumerate(covered) if not hit]


def _plausible_extras(raw: list[str], words: list[str], extras: list[int], cjk: bool) -> bool:
    """Extra words a heading may carry: few; before the phrase ("Technical Skills", "Computer
    skills") or lower-case adjectives after it ("Formación académica"); never "Experience in
    Python" nor a name such as "Technologies Stadt"."""
    if cjk:  # or a form's list of topics: "志望の動機、特技、好きな学科…"
        return (len(extras) <= 3 and sum(len(words[i]) for i in extras) <= 6) or (
            len(words) - len(extras) >= 2 and 0 not in extras)
    if len(extras) > 2 or not raw[0][:1].isupper():
        return False
    first = min(i for i in range(len(words)) if i not in extras)
    return not any(i > first and (words[i] in _GLUE or (raw[i][:1].isupper()
                                                         and not raw[first].isupper()))
                   for i in extras)


@dataclass(frozen=True)
class HeadingMatch:
    """What a heading line names; ``strong`` is False when it carries unexplained extra words
    ("교육 과정", "Domestic Awards"): perhaps a sub-heading or a wrapped line."""

    kind: str
    strong: bool


@lru_cache(maxsize=4096)
def heading_kind(line: str) -> HeadingMatch | None:
    """The section a short line announces, or None when it is not a heading."""
    if len(line) > 80 and not line.endswith(". ."):  # long, and not "Skills. . . . . ."
        return None
    if _SALUTATION.match(line.strip()):
        return HeadingMatch("other", True)  # a cover letter starts
    text = _NUMBERING.sub("", line.strip()).strip()
    text = re.sub(r"(?:\s*\.){3,}\s*$|\s*[(（][^)）]*[)）]$", "", text).rstrip(" :：").strip()
    if not text or len(text) > 50 or re.search(r"[.,;!?@]$|https?:|www\.|[:：]|^[-–•*·+{]", text):
        return None
    raw, words = _tokens(text)
    if not words or len(words) > 6 or date_in(text):
        return None
    cjk = bool(CJK.search(text))
    kind, extras = _match_words(words)
    if kind is None:
        glued = _glued_kind(words[0]) if len(words) == 1 and not cjk else None
        if glued is None or glued[1] > 16 or not raw[0][:1].isupper():
            return None
        return HeadingMatch(glued[0], glued[1] == 0)
    if extras and ("," in text or not _plausible_extras(raw, words, extras, cjk)):
        return None
    return HeadingMatch(kind, not re.search(r"\d", text) and all(
        words[i] in _MODIFIERS for i in extras))


def heading_key(line: str) -> str:
    """A heading's identity, to merge the same heading repeated on every page."""
    return "".join(_tokens(line)[1])


def heading_style(text: str) -> str:
    """How a line is written: "caps", "title" (long words capitalised), "sentence", "nocase"
    (CJK). Headings of one CV share a style; a line in another style is rarely one."""
    if text.upper() == text:
        return "caps" if text.lower() != text else "nocase"
    words = re.findall(r"[^\W\d_]{4,}", text)
    return "sentence" if any(w[0].islower() for w in words[1:]) else "title"


# ----------------------------------------------------------------------------------- dates

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec januar jänner februar märz maerz mai juni "
    "juli oktober dezember mär okt dez enero febrero marzo abril mayo junio julio agosto "
    "septiembre setiembre octubre noviembre diciembre ene abr ago dic janvier février fevrier "
    "mars avril juin juillet août aout septembre octobre novembre décembre decembre janv févr "
    "fév avr juil déc spring summer fall autumn winter frühling frühjahr sommer herbst "
    "primavera verano otoño invierno printemps été automne hiver"
)
_MONTH = "(?:" + "|".join(sorted(set(_MONTHS.split()), key=len, reverse=True)) + r")\.?"
_PRESENT = (r"(?:present|current(?:ly)?|now|ongoing|today|date|heute|jetzt|aktuell|dato|"
            r"actualidad|actual|presente|hoy|la fecha|aujourd['’]hui|présent|ce jour|en cours|"
            r"maintenant|현재(?:까지)?|재직\s?중|진행\s?중|至今|现在|現在|今)")
_YEAR = r"(?<!\d)(?:19|20)(?:\d\d|XX|xx)(?!\d)"
_NUMERIC = (rf"(?:(?<!\d)(?:0?[1-9]|1[0-2])\s?[./-]\s?{_YEAR}"
            rf"|{_YEAR}\s?[./-]\s?(?:1[0-2]|0?[1-9])(?:\s?[./-]\s?\d{{1,2}})?(?![\d/])"
            rf"|(?<!\d)\d{{1,2}}(?:\.\d{{1,2}}\.|/\d{{1,2}}/|-\d{{1,2}}-){_YEAR}"
            rf"|{_YEAR}\s?[年년](?:\s?\d{{1,2}}\s?[月월](?:\s?\d{{1,2}}\s?[日일])?)?)")
_L = r"(?<![^\W\d_])"  # not glued to a letter before
_R = r"(?![^\W\d_])"  # ... nor after
_POINT = (rf"(?:{_NUMERIC}|{_L}{_MONTH}{_R},?\s?(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s)?{_YEAR}"
          rf"|{_YEAR}\s{_MONTH}{_R}|{_YEAR})")
_SEP = r"(?:\s*(?:[-–—−~～〜→]+|\b(?:to|bis|until|till|hasta|a|al|au|à|jusqu['’]à)\b)\s*)"
_RANGE = re.compile(
    rf"(?i){_POINT}(?:{_SEP}|(?=[^\W\d_]))(?:{_POINT}|{_L}{_PRESENT}{_R})"
    rf"|{_POINT}\s*[-–—~～〜]\s*$"
    rf"|{_L}(?:since|seit|desde|depuis|from|ab|dès){_R}\s+{_POINT}"
    rf"|{_L}(year|año|année|jahr|年|년)\s*(?:-{{1,2}}|–|—)\s*\1{_R}"
)
_SINGLE = re.compile(rf"(?i){_POINT}")
_YEARISH = re.compile(r"(?i)(?:19|20)(?:\d\d|xx)|year|año|année|jahr|年|년")  # cheap first look
_ROW_DATE = re.compile(rf"^{_YEAR}\s+(?:1[0-2]|0?[1-9])(?=\s+\D)")  # 履歴書 rows: "2014 3 …"
_FRAGMENT = re.compile(rf"(?i)^(?:(?:{_POINT}|{_L}{_MONTH}{_R}|{_L}{_PRESENT}{_R}|"
                       rf"{_L}(?:since|seit|desde|depuis|to|bis|hasta|à|au){_R}|[-–—~～〜,])\s*)+$")
_TAIL = re.compile(rf"(?i)^[-–—~～〜]\s*(?:{_POINT}|{_PRESENT}{_R})")
_DURATION = re.compile(r"(?i)^\(?\d+\+?\s*(?:years?|yrs?|months?|mos?|jahre?|monate?|años?|"
                       r"meses|ans?|mois|년|개월|年|ヶ月|か月|个月)\b")


@dataclass(frozen=True)
class DateHit:
    """Where a date sits in a line; ``text`` is what :class:`Entry.dates` shows."""

    text: str
    start: int
    end: int
    range: bool = False  # "2019 – 2021", "seit 2019": not a year in passing


@lru_cache(maxsize=4096)
def date_in(line: str) -> DateHit | None:
    """The date that makes a line an entry's header: a range anywhere, or a single date at the
    start ("Dec 2014 | Ithaca") or the end ("UC Berkeley | 2019"), not a year in passing."""
    line = line.strip()
    if not _YEARISH.search(line):
        return None
    hit = _RANGE.search(line) or _ROW_DATE.match(line)
    if hit:
        return DateHit(hit.group().strip(), hit.start(), hit.end(), hit.re is _RANGE)
    singles = list(_SINGLE.finditer(line))
    if not singles or len(line.split()) > 14:
        return None
    first, last = singles[0], singles[-1]
    before = line[: first.start()]
    lead = 1 if len(line.split()) > 6 else 2  # "Grad. May 2011 | Kolkata", not "…, SFHacks 2022"
    if len(before.split()) <= lead and not re.search(r"[(,\d]", before):
        return DateHit(first.group(), first.start(), first.end())
    after, inside = line[last.end():], re.search(r"\(\s*$", line[: last.start()])
    if not re.search(r"[^\W_]|\)", after) or (inside and re.match(r"\s*\)\W*$", after)):
        return DateHit(last.group(), last.start(), last.end())
    return None


@lru_cache(maxsize=4096)
def is_date_fragment(line: str) -> bool:
    """A line that holds only part of a date ("März", "– 2008", "to", "01/2012")."""
    return len(line) < 40 and bool(_FRAGMENT.match(line.strip())) and bool(
        re.search(r"[^\W_]", line))


def continues_date(line: str) -> bool:
    """A line that finishes a range begun on the line before ("– heute Firma")."""
    return bool(_TAIL.match(line.strip()))


def is_duration(line: str) -> bool:
    """"2 years 10 months" under a date: part of that date, not a new line of content."""
    return bool(_DURATION.match(line.strip())) and len(line.split()) <= 5


def date_only(line: str, hit: DateHit) -> bool:
    """True when little but the date (and perhaps a place) is on the line."""
    rest = line.strip()[: hit.start] + " " + line.strip()[hit.end:]
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3


# ------------------------------------------------------------------ titles and employers

_TITLE_LONG = ("engineer|developer|programmer|manager|director|intern|trainee|founder|"
               "scientist|researcher|assistant|associate|consultant|architect|analyst|designer|"
               "specialist|administrator|technician|coordinator|volunteer|teacher|lecturer|"
               "professor|contributor|accountant|bachelor|master|diploma|diplom|abitur|degree|"
               "certificate|licenciatura|ingeniero|desarrollador|gerente|becario|praktikant|"
               "werkstudent|entwickler|ingenieur|leiter|berater|stagiaire|developpeu|programador|"
               "ingenieur|responsable|엔지니어|개발자|연구원|인턴|팀장|매니저|디자이너|학사|석사|"
               "박사|工程师|开发|经理|实习|学士|硕士|博士|研究员|エンジニア|開発者|修士")
_TITLE_SHORT = ("lead|head|chef|cook|cto|ceo|cfo|coo|vp|president|officer|member|coach|tutor|"
                "fellow|student|owner|partner|editor|writer|nurse|sre|msc|m\\.sc|bsc|b\\.sc|"
                "b\\.s|m\\.s|ph\\.?d|mba|meng|beng|ba|bs|ms|dipl|grado|titulo|master|jefe")
_ORG = ("inc|ltd|llc|corp|corporation|company|co|gmbh|ag|plc|group|technologies|labs?|"
        "university|universitat|universidad|universite|universidade|college|institute|institut|"
        "instituto|school|schule|hochschule|gymnasium|academy|akademie|academia|bank|hospital|"
        "hotel|restaurant|agency|foundation|firma|empresa|societe|studio|command|ecole|escuela")
_ORG_CJK = ("대학교|대학|학교|학원|협회|아카데미|회사|주식회사|大学|学院|学校|公司|集团|株式会社|"
            "研究所|高校")
_TITLE_RE = re.compile(rf"(?:{_TITLE_LONG})(?:e|a|s|es|as|in|innen|se)?(?![a-z])"
                       rf"|(?<![a-z])(?:{_TITLE_SHORT})(?![a-z])")
_ORG_RE = re.compile(rf"(?:{_ORG_CJK})|(?<![a-z])(?:{_ORG})(?![a-z])|[a-z](?:hochschule|schule)")
_PARTS = re.compile(r"\s*[|•·—–@]\s*|,\s+|;\s+|\s+-\s+|\s+(?:at|bei|chez)\s+")
_PLACE = re.compile(r"^(?:[A-Z]{2}|[A-Z]\.[A-Za-z.]+)$")  # "CA", "S.Korea", "U.S.A"


def title_and_organisation(texts: list[str]) -> tuple[str, str]:
    """Which header part is the role (or degree) and which the employer (or school):
    by the words each contains, else in the order written."""
    parts = []
    for text in texts:
        pieces = _PARTS.split(text)
        if len([p for p in pieces if p.strip()]) == 1 and CJK.search(text):
            pieces = text.split()  # "腾讯科技 高级工程师": CJK columns keep only a space
        parts += [p.strip(" .:()") for p in pieces]
    parts = [p for p in parts if re.search(r"[^\W\d_]{2,}", p) and not _PLACE.match(p)]
    titled = [p for p in parts if _TITLE_RE.search(fold(p))]
    if titled:  # the role is named; the employer is what else the header says first
        return titled[0], next((p for p in parts if p != titled[0]), "")
    named = [p for p in parts if _ORG_RE.search(fold(p))]
    organisation = named[0] if named else [*parts, "", ""][1]
    title = next((p for p in parts if p != organisation), "")
    return title, organisation


# --------------------------------------------------------------------------- page furniture

CONTACT = re.compile(r"@|https?://|www\.|linkedin|github|\+?\d[\d ()./-]{7,}\d", re.I)
_PAGE = re.compile(r"(?i)(?:^|[-–—|·]\s*|page\s*|seite\s*|página\s*)(?:\d{1,2}\s*(?:/|of|von|de)"
                   r"\s*\d{1,2}|\d{1,2})$")  # "John Doe – 1/1", "Page 2 of 3"


def _at_break(lines: list[str], first: int, last: int) -> bool:
    return first == 0 or not lines[first - 1] or last == len(lines) - 1 or not lines[last + 1]


def _page_numbers(lines: list[str]) -> set[int]:
    """Page headers/footers with a number that counts the pages ("Résumé 1", "2/4")."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if re.search(r"\d", line) and len(line) <= 80 and _at_break(lines, i, i):
            groups[re.sub(r"\d+", "#", line)].append(i)
    found = set()
    for where in groups.values():
        numbers = [[int(n) for n in re.findall(r"\d+", lines[i])] for i in where]
        if (len(where) == 1 and _PAGE.search(lines[where[0]])) or (len(where) > 1 and any(
                all(n[k] == numbers[0][k] + j for j, n in enumerate(numbers))
                for k in range(len(numbers[0])))):
            found.update(where)
    return found


def furniture(lines: list[str]) -> set[int]:
    """Indices of lines printed on every page (page numbers, a repeated contact block, the
    name over the page number): not the CV's content."""
    found = _page_numbers(lines)
    lines = ["" if i in found else x for i, x in enumerate(lines)]
    seen: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if line:
            seen[line].append(i)
    top = [i for i, x in enumerate(lines) if x][:8]
    for where in seen.values():
        for a, b in pairwise(where):
            size = 0
            while b + size < len(lines) and lines[a + size] == lines[b + size] != "":
                size += 1
            for start in (a, b) if size >= 2 and CONTACT.search("\n".join(
                    lines[a:a + size])) else ():
                if _at_break(lines, start, start + size - 1) and start not in top:
                    found.update(range(start, start + size))
    near: dict[str, list[int]] = defaultdict(list)
    for i in sorted(found):
        for j in (i - 2, i + 2):
            if 0 <= j < len(lines) and not lines[(i + j) // 2] and lines[j]:
                near[lines[j]].append(j)
    return found.union(*(where for where in near.values() if len(where) >= 2))
