"""Every error a person should read, in one module (as httpx keeps its exceptions).

Pages and the CLI catch :class:`KitError` and show ``str(error)``; anything
else is a bug and is logged, never rendered as a traceback.  Each subclass
names the layer that raised it, and ``code`` is a short stable identifier
(``"encrypted"``, ``"rate_limit"``…) that tests and scripts match on without
parsing prose.

Failures of the OpenAI SDK are mapped to :class:`LLMError` codes through one
table, :data:`SDK_STATUS_CODES` / :func:`llm_code_for_status`, used by the
remote provider's single ``except`` site.
"""

from __future__ import annotations

from pathlib import Path


class KitError(Exception):
    """A failure with a plain, specific message meant for the user."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class ConfigError(KitError):
    """A setting (environment variable or secret) has a value we cannot use."""

    code = "config"


# --- ingest ------------------------------------------------------------------

CV_CODES = frozenset({
    "not_pdf", "needs_password", "wrong_password", "corrupt", "no_pages", "no_text",
    "too_large", "too_many_pages", "timeout", "unsupported", "empty",
})
PASSWORD_CODES = frozenset({"needs_password", "wrong_password"})


class CVError(KitError):
    """A CV that cannot be read; ``code`` is one of :data:`CV_CODES`."""

    code = "corrupt"


# --- prompt files --------------------------------------------------------------

class PromptError(KitError):
    """A prompt file (or an input value) is wrong; the message says where and why."""

    code = "invalid_prompt"

    def __init__(self, message: str, *, path: Path | str, field: str | None = None,
                 line: int | None = None, code: str | None = None) -> None:
        self.path, self.field, self.line, self.reason = Path(path), field, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}",
                         code=code)


class LabError(KitError):
    """Saving or comparing prompts cannot go ahead; the message says why and what to do."""

    code = "lab"


# --- providers ---------------------------------------------------------------

RETRYABLE_CODES = frozenset({"rate_limit", "server", "timeout", "connection", "cut"})


class LLMError(KitError):
    """A model call failed; ``code`` says how, ``retryable`` whether trying again may help.

    Codes: missing_key, auth, permission, not_found, bad_request, rate_limit,
    server, timeout, connection, cut, malformed, empty.
    """

    code = "llm"

    def __init__(self, message: str, *, code: str, retry_after: float | None = None,
                 retryable: bool | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
        self.retryable = code in RETRYABLE_CODES if retryable is None else retryable


class OfflineModelError(KitError):
    """The embedded model is missing, damaged or cannot take this request."""

    code = "offline_model"


# One table: HTTP status of an SDK ``APIStatusError`` -> our code.  5xx is "server",
# anything else unlisted is "bad_request"; the messages live with the provider
# because they quote its host and model.
SDK_STATUS_CODES: dict[int, str] = {
    401: "auth",
    403: "permission",
    404: "not_found",
    429: "rate_limit",
}


def llm_code_for_status(status: int) -> str:
    """Our :class:`LLMError` code for an HTTP status sent by a model server."""
    if status in SDK_STATUS_CODES:
        return SDK_STATUS_CODES[status]
    return "server" if status >= 500 else "bad_request"


# --- compliance, history, export -----------------------------------------------

class RulesError(KitError):
    """A rule file is missing or malformed; the message names the file and field."""

    code = "rules"


class HistoryError(KitError):
    """The history database cannot be opened or written; the message says why."""

    code = "history"


class KitNotFound(HistoryError):
    """No kit with that id (deleted, or never saved)."""

    code = "not_found"


class ExportError(KitError):
    """An export that cannot be made here; the message says what to do."""

    code = "export"


class AccessDenied(KitError):
    """The signed-in user may not see or change this (someone else's private kit…).

    The message never names what was refused beyond its id, so a refusal leaks nothing.
    """

    code = "forbidden"


class NotSignedIn(AccessDenied):
    """Sign-in is configured and this user is not signed in, or not on the allow-list."""

    code = "not_signed_in"


class ScorecardError(HistoryError):
    """A scorecard cannot be changed that way (submitted, someone else's, bad score…)."""

    code = "scorecard"


class BatchError(KitError):
    """A batch cannot start (no readable file, bad archive…); one bad CV is only its row."""

    code = "batch"


class JobError(KitError):
    """A generation job cannot be started (too many running on this server)."""

    code = "busy"


__all__ = [
    "CV_CODES", "PASSWORD_CODES", "RETRYABLE_CODES", "SDK_STATUS_CODES", "AccessDenied",
    "BatchError", "CVError", "ConfigError", "ExportError", "HistoryError", "JobError", "KitError",
    "KitNotFound", "LLMError", "LabError", "NotSignedIn", "OfflineModelError", "PromptError",
    "RulesError", "ScorecardError", "llm_code_for_status"
]
