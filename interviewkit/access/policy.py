"""The one access check: which kits, roles and scorecards a user may see or change.

Every read of candidate data by a page, the CLI or an export goes through these
functions (via :class:`interviewkit.access.scope.Scope`), never through a check
written in a page.  The rules:

- **admin**: everything.
- **recruiter**: their own kits, the team's kits (visibility ``team``) and kits
  shared with them; every role.
- **interviewer**: only kits shared with them (and their own), and the roles of
  those kits.

Changing a kit (delete, share, rename, visibility) is for its owner or an admin.
A refusal and a missing kit read the same, so probing ids tells nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from interviewkit.access.model import Role, User
from interviewkit.errors import AccessDenied
from interviewkit.history.schema import KITS, ROLES, SCORECARDS, SHARES
from interviewkit.kit.model import Visibility


def not_found(kind: str, ident: object) -> AccessDenied:
    """The refusal for an id the user may not open (worded like a missing one)."""
    return AccessDenied(f"No {kind} #{ident} that you can open (deleted, or not shared "
                        "with you).")


def _shared_with(user: User) -> ColumnElement[bool]:
    return KITS.c.id.in_(sa.select(SHARES.c.kit_id).where(SHARES.c.grantee == user.key))


def kit_visible(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``kits`` selecting exactly the kits ``user`` may read."""
    if user.role is Role.ADMIN:
        return sa.true()
    mine = sa.or_(KITS.c.owner == user.key, _shared_with(user))
    if user.role is Role.RECRUITER:
        return sa.or_(mine, KITS.c.visibility == Visibility.TEAM.value)
    return mine


def role_visible(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``roles``: recruiters and admins see every role, interviewers
    the roles of kits they can read."""
    if user.role is not Role.INTERVIEWER:
        return sa.true()
    kits = sa.select(KITS.c.role_id).where(kit_visible(user), KITS.c.role_id.is_not(None))
    return sa.or_(ROLES.c.owner == user.key, ROLES.c.id.in_(kits))


def require_kit(conn: Connection, user: User, kit_id: int, *, change: bool = False) -> None:
    """Raise unless ``user`` may read (or, with ``change``, modify) kit ``kit_id``."""
    row = conn.execute(sa.select(KITS.c.owner).where(KITS.c.id == kit_id,
                                                     kit_visible(user))).first()
    if row is None:
        raise not_found("kit", kit_id)
    if change and not (user.is_admin or row.owner == user.key):
        raise AccessDenied(f"Only the owner of kit #{kit_id} or an admin can change it.")


def require_role(conn: Connection, user: User, role_id: int, *, change: bool = False) -> None:
    """Raise unless ``user`` may read (or change) role ``role_id``."""
    row = conn.execute(sa.select(ROLES.c.owner).where(ROLES.c.id == role_id,
                                                      role_visible(user))).first()
    if row is None:
        raise not_found("role", role_id)
    if change and not (user.is_admin or user.role is Role.RECRUITER):
        raise AccessDenied("Only recruiters and admins can change a role.")


def can_create(user: User) -> bool:
    """Interviewers read and score; kits and roles are made by recruiters and admins."""
    return user.role is not Role.INTERVIEWER


def require_create(user: User, what: str = "kits") -> None:
    if not can_create(user):
        raise AccessDenied(f"Interviewers cannot create {what}; ask a recruiter.")


def require_admin(user: User, what: str) -> None:
    if not user.is_admin:
        raise AccessDenied(f"Only an admin can {what}.")


def sees_others_scores(conn: Connection, user: User, kit_id: int) -> bool:
    """Independent scoring (as Greenhouse does): an interviewer with a scorecard on this
    kit sees the others' scores only once their own is submitted; someone with no
    scorecard of their own sees them when they may create (recruiter, admin)."""
    own = conn.scalar(sa.select(SCORECARDS.c.status).where(
        SCORECARDS.c.kit_id == kit_id, SCORECARDS.c.interviewer_key == user.key))
    if own is None:
        return can_create(user)
    return bool(own == "submitted")
