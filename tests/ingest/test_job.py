"""Job descriptions in the shapes recruiters paste them, parsed into requirements and skills.

Every posting here was written for this file, each in a format seen in the wild: a plain
bulleted post, prose with "Required:"/"Preferred:" labels, a Greenhouse page, two Korean
posts (자격요건/우대사항), German, Spanish, French, Japanese and Chinese ones, plus the
edge cases (no headings, nothing at all, only benefits, ten thousand lines).
"""

from __future__ import annotations

import time

import pytest

from interviewkit.ingest.job import JobRequirements, Requirement, parse_job
from interviewkit.ingest.skills import find_skills, guess_products, skill_hits

BULLETED = """\
Senior Backend Engineer (Python)

About Acme
Acme builds payment infrastructure for 10,000 merchants. We use Python and Go.

What you'll do
- Design and build scalable APIs in Python and FastAPI
- Own our PostgreSQL data model and its migrations
- Mentor junior engineers and review code

Requirements
- 5+ years of professional experience with Python
- Strong knowledge of SQL and relational databases such as
  Postgres or MySQL
- Experience with AWS (ECS, Lambda) and Terraform
- **Excellent** written and verbal communication skills in English

Nice to have
- Experience with Kafka or RabbitMQ
- Familiarity with Kubernetes (k8s)
- Go experience is a plus

Benefits
- Competitive salary and equity
- 30 days of paid vacation

Acme is an equal opportunity employer. We celebrate diversity.
"""

PROSE = """\
Data Analyst, Growth

Northwind Retail is looking for a data analyst to join the growth team in Lisbon. You will \
work with marketing and product to understand how customers find us and why they stay.

Responsibilities: Build and maintain dashboards for the growth team. Run A/B tests and \
explain the results to non-technical colleagues.

Required: 3+ years of experience as a data or business analyst. Advanced SQL (window \
functions, CTEs). Experience with Tableau or Looker.

Preferred: Python or R for statistical analysis; experience in e-commerce. Familiarity with \
dbt, e.g. for testing models.

Salary: EUR 45,000 - 55,000. To apply, send your CV to jobs@northwind.example.
"""

GREENHOUSE = """\
Staff Machine Learning Engineer, Search
San Francisco, CA or Remote (US)

About Fernweh
Fernweh helps 20 million travellers plan trips. Our ML platform runs on GCP.

About the role
We're hiring a Staff ML Engineer to lead the ranking models behind search.

What you'll do
• Own the ranking model end to end, from feature pipelines to online serving
• Partner with product managers and designers to define success metrics
• Mentor engineers across the search and discovery teams

About you
• 7+ years of industry experience building machine learning systems
• Deep expertise in PyTorch or TensorFlow
• Experience shipping models with Kubeflow, Vertex AI or a similar platform
• You write production-quality Python and are comfortable with SQL

Bonus points
• Experience with learning-to-rank and large language models
• Publications at NeurIPS, ICML or SIGIR
• You've worked with Weaviate, Pinecone or another vector database

Compensation
The base salary range for this role is $210,000 – $260,000.

Fernweh is an equal opportunity employer. We do not discriminate on the basis of race, \
religion, colour, national origin, gender, sexual orientation, age or disability.
"""

KOREAN_BACKEND = """\
[토스페이] 백엔드 개발자 (Server)

토스페이는 온·오프라인 결제를 만드는 팀입니다.

주요업무
• 결제 승인 및 정산 시스템을 설계하고 개발합니다.
• 대용량 트래픽을 처리하는 API 서버를 운영합니다.

자격요건
• Java 또는 Kotlin, Spring Boot 기반 서버 개발 경력 5년 이상
• MySQL 등 RDBMS 설계 및 쿼리 튜닝 경험
• 원활한 커뮤니케이션 능력

우대사항
• Kafka, Redis를 활용한 대용량 시스템 개발 경험
• 쿠버네티스 환경에서 서비스를 운영해 본 경험
• 핀테크 또는 결제 도메인 경험자 우대

혜택 및 복지
• 최신 장비 지원
• 점심 및 저녁 식사 제공

채용 절차
서류 전형 → 직무 인터뷰 → 최종 합격
※ 국가보훈대상자 및 장애인은 관련 법령에 따라 우대합니다.
"""

KOREAN_DATA = """\
데이터 사이언티스트 (추천시스템)

[담당 업무]
- 사용자 행동 로그를 분석해 추천 모델을 개발합니다
- A/B 테스트를 설계하고 결과를 해석합니다

[자격 요건]
- 머신러닝 모델 개발 및 서비스 적용 경험 3년 이상
- Python, SQL에 능숙하신 분
- 통계학 또는 컴퓨터공학 관련 석사 이상 (필수)

[우대 사항]
- PyTorch 기반 딥러닝 모델 개발 경험
- Spark 등 분산 처리 환경 경험
- 영어로 논문을 읽고 토론하는 데 어려움이 없는 분

[근무 조건]
- 근무지: 서울 강남구
- 연봉: 회사 내규에 따름
"""

GERMAN = """\
Senior DevOps Engineer (m/w/d)

Über uns
Die Nordlicht GmbH entwickelt Software für Energieversorger in ganz Europa.

Deine Aufgaben
- Du betreibst und automatisierst unsere Kubernetes-Cluster in Azure
- Du baust CI/CD-Pipelines mit GitLab CI und Terraform

Dein Profil
- Abgeschlossenes Studium der Informatik oder eine vergleichbare Ausbildung
- Mehrjährige Erfahrung mit Linux, Docker und Kubernetes
- Sehr gute Deutsch- und Englischkenntnisse
- Erfahrung mit Ansible ist von Vorteil
- Wünschenswert: Kenntnisse in Go oder Python

Wir bieten
- 30 Tage Urlaub
- Flexible Arbeitszeiten und Homeoffice
"""

SPANISH = """\
Desarrollador/a Frontend Senior

Sobre nosotros
Somos una startup de logística con sede en Madrid.

Responsabilidades
- Desarrollar nuevas funcionalidades en React y TypeScript
- Colaborar con el equipo de diseño en Figma

Requisitos
- Al menos 4 años de experiencia con JavaScript y React
- Experiencia con pruebas unitarias (Jest)
- Nivel de inglés alto

Se valorará
- Conocimientos de Next.js
- Experiencia con GraphQL

Ofrecemos
- Contrato indefinido
- Teletrabajo flexible
"""

FRENCH = """\
Développeur Python (H/F)

Qui sommes-nous ?
Une scale-up lyonnaise spécialisée dans la facturation électronique.

Vos missions
- Concevoir et développer des API avec Django
- Participer aux revues de code

Profil recherché
- Vous avez au moins 3 ans d'expérience en développement Python
- Maîtrise de PostgreSQL
- La connaissance de Docker serait un plus
- Anglais technique souhaité

Avantages
- Tickets restaurant
"""

JAPANESE = """\
【募集職種】バックエンドエンジニア（Go）

【業務内容】
・決済サービスのAPI設計・開発
・マイクロサービスの運用改善

【必須スキル】
・Go言語での開発経験3年以上
・AWSを利用したインフラ構築経験
・RDBMS（MySQL、PostgreSQL）の設計経験

【歓迎スキル】
・Kubernetesの運用経験
・チームリーダーの経験

【待遇・福利厚生】
・フレックスタイム制
・リモートワーク可
"""

CHINESE = """\
高级Java开发工程师

岗位职责：
1、负责支付核心系统的设计与开发；
2、参与系统架构优化，提升系统稳定性。

任职要求：
1、本科及以上学历，计算机相关专业；
2、5年以上Java开发经验，熟悉Spring Boot、MyBatis；
3、熟悉MySQL、Redis，有Kafka使用经验；
4、有金融行业经验者优先。

福利待遇：
五险一金，年终奖金
"""

MARKDOWN = """\
# Site Reliability Engineer

**About the team**
We keep 300 services running.

## Responsibilities
* Be on call for production (1 week in 6)
* Automate toil away with Go and Python

## Requirements
1. 3+ years in an SRE or DevOps role
2. Deep knowledge of Linux and networking

## Nice to have
- Terraform or Pulumi
- Experience with Dagster, Airflow or Prefect
"""

LEVER = """\
Product Designer
Berlin / Remote – Design – Full-time

WHAT YOU'LL DO
Lead end-to-end design for our data exploration product
Run user research sessions with scientists

WHAT YOU'LL NEED
4+ years of product design experience
Fluency in Figma and prototyping tools

BONUS
Some familiarity with HTML/CSS
"""


def texts(items: tuple[Requirement, ...]) -> list[str]:
    return [item.text for item in items]


def responsibilities(job: JobRequirements) -> list[str]:
    return [r.text for r in job.requirements if r.kind == "responsibility"]


@pytest.mark.parametrize("posting", [BULLETED, PROSE, GREENHOUSE, KOREAN_BACKEND, KOREAN_DATA,
                                     GERMAN, SPANISH, FRENCH, JAPANESE, CHINESE, MARKDOWN,
                                     LEVER])
def test_every_requirement_points_at_its_source(posting: str) -> None:
    job = parse_job(posting)
    assert job.requirements
    for item in job.requirements:
        assert item.text == " ".join(posting[item.start:item.end].replace("**", "").split())
        assert item.level in {"must", "nice", "unspecified"}
        assert item.kind in {"requirement", "responsibility"}
        assert set(item.skills) <= set(job.skills)
        if item.kind == "responsibility":
            assert item.level == "unspecified"


def test_bulleted_english_posting() -> None:
    job = parse_job(BULLETED)
    assert job.title == "Senior Backend Engineer (Python)"
    assert texts(job.must()) == [
        "5+ years of professional experience with Python",
        "Strong knowledge of SQL and relational databases such as Postgres or MySQL",
        "Experience with AWS (ECS, Lambda) and Terraform",
        "Excellent written and verbal communication skills in English",
    ]
    assert texts(job.nice()) == ["Experience with Kafka or RabbitMQ",
                                 "Familiarity with Kubernetes (k8s)", "Go experience is a plus"]
    assert responsibilities(job) == ["Design and build scalable APIs in Python and FastAPI",
                                     "Own our PostgreSQL data model and its migrations",
                                     "Mentor junior engineers and review code"]
    assert job.must()[1].skills == ("SQL", "relational databases", "PostgreSQL", "MySQL")
    assert job.must()[2].skills == ("AWS", "ECS", "Lambda", "Terraform")  # Lambda: guessed
    assert job.skills == ("Python", "Go", "FastAPI", "PostgreSQL", "mentoring", "SQL",
                          "relational databases", "MySQL", "AWS", "ECS", "Lambda", "Terraform",
                          "communication", "English", "Kafka", "RabbitMQ", "Kubernetes")


def test_prose_with_required_and_preferred_labels() -> None:
    job = parse_job(PROSE)
    assert job.title == "Data Analyst, Growth"
    assert texts(job.must()) == ["3+ years of experience as a data or business analyst.",
                                 "Advanced SQL (window functions, CTEs).",
                                 "Experience with Tableau or Looker."]
    assert texts(job.nice()) == ["Python or R for statistical analysis",
                                 "experience in e-commerce.",
                                 "Familiarity with dbt, e.g. for testing models."]
    assert responsibilities(job) == [
        "Build and maintain dashboards for the growth team.",
        "Run A/B tests and explain the results to non-technical colleagues."]
    assert job.skills == ("A/B testing", "SQL", "Tableau", "Looker", "Python", "R",
                          "statistics", "dbt")


def test_greenhouse_about_you_and_bonus_points() -> None:
    job = parse_job(GREENHOUSE)
    assert job.title == "Staff Machine Learning Engineer, Search"
    assert texts(job.must()) == [
        "7+ years of industry experience building machine learning systems",
        "Deep expertise in PyTorch or TensorFlow",
        "Experience shipping models with Kubeflow, Vertex AI or a similar platform",
        "You write production-quality Python and are comfortable with SQL",
    ]
    assert texts(job.nice()) == [
        "Experience with learning-to-rank and large language models",
        "Publications at NeurIPS, ICML or SIGIR",
        "You've worked with Weaviate, Pinecone or another vector database",
    ]
    assert len(responsibilities(job)) == 3
    assert "We're hiring a Staff ML Engineer" not in " ".join(texts(job.requirements))
    assert job.skills == ("machine learning", "GCP", "mentoring", "PyTorch", "TensorFlow",
                          "Kubeflow", "Vertex AI", "Python", "SQL", "LLMs", "Weaviate",
                          "Pinecone")


def test_korean_posting_with_bullets() -> None:
    job = parse_job(KOREAN_BACKEND)
    assert job.title == "[토스페이] 백엔드 개발자 (Server)"
    assert texts(job.must()) == ["Java 또는 Kotlin, Spring Boot 기반 서버 개발 경력 5년 이상",
                                 "MySQL 등 RDBMS 설계 및 쿼리 튜닝 경험",
                                 "원활한 커뮤니케이션 능력"]
    assert texts(job.nice()) == ["Kafka, Redis를 활용한 대용량 시스템 개발 경험",
                                 "쿠버네티스 환경에서 서비스를 운영해 본 경험",
                                 "핀테크 또는 결제 도메인 경험자 우대"]
    assert responsibilities(job) == ["결제 승인 및 정산 시스템을 설계하고 개발합니다.",
                                     "대용량 트래픽을 처리하는 API 서버를 운영합니다."]
    assert job.skills == ("Java", "Kotlin", "Spring Boot", "MySQL", "relational databases",
                          "communication", "Kafka", "Redis", "Kubernetes")
    assert not any("보훈" in r.text for r in job.requirements)  # legal notice, not a requirement


def test_korean_posting_with_bracketed_headings() -> None:
    job = parse_job(KOREAN_DATA)
    assert job.title == "데이터 사이언티스트 (추천시스템)"
    assert texts(job.must()) == ["머신러닝 모델 개발 및 서비스 적용 경험 3년 이상",
                                 "Python, SQL에 능숙하신 분",
                                 "통계학 또는 컴퓨터공학 관련 석사 이상 (필수)"]
    assert texts(job.nice()) == ["PyTorch 기반 딥러닝 모델 개발 경험",
                                 "Spark 등 분산 처리 환경 경험",
                                 "영어로 논문을 읽고 토론하는 데 어려움이 없는 분"]
    assert len(responsibilities(job)) == 2
    assert job.skills == ("recommender systems", "machine learning", "Python", "SQL",
                          "statistics", "PyTorch", "deep learning", "Spark", "English")


def test_german_posting() -> None:
    job = parse_job(GERMAN)
    assert job.title == "Senior DevOps Engineer (m/w/d)"
    assert texts(job.must()) == [
        "Abgeschlossenes Studium der Informatik oder eine vergleichbare Ausbildung",
        "Mehrjährige Erfahrung mit Linux, Docker und Kubernetes",
        "Sehr gute Deutsch- und Englischkenntnisse",
    ]
    assert texts(job.nice()) == ["Erfahrung mit Ansible ist von Vorteil",
                                 "Kenntnisse in Go oder Python"]  # the label is not the text
    assert responsibilities(job) == [
        "Du betreibst und automatisierst unsere Kubernetes-Cluster in Azure",
        "Du baust CI/CD-Pipelines mit GitLab CI und Terraform"]
    assert job.skills == ("DevOps", "Kubernetes", "Azure", "CI/CD", "GitLab CI", "Terraform",
                          "Linux", "Docker", "German", "English", "Ansible", "Go", "Python")


def test_spanish_posting() -> None:
    job = parse_job(SPANISH)
    assert job.title == "Desarrollador/a Frontend Senior"
    assert texts(job.must()) == ["Al menos 4 años de experiencia con JavaScript y React",
                                 "Experiencia con pruebas unitarias (Jest)", "Nivel de inglés alto"]
    assert texts(job.nice()) == ["Conocimientos de Next.js", "Experiencia con GraphQL"]
    assert responsibilities(job) == ["Desarrollar nuevas funcionalidades en React y TypeScript",
                                     "Colaborar con el equipo de diseño en Figma"]
    assert job.skills == ("React", "TypeScript", "Figma", "JavaScript", "Jest", "English",
                          "Next.js", "GraphQL")


def test_french_posting() -> None:
    job = parse_job(FRENCH)
    assert job.title == "Développeur Python (H/F)"
    assert texts(job.must()) == ["Vous avez au moins 3 ans d'expérience en développement Python",
                                 "Maîtrise de PostgreSQL"]
    assert texts(job.nice()) == ["La connaissance de Docker serait un plus",
                                 "Anglais technique souhaité"]
    assert responsibilities(job) == ["Concevoir et développer des API avec Django",
                                     "Participer aux revues de code"]
    assert job.skills == ("Python", "Django", "PostgreSQL", "Docker", "English")


def test_japanese_posting() -> None:
    job = parse_job(JAPANESE)
    assert job.title == "バックエンドエンジニア（Go）"
    assert texts(job.must()) == ["Go言語での開発経験3年以上", "AWSを利用したインフラ構築経験",
                                 "RDBMS（MySQL、PostgreSQL）の設計経験"]
    assert texts(job.nice()) == ["Kubernetesの運用経験", "チームリーダーの経験"]
    assert responsibilities(job) == ["決済サービスのAPI設計・開発", "マイクロサービスの運用改善"]
    assert job.skills == ("Go", "microservices", "AWS", "relational databases", "MySQL",
                          "PostgreSQL", "Kubernetes")


def test_chinese_posting() -> None:
    job = parse_job(CHINESE)
    assert job.title == "高级Java开发工程师"
    assert texts(job.must()) == ["本科及以上学历，计算机相关专业",
                                 "5年以上Java开发经验，熟悉Spring Boot、MyBatis",
                                 "熟悉MySQL、Redis，有Kafka使用经验"]
    assert texts(job.nice()) == ["有金融行业经验者优先。"]
    assert responsibilities(job) == ["负责支付核心系统的设计与开发",
                                     "参与系统架构优化，提升系统稳定性。"]
    assert job.skills == ("Java", "Spring Boot", "MyBatis", "MySQL", "Redis", "Kafka")


def test_markdown_numbered_lists_and_guessed_products() -> None:
    job = parse_job(MARKDOWN)
    assert job.title == "Site Reliability Engineer"
    assert texts(job.must()) == ["3+ years in an SRE or DevOps role",
                                 "Deep knowledge of Linux and networking"]
    assert texts(job.nice()) == ["Terraform or Pulumi",
                                 "Experience with Dagster, Airflow or Prefect"]
    assert job.nice()[1].skills == ("Dagster", "Airflow", "Prefect")  # listed next to Airflow
    assert "Dagster" in job.skills and "Prefect" in job.skills


def test_lines_without_bullets_under_shouted_headings() -> None:
    job = parse_job(LEVER)
    assert job.title == "Product Designer"
    assert texts(job.must()) == ["4+ years of product design experience",
                                 "Fluency in Figma and prototyping tools"]
    assert texts(job.nice()) == ["Some familiarity with HTML/CSS"]
    assert responsibilities(job) == ["Lead end-to-end design for our data exploration product",
                                     "Run user research sessions with scientists"]


def test_sub_headings_and_bullets_that_open_sections() -> None:
    job = parse_job("Platform Engineer\n\nWhat will you do?\n- Run our Kubernetes platform\n\n"
                    "Who are you?\nTechnical skills:\n- Terraform and AWS\nSoft skills:\n"
                    "- Clear written communication\n\nRequirements:\n- Must have:\n  - Python\n"
                    "  - Bash\n- Nice to have:\n  - Rust\n\nAdditional information\n"
                    "- Visa sponsorship is not available\n")
    assert responsibilities(job) == ["Run our Kubernetes platform"]
    assert texts(job.must()) == ["Terraform and AWS", "Clear written communication", "Python",
                                 "Bash"]
    assert texts(job.nice()) == ["Rust"]
    assert len(job.requirements) == 6


def test_uk_essential_and_desirable_criteria() -> None:
    job = parse_job("Staff Nurse\n\nKey Responsibilities\n- Deliver care in the emergency "
                    "department\n\nPerson Specification\n\nEssential\n- Current NMC "
                    "registration\n- Excellent communication skills\n\nDesirable\n"
                    "- Mentorship qualification\n\nPlease note we may close this vacancy early.")
    assert texts(job.must()) == ["Current NMC registration", "Excellent communication skills"]
    assert texts(job.nice()) == ["Mentorship qualification"]
    assert job.skills == ("communication", "mentoring")


def test_inline_levels_beat_the_heading() -> None:
    job = parse_job("Requirements\n- Python (required)\n- Rust is a big plus\n"
                    "- Ideally some Go\n- Required: SQL\n- Bonus: Kafka\n- AWS preferred\n"
                    "- A degree is not required\n- Other duties as required by the team")
    assert [(r.level, r.text) for r in job.requirements] == [
        ("must", "Python (required)"), ("nice", "Rust is a big plus"),
        ("nice", "Ideally some Go"), ("must", "SQL"), ("nice", "Kafka"),
        ("nice", "AWS preferred"), ("nice", "A degree is not required"),
        ("must", "Other duties as required by the team")]


def test_no_headings_at_all_gives_unspecified_bullets() -> None:
    job = parse_job("We need a freelance WordPress developer for a three-month project.\n"
                    "- Build a custom theme from our Figma designs\n"
                    "- Integrate WooCommerce payments\n"
                    "- Make the site fast and accessible\n")
    assert job.title == ""
    assert [(r.level, r.kind) for r in job.requirements] == [("unspecified", "requirement")] * 3
    assert texts(job.requirements) == ["Build a custom theme from our Figma designs",
                                       "Integrate WooCommerce payments",
                                       "Make the site fast and accessible"]
    assert job.skills == ("WordPress", "Figma", "WooCommerce")


def test_plain_prose_without_headings_keeps_requirement_like_sentences() -> None:
    job = parse_job("We are hiring a nurse for our clinic. You have a valid nursing licence "
                    "and two years of experience in emergency care. The clinic is near the "
                    "station.")
    assert texts(job.requirements) == [
        "You have a valid nursing licence and two years of experience in emergency care."]


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\n\n\n"])
def test_empty_text_gives_an_empty_result(text: str) -> None:
    assert parse_job(text) == JobRequirements()
    assert parse_job(text).must() == () and parse_job(text).nice() == ()


def test_a_text_with_only_benefits_has_no_requirements() -> None:
    job = parse_job("Benefits\n- Health, dental and vision insurance\n- 401(k) matching\n"
                    "- Unlimited PTO\n\nEqual opportunity\nWe are an equal opportunity "
                    "employer.\n")
    assert job.requirements == ()
    assert job.skills == ()


def test_label_lines_for_location_do_not_swallow_the_list() -> None:
    job = parse_job("Backend Engineer\nLocation: Remote\n- 3+ years of Go experience\n"
                    "- Build our billing service\n")
    assert texts(job.requirements) == ["3+ years of Go experience", "Build our billing service"]


def test_job_title_label_wins_over_the_first_line() -> None:
    job = parse_job("ACME CORP\nJob title: Senior QA Engineer\n\nRequirements\n- Selenium")
    assert job.title == "Senior QA Engineer"
    assert job.must()[0].skills == ("Selenium",)


def test_ten_thousand_lines_parse_quickly_and_in_order() -> None:
    lines = GREENHOUSE.splitlines()
    text = "\n".join((lines * (10_000 // len(lines) + 1))[:10_000])
    started = time.perf_counter()
    job = parse_job(text)
    print(f"10,000 lines ({len(text):,} characters) in {time.perf_counter() - started:.3f}s")
    per_copy = len(parse_job(GREENHOUSE).requirements)
    assert per_copy * (10_000 // len(lines)) <= len(job.requirements)
    assert [r.start for r in job.requirements] == sorted(r.start for r in job.requirements)


def test_pathological_lines_stay_linear() -> None:
    """One line with tens of thousands of skills, or of brackets, must not explode."""
    for text in ["- " + "Python, Go, Foo, " * 5000, "(" * 50_000, "Requirements: " * 5000,
                 "C/C++ R Go " * 10_000]:
        started = time.perf_counter()
        parse_job(text)
        print(f"{len(text):,} characters in {time.perf_counter() - started:.3f}s")


# ----------------------------------------------------------------------------- find_skills
@pytest.mark.parametrize(("text", "skills"), [
    ("k8s and Postgres, JS and TS", ("Kubernetes", "PostgreSQL", "JavaScript")),
    ("Golang services; go-lang too", ("Go",)),
    ("Experience with Python, Go, or Rust", ("Python", "Go", "Rust")),
    ("Proficiency in Go", ("Go",)),
    ("go to market strategy, a go-to-market plan; Go above and beyond; let's go", ()),
    ("Go 언어 개발 경험, Go言語", ("Go",)),
    ("C, C++ and C# developers", ("C", "C++", "C#")),
    ("Series C funding, C-level and C-suite stakeholders", ()),
    ("Embedded C on ARM; C/C++", ("C", "C++")),
    ("R&D team and R&R", ()),
    ("statistics in R; Python/R; R or SAS", ("statistics", "R", "Python", "SAS")),
    ("R programming", ("R",)),
    ("Grade R students", ()),
    (".NET Core, ASP.NET and VB.NET", (".NET", "ASP.NET", "VB.NET")),
    ("JavaScript for scalable systems", ("JavaScript",)),
    ("Node.js, React.js, Vue.js and Next.js", ("Node.js", "React", "Vue.js", "Next.js")),
    ("CI/CD pipelines, A/B testing, UI/UX, PL/SQL", ("CI/CD", "A/B testing", "UX design",
                                                   "PL/SQL")),
    ("scikit-learn, machine-learning, problem-solving", ("scikit-learn", "machine learning",
                                                        "problem solving")),
    ("You excel at communication. Advanced Excel skills.", ("communication", "Excel")),
    ("Spark joy? No: Apache Spark and PySpark", ("Spark", "PySpark")),
    ("Ｐｙｔｈｏｎ経験、機械学習の知識", ("Python", "machine learning")),
    ("쿠버네티스 운영, 머신러닝, 커뮤니케이션",
     ("Kubernetes", "machine learning", "communication")),
    ("stakeholder management and cross-functional collaboration",
     ("stakeholder management", "collaboration")),
    ("Fluent English; the German market; Deutsch fließend", ("English", "German")),
    ("SQL Server and MySQL", ("SQL Server", "MySQL")),
])
def test_find_skills(text: str, skills: tuple[str, ...]) -> None:
    assert find_skills(text) == skills


def test_find_skills_is_in_order_of_first_appearance_without_repeats() -> None:
    assert find_skills("Docker, then Python, then docker again and python") == ("Docker",
                                                                                 "Python")


def test_skill_hits_give_offsets_into_the_text() -> None:
    text = "Ｇｏ is not needed, but Kubernetes (k8s) is"
    for hit in skill_hits(text):
        assert text[hit.start:hit.end] in {"Kubernetes", "k8s"}


@pytest.mark.parametrize(("text", "guesses"), [
    ("Experience with warehouses such as Firebolt, Redshift or BigQuery", ["Firebolt"]),
    ("Familiarity with LangGraph", ["LangGraph"]),
    ("Python, Foo, Bar", ["Foo", "Bar"]),
    ("Redshift or Firebolt is a plus", ["Firebolt"]),
    ("Publications at NeurIPS, ICML or SIGIR", []),
    ("Offices in Berlin, London or Lisbon", []),
    ("Bachelor's in Computer Science, Mathematics, or Statistics", []),
    ("Strong SQL, Excellent Communication", []),
    ("A PhD from McKinsey, Python", []),
])
def test_guessed_product_names_stay_precise(text: str, guesses: list[str]) -> None:
    assert [hit.name for hit in guess_products(text)] == guesses
