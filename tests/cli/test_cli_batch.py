"""``python -m interviewkit batch``: a line per CV, one ZIP, exit codes 0 / 1 / 2."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewkit.access.model import CLI_ADMIN
from interviewkit.access.scope import Scope
from interviewkit.cli import main
from interviewkit.config import load_settings
from interviewkit.history import open_store
from interviewkit.history.audit import Action, entries
from interviewkit.roles.store import RoleBook
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.batch.conftest import KIT, cv_name, text_cv
from tests.batch.test_items import make_zip
from tests.conftest import ROOT, app_on_mock, corpus_file


@pytest.fixture
def mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    with app_on_mock(monkeypatch, Reply(text=KIT), key="sk-cli-batch") as server:
        yield server


@pytest.fixture
def cvs(tmp_path: Path) -> list[Path]:
    paths = []
    for n in (1, 2):
        path = tmp_path / f"cv{n}.txt"
        path.write_bytes(text_cv(n))
        paths.append(path)
    return paths


def cli(args: list[str]) -> int:
    """``main`` as the shell sees it (argparse's own errors exit with 2 too)."""
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


def read_back(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read("summary.csv").decode("utf-8-sig")
        return sorted(archive.namelist()), list(csv.DictReader(io.StringIO(text)))


def scope() -> Scope:
    return Scope(open_store(load_settings()), CLI_ADMIN)


def test_all_done_exits_0_prints_a_line_per_cv_and_writes_the_zip(
        mock: MockOpenAIServer, cvs: list[Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out_zip = tmp_path / "kits.zip"
    code = cli(["batch", *map(str, cvs), "--prompt", "technical_screen", "--set",
                "num_questions=1", "--mode", "whole", "--output", str(out_zip)])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = sorted(line.split("\t") for line in out.splitlines())
    assert [(f[0], f[1], f[2]) for f in lines] == [("done", "cv1.txt", cv_name(1)),
                                                   ("done", "cv2.txt", cv_name(2))]
    assert all(f[3].isdigit() and f[4] == "1" for f in lines)
    assert "info: 2 CV(s), 4 at a time" in err and "2 done in" in err
    names, rows = read_back(out_zip)
    one, two = (cv_name(n).replace(" ", "-") for n in (1, 2))
    assert names == [f"{one}.docx", f"{one}.md", f"{two}.docx", f"{two}.md", "summary.csv"]
    assert [r["status"] for r in rows] == ["done", "done"]
    kits = scope().search()
    assert len(kits) == 2 and {k.owner for k in kits} == {"cli-admin"}
    assert len(mock.requests) == 2
    assert cli(["batch", *map(str, cvs), "--prompt", "technical_screen", "--set",
                "num_questions=1", "--mode", "whole", "--output", str(out_zip)]) == 0, \
        "skipped as done: still a success"
    assert "skipped\tcv1.txt" in capsys.readouterr().out and len(mock.requests) == 2
    _, rows = read_back(out_zip)
    assert [r["status"] for r in rows] == ["skipped", "skipped"]
    assert cli(["batch", *map(str, cvs), "--prompt", "technical_screen", "--mode", "whole",
                "--output", str(out_zip)]) == 0
    assert "done\tcv1.txt" in capsys.readouterr().out, "5 questions (the default) is not done"
    assert len(mock.requests) == 4


def test_some_failed_exits_1_and_the_rest_are_in_the_zip(
        mock: MockOpenAIServer, cvs: list[Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    hostile = corpus_file("hostile", "not_a_pdf_oops.pdf")
    archive = tmp_path / "more.zip"
    archive.write_bytes(make_zip({"../up.pdf": b"%PDF-1.4", "cv3.txt": text_cv(3)}))
    out_zip = tmp_path / "kits.zip"
    code = cli(["batch", str(cvs[0]), str(hostile), str(archive), "--prompt",
                "technical_screen", "--mode", "whole", "--concurrency", "2",
                "--output", str(out_zip)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "info: 4 CV(s), 2 at a time" in err and "2 done, 2 failed" in err
    failed = [line.split("\t") for line in out.splitlines() if line.startswith("failed")]
    assert {f[1] for f in failed} == {"not_a_pdf_oops.pdf", "../up.pdf"}
    assert any("is not a PDF" in f[-1] for f in failed)
    names, rows = read_back(out_zip)
    assert f"{cv_name(1).replace(' ', '-')}.docx" in names
    assert f"{cv_name(3).replace(' ', '-')}.md" in names
    assert {r["file"]: r["status"] for r in rows} == {
        "cv1.txt": "done", "not_a_pdf_oops.pdf": "failed", "../up.pdf": "failed",
        "cv3.txt": "done"}


def test_a_role_files_the_kits_under_it_with_its_job_description(
        mock: MockOpenAIServer, cvs: list[Path], tmp_path: Path) -> None:
    role = RoleBook(scope()).create("Platform engineer", "Kubernetes and Go, on call")
    assert cli(["batch", str(cvs[0]), "--prompt", "technical_screen", "--mode", "whole",
                "--role", str(role), "--output", str(tmp_path / "k.zip")]) == 0
    [kit] = scope().search(role_id=role)
    assert scope().kit(kit.id).job_description == "Kubernetes and Go, on call"
    assert "Kubernetes and Go" in str(mock.requests[0].body)


@pytest.mark.parametrize(("args", "phrase"), [
    (["{cv}", "--prompt", "no_such_prompt"], "no_such_prompt"),
    (["/nonexistent/cvs", "--prompt", "technical_screen"], "no such file or folder"),
    (["{cv}", "--prompt", "technical_screen", "--set", "oops"], "NAME=VALUE"),
    (["{cv}", "--prompt", "technical_screen", "--set", "num_questions=99"], "num_questions"),
    (["{cv}", "--prompt", "technical_screen", "--concurrency", "0"], "positive whole"),
    (["{cv}", "--prompt", "technical_screen", "--role", "99"], "No role #99"),
    (["{cv}", "--prompt", "technical_screen", "--job", "/nonexistent/job.txt"], "job.txt"),
    (["{cv}", "--prompt", "technical_screen", "--role", "1", "--job", "{cv}"], "not allowed"),
])
def test_bad_arguments_exit_2_before_any_model_is_asked(
        mock: MockOpenAIServer, cvs: list[Path], tmp_path: Path, args: list[str], phrase: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["batch", *(a.format(cv=cvs[0]) for a in args), "--output", str(tmp_path / "k.zip")]
    assert cli(argv) == 2
    assert phrase in capsys.readouterr().err
    assert mock.requests == [] and not (tmp_path / "k.zip").exists()


def test_an_output_that_cannot_be_written_exits_2(mock: MockOpenAIServer, cvs: list[Path],
                                                  tmp_path: Path) -> None:
    assert cli(["batch", str(cvs[0]), "--prompt", "technical_screen",
                "--output", str(tmp_path / "no" / "such" / "k.zip")]) == 2
    assert cli(["batch", str(cvs[0]), "--prompt", "technical_screen"]) == 2, "--output is needed"
    assert mock.requests == []


def test_the_command_in_a_shell(mock: MockOpenAIServer, cvs: list[Path], tmp_path: Path) -> None:
    out_zip = tmp_path / "kits.zip"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "interviewkit", "batch", str(cvs[1]),
                           str(tmp_path / "missing.txt"), "--prompt", "technical_screen",
                           "--output", str(out_zip)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "missing.txt: no such file or folder" in done.stderr
    (tmp_path / "bad.pdf").write_bytes(b"oops")
    done = subprocess.run([sys.executable, "-m", "interviewkit", "batch", str(cvs[1]),
                           str(tmp_path / "bad.pdf"), "--prompt", "technical_screen", "--mode",
                           "whole", "--output", str(out_zip)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert sorted(line.split("\t")[0] for line in done.stdout.splitlines()) == ["done", "failed"]
    assert [e.action for e in entries(open_store(load_settings()).engine)
            if e.target_kind == "kit"] == [Action.CREATE]


def test_a_role_with_a_frozen_kit_asks_its_questions_unless_told_not_to(
        mock: MockOpenAIServer, cvs: list[Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.roles.seed import save_kit

    book = RoleBook(scope())
    role = book.create("Senior Backend Engineer", "Python, PostgreSQL")
    frozen_id = save_kit(scope().store, "Ana Lima", CLI_ADMIN, role_id=role)
    book.freeze(role, frozen_id)
    core = [q.text for q in scope().kit(frozen_id).questions]
    assert cli(["batch", str(cvs[0]), "--prompt", "technical_screen", "--role", str(role),
                "--output", str(tmp_path / "k.zip")]) == 0
    assert f"info: the role's frozen kit #{frozen_id}: its 3 questions" in capsys.readouterr().err
    [made] = [k for k in scope().search(role_id=role) if k.id != frozen_id]
    assert [q.text for q in scope().kit(made.id).questions] == core
    assert cli(["batch", str(cvs[1]), "--prompt", "technical_screen", "--role", str(role),
                "--no-frozen", "--mode", "whole", "--output", str(tmp_path / "k.zip")]) == 0
    assert "frozen kit" not in capsys.readouterr().err
    [plain] = [k for k in scope().search(role_id=role) if k.cv_name == "cv2.txt"]
    assert plain.prompt_key == "technical_screen" and plain.question_count == 1
