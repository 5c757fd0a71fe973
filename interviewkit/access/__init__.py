"""Who may see which candidate: users and roles, the one access check, the scoped history."""

from interviewkit.access.model import CLI_ADMIN, LOCAL_USER, Role, User

__all__ = ["CLI_ADMIN", "LOCAL_USER", "Role", "User"]
