"""``tests.conftest.require``: a missing test dependency skips locally and fails in CI."""

from __future__ import annotations

import pytest

from tests.conftest import in_ci, require


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_outside_ci_a_missing_dependency_skips(value: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="the corpus is absent"):
        require(False, "the corpus is absent")


@pytest.mark.parametrize("value", ["true", "TRUE", "1"])
def test_under_ci_a_missing_dependency_fails(value: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match=r"the corpus is absent.*CI=true"):
        require(False, "the corpus is absent")


def test_a_present_dependency_neither_skips_nor_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "never raised")
    require(["a", "file"], "a non-empty list is present")
