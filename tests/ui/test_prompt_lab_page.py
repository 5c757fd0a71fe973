"""The Prompt Lab page under ``AppTest``: edit, check, preview, save, compare.

Prompts live in a tmp folder (``INTERVIEWKIT_PROMPTS_DIR``); comparisons go through the
real ``openai`` SDK to :class:`MockOpenAIServer`, which answers each model with its own script
and speed so the test can tell a concurrent run (about the slower side) from a serial one
(the sum of both).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.lab.compare import Comparison, Side
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import ROOT, FakeProvider, app_on_mock, open_page, texts
from tests.lab.test_lab import CV, GOOD

KIT_A = ("### 1. How did you keep the Acme payments ledger consistent?\n**Listen for:**\n"
         "- idempotency keys\n- reconciliation\n**Follow-up:** What broke first?\n")
KIT_B = ("### 1. Walk me through a Rust ownership bug you fixed at Acme.\n**Listen for:**\n"
         "- borrow checker\n- lifetimes in APIs\n**Follow-up:** How did you test it?\n")
REPLIES = {"model-a": Reply(text=KIT_A, first_delay=0.5, delay=0.07),
           "model-b": Reply(text=KIT_B, first_delay=1.0, delay=0.07),
           "missing": Reply.failure(404)}


def alone(reply: Reply) -> float:
    """Seconds the mock server takes to send one reply."""
    return reply.first_delay + len(reply.pieces()) * reply.delay


SLOW_A, SLOW_B = alone(REPLIES["model-a"]), alone(REPLIES["model-b"])  # about 2.0 s and 3.0 s


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "technical_screen.yaml").write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("INTERVIEWKIT_PROMPTS_DIR", str(prompts))
    return prompts


@pytest.fixture
def mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    arrivals: dict[str, float] = {}

    def reply(body: dict[str, Any]) -> Reply:
        arrivals[body["model"]] = time.monotonic()
        return REPLIES.get(body["model"], Reply(text=KIT_A))

    with app_on_mock(monkeypatch, reply, key="sk-lab-secret-1", model="model-a") as server:
        server.arrivals = arrivals  # type: ignore[attr-defined]
        yield server


def lab_page() -> AppTest:
    return open_page("prompt_lab")



def yaml_box(at: AppTest) -> Any:
    """The editor's YAML box (its key changes whenever another text is loaded into it)."""
    (box,) = [t for t in at.text_area if t.label == "Prompt YAML"]
    return box


def edit(at: AppTest, text: str) -> AppTest:
    yaml_box(at).input(text).run()
    assert not at.exception, at.exception
    return at


def paste_cv(at: AppTest) -> AppTest:
    at.radio(key="lab_cv_mode").set_value("Paste text").run()
    at.text_area(key="lab_cv_paste").input(CV).run()
    return at


SHORTER = GOOD.replace("Write exactly {{num_questions}} questions",
                       "Write exactly {{num_questions}} short questions")


def test_the_page_opens_a_prompt_checks_and_previews_it(folder: Path) -> None:
    at = lab_page()
    assert yaml_box(at).value == GOOD
    assert "Valid: **Technical screen**, version 1" in texts(at.success)
    system, user = (c.value for c in at.code)
    assert "Write exactly 5 questions for a mid candidate" in system
    assert "No CV yet" in user and "<candidate_cv>" in user
    paste_cv(at)
    number = next(n for n in at.number_input if str(n.key).startswith("lab_in_num_questions"))
    number.set_value(3).run()
    system, user = (c.value for c in at.code)
    assert "Write exactly 3 questions" in system
    assert f"<candidate_cv>\n{CV}\n</candidate_cv>" in user, "fenced exactly as it is sent"


def test_a_validation_error_shows_the_line_and_field(folder: Path) -> None:
    broken = GOOD.replace("default: mid", "default: principal")
    line = broken.splitlines().index("    default: principal") + 1
    at = edit(lab_page(), broken)
    error = texts(at.error)
    assert f"Line {line}, field `inputs.seniority.default`:" in error
    assert "'principal' is not one of junior, mid, senior" in error
    assert f"> {line} |     default: principal" in at.code[0].value
    assert at.button(key="lab_save_new").disabled and at.button(key="lab_save_version").disabled
    edit(at, GOOD.replace("{{seniority}}", "{{ seniority.upper() }}"))
    assert "field `system`" in texts(at.error) and "only plain" in texts(at.error)
    edit(at, SHORTER)
    assert not at.error and "Valid" in texts(at.success)


def test_save_as_new_file_reaches_the_generate_dropdown(folder: Path) -> None:
    at = edit(lab_page(), SHORTER.replace("name: Technical screen", "name: Short screen"))
    at.text_input(key="lab_new_name").input("Short screen").run()
    at.button(key="lab_save_new").click().run()
    assert not at.exception, at.exception
    saved = folder / "short_screen.yaml"
    assert "Saved short_screen.yaml" in texts(at.success)
    assert saved.read_text(encoding="utf-8") == yaml_box(at).value
    assert at.selectbox(key="lab_source").value == str(saved), "the editor follows the new file"
    at.button(key="lab_save_new").click().run()
    assert "already exists" in texts(at.error)
    at.switch_page("pages/generate.py").run()
    assert "Short screen" in at.selectbox(key="prompt_key").options
    at.switch_page("pages/prompt_lab.py").run()
    assert "short questions" in str(yaml_box(at).value), "edits survive"


def test_save_as_new_version_shows_the_diff_before_replacing(folder: Path) -> None:
    path = folder / "technical_screen.yaml"
    at = edit(lab_page(), SHORTER)
    changes = next(c.value for c in at.code if c.language == "diff")
    assert "-  Write exactly {{num_questions}} questions" in changes
    at.button(key="lab_save_version").click().run()
    assert "Replace **technical_screen.yaml**" in texts(at.warning)
    assert any("+  Write exactly {{num_questions}} short" in c.value for c in at.code)
    assert path.read_text(encoding="utf-8") == GOOD, "nothing is written before confirming"
    at.button(key="lab_cancel_replace").click().run()
    assert path.read_text(encoding="utf-8") == GOOD
    at.button(key="lab_save_version").click().run()
    at.button(key="lab_confirm_replace").click().run()
    assert not at.exception, at.exception
    assert "as version 2" in texts(at.success)
    assert "version: 2" in path.read_text(encoding="utf-8")
    assert (folder / ".versions" / "technical_screen.v1.yaml").read_text(encoding="utf-8") == GOOD
    assert "version: 2" in str(yaml_box(at).value)
    assert any("(archived)" in str(label) for label in at.selectbox(key="lab_B_source").options)


def test_confirming_saves_only_the_text_whose_diff_was_shown(folder: Path) -> None:
    path = folder / "technical_screen.yaml"
    at = edit(lab_page(), SHORTER)
    at.button(key="lab_save_version").click().run()
    yaml_box(at).input(SHORTER.replace("short", "tiny"))
    at.button(key="lab_confirm_replace").click().run()  # edited and confirmed in one go
    assert "changed after the diff was shown" in texts(at.error)
    assert path.read_text(encoding="utf-8") == GOOD
    at.button(key="lab_save_version").click().run()
    assert any("tiny questions" in c.value for c in at.code if c.language == "diff")
    at.button(key="lab_confirm_replace").click().run()
    assert "tiny questions" in path.read_text(encoding="utf-8")


def test_a_new_version_is_refused_when_the_file_changed_on_disk(folder: Path) -> None:
    path = folder / "technical_screen.yaml"
    at = edit(lab_page(), SHORTER)
    path.write_text(GOOD.replace("max_tokens: 800", "max_tokens: 900"), encoding="utf-8")
    at.button(key="lab_save_version").click().run()
    at.button(key="lab_confirm_replace").click().run()
    assert "changed on disk" in texts(at.error)
    assert "max_tokens: 900" in path.read_text(encoding="utf-8")
    assert not (folder / ".versions").exists()


def test_compare_streams_both_sides_at_the_same_time(folder: Path,
                                                     mock: MockOpenAIServer) -> None:
    at = paste_cv(edit(lab_page(), SHORTER))
    assert at.selectbox(key="lab_A_source").value == "__editor__"
    assert at.selectbox(key="lab_B_source").value == str(folder / "technical_screen.yaml")
    at.text_input(key="lab_B_model").input("model-b").run()
    at.slider(key="lab_B_temperature").set_value(1.2).run()
    at.button(key="lab_run").click().run()
    assert not at.exception, at.exception
    shown = texts(at.markdown)
    assert "payments ledger consistent" in shown and "Rust ownership bug" in shown
    captions = texts(at.caption)
    assert captions.count("Status: **Complete**") == 2 and "First token" in captions
    comparison = at.session_state["lab_comparison"]
    a, b = (comparison.side(name).run.recorder for name in "AB")
    wall = comparison.wall_s
    assert b.started < a.finished_at and a.started < b.finished_at, "the runs overlap"
    assert a.first_token_at is not None and b.first_token_at is not None
    assert b.first_token_at < a.finished_at and a.first_token_at < b.finished_at, (
        "each side had text before the other finished: they streamed at the same time")
    arrivals = mock.arrivals  # type: ignore[attr-defined]
    assert wall is not None and f"Both finished after **{wall:.1f} s**" in captions
    print(f"\ncompare: A {a.elapsed_s:.2f} s, B {b.elapsed_s:.2f} s, wall {wall:.2f} s, "
          f"requests {abs(arrivals['model-a'] - arrivals['model-b']) * 1000:.0f} ms apart")
    bodies = {r.body["model"]: r.body for r in mock.requests}
    assert "short questions" in bodies["model-a"]["messages"][0]["content"], "A: the editor"
    assert "short questions" not in bodies["model-b"]["messages"][0]["content"], "B: the file"
    assert bodies["model-b"]["temperature"] == 1.2
    at.run()  # any later rerun keeps both kits and their figures
    assert "Rust ownership bug" in texts(at.markdown)
    assert texts(at.caption).count("Status: **Complete**") == 2


def test_one_failing_side_leaves_the_other_and_a_stop_keeps_both(folder: Path,
                                                                 mock: MockOpenAIServer) -> None:
    at = paste_cv(lab_page())
    at.text_input(key="lab_A_model").input("quick").run()  # answered at once
    at.text_input(key="lab_B_model").input("missing").run()
    at.button(key="lab_run").click().run()
    assert 'Model "missing" was not found' in texts(at.error)
    assert "sk-lab-secret-1" not in texts(at.error) + texts(at.markdown)
    assert "payments ledger consistent" in texts(at.markdown)
    # AppTest runs the script to its end, so it cannot click Stop while both columns stream;
    # call what the Stop button calls (Comparison.stop) on a comparison that is still running
    # (the real click is tested in Chromium, as for the Generate page).
    done = at.session_state["lab_comparison"]
    slow = [Side(s.name, s.run.again(), FakeProvider(default=["### 1. Slow", " words"] * 50,
                                                     delay=0.1)) for s in done.sides]
    running = Comparison(slow)
    running.start()
    while not all(side.run.text for side in slow):
        time.sleep(0.05)
    running.stop()
    at.session_state["lab_comparison"] = running
    at.run()
    assert texts(at.warning).count("Stopped before the end") == 2
    assert texts(at.markdown).count("### 1. Slow") == 2, "the text so far is kept"


def test_two_offline_sides_are_said_to_run_one_after_the_other(folder: Path) -> None:
    at = lab_page()  # no key or base URL: the offline model is the only provider
    assert at.selectbox(key="lab_A_endpoint").options == ["Offline model (embedded, CPU)"]
    assert "one generation at a time" in texts(at.info)
    assert at.button(key="lab_run").disabled and "paste a CV" in texts(at.info)


def test_whole_kit_and_planned_compare_on_the_same_cv(folder: Path,
                                                      mock: MockOpenAIServer) -> None:
    planned = folder / "planned.yaml"
    planned.write_text((ROOT / "prompts" / "technical_screen.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    at = lab_page()
    at.radio(key="lab_cv_mode").set_value("Paste text").run()
    at.text_area(key="lab_cv_paste").input(
        "Jane Roe\nExperience\nSenior Rust engineer, Acme, 2019-2024\n"
        "• Built a payments ledger in Rust handling 2M transactions a day.\n"
        "• Led the move of billing to Kafka event streams.\n").run()
    for side in "AB":
        at.selectbox(key=f"lab_{side}_source").set_value(str(planned)).run()
    at.selectbox(key="lab_B_mode").set_value("planned").run()
    at.button(key="lab_run").click().run()
    assert not at.exception, at.exception
    users = [r.body["messages"][-1]["content"] for r in mock.requests]
    whole = [u for u in users if "<candidate_cv>" in u]
    per_passage = [u for u in users if "<cv_passage>" in u]
    assert len(whole) == 1, "A: one request for the whole kit"
    assert 1 <= len(per_passage) <= 5 and len(whole) + len(per_passage) == len(users)
    assert texts(at.caption).count("Status: **Complete**") == 2
