"""Roles (a job title and its description) that group candidates, their kits and scores."""

from interviewkit.roles.store import JobRole, RoleBook

__all__ = ["JobRole", "RoleBook"]
