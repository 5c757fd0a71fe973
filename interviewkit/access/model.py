"""Who is asking: a user with one of three roles, and the two local identities.

Streamlit's ``st.login`` says who signed in but has no roles; the role is ours,
mapped from the configuration (and optionally an ID-token claim) by
:func:`interviewkit.access.identity.resolve_user`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a user may do: admins everything, recruiters the team's candidates,
    interviewers only the kits shared with them."""

    ADMIN = "admin"
    RECRUITER = "recruiter"
    INTERVIEWER = "interviewer"


@dataclass(frozen=True)
class User:
    """A person (or the local process) acting on candidate data; ``email`` is the key."""

    email: str
    name: str
    role: Role
    signed_in: bool = True  # False for the open local demo and the CLI

    @property
    def key(self) -> str:
        """The case-insensitive identity stored as owner, grantee and audit actor."""
        return self.email.strip().casefold()

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def label(self) -> str:
        return f"{self.name} <{self.email}>" if self.name and self.name != self.email \
            else self.email


LOCAL_USER = User("local", "Local user (sign-in not configured)", Role.ADMIN, signed_in=False)
"""The one user of an instance without ``[auth]``: the local demo, as before sign-in existed."""

CLI_ADMIN = User("cli-admin", "Local admin (command line)", Role.ADMIN, signed_in=False)
"""Who the CLI acts as: a named local admin, recorded as such in the audit log."""
