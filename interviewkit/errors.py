"""One base class for every failure a person should read.

Pages and the CLI catch :class:`KitError` and show ``str(error)``; anything
else is a bug and is logged, never rendered as a traceback.
"""

from __future__ import annotations


class KitError(Exception):
    """A failure with a plain, specific message meant for the user.

    ``code`` is a short stable identifier (``"encrypted"``, ``"rate_limit"``…)
    that tests and scripts can match on without parsing prose.
    """

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)
