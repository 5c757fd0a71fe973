"""A pasted job description in, the requirements a kit should probe out.

Deterministic, standard library only and linear in the text, so it can run on every rerun.
Sections open at headings in seven languages (or a "Required: …" label, or 【必須スキル】):
lines under requirement headings become must/nice/unspecified requirements, duties become
responsibilities (worth asking about, no level), boilerplate (about us, benefits, salary,
equal opportunity, how to apply) is left out, and a level the line states ("… is a plus",
"(required)", "경험자 우대") beats its heading's."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from interviewkit.ingest.skills import FOLD, SkillHit, guess_products, skill_hits, unique

# Matched on folded headings: lower case, Latin accents dropped ("Über uns" -> "uber uns").
# A tech stack is boilerplate here: it lists the tools in use and asks for none of them.
_SECTIONS = {
    "resp": "what (will you|you('ll| will)) (do|be doing|work on|own|build|achieve)|"
    "responsibilit\\w*|duties|role|the job|tasks|impact|day[- ]to[- ]day|in this role|"
    "you('ll| will)( be)?$|accountabilities|missions?|담당 업무|주요 업무|업무 내용|하는 일|"
    "합류하면|함께 할 업무|이런 일|직무 내용|주요 역할|업무|職務内容|業務内容|仕事内容|仕事の内容|"
    "担当業務|業務詳細|具体的な業務|工作职责|岗位职责|职位职责|工作内容|职责|职位描述|岗位描述|"
    "你将负责|你的职责|aufgaben\\w*|tatigkeiten|verantwortlichkeiten|rolle|machst du|"
    "responsabilidades|funciones|(lo )?que haras|tareas|tu dia a dia|responsabilites|"
    "ce que (vous ferez|tu feras)|au quotidien",
    "nice": "nice[- ]to[- ]haves?|preferred|bonus( points)?|plus(es)?|a plus|petits? plus|"
    "extra credit|desired|desirable|(good|great)[- ]to[- ]haves?|would be (great|nice|a plus)|"
    "it('d| would) be great|even better|ideally|stand out|sets? you apart|we('d| would) love|"
    "optional|advantageous|우대|있으면 좋|더 좋|가산점|歓迎|尚可|望ましい|優遇|あれば|加分|优先|"
    "更佳|为佳|wunschenswert|von vorteil|pluspunkte?|idealerweise|schon ware|kein muss|deseables?|"
    "valorables?|se valorara|valoramos|valoraremos|puntos extra|un plus|idealmente|souhaite\\w*|"
    "souhaitables?|atouts?|apprecie\\w*|idealement",
    "must": "requirements?|required|must[- ]haves?|minimum (qualifications|requirements)|"
    "basic qualifications|qualifications|what you('ll| will)? bring|you bring|"
    "what (we('re| are)|are we) looking for|(who )?(we('re| are) )?looking for|"
    "who (you are|are you)|about you|you have|you should have|(what )?you('ll| will)? need|"
    "essentials?|is this you|you are|ideal candidate|profile|what it takes|자격 요건|지원 자격|"
    "자격 조건|필수|필요 역량|필요 경험|요구 사항|요구 역량|이런 (분|경험)|찾고 있|자격|必須|"
    "応募資格|応募要件|応募条件|求める|必要な|任职要求|任职资格|岗位要求|职位要求|任职条件|"
    "应聘要求|我们希望你|你需要|要求|voraussetzungen|anforderung\\w*|qualifikation\\w*|"
    "was (du|sie) mitbring\\w*|mitbring\\w*|bringst du mit|bringen sie mit|zeichnet dich aus|"
    "was wir (uns wunschen|erwarten)|profil|requisitos?|requerimientos|imprescindibles?|"
    "(que|lo que) buscamos|buscamos|perfil|(que|lo que) necesitas|exigences|profil recherche|"
    "competences requises|qualites requises|prerequis|qualifications requises|"
    "ce que nous (re)?cherchons|indispensables?|vous etes|tu es",
    "req": "skills|experience\\w*|education|background|knowledge|competenc\\w*|years?|ability|"
    "able to|familiar\\w*|proficien\\w*|degree|understanding|expertise|track record|fluen\\w*|"
    "certifi\\w*|bachelor\\w*|master\\w*|phd|kenntnisse|erfahrung|ausbildung|studium|abschluss|"
    "formacion|experiencia|conocimiento\\w*|titulo|formation|connaissance\\w*|maitrise|diplome|"
    "스킬|역량|경력|경험|능력|이해|학위|学歴|スキル|経験|知識|資格|能力|技能|经验|熟悉|掌握|学历",
    "overview": "about (the|this) (role|job|position|opportunity)|the role|"
    "role (overview|summary)|(job|position) summary|(full )?job description|the opportunity|"
    "overview|summary|the position|role description|description|포지션 소개|직무 소개|포지션|"
    "募集背景|ポジション概要|募集要項|概要|职位概述|岗位概述|uber die (rolle|stelle)|stelle|"
    "stellenbeschreibung|descripcion del puesto|(sobre el )?puesto|poste|description du poste|"
    "a propos du poste",
    "boiler": "about us|who we are|our (company|story|values|culture|team|mission)|"
    "company (overview|description|profile)|benefits|perks|(what )?we offer|our offer|"
    "what('s| is) in it for you|why (join|work)|why you('ll| will) love|compensation|salary|"
    "pay( range| transparency)?|equal (employment )?opportunit\\w*|eeo|diversity|inclusion|"
    "accommodations?|(how )?to apply|application|(interview|hiring|recruitment|our) process|"
    "(what happens )?next( steps)?|locations?|(working )?hours|(employment|job) type|contract|"
    "start date|privacy|legal|disclaimer|notice|information|good to know|details|logistics|"
    "practicalities|culture|values|life at|(about )?the team|team|"
    "(what )?you('ll| will) (get|love|enjoy)|we provide|(total )?rewards|package|visa|relocation|"
    "회사 소개|기업 소개|팀 소개|복리 후생|복지|혜택|급여|연봉|처우|"
    "(채용|합류) (절차|전형|과정|여정)|전형 절차|지원 방법|접수 방법|제출 서류|"
    "근무 (조건|환경|지역|시간|형태)|근무지|고용 형태|기타|유의 사항|참고 사항|확인해 주세요|마감|"
    "会社概要|企業概要|会社紹介|企業紹介|福利厚生|待遇|給与|年収|勤務|休日|休暇|選考|応募方法|"
    "雇用形態|手当|公司介绍|公司简介|关于我们|公司福利|福利|薪资|薪酬|工作地点|工作时间|投递|"
    "应聘方式|招聘流程|联系方式|uber uns|wer wir sind|unternehmen|(was )?wir (dir |ihnen )?bieten|"
    "angebot|vergutung|gehalt|bewerbung|kontakt|standort|arbeitsort|vorteile|bieten wir|"
    "worauf du dich freuen|sobre nosotros|quienes somos|(que )?ofrecemos|beneficios|salario|"
    "ubicacion|como (aplicar|postular)|proceso de seleccion|qui sommes[- ]nous|"
    "a propos( de nous)?|l'entreprise|(ce que )?nous (offrons|proposons)|avantages|remuneration|"
    "salaire|localisation|lieu|processus de recrutement|comment postuler|pourquoi nous rejoindre|"
    "l'equipe|(our |the )?tech(nology)?[- ]?stack|(our |the )?stack|tools we use|"
    "technologies we use|기술 스택|사용 기술|개발 환경|기술 환경|開発環境|使用技術|技術スタック|"
    "技术栈|技术环境|stack technique",
}
_PRIORITY = ("nice", "resp", "must", "overview", "boiler", "req")
# Words a heading may start with before its keyword ("Your responsibilities", "Dein Profil").
_PREFIX = re.compile(r"(?:(?:your|key|main|core|general|basic|technical|professional|personal|"
                     r"soft|hard|relevant|other|additional|deine|ihre|dein|ihr|unsere?|vos|votre|"
                     r"tes|ton|ta|tus|tu|sus|su|les|le|la|los|las|el|das|die|der)\s+)+")
_INLINE = re.compile(
    r"(?P<nice>nice[- ]to[- ]have|(?<!your )(?<!their )(?<!our )\bpreferred\b|\bpreferably|"
    r"\bideally|\bdesired\b|\bdesirable|\bbonus\b|\b(an? )?(big |huge |definite |real )?plus\b|"
    r"\ban? advantage|\badvantageous|\bbeneficial|would be (great|nice|helpful|ideal)|"
    r"good to have|not (required|necessary|a must)|\boptional|extra credit|even better|"
    r"we('d| would) love|우대|있으면 좋|이면 좋|더 좋|가산점|歓迎|尚可|望ましい|優遇|加分|"
    r"优先(?!级)|更佳|为佳|von vorteil|wunschenswert|idealerweise|ein plus|pluspunkt|gern gesehen|"
    r"deseable|valorable|se valorar|valoramos|un plus|idealmente|un atout|souhaite|souhaitable|"
    r"apprecie|idealement)|(?<!as )\brequired\b|\brequires?\b|\bmust[- ]haves?\b|\bmust\b|"
    r"\bmandatory|\bessential\b|\bminimum\b|필수|반드시|必須|必须|必备|zwingend|erforderlich|"
    r"voraussetzung|vorausgesetzt|unabdingbar|\bmuss\b|imprescindible|obligatori|indispensable|"
    r"requerid|requisito|\brequise?s?\b|\bexige")
_LABEL_END = re.compile(r"\s*(?:[)\]】]\s*[:：\-–]?|[:：\-–])\s*")  # "Required: ", "[필수] "
_BOILER_LINE = re.compile(
    r"equal (employment )?opportunit|\beeo\b|affirmative action|without regard to|"
    r"regardless of (race|gender|age|religion|sex)|reasonable accommodation|(not|"
    r"n't) discriminate|protected (veteran|characteristic)|apply (now|today|here|online)|"
    r"please (send|submit|apply)|send (us )?your (cv|resume)|(salary|pay|compensation) range|"
    r"base (salary|pay)|benefits include|visa sponsorship|보훈|장애인|국가\s*유공자|취업\s*보호|"
    r"허위|채용이 취소|chancengleichheit|diskriminierung|igualdad de oportunidades|"
    r"egalite des chances|[$€£]\s?\d[\d,.]*k?\s*[-–]\s*[$€£]?\s?\d")
_BULLET = re.compile(r"[ \t]*(?:[-*+](?=\s)|-(?=[^\s\d-])|[•·‣▪◦●○■□◆◇▶▷►➤➢✓✔✅☑→⁃–—ㆍ・∙⦁※★☆]"
                     r"\ufe0f?|\d{1,2}[.)](?=\s)|\d{1,2}、|\(\d{1,2}\)|[①-⑳]|[a-z][.)](?=\s)|"
                     r"[一二三四五六七八九十]{1,3}、|[^\w\s]\ufe0f?(?=\s))[ \t]*")
_SENTENCE = re.compile(r"[.!?;。！？；•](?=\s|$)|[。！？；•]")  # "•" for bullets run together
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|incl|approx|vs|min|max|yrs|sr|jr|dr|inc|ltd|"
                           r"z\.b|bzw|ca|u\.a|usw)|\b[A-Za-z])\.$", re.IGNORECASE)
_TITLE_LABEL = re.compile(
    r"\s*[【\[]?\s*(?:job title|position title|title|position|role|poste|intitule du poste|puesto|"
    r"cargo|stelle|stellenbezeichnung|we're hiring|we are hiring|now hiring|직무명|직무|포지션|"
    r"모집 ?직무|채용 ?포지션|職種|募集職種|ポジション|职位名称|职位|岗位名称|岗位)\s*(?:[:：]|"
    r"[】\]])\s*(?P<title>\S.{0,100})", re.IGNORECASE)
_LATIN = {c: unicodedata.normalize("NFD", chr(c))[0] for c in range(0xC0, 0x250)
          if unicodedata.normalize("NFD", chr(c))[0].isascii()}
# Latin phrases on word boundaries; CJK ones anywhere, a space inside them optional.
_HEADINGS = {name: re.compile(r"(?:\b|(?=[^\x00-\x7f]))(?:" + re.sub(
    r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f]|\()", " ?", words) + r")(?:\b|(?<=[^\x00-\x7f]))")
    for name, words in _SECTIONS.items()}
_ITEMS = ("must", "nice", "req", "resp")
_KNOWN = frozenset({*_ITEMS, "overview", "boiler"})


@dataclass(frozen=True)
class Requirement:
    """One requirement (or duty) of the posting; ``job_text[start:end]`` is where it stands,
    so a page can highlight it and a plan can quote it."""

    text: str
    level: str  # "must", "nice" or "unspecified" (the posting does not say)
    skills: tuple[str, ...]
    start: int
    end: int
    kind: str = "requirement"  # or "responsibility": what the hire will do, also worth asking


@dataclass(frozen=True)
class JobRequirements:
    """What a kit is measured against: the title, the requirements in order, every skill."""

    title: str = ""
    requirements: tuple[Requirement, ...] = ()
    skills: tuple[str, ...] = ()

    def must(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.level == "must")

    def nice(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.level == "nice")


def _fold(text: str) -> str:
    """Full-width folded, Latin accents dropped, lower case, and of the same length."""
    folded = text.translate(FOLD).translate(_LATIN)
    lower = folded.lower()  # "İ".lower() is two characters: keep such letters as they are
    return lower if len(lower) == len(folded) else "".join(
        c.lower() if len(c.lower()) == 1 else c for c in folded)


def _clean(text: str) -> str:
    return " ".join(re.sub(r"\*\*|__|`", "", text).split())


@dataclass(frozen=True)
class _Line:
    begin: int  # the first character that is not indentation
    start: int  # where the content starts, after any bullet
    end: int  # the end of the line, trailing spaces left out
    bullet: str  # "" none, "list" a list item, "mark" a symbol that may also open a heading


def _lines(text: str) -> list[_Line]:
    lines, at = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029").rstrip()
        marker, indent = _BULLET.match(body), len(body) - len(body.lstrip())
        mark = marker.group().strip()[:1] if marker and marker.end() < len(body) else ""
        symbol = mark in ("【", "[", "#") or (bool(mark) and unicodedata.category(mark) == "So")
        bullet = "mark" if symbol else "list" if mark else ""
        start = at + (marker.end() if bullet and marker else indent)
        lines.append(_Line(at + indent, start, at + len(body), bullet))
        at += len(raw)
    return lines


def _heading_text(line: str) -> str:
    text = re.sub(r"[#*_=~`\[\]【】〔〕()（）<>《》「」『』|:：!?.,、]+", " ", _fold(line))
    text = re.sub(r"^\W+|\W+$", "", text)
    return " ".join(re.sub(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s", "", text).split())


def _section(heading: str, anywhere: bool, whole: bool = False) -> str | None:
    """The section a folded heading names: earliest keyword, then longest, then priority;
    ``whole`` when the keyword must be all of it (a bullet: "- Nice to have", not "- Ideally…")."""
    prefix = _PREFIX.match(heading)
    body = heading[prefix.end():] if prefix else heading
    found = [(m.start(), -len(m.group()), rank, name) for rank, name in enumerate(_PRIORITY)
             if (m := _HEADINGS[name].search(body)) and (m.start() == 0 or anywhere)
             and (not whole or m.end() == len(body))]
    if not found:
        return "boiler" if re.match(r"(about|uber|sobre|a propos)\b", body) else None
    best = min(found)[3]
    if best in ("must", "req") and _HEADINGS["nice"].search(body):
        return "nice"  # "Requirements (nice to have)", "이런 분이면 더 좋아요"
    if best == "req" and not anywhere:  # "Skills & experience", not "Experience in fintech"
        rest = _HEADINGS["must"].sub("", _HEADINGS["req"].sub("", body))
        if re.sub(r"[\s&/,+]|\b(and|und|et|y)\b", "", rest):
            return None
    return "must" if best == "req" and _HEADINGS["must"].search(body) else best


def _heading(line: str, bullet: str, names_skill: bool) -> str | None:
    """What a line opens: a section, "leadin" ("You will:", which keeps the section), "unknown"
    (a heading we cannot name), or None when it is no heading."""
    raw = line.strip()
    colon, heading = raw.endswith((":", "：")), _heading_text(raw) if len(raw) < 120 else ""
    words = len(heading.split())
    long = words > 7 + 7 * colon if heading.isascii() else len(heading) > 24 + 16 * colon
    if (not heading or names_skill or long or any(c.isdigit() for c in heading)
            or raw.endswith((".", "。")) or (bullet == "list" and words > 4)):
        return None
    if section := _section(heading, colon, bullet == "list"):
        return section
    marked = raw.startswith(("#", "**", "__", "【", "■")) or (raw.isupper() and heading.isascii())
    return "leadin" if colon else "unknown" if marked and words <= 6 else None


def _label(line: str) -> tuple[str, int] | None:
    """"Requirements: Python" or "【必須】Python": the section it opens, where its text starts."""
    match = re.match(r"\s*(?:[【\[]([^】\]\n]{1,24})[】\]]|([^:：\n]{1,40})[:：])\s*(?=\S)", line)
    label = _heading_text(match.group(1) or match.group(2)) if match else ""
    if not label or len(label.split()) > 5 or any(c.isdigit() for c in label):
        return None
    section = _section(label, False)
    return (section, match.end()) if section and match else None


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of a prose line (abbreviations such as "e.g." do not end one)."""
    spans, at = [], start
    for stop in _SENTENCE.finditer(text, start, end):
        if stop.group() != "." or not _ABBREVIATION.search(text, max(at, stop.start() - 8),
                                                            stop.end()):
            spans.append((at, stop.end()))
            at = stop.end()
    spans.append((at, end))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans
            if text[s:e].strip()]


class _Parser:
    """One pass keeping what a reader keeps: the section, whether it is a list, whether a blank
    line came, and the item a wrapped line would continue."""

    def __init__(self, text: str) -> None:
        self.text, self.folded, self.hits = text, _fold(text), skill_hits(text)
        self.starts = [hit.start for hit in self.hits]
        self.lines = _lines(text)
        self.kinds = [_heading(text[ln.begin:ln.end], ln.bullet,
                               bool(self._hits(ln.begin, ln.end))) for ln in self.lines]
        self.labels = [_label(text[ln.start:ln.end]) if ln.bullet != "list" else None
                       for ln in self.lines]
        self.headed = any(label[0] != "boiler" if label else kind in _KNOWN  # not "Location:"
                          for kind, label in zip(self.kinds, self.labels, strict=True))
        self.listed = any(line.bullet for line in self.lines)
        self.section, self.bulleted, self.blank = "preamble", False, False
        self.open: list[int] | None = None  # [cue start, start, end] of the last item
        self.items: list[tuple[list[int], str]] = []
        self.title, self.title_line = self._title()

    def _hits(self, start: int, end: int) -> list[SkillHit]:
        first, last = (bisect.bisect_left(self.starts, at) for at in (start, end))
        return [h for h in self.hits[first:last] if h.end <= end]

    def _title(self) -> tuple[str, int]:
        """A "Job title:" line near the top, else the first line if it reads like a title."""
        for index, line in enumerate(self.lines[:30]):
            if match := _TITLE_LABEL.match(self.folded, line.begin, line.end):
                return _clean(self.text[match.start("title"):line.end]).strip("*_# "), index
        for index, line in enumerate(self.lines[:40]):
            raw = _clean(self.text[line.begin:line.end]).strip("*_#=~ ")
            if not any(c.isalnum() for c in raw) or raw.endswith("!"):
                continue  # blank, a rule, "We're hiring!"
            plain = not (self.kinds[index] in _KNOWN or self.labels[index] or line.bullet == "list"
                         or raw.endswith((".", "?", ":", "：", "。", ",", ";")))
            return (raw, index) if plain and len(raw) <= 80 and len(raw.split()) <= 12 else ("", -1)
        return "", -1

    def run(self) -> JobRequirements:
        for index, line in enumerate(self.lines):
            if index != self.title_line:
                self._line(index, line)
        named = [(h.start, h.name) for h in self.hits]
        requirements = [self._requirement(item, section, named) for item, section in self.items]
        return JobRequirements(self.title, tuple(r for r in requirements if r.text),
                               unique(name for _, name in sorted(named)))

    def _line(self, index: int, line: _Line) -> None:
        content = self.text[line.start:line.end]
        label, kind = self.labels[index], self.kinds[index]
        if not any(c.isalnum() for c in content):
            self.blank, self.open = True, None
            return
        if label and label[0] == "boiler":
            self.open = None  # "Location: Berlin" is metadata, not a new section
        elif label:
            self._enter(label[0])
            self._prose(line.start + label[1], line.end)
        elif kind == "leadin" or (kind == "req" and self.section in ("must", "nice")):
            self.open = None  # "You will:", or "Technical skills:" under "Requirements"
        elif kind in _KNOWN or kind == "unknown":
            self._enter(kind)
        elif _BOILER_LINE.search(self.folded, line.start, line.end):  # "equal opportunity…"
            self.section, self.open = ("boiler" if not line.bullet else self.section), None
        elif line.bullet:
            self._bullet(line)
        else:
            self._plain(line)
        self.blank = False

    def _enter(self, section: str) -> None:
        self.section, self.bulleted, self.open = section, False, None

    def _wanted(self, start: int, end: int) -> bool:
        """Outside any requirement heading, keep what reads like a requirement."""
        return bool(self._hits(start, end) or _HEADINGS["req"].search(self.folded, start, end)
                    or _HEADINGS["must"].search(self.folded, start, end))

    def _bullet(self, line: _Line) -> None:
        self.bulleted, self.open = True, None
        outside = self.section in ("preamble", "unknown") and self.headed
        if self.section != "boiler" and (not outside or self._wanted(line.start, line.end)):
            self._add(line.start, line.end)

    def _plain(self, line: _Line) -> None:
        if self.open is not None and not self.blank and self._continues(line):
            self.open[2] = line.end
        elif self.section in _ITEMS and self.bulleted and self.blank:
            self._enter("unknown")  # a paragraph after the list ends the section
        elif self.section in _ITEMS or not (self.headed or self.listed):
            self._prose(line.start, line.end, wanted_only=self.section not in _ITEMS)

    def _continues(self, line: _Line) -> bool:
        """A wrapped line: indented under a bullet, or the line before stops mid-sentence."""
        before = self.text[self.open[1]:self.open[2]] if self.open else ""
        if self.bulleted and line.begin > self.text.rfind("\n", 0, line.begin) + 1:
            return True  # indented
        return not before.rstrip().endswith((".", "!", "?", ";", ":", "。", "；")) and (
            self.text[line.start].islower() or len(before.splitlines()[-1]) >= 65)

    def _prose(self, start: int, end: int, wanted_only: bool = False) -> None:
        if self.section != "boiler":
            for s, e in _sentences(self.text, start, end):
                if not wanted_only or self._wanted(s, e):
                    self._add(s, e)

    def _add(self, start: int, end: int) -> None:
        cue, folded = start, self.folded[start:end]
        label = _INLINE.match(folded, len(folded) - len(folded.lstrip(" ([【")))
        after = _LABEL_END.match(folded, label.end()) if label else None
        if after and after.end() < len(folded):
            start += after.end()
        while end > start and self.text[end - 1] in ",;、，；• \t":
            end -= 1
        if any(c.isalpha() for c in self.text[start:end]):
            self.open = [cue, start, end]
            self.items.append((self.open, self.section))

    def _requirement(self, item: list[int], section: str,
                     named: list[tuple[int, str]]) -> Requirement:
        """The item as a :class:`Requirement`; product names guessed in it join ``named``."""
        cue, start, end = item
        kind = "responsibility" if section in ("resp", "overview") else "requirement"
        level = section if section in ("must", "nice") else "unspecified"
        said = _INLINE.search(self.folded, cue, end)  # "… is a plus" beats the heading
        if kind == "requirement" and said:
            level = "nice" if said.group("nice") is not None or level == "nice" else "must"
        known = self._hits(start, end)
        inside = tuple(SkillHit(h.name, h.category, h.start - start, h.end - start) for h in known)
        guesses = [(start + g.start, g.name) for g in guess_products(self.text[start:end], inside)]
        named.extend(guesses)
        names = sorted([(h.start, h.name) for h in known] + guesses)
        return Requirement(_clean(self.text[start:end]), level, unique(n for _, n in names),
                           start, end, kind)


def parse_job(text: str) -> JobRequirements:
    """The title, requirements and skills of a pasted job description (empty for blank text)."""
    return _Parser(text).run() if text.strip() else JobRequirements()
