"""Skills a text names: a built-in list with aliases, for the job parser and anyone else.

Linear: tokens are cut once and each alias is a dictionary look-up of 1..N tokens.  In the
table ``=Name`` matches only as written ("Spark", not "spark curiosity"); ``?Name`` also needs
a programming context, the word being common ("Go" in "Python, Go or Rust" or "in Go", not
"go to market"; "R" not in "R&D"; "C" not in "Series C"); ``!Name`` is a name, no alias.
CJK aliases are found as substrings, since those scripts do not space words."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

_TABLE: dict[str, str] = {
    "language": """Python|파이썬; Java|Java EE|J2EE|자바; JavaScript|=JS|ES6|ECMAScript|
        자바스크립트; TypeScript|타입스크립트; ?Go|Golang|go-lang; Rust; Kotlin; ?Swift;
        Objective-C|ObjC; ?C; C++|cpp; C#|csharp; F#; Scala; ?Ruby; PHP; Perl; =Dart; =Elixir;
        Erlang; Haskell; Clojure; OCaml; Lua; ?R; MATLAB; ?Julia; Fortran; COBOL; assembly language|
        assembler; Bash|shell scripting; PowerShell; =Groovy; Solidity; VBA|Visual Basic; VB.NET;
        =SAS; SPSS; Stata; SQL; T-SQL; PL/SQL; Zig""",
    "web": """React|React.js|ReactJS|리액트; React Native; =Angular|AngularJS; Vue.js|Vue|VueJS;
        Svelte|SvelteKit; Next.js|NextJS; Nuxt|Nuxt.js; Redux; jQuery; HTML|HTML5; CSS|CSS3; Sass|
        SCSS; Tailwind CSS|Tailwind|TailwindCSS; =Bootstrap; Webpack; =Vite; Storybook; Three.js;
        D3.js|D3; WebGL; WebAssembly|Wasm; =Flutter; SwiftUI; UIKit; Jetpack Compose; Xamarin;
        =Ionic; =Electron; iOS; Android; Ember.js; Backbone.js""",
    "backend": """Node.js|NodeJS|=Node; Express.js|?Express; NestJS; Django; Flask; FastAPI;
        Spring Boot|Spring Framework|?Spring; Ruby on Rails|?Rails; Laravel; WordPress; Shopify;
        WooCommerce; Magento; Drupal; =Stripe; Symfony; ASP.NET|ASP.NET Core; .NET|dotnet|.NET Core|
        .NET Framework; Entity Framework; =Hibernate; JPA; MyBatis; Netty; gRPC; =REST|RESTful|
        REST API|REST APIs; GraphQL; Kafka|Apache Kafka; RabbitMQ; =Celery; NATS; Nginx; WebSocket|
        WebSockets; OAuth|OAuth2; Protobuf; microservices|microservice|microservice architecture|
        마이크로서비스|マイクロサービス|微服务""",
    "data": """PostgreSQL|Postgres|Postgre; MySQL; MariaDB; SQLite; =Oracle|Oracle Database;
        SQL Server|MSSQL|Microsoft SQL Server; NoSQL; MongoDB|Mongo; Redis; Cassandra; DynamoDB;
        Elasticsearch|Elastic Search; OpenSearch; Neo4j; Pinecone; Weaviate; Milvus; Qdrant;
        pgvector; HBase; ZooKeeper|Zookeeper; relational databases|RDBMS|relational database;
        ClickHouse; CockroachDB; =Snowflake; BigQuery; Redshift; Databricks; =Spark|Apache Spark;
        PySpark; Hadoop; =Hive; =Presto; Trino; Flink|Apache Flink; =Airflow|Apache Airflow; =dbt|
        data build tool; Looker; =Tableau; Power BI|PowerBI; =Qlik; Superset|Apache Superset;
        Metabase; Fivetran; Airbyte; Informatica; Talend; SSIS; Delta Lake; Apache Iceberg; Kinesis;
        ?Excel|Microsoft Excel|MS Excel; Google Analytics; Mixpanel; =Amplitude; ELK Stack|ELK;
        Kibana; Alteryx; Google Sheets; Matplotlib; Plotly; Polars; Dask; SQLAlchemy; Pydantic;
        Streamlit""",
    "ml": """pandas; NumPy; SciPy; scikit-learn|sklearn; PyTorch; TensorFlow; Keras; JAX; XGBoost;
        LightGBM; Hugging Face|HuggingFace; LangChain; LlamaIndex; OpenCV; MLflow; Kubeflow;
        Jupyter; CUDA; ONNX; spaCy; NLTK; Vertex AI; SageMaker|Amazon SageMaker; =BERT; TensorRT;
        =RAG|retrieval-augmented generation; prompt engineering""",
    "cloud": """AWS|Amazon Web Services; GCP|Google Cloud|Google Cloud Platform; Azure|
        Microsoft Azure; Azure DevOps; Kubernetes|k8s|쿠버네티스; Docker|도커; Terraform; Ansible;
        ?Chef; ?Puppet; Jenkins; GitHub Actions; GitLab CI|GitLab CI/CD; CircleCI; Argo CD|ArgoCD;
        =Helm; Istio; Prometheus; Grafana; Datadog; Splunk; New Relic; =Sentry; OpenTelemetry;
        Linux; Unix; macOS; npm; Heroku; Vercel; Netlify; Firebase; Supabase; Cloudflare;
        AWS Lambda; EC2; S3|Amazon S3; =EKS; =ECS; =RDS; CloudFormation; =EMR; =GKE; =AKS;
        OpenShift; OpenStack; VMware; Serverless; Pub/Sub; AWS Glue; AWS CDK; Pulumi; PagerDuty;
        Okta; Active Directory; Windows Server; Docker Compose; =Cisco; CCNA; Wireshark""",
    "tool": """Git; GitHub; GitLab; Bitbucket; Jira; =Confluence; Figma; ?Sketch; Adobe XD;
        Photoshop|Adobe Photoshop; =Illustrator|Adobe Illustrator; InDesign; After Effects;
        Premiere Pro; =Blender; ?Unity|Unity3D; Unreal Engine|Unreal; Salesforce; HubSpot; =SAP;
        =Postman; Swagger|OpenAPI; =Selenium; =Cypress; =Playwright; Jest; JUnit; pytest; ?Mocha;
        Gradle; =Maven; CMake; Bazel; Microsoft Office|MS Office|Office 365|Microsoft 365;
        PowerPoint; Microsoft Word|MS Word; Google Workspace; Zendesk; ServiceNow; =Workday;
        QuickBooks; =Xero; NetSuite; AutoCAD; SolidWorks; CATIA; Revit; Simulink; LabVIEW; =ROS;
        SharePoint; =Outlook|Microsoft Outlook; Power Automate; Power Apps; Mailchimp; Marketo;
        Google Ads; Adobe Creative Suite|Adobe Creative Cloud; Final Cut Pro; Cinema 4D; ZBrush;
        Arduino; Raspberry Pi; Verilog; VHDL; FPGA; =PLC; SCADA; OpenGL; Vulkan""",
    "method": """Agile; Scrum; Kanban; ?Lean; Six Sigma|Lean Six Sigma; =Waterfall; TDD|
        test-driven development; BDD|behavior-driven development; =SAFe|Scaled Agile; DDD|
        domain-driven design; CI/CD|continuous integration|continuous delivery|
        continuous deployment; DevOps; MLOps; SRE|site reliability engineering; ITIL; PMP; PRINCE2;
        design thinking; OOP|object-oriented programming|object-oriented design;
        functional programming; design patterns; system design; distributed systems|분산 시스템|
        分散システム|分布式系统; event-driven architecture; unit testing|unit tests;
        integration testing; test automation|automated testing|테스트 자동화|テスト自動化|
        自动化测试; code review|code reviews; pair programming; infrastructure as code|IaC;
        A/B testing|A/B tests; data structures|数据结构|자료구조; algorithms|算法|알고리즘;
        requirements analysis|requirements gathering|要件定義|요구사항 분석""",
    "domain": """machine learning|=ML|머신러닝|머신 러닝|기계학습|機械学習|机器学习|
        maschinelles Lernen|aprendizaje automático|apprentissage automatique; deep learning|딥러닝|
        深層学習|ディープラーニング|深度学习; NLP|natural language processing|자연어 처리|
        자연어처리|自然言語処理|自然语言处理; computer vision|컴퓨터 비전|컴퓨터비전|画像認識|
        コンピュータビジョン|计算机视觉; LLMs|LLM|large language models|large language model|
        대규모 언어 모델|大規模言語モデル|大语言模型|大模型; generative AI|GenAI|생성형 AI|生成AI|
        生成式AI; artificial intelligence|인공지능|人工知能|人工智能; reinforcement learning|
        강화학습|强化学习; data science|데이터 사이언스; data analysis|data analytics|데이터 분석|
        데이터분석|データ分析|データ解析|数据分析|Datenanalyse|análisis de datos|analyse de données;
        data engineering|데이터 엔지니어링; data modeling|data modelling; data warehousing|
        data warehouse; ETL|ELT; data pipelines|data pipeline|데이터 파이프라인; data visualization|
        data visualisation|데이터 시각화; statistics|statistical analysis|통계|統計|统计;
        recommender systems|recommendation systems|추천 시스템|추천시스템|推荐系统; time series;
        cybersecurity|information security|정보보안|情報セキュリティ|信息安全|网络安全;
        penetration testing; cryptography; embedded systems|임베디드|組み込み|嵌入式; RTOS; TCP/IP;
        robotics|로보틱스|ロボティクス; blockchain|블록체인|ブロックチェーン|区块链; =SEO; =SEM;
        digital marketing|디지털 마케팅; performance marketing|퍼포먼스 마케팅; content marketing;
        growth marketing|growth hacking|그로스 해킹; product management|프로덕트 매니지먼트;
        project management|프로젝트 관리|プロジェクトマネジメント|プロジェクト管理|项目管理|
        Projektmanagement|gestión de proyectos|gestion de projet; UX design|=UX|UI/UX|UX/UI|
        user experience; UI design; user research|UX research; accessibility|WCAG;
        financial modeling|financial modelling; accounting|회계|会計|会计; budgeting; auditing;
        forecasting; account management; customer success; supply chain|supply chain management;
        procurement; recruiting|technical recruiting|full-cycle recruiting|talent acquisition; GDPR;
        HIPAA; SOC 2; ISO 27001; PCI DSS; SIEM; OWASP; IFRS; GAAP|US GAAP; =CPA; =CFA; CISSP;
        email marketing; social media marketing; copywriting; quality assurance|=QA;
        game development""",
    "soft": """communication|communication skills|communicator|communicate|커뮤니케이션|의사소통|
        コミュニケーション|沟通|Kommunikationsfähigkeit|Kommunikationsstärke|kommunikationsstark|
        comunicación; stakeholder management|stakeholder engagement|managing stakeholders|
        이해관계자; leadership|리더십|リーダーシップ|领导力|Führungserfahrung|Führungskompetenz|
        liderazgo; teamwork|team player|team-player|チームワーク|团队合作|团队协作|Teamfähigkeit|
        teamfähig|Teamplayer|trabajo en equipo|travail en équipe|esprit d'équipe; collaboration|
        collaborate|cross-functional collaboration|협업|協調性; problem solving|problem-solving|
        problem solver|문제 해결|문제해결|問題解決|解决问题|Problemlösung|Problemlösungskompetenz|
        resolución de problemas|résolution de problèmes; critical thinking|pensamiento crítico;
        analytical thinking|analytical skills|analytical mindset|analytisches Denken|
        analytisches Denkvermögen|분석력|分析能力; time management; mentoring|mentorship|mentor|
        멘토링|メンタリング; coaching; public speaking; presentation skills|프레젠테이션|
        プレゼンテーション; attention to detail|detail-oriented|detail oriented|꼼꼼|
        atención al detalle; negotiation|negotiating|협상|交渉|谈判|Verhandlungsgeschick;
        customer service; conflict resolution; adaptability|adaptable; people management|
        team management; decision making|decision-making; prioritization|prioritisation;
        interpersonal skills; organizational skills|organisational skills""",
    "spoken": """=English|Englisch|Englischkenntnisse|inglés|anglais|영어|英語|英语; !German|
        =Deutsch|Deutschkenntnisse|alemán|allemand|독일어|ドイツ語|德语; !Japanese|日本語|일본어|
        日语|japonés|japonais|=Japanisch; !Korean|한국어|韓国語|韩语|coreano|coréen|=Koreanisch;
        !Chinese|=Mandarin|중국어|中国語|中文|普通话|chino|chinois|=Chinesisch; !French|Französisch|
        francés|프랑스어|フランス語|法语; !Spanish|Spanisch|espagnol|스페인어|スペイン語|
        西班牙语""",
}
TECH = frozenset({"language", "web", "backend", "data", "ml", "cloud", "tool"})
_LETTER = "A-Za-z0-9\u00c0-\u024f"
TOKEN = re.compile(rf"\.?[{_LETTER}](?:[{_LETTER}]|\.(?=[{_LETTER}]))*[+#]*")
_CJK = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]")
# Same-length folding (full-width Latin, odd spaces and hyphens), so offsets stay valid.
FOLD = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},
        0x3000: 0x20, 0xA0: 0x20, 0x2010: 0x2D, 0x2011: 0x2D, 0x2019: 0x27}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CUE_BEFORE = _words("""in with using use of like e.g eg i.e such as including know knowing
    writing write written programming language languages experience experienced proficiency
    proficient fluent fluency expertise skilled modern embedded idiomatic strong solid advanced
    production mit avec en con""")
_CUE_AFTER = _words("""language languages programming developer developers engineer engineers
    engineering code codebase service services microservices backend programmer programmers
    development experience skills modules runtime ecosystem stack scripts scripting packages
    libraries tooling apps applications concurrency shiny spreadsheets macros""")
_LIST_WORDS = re.compile(r"\b(?:and|or|und|oder|y|o|et|ou|및|또는)\b", re.IGNORECASE)
_LIST_GAP = re.compile(r"[ \t,/()|+;、，&]*")
_JOIN = re.compile(r"[ \t/'-]{0,3}")  # what may stand between the words of one alias


@dataclass(frozen=True)
class SkillHit:
    """One skill named in a text, with where, so callers can attribute it to a line."""

    name: str
    category: str
    start: int
    end: int


_Alias = tuple[str, str, str]  # canonical name, category, mode: "ci", "cs" as written, "ctx"


def _build() -> tuple[dict[str, _Alias], dict[str, _Alias], list[tuple[str, _Alias]]]:
    """:data:`_TABLE` as look-up tables: any case, exact case, and CJK substrings."""
    folded: dict[str, _Alias] = {}
    exact: dict[str, _Alias] = {}
    cjk: list[tuple[str, _Alias]] = []
    for category, block in _TABLE.items():
        for entry in re.split(r";\s*", " ".join(block.split())):
            aliases = [a.strip() for a in entry.split("|") if a.strip()]
            for alias in (a for a in aliases if a[0] != "!"):
                item = (aliases[0].lstrip("=?!"), category,
                        {"=": "cs", "?": "ctx"}.get(alias[0], "ci"))
                alias = alias.lstrip("=?")
                if _CJK.search(alias):
                    cjk.append((alias, item))
                else:
                    key = " ".join(m.group() for m in TOKEN.finditer(alias.translate(FOLD)))
                    table = folded if item[2] == "ci" else exact
                    table[key.lower() if table is folded else key] = item
    return folded, exact, sorted(cjk, key=lambda pair: -len(pair[0]))


_FOLDED, _EXACT, _CJK_ALIASES = _build()
_FIRST = frozenset(k.split(" ")[0].lower() for k in (*_FOLDED, *_EXACT) if " " in k)
_MAX_WORDS = max(k.count(" ") + 1 for k in (*_FOLDED, *_EXACT))


@dataclass
class _Hit:
    alias: _Alias
    token: int  # the last token's index, for the context of a "?" alias (one word each)
    start: int
    end: int
    ok: bool = True


def _token_hits(text: str, tokens: list[re.Match[str]]) -> list[_Hit]:
    """The longest alias at each token, left to right; words of one alias are joined by
    spaces, "/" or "-" only."""
    hits: list[_Hit] = []
    words = [t.group() for t in tokens]
    i = 0
    while i < len(tokens):
        span = 1
        while (span < _MAX_WORDS and i + span < len(tokens) and words[i].lower() in _FIRST
               and _JOIN.fullmatch(text, tokens[i + span - 1].end(), tokens[i + span].start())):
            span += 1
        for n in range(span, 0, -1):
            key = words[i] if n == 1 else " ".join(words[i:i + n])
            alias = _EXACT.get(key) or _FOLDED.get(key.lower())
            if alias is not None:
                hits.append(_Hit(alias, i + n - 1, tokens[i].start(), tokens[i + n - 1].end(),
                                 alias[2] != "ctx"))
                i += n
                break
        else:
            i += 1
    return hits


def _cjk_hits(text: str) -> list[_Hit]:
    """Substring hits of CJK aliases, longest first, never overlapping one another."""
    hits: list[_Hit] = []
    if not _CJK.search(text):
        return hits
    taken = bytearray(len(text))
    for alias, item in _CJK_ALIASES:
        at = text.find(alias)
        while at != -1:
            end = at + len(alias)
            if taken.find(1, at, end) == -1:
                taken[at:end] = b"\x01" * (end - at)
                hits.append(_Hit(item, -1, at, end))
            at = text.find(alias, end)
    return hits


def _in_context(text: str, tokens: list[re.Match[str]], hit: _Hit) -> bool | None:
    """True/False when the words around a "?" alias decide it, None to ask its neighbours."""
    before = text[hit.start - 1] if hit.start else ""
    after = text[hit.end] if hit.end < len(text) else ""
    if {before, after} & {"&", "-", "$"} or before + after == "()":
        return before + after == "()" and hit.end - hit.start > 1  # R&D, C-level, C$, (R)
    near = (text[max(0, hit.start - 4):hit.start].rstrip(" \t")[-1:]
            + text[hit.end:hit.end + 4].lstrip(" \t")[:1])
    if _CJK.search(near):  # "Go 언어", "R言語": next to CJK text it is the language
        return True
    words = [t.group().lower() for t in tokens[max(0, hit.token - 1):hit.token + 2]]
    if (hit.token and words[0] in _CUE_BEFORE) or (hit.token + 1 < len(tokens)
                                                  and words[-1] in _CUE_AFTER):
        return True
    return None


def _listed(text: str, left: _Hit, right: _Hit) -> bool:
    """Two hits side by side in a list ("Python, Go", "C/C++", "R or SAS")."""
    gap = text[left.end:right.start]
    return len(gap) <= 12 and bool(_LIST_GAP.fullmatch(_LIST_WORDS.sub(" ", gap)))


def _resolve(text: str, tokens: list[re.Match[str]], hits: list[_Hit]) -> list[_Hit]:
    """Keep a "?" alias when its words say so or a listed neighbour is a sure tech skill."""
    pending = []
    for index, hit in enumerate(hits):
        if hit.alias[2] == "ctx":
            verdict = _in_context(text, tokens, hit)
            hit.ok = bool(verdict)
            pending += [index] if verdict is None else []
    for _ in range(3):  # chains: "Python, Go, R"
        for index in pending:
            hits[index].ok = hits[index].ok or any(
                0 <= j < len(hits) and hits[j].ok and hits[j].alias[1] in TECH
                and _listed(text, *sorted((hits[j], hits[index]), key=lambda h: h.start))
                for j in (index - 1, index + 1))
    return [hit for hit in hits if hit.ok]


def skill_hits(text: str) -> tuple[SkillHit, ...]:
    """Every skill ``text`` names, with offsets, in order of appearance."""
    folded = text.translate(FOLD)
    tokens = list(TOKEN.finditer(folded))
    hits = _resolve(folded, tokens, _token_hits(folded, tokens)) + _cjk_hits(folded)
    return tuple(SkillHit(h.alias[0], h.alias[1], h.start, h.end)
                 for h in sorted(hits, key=lambda h: h.start))


def unique(names: Iterable[str]) -> tuple[str, ...]:
    """Names without repeats (ignoring case), first spelling and position kept."""
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(name.lower(), name)
    return tuple(first.values())


def find_skills(text: str) -> tuple[str, ...]:
    """Canonical names of the skills ``text`` names, each once, in order of first appearance."""
    return unique(hit.name for hit in skill_hits(text))


# ----------------------------------------------------------------------------- guesses
# A product the list does not know still shows itself: CamelCase after "with"/"using"
# ("with ClickHouse"), or a capitalised name listed next to a known tool ("Snowflake, Foo").
_CAMEL = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[A-Za-z0-9]+\.(?:js|io)")
_CAMEL_IN = re.compile(rf"\b(?:{_CAMEL.pattern})\b")
_NAME = re.compile(r"[A-Z][A-Za-z0-9.+#]*[a-z][A-Za-z0-9.+#]*")
_NOT_NAME = re.compile(r".*(?:ing|tion|sion|ment|ness|ity|ics|ance|ence|ship|ism|ogy|ed|ive|ous"
                       r"|ful)s?")
_SEPARATOR = re.compile(r"\s*(?:[,;/|、，()]|\band\b|\bor\b|&)\s*")
_WORD = re.compile(rf"{TOKEN.pattern}|{_CJK.pattern}+")
_LEAD_IN = _words("""as like e.g eg including incl with using especially particularly preferably
    ideally namely in of mit wie avec comme con como""")
_FOLLOW = re.compile(r"(?i:(?:experience|is|are|a|would|preferred|knowledge|skills|etc)$)|"
                     r"경험|사용|활용|등|및|기반|개발|운영|の|等|经验|経験|使用|など")
_STOP = _words("""strong excellent solid deep good great proven hands knowledge expertise prior
    bonus plus must nice senior junior lead staff principal team bachelor bachelors master masters
    degree phd mba bsc msc computer science math finance business field equivalent years remote
    hybrid office onsite europe america asia inc ltd gmbh llc corp company etc other modern cloud
    data web mobile backend frontend full stack open source platform tools systems services design
    product sales support customer google microsoft amazon apple meta facebook saas paas iaas
    fintech edtech healthtech proptech insurtech medtech adtech defi""")


def _namelike(word: str) -> bool:
    return (bool(_NAME.fullmatch(word)) and word.lower() not in _STOP
            and not word.startswith("Mc") and not _NOT_NAME.fullmatch(word.lower()))


def _run(words: list[re.Match[str]], first: bool, last: bool) -> tuple[int, int] | None:
    """What in a list item names something: the whole item (1-2 words), the word after
    "such as"/"with" that ends it, or the word before "experience"/"is a plus" that starts it."""
    names = [_namelike(w.group()) for w in words]
    if len(words) <= 2 and all(names):
        return words[0].start(), words[-1].end()
    if not last and names[-1] and words[-2].group().lower() in _LEAD_IN:
        return words[-1].span()
    if not first and names[0] and _FOLLOW.match(words[1].group()):
        return words[0].span()
    return None


def _items(text: str) -> list[tuple[int, int]]:
    """Spans of the items of a list, cut at commas, slashes, brackets, "and", "or"."""
    spans, at = [], 0
    for sep in _SEPARATOR.finditer(text):
        spans.append((at, sep.start()))
        at = sep.end()
    return [(s, e) for s, e in [*spans, (at, len(text))] if text[s:e].strip()]


def _overlaps(a: int, b: int, hits: list[SkillHit]) -> bool:
    """Whether one of ``hits`` (sorted, none overlapping another) overlaps a..b, in log time."""
    i = bisect.bisect_right(hits, a, key=lambda h: h.end)
    return i < len(hits) and hits[i].start < b


def guess_products(text: str, known: tuple[SkillHit, ...] | None = None
                   ) -> tuple[SkillHit, ...]:
    """Names that look like products (category ``"guess"``), none overlapping ``known``.

    Precise on purpose: a guess stands in a list right next to a technology the built-in
    list knows (or to another such guess), or is CamelCase right after "with", "using"…
    """
    known = skill_hits(text) if known is None else known
    if not (any(h.category in TECH for h in known) or _CAMEL_IN.search(text)):
        return ()  # the common case, and a cheap one
    items = _items(text)
    hits, tech_hits = list(known), [h for h in known if h.category in TECH]
    tech = [_overlaps(s, e, tech_hits) for s, e in items]
    runs = {}
    for number, (start, end) in enumerate(items):
        words = list(_WORD.finditer(text, start, end))
        run = _run(words, number == 0, number == len(items) - 1) if words else None
        if run and not _overlaps(*run, hits):
            runs[number] = run
    found: dict[int, SkillHit] = {}
    for _ in range(2):  # a second pass lets "Python, Foo, Bar" reach Bar
        for number, (a, b) in runs.items():
            if any(0 <= j < len(items) and tech[j] for j in (number - 1, number + 1)):
                found[a] = SkillHit(text[a:b], "guess", a, b)
                tech[number] = True
    words = list(_WORD.finditer(text))
    for before, word in pairwise(words):
        a, b = word.span()
        if (_CAMEL.fullmatch(word.group()) and _namelike(word.group())
                and before.group().lower() in _LEAD_IN and not _overlaps(a, b, hits)):
            found.setdefault(a, SkillHit(word.group(), "guess", a, b))
    return tuple(sorted(found.values(), key=lambda h: h.start))
