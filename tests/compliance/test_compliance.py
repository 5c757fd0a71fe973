"""The fair-hiring guard: rules as data, findings per question, kits, the CLI, the labelled set."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from interviewkit import cli
from interviewkit.compliance import (
    available_rules,
    check_kit,
    check_question,
    extract_questions,
    iter_parts,
    iter_questions,
    load_rules,
    normalise,
)
from interviewkit.config import RULES_ENV
from interviewkit.errors import RulesError

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "tests" / "data" / "questions.tsv"
US_GROUNDS = {"age", "sex", "pregnancy", "marital_status", "religion", "national_origin", "race",
              "disability", "sexual_orientation", "genetic", "arrest_record", "union",
              "birthplace", "family_background", "property", "physical", "military_discharge"}

HARD_NEGATIVES = [
    "Are you able to perform the essential functions of this job, with or without accommodation?",
    "This role travels 30% of the time — does that work for you?",
    "Are you legally authorised to work in this country?",
    "Tell me about a time you mentored a junior engineer",
    "How many years of experience do you have with Kubernetes?",
    "Have you ever been convicted of a felony?",
    "Will you now or in the future require visa sponsorship?",
    "How would you debug a race condition in a multithreaded service?",
    "How did you retire the legacy billing service without downtime?",
    "How do you weigh consistency against availability?",
    "When would you use UNION ALL instead of a JOIN?",
    "서비스 장애가 발생했을 때 어떻게 대응하셨나요?",
    "API 키를 어디에 저장하셨나요?",
    "배달의민족 주문 시스템에서 맡은 역할은 무엇이었나요?",
    "부모 프로세스와 자식 프로세스는 어떻게 통신하나요?",
]

RISKY = [
    ("How old are you?", "age", "How old are you"),
    ("What year did you graduate from high school?", "age", "What year did you graduate"),
    ("Do you plan to have children?", "pregnancy", "have children"),
    ("Are you married?", "marital_status", "Are you married"),
    ("Where are you originally from?", "national_origin", "Where are you originally from"),
    ("What is your nationality?", "national_origin", "nationality"),
    ("Have you ever been arrested?", "arrest_record", "arrested"),
    ("Do you have a disability?", "disability", "disability"),
    ("Are you a member of a union?", "union", "member of a union"),
    ("Does cancer run in your family?", "genetic", "cancer run in your family"),
    ("나이가 어떻게 되세요?", "age", "나이가 어떻게"),
    ("고향이 어디세요?", "birthplace", "고향"),
    ("아버님은 무슨 일을 하세요?", "family_background", "아버님은 무슨 일"),
    ("키가 어떻게 되세요?", "physical", "키가 어떻게"),
    ("집은 자가예요?", "property", "자가예요"),
    ("결혼은 하셨어요?", "marital_status", "결혼은"),
]


@pytest.mark.parametrize("question", HARD_NEGATIVES)
def test_hard_negatives_pass_clean(question: str) -> None:
    assert check_question(question) == []


@pytest.mark.parametrize(("question", "ground", "phrase"), RISKY)
def test_risky_questions_name_the_ground_and_the_words(question: str, ground: str,
                                                       phrase: str) -> None:
    (finding,) = check_question(question)
    assert (finding.ground, finding.phrase) == (ground, phrase)
    assert finding.why


def test_phrase_is_quoted_as_written_through_normalisation() -> None:
    (finding,) = check_question("So — WHAT’S your age, roughly?")
    assert finding.phrase == "WHAT’S your age"
    (finding,) = check_question("How do you feel about a **male-dominated** team?")
    assert finding.phrase == "male-dominated"
    assert normalise("What’s  up-to-date?")[0] == "whats up to date?"


def test_texts_follow_the_language_of_the_question() -> None:
    (en,) = check_question("Are you a U.S. citizen?")
    (ko,) = check_question("국적이 어디세요?")
    assert en.rewrite == ("Are you legally authorised to work in this country? "
                          "Will you now or in the future need visa sponsorship?")
    assert "IRCA" in en.why
    assert ko.rewrite is not None and "비자" in ko.rewrite and "이민개혁통제법" in ko.why


def test_no_rewrite_where_there_is_no_lawful_version() -> None:
    (finding,) = check_question("What is your race?")
    assert finding.ground == "race" and finding.rewrite is None


def test_several_grounds_come_in_reading_order() -> None:
    findings = check_question("Are you married, and how old are you?")
    assert [f.ground for f in findings] == ["marital_status", "age"]


def test_builtin_rule_sets() -> None:
    assert {"us_eeoc", "kr_fair_hiring", "eu_gdpr"} <= set(available_rules())
    us = load_rules()
    assert {g.key for g in us.grounds} == US_GROUNDS
    kr = load_rules("kr_fair_hiring")
    assert [Path(s).name for s in kr.sources] == ["us_eeoc.yaml", "kr_fair_hiring.yaml"]
    assert {g.key for g in kr.grounds} == US_GROUNDS | {"political_opinion"}
    (finding,) = check_question("부모님 학력은 어떻게 되세요?", kr)
    assert "채용절차법 제4조의3" in finding.why
    assert check_question("지지하는 정당이 있나요?", kr)[0].ground == "political_opinion"
    assert check_question("지지하는 정당이 있나요?") == []  # not a US federal ground


def test_jurisdictions_differ_on_convictions() -> None:
    question = "Have you ever been convicted of a crime?"
    assert check_question(question, load_rules("us_eeoc")) == []
    (finding,) = check_question(question, load_rules("eu_gdpr"))
    assert finding.ground == "criminal_record" and "art. 10" in finding.why


COMPANY_RULES = """\
name: Acme hiring policy
extends: us_eeoc
grounds:
  salary_history:
    label: Salary history
    why: Many US states ban asking about pay history.
    rewrite: What are your salary expectations?
    rules:
      - match: '\\b(?:current|previous|last) (?:salary|pay)\\b'
      - match: '\\bhow much (?:do|did) you (?:make|earn)\\b'
  age:
    rules:
      - match: '\\bboomer\\b'
"""


def test_company_rules_from_the_env_directory(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "acme.yaml").write_text(COMPANY_RULES, encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(tmp_path))
    rules = load_rules("acme")
    assert rules.name == "Acme hiring policy" and "acme" in available_rules()
    (finding,) = check_question("What was your previous salary?", rules)
    assert finding.ground == "salary_history"
    assert finding.rewrite == "What are your salary expectations?"
    assert rules.label("salary_history") == "Salary history"
    assert check_question("Are you a boomer?", rules)[0].ground == "age"
    assert check_question("How old are you?", rules)[0].ground == "age"  # inherited


def test_a_company_file_may_shadow_and_extend_a_builtin(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "us_eeoc.yaml").write_text(COMPANY_RULES, encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(tmp_path))
    rules = load_rules()
    assert rules.name == "Acme hiring policy" and len(rules.sources) == 2


def test_rules_by_path_are_reloaded_when_edited(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(COMPANY_RULES, encoding="utf-8")
    assert load_rules(str(path)).name == "Acme hiring policy"
    path.write_text(COMPANY_RULES.replace("Acme hiring policy", "Acme v2"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert load_rules(str(path)).name == "Acme v2"


AGE = "name: x\ngrounds:\n  age:\n    label: Age\n    why: w\n    rules:\n"
BAD_FILES = [
    ("grounds: {}\n", "name: must be a non-empty one-line string"),
    ("name: x\nrules: []\n", "top level: unknown key(s) rules"),
    (AGE + "      - match: '(unclosed'\n",
     "grounds.age.rules[0].match: invalid regex"),
    (AGE + "      - match: 'a?'\n",
     "grounds.age.rules[0].match: regex matches empty text"),
    (AGE + "      - mach: 'a'\n",
     "grounds.age.rules[0]: unknown key(s) mach"),
    ("name: x\ngrounds:\n  new_ground:\n    rules:\n      - match: 'a'\n",
     "grounds.new_ground: needs 'label', 'why'"),
    ("name: x\ngrounds:\n  Age:\n    label: A\n", "grounds: 'Age' is not a ground id"),
    ("name: x\ngrounds:\n  age:\n    why: {en: [1]}\n", "grounds.age.why.en: must be"),
    ("name: x\nextends: nowhere\n", "no rule file named 'nowhere'"),
    ("name: x\ngrounds: [\n", "YAML syntax error"),
    ("- just a list\n", "a rule file must be a YAML mapping"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_bad_rule_files_name_the_file_and_the_field(tmp_path: Path, content: str,
                                                    message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(str(path))
    assert str(path) in str(info.value) and message in str(info.value)
    assert info.value.code == "rules"


def test_circular_extends_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a\n", encoding="utf-8")
    with pytest.raises(RulesError, match="circular"):
        load_rules(str(tmp_path / "a.yaml"))


def test_unknown_name_lists_what_exists() -> None:
    with pytest.raises(RulesError, match=r"available: .*kr_fair_hiring.*us_eeoc"):
        load_rules("atlantis")
    with pytest.raises(RulesError, match="not a rule name"):
        load_rules("Bad Name!")


KIT = """\
# Interview kit — cv.pdf

- Prompt: Technical screen

### 1. How did you scale the **Kafka** pipeline at Stripe?
**Listen for:**
- partitioning and consumer lag
**Follow-up:** What year did you graduate, by the way?

### 2. 나이가 어떻게 되세요?
**Listen for:**
- (none)
**Follow-up:** 이 프로젝트에서 가장 어려웠던 점은?
"""


def test_questions_and_follow_ups_come_out_of_a_kit() -> None:
    assert iter_questions(KIT) == [
        (5, "How did you scale the Kafka pipeline at Stripe?"),
        (8, "What year did you graduate, by the way?"),
        (10, "나이가 어떻게 되세요?"),
        (13, "이 프로젝트에서 가장 어려웠던 점은?"),
    ]
    checked = check_kit(KIT)
    assert [(c.line, c.part) for c in checked] == [
        (5, "question"), (7, "listen_for"), (8, "follow_up"), (10, "question"), (13, "follow_up")]
    assert [[f.ground for f in c.findings] for c in checked] == [[], [], ["age"], ["age"], []]


def test_plain_files_have_one_question_per_line() -> None:
    text = "# my questions\n\n1. How old are you?\n- Why Rust?\nQ3: Are you married?\n"
    assert extract_questions(text) == ["How old are you?", "Why Rust?", "Are you married?"]


def test_a_heading_alone_is_a_kit_in_progress() -> None:
    assert extract_questions("### 3. Where were you born?") == ["Where were you born?"]


def _lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_lint_json_is_one_object_per_question(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kit.md"
    path.write_text(KIT, encoding="utf-8")
    code, out, err = _lint(capsys, str(path), "--json")
    assert code == 1 and err == ""
    data = json.loads(out)
    assert [item["line"] for item in data] == [5, 7, 8, 10, 13]
    assert data[0] == {"line": 5, "question": "How did you scale the Kafka pipeline at Stripe?",
                       "part": "question", "findings": []}
    assert set(data[2]["findings"][0]) == {"ground", "phrase", "why", "rewrite", "source"}
    assert data[2]["findings"][0]["phrase"] == "What year did you graduate"
    assert data[2]["findings"][0]["source"] == "rules"


def test_cli_lint_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fine = tmp_path / "fine.txt"
    fine.write_text("Tell me about a time you mentored a junior engineer\n", encoding="utf-8")
    code, out, _ = _lint(capsys, str(fine))
    assert code == 0 and out.startswith("line 1: ok: Tell me about") and "0 of 1" in out
    risky = tmp_path / "risky.txt"
    risky.write_text("Have you ever been convicted of a crime?\n", encoding="utf-8")
    assert _lint(capsys, str(risky))[0] == 0
    code, out, _ = _lint(capsys, str(risky), "--rules", "eu_gdpr")
    assert code == 1 and "Criminal convictions (criminal_record)" in out
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# nothing\n", encoding="utf-8")
    assert _lint(capsys, str(empty))[0:3:2] == (2, f"error: no questions found in {empty}\n")
    code, _, err = _lint(capsys, str(tmp_path / "missing.txt"))
    assert code == 2 and err.startswith("error: cannot read")
    code, _, err = _lint(capsys, str(fine), "--rules", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml not found" in err
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert _lint(capsys, str(binary))[0] == 2


def _rows() -> list[dict[str, str]]:
    with QUESTIONS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_labelled_set_is_well_formed() -> None:
    rows = _rows()
    assert len(rows) >= 150 and list(rows[0]) == ["id", "split", "lang", "label", "ground",
                                                  "question"]
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == {"dev", "holdout"}
    assert {r["lang"] for r in rows} == {"en", "ko"}
    for row in rows:
        assert row["label"] in ("risky", "fine"), row
        assert (row["label"] == "fine") == (row["ground"] == ""), row
        assert row["ground"] in US_GROUNDS | {""}, row
    holdout = [r for r in rows if r["split"] == "holdout"]
    assert len(holdout) >= 100 and {r["lang"] for r in holdout} == {"en", "ko"}


@pytest.mark.parametrize(("split", "min_recall", "min_precision"),
                         [("dev", 0.95, 0.90), ("holdout", 0.94, 0.95)])
def test_measured_precision_and_recall(split: str, min_recall: float,
                                       min_precision: float) -> None:
    """Regression floors of the rules alone; the holdout is reported, never tuned on."""
    rules = load_rules()
    rows = [r for r in _rows() if r["split"] == split]
    flagged = {r["id"] for r in rows if check_question(r["question"], rules, semantic=False)}
    risky = {r["id"] for r in rows if r["label"] == "risky"}
    assert len(flagged & risky) / len(risky) >= min_recall
    assert len(flagged & risky) / len(flagged) >= min_precision


def test_the_benchmark_prints_figures_per_ground() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "compliance.py")],
                          capture_output=True, text=True, timeout=60, check=True)
    assert "== dev:" in done.stdout and "== holdout:" in done.stdout
    assert "marital_status" in done.stdout and "precision" in done.stdout


def test_listen_for_points_keep_their_own_lines() -> None:
    """The kit parser keeps no line per point; the guard finds each one, repeats included."""
    kit = ("### 1. Why Rust?\n**Listen for:**\n- ownership and borrowing\n"
           "- ownership and borrowing\n- a point that goes on\n  over two lines here\n"
           "- (none)\n**Follow-up:** What broke?\n")
    assert iter_parts(kit) == [
        (1, "question", "Why Rust?"),
        (3, "listen_for", "ownership and borrowing"),
        (4, "listen_for", "ownership and borrowing"),
        (5, "listen_for", "a point that goes on over two lines here"),
        (8, "follow_up", "What broke?"),
    ]
    assert iter_questions(kit) == [(1, "Why Rust?"), (8, "What broke?")]


def test_a_rating_guides_anchors_are_checked_at_their_lines() -> None:
    kit = ("### 1. How did you run the migration?\n**Listen for:**\n- a rollback plan\n"
           "**Follow-up:** What failed first?\n**Rating:**\n- 1: Stays vague about the plan\n"
           "- 3: Names the steps but no figures\n"
           "- 5: A digital native who quantifies the cut-over\n")
    parts = iter_parts(kit)
    assert [(line, kind) for line, kind, _ in parts if kind == "rating"] == \
        [(6, "rating"), (7, "rating"), (8, "rating")]
    flagged = [c for c in check_kit(kit, load_rules("us_eeoc"), semantic=False) if c.findings]
    assert [(c.line, c.part) for c in flagged] == [(8, "rating")]
    assert {f.ground for f in flagged[0].findings} == {"age"}


@pytest.mark.parametrize(("text", "ground"), [
    # Listen-for points speak of the candidate in the third person
    ("Listen for: whether the candidate is attractive enough to front the sales team",
     "physical"),
    ("Listen for: how their health holds up on double shifts", "disability"),
    ("Listen for: whether she mentions her height", "physical"),
    # ground words the rules lacked
    ("Listen for: whether the candidate is of Korean descent", "national_origin"),
    ("Some customers can be funny about race; how would they react to you?", "race"),
    ("Was your time off last year for health reasons?", "disability"),
])
def test_third_person_points_and_ground_words_are_caught(text: str, ground: str) -> None:
    found = check_question(text, load_rules(), semantic=False)
    assert [f.ground for f in found] == [ground], found
    assert all(f.phrase and f.phrase in text for f in found), "the quoted words are the text's"


@pytest.mark.parametrize("text", [
    "Listen for: whether the candidate explains gradient descent clearly",
    "Listen for: how they find and fix a race condition between two threads",
    "고객이 사투리를 심하게 써서 알아듣기 어려울 때는 어떻게 응대하시겠어요?",
    "팀원이 육아휴직을 마치고 복귀했을 때, 파트장으로서 업무 적응을 어떻게 도우시겠어요?",
    "What did you change to make the hiring process fairer for candidates with disabilities?",
    "Listen for: whether they weigh the trade-offs of the heritage codebase migration",
])
def test_lawful_texts_near_those_words_stay_clean(text: str) -> None:
    assert check_question(text, load_rules(), semantic=False) == []
