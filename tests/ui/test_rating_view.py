"""The rating guide on the page: under each settled question (panes), and added afterwards to
a saved kit from the History page (rating_view) with the FakeProvider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.config import load_settings
from interviewkit.history import Store, close_shared, open_store
from interviewkit.kit.grammar import rating_block
from interviewkit.ui import resources
from tests.conftest import FakeProvider, open_page, texts
from tests.kit.test_kit import make_kit

GUIDE = ["Stays vague about the Django service", "Describes caching, but gives no figures",
         "Quantifies the load and compares two designs"]
PART = ("### 1. How did you scale the Django service?\n**Listen for:**\n- Quantifies it\n"
        "**Follow-up:** Why Django?\n" + "\n".join(rating_block(GUIDE)) +
        "\n**Based on:** Senior engineer at Acme.\n\n")


def _section(part: str) -> None:
    from interviewkit.ui import panes

    panes._section(part, None, None)


def test_a_settled_question_shows_its_guide_as_a_compact_table() -> None:
    at = AppTest.from_function(_section, args=(PART,)).run()
    assert not at.exception, at.exception
    [expander] = at.expander
    assert expander.label == "Rating guide"
    table = texts(expander.markdown)
    assert "| **1** | Stays vague about the Django service |" in table
    assert "| **5** | Quantifies the load and compares two designs |" in table
    body = texts(at.markdown)
    assert "How did you scale the Django service?" in body and "Based on" in body
    assert body.count("Stays vague about") == 1, "the guide's lines are not shown twice"


def test_a_question_without_a_whole_guide_shows_its_text_as_written() -> None:
    part = PART.replace("- 5: Quantifies the load and compares two designs\n", "")
    at = AppTest.from_function(_section, args=(part,)).run()
    assert not at.expander
    assert "- 1: Stays vague about the Django service" in texts(at.markdown)


def test_guides_of_several_questions_in_one_section_say_which_question() -> None:
    guide = "\n".join(rating_block(GUIDE))
    part = f"**1. Why Django?**\n{guide}\n\n**2. Why Postgres?**\n{guide}\n"
    at = AppTest.from_function(_section, args=(part,)).run()
    assert [e.label for e in at.expander] == ["Rating guide — Q1", "Rating guide — Q2"]


# --- History: "Add a rating guide" ------------------------------------------------------

@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    resources._provider.clear()
    yield
    resources._provider.clear()
    close_shared()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeProvider:
    provider = FakeProvider()
    monkeypatch.setattr(resources, "provider_from_settings", lambda settings: provider)
    return provider


@pytest.fixture
def store() -> Store:
    opened = open_store(load_settings())
    opened.save(make_kit("Jane Doe"))  # two questions, no guide
    return opened


def _guide(anchors: list[str]) -> list[str]:
    return ["\n".join(rating_block(anchors)) + "\n"]


def test_the_history_button_writes_and_saves_a_guide_for_every_question(
        store: Store, fake: FakeProvider) -> None:
    fake.enqueue(_guide(GUIDE), _guide(["Names no incident", "Tells the story, but not the "
                                       "lesson", "Walks through the fix and the lesson"]))
    at = open_page("history")
    [button] = [b for b in at.button if b.label == "Add a rating guide"]
    at = button.click().run()
    assert not at.exception, at.exception
    assert "Added a rating guide to 2 question(s)." in texts(at.success)
    assert not [b for b in at.button if b.label == "Add a rating guide"], "nothing left to add"
    saved = store.get(1)
    assert saved.questions[0].rating == GUIDE
    assert saved.questions[1].rating[2] == "Walks through the fix and the lesson"
    assert "**Rating:**" in saved.markdown, "the stored text carries the guides too"
    assert len(fake.calls) == 2
    assert "Stays vague about the Django service" in texts(at.markdown), "shown in the kit"


def test_an_unreadable_answer_is_derived_and_the_page_says_which(
        store: Store, fake: FakeProvider) -> None:
    fake.enqueue(_guide(GUIDE), ["I think the candidate is great."])
    at = open_page("history")
    [button] = [b for b in at.button if b.label == "Add a rating guide"]
    at = button.click().run()
    assert not at.exception, at.exception
    assert "Added a rating guide to 2 question(s)." in texts(at.success)
    assert "Derived from the Listen for points for Q2" in texts(at.info)
    derived = store.get(1).questions[1].rating
    assert len(derived) == 3 and "situation: the context" in derived[2]


def test_a_kit_whose_questions_all_have_a_guide_offers_nothing(
        store: Store, fake: FakeProvider) -> None:
    kit = store.get(1)
    for q in kit.questions:
        q.rating = list(GUIDE)
    store.update_questions(1, kit.questions, kit.markdown)
    at = open_page("history")
    assert not [b for b in at.button if "rating guide" in b.label]
    assert fake.calls == []
