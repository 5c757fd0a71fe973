"""Prompt Lab logic: checking, safe saving, diffs, prices, concurrent A/B runs, and the CLI.

Files live in tmp dirs (never the real ``prompts/``); comparisons use :class:`FakeProvider`
with delays, and the CLI goes through the real SDK to :class:`MockOpenAIServer`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from interviewkit.cli import main
from interviewkit.config import Settings
from interviewkit.errors import PromptError
from interviewkit.ingest.cv import read_pasted
from interviewkit.kit.pipeline import new_run
from interviewkit.lab.compare import (
    OFFLINE,
    REMOTE,
    Comparison,
    LabEvent,
    Side,
    SideConfig,
    build_side,
    endpoints,
)
from interviewkit.lab.prices import price_for
from interviewkit.promptfiles import library as lab
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.promptfiles.schema import PromptSpec, parse_prompt
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import ROOT, FakeProvider

GOOD = """\
# A small prompt owned by these tests (the shipped ones are edited independently).
name: Technical screen
description: Technical questions about the projects on this CV.
version: 1
model:
  temperature: 0.4
  max_tokens: 800
inputs:
  num_questions:
    type: integer
    default: 5
    min: 1
    max: 15
  seniority:
    type: choice
    default: mid
    choices: [junior, mid, senior]
system: |
  You are a senior engineer.
  Write exactly {{num_questions}} questions for a {{seniority}} candidate.
user: |
  {{cv}}

  {{job_description}}
"""
CV = "Jane Roe\nSenior Rust engineer at Acme, 2019-2024. Built a payments ledger."


@pytest.fixture
def prompts(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "technical_screen.yaml").write_text(GOOD, encoding="utf-8")
    return folder


def spec() -> PromptSpec:
    return parse_prompt(GOOD, "technical_screen.yaml")


# -- checking -------------------------------------------------------------------------------
def test_an_error_names_line_and_field_and_the_excerpt_marks_the_line() -> None:
    text = GOOD.replace("default: mid", "default: principal")
    result = lab.check_text(text, "edited.yaml")
    assert isinstance(result, PromptError)
    assert result.field == "inputs.seniority.default"
    assert text.splitlines()[(result.line or 0) - 1].strip() == "default: principal"
    line = lab.error_line(result)
    assert line.startswith(f"edited.yaml:{result.line}: inputs.seniority.default: ")
    marked = [row for row in lab.excerpt(text, result.line or 0).splitlines()
              if row.startswith(">")]
    assert len(marked) == 1 and marked[0].endswith(f"{result.line} |     default: principal")


def test_error_line_always_has_a_line_and_a_field() -> None:
    result = lab.check_text("", "empty.yaml")
    assert isinstance(result, PromptError)
    assert lab.error_line(result).startswith("empty.yaml:1: ")
    missing = lab.check_text("name: x\ndescription: y\nsystem: s\n", "m.yaml")
    assert isinstance(missing, PromptError)
    assert lab.error_line(missing).startswith("m.yaml:1: user: ")


def test_check_paths_reports_every_broken_file(prompts: Path) -> None:
    (prompts / "bad.yaml").write_text(GOOD.replace("{{cv}}", "{{ cv.name }}"), encoding="utf-8")
    (prompts / "typo.yml").write_text(GOOD.replace("temperature:", "tempreature:"),
                                      encoding="utf-8")
    (prompts / "notes.txt").write_text("not a prompt", encoding="utf-8")
    files, errors = lab.check_paths([prompts])
    assert sorted(p.name for p in files) == ["bad.yaml", "technical_screen.yaml", "typo.yml"]
    assert sorted(e.path.name for e in errors) == ["bad.yaml", "typo.yml"]
    with pytest.raises(lab.LabError, match="no such file"):
        lab.check_paths([prompts / "missing"])


def test_preview_fences_the_cv_and_stands_in_without_one() -> None:
    messages = lab.preview(spec(), cv=CV, job_description="", values={"num_questions": 3})
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "exactly 3 questions" in messages[0]["content"]
    assert f"<candidate_cv>\n{CV}\n</candidate_cv>" in messages[1]["content"]
    empty = lab.preview(spec(), cv=" ", job_description="", values={})
    assert lab.NO_CV in empty[1]["content"]


def test_the_blank_template_is_a_valid_prompt() -> None:
    assert parse_prompt(lab.TEMPLATE, "new.yaml").name == "My interview prompt"


# -- saving ---------------------------------------------------------------------------------
def test_save_new_file_never_overwrites(prompts: Path) -> None:
    text = GOOD.replace("name: Technical screen", "name: Short screen")
    path = lab.save_new_file(text, prompts, "Short Screen!")
    assert path == prompts / "short_screen.yaml"
    assert load_prompt(path).name == "Short screen"
    with pytest.raises(lab.LabError, match="already exists"):
        lab.save_new_file(text.replace("Short screen", "Other"), prompts, "short_screen")
    assert load_prompt(path).name == "Short screen", "the existing file is untouched"


def test_save_new_file_refuses_invalid_text_and_a_duplicate_name(prompts: Path) -> None:
    with pytest.raises(PromptError):
        lab.save_new_file(GOOD.replace("{{cv}}", ""), prompts, "broken")
    with pytest.raises(lab.LabError, match=r"already the name of technical_screen\.yaml"):
        lab.save_new_file(GOOD, prompts, "copy")
    with pytest.raises(lab.LabError, match="name"):
        lab.save_new_file(GOOD, prompts, "../..")
    assert sorted(p.name for p in prompts.iterdir()) == ["technical_screen.yaml"]


def test_with_version_replaces_or_inserts() -> None:
    assert "version: 7\n" in lab.with_version(GOOD, 7)
    assert parse_prompt(lab.with_version(GOOD, 7)).version == 7
    bare = GOOD.replace("version: 1\n", "")
    bumped = lab.with_version(bare, 2)
    assert parse_prompt(bumped).version == 2
    assert bumped.startswith("# A small prompt"), "comments before the first key stay first"
    assert "\nversion: 2\nname: Technical screen\n" in bumped


def test_save_new_version_archives_the_old_text(prompts: Path) -> None:
    path = prompts / "technical_screen.yaml"
    saved_text = lab.read_text(path)
    edited = saved_text.replace("Write exactly {{num_questions}} questions",
                                "Write exactly {{num_questions}} short questions")
    saved = lab.save_new_version(edited, path, saved_text)
    assert saved.version == 2 and saved.path == path
    assert saved.archived == prompts / ".versions" / "technical_screen.v1.yaml"
    assert saved.archived.read_text(encoding="utf-8") == saved_text
    assert load_prompt(path).version == 2 and "short questions" in load_prompt(path).system
    from interviewkit.promptfiles.loader import load_prompt_dir

    names = [p.path.name for p in load_prompt_dir(prompts)[0]]
    assert names == ["technical_screen.yaml"], "archived versions stay out of the dropdown"
    labels = [s.label for s in lab.sources(prompts)]
    assert labels == ["Technical screen — technical_screen.yaml",
                      "Technical screen — technical_screen.v1.yaml (archived)"]
    again = lab.save_new_version(lab.with_version(edited, 9), path, lab.read_text(path))
    assert again.version == 9, "a version the user typed that is higher is kept"


def test_save_new_version_refuses_when_the_file_changed_on_disk(prompts: Path) -> None:
    path = prompts / "technical_screen.yaml"
    opened = lab.read_text(path)
    path.write_text(opened.replace("version: 1", "version: 5"), encoding="utf-8")
    with pytest.raises(lab.LabError, match="changed on disk"):
        lab.save_new_version(opened.replace("senior engineer", "staff engineer"), path, opened)
    assert "version: 5" in path.read_text(encoding="utf-8")
    assert not (prompts / ".versions").exists()


def test_diff_is_unified_and_empty_when_equal() -> None:
    edited = GOOD.replace("default: 5", "default: 3")
    changes = lab.diff(GOOD, edited, "technical_screen.yaml")
    assert changes.startswith("--- technical_screen.yaml (saved)\n+++ technical_screen.yaml")
    assert "\n-    default: 5\n+    default: 3\n" in changes
    assert lab.diff(GOOD, GOOD, "x.yaml") == ""


# -- prices and sides -----------------------------------------------------------------------
def test_prices_cover_common_models_and_snapshots() -> None:
    assert price_for("gpt-4o-mini") == price_for("gpt-4o-mini-2024-07-18") is not None
    assert price_for("gpt-4o") != price_for("gpt-4o-mini")
    assert price_for("llama3.1") is None and price_for(None) is None


def fake_side(name: str, provider: FakeProvider, model: str = "gpt-4o-mini") -> Side:
    run = new_run(spec(), cv_text=CV, cv_name="cv.txt", model=model)
    provider.offline = False
    return Side(name, run, provider)


def test_figures_include_an_approximate_cost_when_the_price_is_known() -> None:
    side = fake_side("A", FakeProvider(default=["word " * 400]))
    Comparison([side]).run()
    figures = side.figures()
    assert figures["Status"] == "Complete" and "First token" in figures
    cost = float(figures["Cost (approx.)"].lstrip("$"))
    expected = (side.prompt_tokens * 0.15 + side.run.recorder.approx_tokens * 0.60) / 1e6
    assert cost == pytest.approx(expected, abs=1e-4)
    unknown = fake_side("B", FakeProvider(), model="local-llama")
    Comparison([unknown]).run()
    assert not any(k.startswith("Cost") for k in unknown.figures())


def test_build_side_applies_model_temperature_and_only_declared_inputs() -> None:
    settings = Settings(base_url="http://127.0.0.1:9/v1", model="configured")
    config = SideConfig("A", spec(), REMOTE, "model-a", 1.3)
    side = build_side(config, settings, cv=read_pasted(CV),
                      values={"num_questions": 2, "interview_type": "기술"})
    assert side.run.params.model == "model-a" and side.run.params.temperature == 1.3
    assert side.run.values["num_questions"] == 2 and "interview_type" not in side.run.values
    assert side.provider.model == "model-a" and not side.provider.offline
    default = build_side(replace(config, model=None, temperature=None), settings,
                         cv=read_pasted(CV))
    assert default.run.params.model == "configured"
    assert default.run.params.temperature == spec().temperature
    offline = build_side(replace(config, endpoint=OFFLINE), settings, cv=read_pasted(CV))
    assert offline.provider.offline and offline.run.params.model is None


def test_endpoints_list_the_configured_remote_and_the_offline_model() -> None:
    assert list(endpoints(Settings())) == [OFFLINE]
    remote = endpoints(Settings(api_key="sk-x"))
    assert list(remote) == [REMOTE, OFFLINE] and "api.openai.com" in remote[REMOTE]
    local = endpoints(Settings(base_url="http://user:pw@127.0.0.1:8080/v1", provider="offline"))
    assert list(local) == [OFFLINE, REMOTE] and "pw" not in local[REMOTE]


# -- concurrency ----------------------------------------------------------------------------
def test_both_sides_stream_at_the_same_time() -> None:
    fast = fake_side("A", FakeProvider(delay=0.1, default=["a "] * 10))  # ~1 s alone
    slow = fake_side("B", FakeProvider(delay=0.2, default=["b "] * 10))  # ~2 s alone
    comparison = Comparison([fast, slow])
    order = [e.side for e in comparison.events() if e.side and e.text]
    assert fast.run.text == "a " * 10 and slow.run.text == "b " * 10
    assert fast.run.status == slow.run.status == "done"
    a, b = fast.run.recorder, slow.run.recorder
    assert a.first_token_at is not None and b.first_token_at is not None
    assert a.finished_at is not None and b.finished_at is not None
    assert max(a.first_token_at, b.first_token_at) < min(a.finished_at, b.finished_at), (
        "each side had its first token before either side finished: they overlapped")
    last_a = len(order) - 1 - order[::-1].index("A")
    assert order.index("B") < last_a, f"interleaved, not one after the other: {order}"


def test_closing_the_events_stops_both_sides_and_keeps_their_text() -> None:
    providers = [FakeProvider(delay=0.05, default=["x "] * 200) for _ in range(2)]
    sides = [fake_side(name, p) for name, p in zip("AB", providers, strict=True)]
    comparison = Comparison(sides)
    events = comparison.events()
    seen = {e.side for e in (next(events) for _ in range(6))}
    events.close()
    assert seen & {"A", "B"}
    assert all(side.run.status == "stopped" for side in sides)
    deadline = time.monotonic() + 3
    while not all(call.closed_early for p in providers for call in p.calls):
        assert time.monotonic() < deadline, "the provider streams were not closed"
        time.sleep(0.02)
    assert all(0 < len(side.run.text) < 400 for side in sides)
    with pytest.raises(RuntimeError):
        next(comparison.events())


def test_a_failing_side_does_not_stop_the_other() -> None:
    from interviewkit.errors import LLMError

    broken = FakeProvider(default=[])
    broken.enqueue(["part", LLMError("boom", code="cut")])
    ok = fake_side("B", FakeProvider(delay=0.02, default=["fine "] * 5))
    comparison = Comparison([fake_side("A", broken), ok])
    comparison.run()
    assert comparison.side("A").run.status == "failed" and comparison.side("A").run.text == "part"
    assert ok.run.status == "done" and ok.run.text == "fine " * 5


def test_ticks_arrive_while_nothing_else_does() -> None:
    slow = fake_side("A", FakeProvider(delay=0.6, default=["x"]))
    events = list(Comparison([slow], tick=0.1).events())
    assert LabEvent(None) in events[:-2] and events[-1] == LabEvent("A", done=True)


# -- CLI ------------------------------------------------------------------------------------
@dataclass
class TwoModels:
    """Two scripted models with different answers and speeds, chosen by model name.

    With ``meet`` set, each request waits at the barrier until the other one has arrived
    too: a CLI that ran A and B one after the other would break it and get a 500.
    """

    meet: threading.Barrier | None = None
    met: list[str] = field(default_factory=list)

    def reply(self, body: dict[str, Any]) -> Reply:
        if self.meet is not None:
            try:
                self.meet.wait()
            except threading.BrokenBarrierError:
                return Reply.failure(500, "the other side's request never arrived")
            self.met.append(body["model"])
        if body["model"] == "model-b":
            return Reply(text="### 1. Slow B question?\n**Follow-up:** b", first_delay=1.2)
        return Reply(text="### 1. Fast A question?\n**Follow-up:** a", first_delay=0.6)


@pytest.fixture
def models() -> TwoModels:
    return TwoModels()


@pytest.fixture
def mock(models: TwoModels, monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    """The mock server answering as :class:`TwoModels`."""
    with MockOpenAIServer(default=models.reply) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-lab-test")
        yield server


def test_cli_check_prints_one_line_per_error(prompts: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(prompts)]) == 0
    assert capsys.readouterr().out == ""
    (prompts / "bad.yaml").write_text(GOOD.replace("default: mid", "default: x"),
                                      encoding="utf-8")
    (prompts / "worse.yaml").write_text("name: [", encoding="utf-8")
    assert main(["check", str(prompts), str(prompts / "bad.yaml")]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    line = GOOD.splitlines().index("    default: mid") + 1
    assert len(lines) == 3 and lines[0] == lines[2], "bad.yaml was named twice"
    assert lines[0].startswith(f"{prompts / 'bad.yaml'}:{line}: inputs.seniority.default: ")
    assert lines[1].startswith(f"{prompts / 'worse.yaml'}:") and ": file: YAML error" in lines[1]
    assert "4 prompt file(s) checked, 3 with errors" in err
    assert main(["check", str(prompts / "nope")]) == 2


def test_cli_checks_the_shipped_prompts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "prompts")]) == 0, capsys.readouterr().out


def test_cli_compare_runs_both_models_at_once(mock: MockOpenAIServer, models: TwoModels,
                                              tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    models.meet = threading.Barrier(2, timeout=20)  # neither reply starts before both arrived
    cv = tmp_path / "cv.txt"
    cv.write_text(CV, encoding="utf-8")
    prompt = tmp_path / "p.yaml"
    prompt.write_text(GOOD, encoding="utf-8")
    code = main(["compare", str(cv), "--prompt", str(prompt), "--model-a", "model-a",
                 "--model-b", "model-b", "--temperature-b", "1.1", "--set", "num_questions=2"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.index("=== A: Technical screen · model-a ===") < out.index("Fast A question")
    assert out.index("=== B: Technical screen · model-b ===") < out.index("Slow B question")
    assert "--- A: Model: model-a · Status: Complete" in out and "Both finished after" in out
    assert sorted(models.met) == ["model-a", "model-b"], "both requests were in flight at once"
    bodies = {r.body["model"]: r.body for r in mock.requests}
    assert bodies["model-b"]["temperature"] == 1.1 and bodies["model-a"]["temperature"] == 0.4
    assert "exactly 2 questions" in bodies["model-a"]["messages"][0]["content"]


def test_cli_compare_reports_a_failed_side(mock: MockOpenAIServer, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    mock.enqueue(Reply.failure(404))
    cv = tmp_path / "cv.txt"
    cv.write_text(CV, encoding="utf-8")
    prompt = tmp_path / "p.yaml"
    prompt.write_text(GOOD, encoding="utf-8")
    code = main(["compare", str(cv), "--prompt", str(prompt), "--prompt", str(prompt),
                 "--model-a", "model-a", "--model-b", "model-a"])
    out, err = capsys.readouterr()
    assert code == 3
    assert len([line for line in err.splitlines() if line.startswith("error: ")]) == 1
    assert "was not found" in err and "Fast A question" in out
    assert main(["compare", str(cv)]) == 2
    assert "--prompt" in capsys.readouterr().err


def test_threads_do_not_outlive_a_comparison() -> None:
    before = threading.active_count()
    Comparison([fake_side("A", FakeProvider()), fake_side("B", FakeProvider())]).run()
    deadline = time.monotonic() + 2
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() <= before


def test_the_readme_example_prompt_is_valid() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The prompt file format"):]
    start = section.index("```yaml\n") + 8
    example = section[start:section.index("\n```", start)]
    parsed = parse_prompt(example, "README example")
    assert [i.type for i in parsed.inputs] == ["integer", "choice", "text", "boolean"]
    assert parsed.version == 3 and parsed.model == "gpt-4o-mini"
