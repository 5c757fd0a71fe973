"""Fixtures of the interview tests: a store on SQLite and on PostgreSQL, a shared kit, and
the people who score it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interviewkit.access.model import Role, User
from interviewkit.access.scope import Scope
from interviewkit.history import Store
from interviewkit.kit.model import Question, Visibility
from tests.kit.test_kit import make_kit

RECRUITER = User("rita@example.com", "Rita Recruiter", Role.RECRUITER)
ADMIN = User("ada@example.com", "Ada Admin", Role.ADMIN)
ALICE = User("alice@example.com", "Alice Interviewer", Role.INTERVIEWER)
BOB = User("bob@example.com", "Bob Interviewer", Role.INTERVIEWER)
EVE = User("eve@example.com", "Eve Interviewer", Role.INTERVIEWER)  # never shared with

RATING = ["Vague, no numbers", "One example with some numbers", "Measured, weighed trade-offs"]


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """The same test on SQLite and on a throwaway PostgreSQL (``db_url``, tests/pgserver.py)."""
    with Store(db_url, secrets=("hunter2-secret",)) as opened:
        yield opened


def save_kit(store: Store, owner: User = RECRUITER, *, candidate: str = "Jane Q. Doe",
             visibility: Visibility = Visibility.PRIVATE, rating: bool = True) -> int:
    """A two-question kit owned by ``owner``; the first question has a 1/3/5 rating guide."""
    kit = make_kit(candidate)
    kit.owner, kit.visibility = owner.key, visibility
    if rating:
        first = kit.questions[0]
        kit.questions[0] = Question(first.number, first.text, first.listen_for,
                                    first.follow_up, rating=list(RATING))
    return store.save(kit)


@pytest.fixture
def kit_id(store: Store) -> int:
    """A private kit of the recruiter, shared with Alice and Bob (not Eve)."""
    ident = save_kit(store)
    owner = Scope(store, RECRUITER)
    owner.share(ident, ALICE.email)
    owner.share(ident, BOB.email)
    return ident
