"""``python -m interviewkit``: the scripting contract (streams, prefixes, exit codes)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewkit.cli import main
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import ROOT, app_on_mock, corpus_file

KIT = "### 1. Why Typst?\n**Listen for:**\n- tooling\n**Follow-up:** And LaTeX?\n"


@pytest.fixture
def mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    with app_on_mock(monkeypatch, Reply(text=KIT), key="sk-cli-test") as server:
        yield server


def test_extract_prints_text_and_warning_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(corpus_file("cv", "moderncv_template_zh.pdf"))])
    out, err = capsys.readouterr()
    assert code == 0
    assert "学位" in out and "学学学位位位" not in out
    lines = err.splitlines()
    assert lines and all(line.startswith("warning: ") for line in lines)
    assert any("bold" in line for line in lines)


@pytest.mark.parametrize(("args", "phrase"), [
    (["extract", "{hostile}/not_a_pdf_oops.pdf"], "is not a PDF"),
    (["extract", "{hostile}/enc_aes256_user_and_owner_password.pdf"], "password"),
    (["extract", "{hostile}/enc_aes256_user_and_owner_password.pdf", "--password", "x"],
     "does not open"),
    (["extract", "/nonexistent/cv.pdf"], "cannot read"),
    (["generate", "{cv}/rendercv_classic_2p.pdf", "--prompt", "no_such_prompt"], "no_such"),
    (["generate", "{cv}/rendercv_classic_2p.pdf", "--set", "num_questions=99"], "num_questions"),
    (["generate", "{cv}/rendercv_classic_2p.pdf", "--set", "oops"], "NAME=VALUE"),
])
def test_bad_input_exits_2_with_one_error_line(args: list[str], phrase: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    corpus_file("hostile", "not_a_pdf_oops.pdf")
    hostile, cv = ROOT.parent / "shared/corpus/hostile", ROOT.parent / "shared/corpus/cv"
    code = main([a.format(hostile=hostile, cv=cv) for a in args])
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert code == 2 and len(errors) == 1 and phrase in errors[0], err
    assert out == ""


def test_generate_streams_the_kit_with_the_job_and_inputs(
        mock: MockOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    job = tmp_path / "job.txt"
    job.write_text("Staff platform engineer, Kubernetes", encoding="utf-8")
    code = main(["generate", str(corpus_file("cv", "rendercv_classic_2p.pdf")),
                 "--prompt", "technical_screen", "--job", str(job),
                 "--set", "num_questions=4", "--set", "seniority=staff", "--mode", "whole"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == KIT.strip()
    assert "info: model: mock-model" in err
    sent = "\n".join(m["content"] for m in mock.requests[-1].body["messages"])
    assert "Kubernetes" in sent and "for a staff-level candidate" in sent
    assert "Write exactly 4 questions about the candidate's CV" in sent
    assert "up to ### 4." in sent and "Write 4 technical screening questions" in sent


def test_upstream_failure_exits_3_and_keeps_the_partial_kit(
        mock: MockOpenAIServer, capsys: pytest.CaptureFixture[str]) -> None:
    mock.enqueue(Reply(text=KIT, cut_after=5))
    code = main(["generate", str(corpus_file("cv", "rendercv_classic_2p.pdf")), "--mode", "whole"])
    out, err = capsys.readouterr()
    assert code == 3
    assert out.strip() and KIT.startswith(out.strip())
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "dropped" in errors[0]
    assert "sk-cli-test" not in err


def test_rate_limit_exits_3(mock: MockOpenAIServer, capsys: pytest.CaptureFixture[str]) -> None:
    mock.enqueue(*[Reply.failure(429, headers={"Retry-After": "0"})] * 3)
    code = main(["generate", str(corpus_file("cv", "rendercv_classic_2p.pdf")), "--mode", "whole"])
    _, err = capsys.readouterr()
    assert code == 3 and "error: Rate limited" in err


def test_module_entry_point_runs(tmp_path: Path) -> None:
    cv = tmp_path / "cv.md"
    cv.write_text("# Jane Roe\nGo and Rust engineer, 2018-2025.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "interviewkit", "extract", str(cv)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Rust engineer" in done.stdout


def test_generate_prints_fair_hiring_findings(mock: MockOpenAIServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    mock.enqueue(Reply(text="### 1. How old are you?\n**Listen for:**\n- x\n"
                            "**Follow-up:** Are you married?\n"))
    code = main(["generate", str(corpus_file("cv", "rendercv_classic_2p.pdf")), "--mode", "whole"])
    _, err = capsys.readouterr()
    findings = [line for line in err.splitlines() if line.startswith("finding: ")]
    assert code == 0 and len(findings) == 2
    assert "Age" in findings[0] and "Marital" in findings[1]


def test_generate_redacts_for_remote_models_unless_told_not_to(
        mock: MockOpenAIServer, capsys: pytest.CaptureFixture[str]) -> None:
    cv = str(corpus_file("cv", "sb2nov_resume_one_column.pdf"))
    assert main(["generate", cv, "--mode", "whole"]) == 0
    assert "@" not in mock.requests[-1].body["messages"][-1]["content"]
    assert "info: redacted before sending:" in capsys.readouterr().err
    assert main(["generate", cv, "--no-redact", "--mode", "whole"]) == 0
    assert "@" in mock.requests[-1].body["messages"][-1]["content"]


def test_generate_saves_to_history_and_export_reads_it_back(
        mock: MockOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", str(corpus_file("cv", "rendercv_classic_2p.pdf")),
                 "--mode", "whole"]) == 0
    assert "info: saved to history as kit 1" in capsys.readouterr().err
    assert main(["history", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and listed[0].split("\t")[0] == "1"
    out = tmp_path / "kit.json"
    assert main(["export", "1", "--format", "json", "--output", str(out)]) == 0
    assert "Why Typst?" in out.read_text(encoding="utf-8")


def test_generate_plans_one_request_per_cv_passage_by_default(
        mock: MockOpenAIServer, capsys: pytest.CaptureFixture[str]) -> None:
    mock.default = Reply(text="How did you choose Typst for this?\n**Listen for:**\n"
                              "- Explains the trade-off\n- Compares it with LaTeX\n"
                              "**Follow-up:** What broke?\n")
    cv = corpus_file("cv", "rendercv_classic_2p.pdf")
    code = main(["generate", str(cv), "--set", "num_questions=3"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert len(mock.requests) == 3, "one short request per planned question"
    users = [r.body["messages"][-1]["content"] for r in mock.requests]
    assert all("<cv_passage>" in user and "<candidate_cv>" not in user for user in users)
    systems = {r.body["messages"][0]["content"] for r in mock.requests}
    assert len(systems) == 1, "the same system prompt for every question (a cached prefix)"
    plan = [line for line in err.splitlines() if line.startswith("info: plan: question ")]
    assert len(plan) == 3
    assert [line.split("### ")[1][:2] for line in out.splitlines()
            if line.startswith("### ")] == ["1.", "2.", "3."]
    assert out.count("**Based on:**") == 3
