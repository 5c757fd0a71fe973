"""The Prompt Lab editor as pure state transitions, testable without Streamlit.

The editor holds the text being edited and the saved file it started from
(the "base": the diff is always against it).  Saving a new version is two
steps - ask (the diff is shown), confirm - and confirming saves exactly the
text whose diff was shown; any edit in between cancels it.  Every transition
leaves a notice for the page to show once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interviewkit.errors import KitError
from interviewkit.promptfiles import library

Notice = tuple[str, str]  # ("success" | "error", message)


@dataclass
class Editor:
    """What the Lab's editor shows and what it was opened from."""

    text: str
    base_path: Path | None
    base_text: str
    confirm: str | None = None  # the text whose diff was shown, awaiting "Replace"
    notice: Notice | None = None

    @classmethod
    def open(cls, path: Path | None) -> Editor:
        """A file (or the blank template when ``path`` is None), as saved."""
        text = library.TEMPLATE if path is None else library.read_text(path)
        return cls(text, path, text)

    @classmethod
    def first(cls, files: list[library.Source]) -> Editor:
        """The first visit: technical_screen, else the first file, else the template."""
        current = [s for s in files if not s.archived]
        first = next((s for s in current if s.path.stem == "technical_screen"),
                     current[0] if current else None)
        return cls.open(first.path if first else None)

    @property
    def name(self) -> str:
        return self.base_path.name if self.base_path else ""

    @property
    def archived(self) -> bool:
        """Archived versions are read-only."""
        return self.base_path is not None and self.base_path.parent.name == library.VERSIONS_DIR

    @property
    def changes(self) -> str:
        return library.diff(self.base_text, self.text, self.name or "new prompt")

    def take_notice(self) -> Notice | None:
        notice, self.notice = self.notice, None
        return notice

    def switch(self, path: Path | None) -> Editor:
        """Open another file; unsaved edits are discarded (the picker says so)."""
        try:
            return Editor.open(path)
        except KitError as exc:
            self.notice = ("error", str(exc))
            return self


    def ask_version(self) -> None:
        self.confirm = self.text

    def cancel_version(self) -> None:
        self.confirm = None

    def confirm_version(self) -> Editor:
        """Replace the base file with the text whose diff was shown (archiving the old)."""
        shown, self.confirm = self.confirm, None
        if shown != self.text or self.base_path is None:
            self.notice = ("error", "The text changed after the diff was shown; nothing was saved.")
            return self
        try:
            saved = library.save_new_version(self.text, self.base_path, self.base_text)
        except KitError as exc:
            self.notice = ("error", str(exc))
            return self
        after = Editor.open(saved.path)
        after.notice = ("success", f"Saved {saved.path.name} as version {saved.version}; the "
                                   f"previous text is kept as {library.VERSIONS_DIR}/"
                                   f"{saved.archived.name}.")
        return after

    def save_new_file(self, directory: Path, name: str) -> Editor:
        """Save the text as a new prompt file (never overwriting one)."""
        try:
            path = library.save_new_file(self.text, directory, name)
        except KitError as exc:
            self.notice = ("error", str(exc))
            return self
        after = Editor.open(path)
        after.notice = ("success", f"Saved {path.name}; it is in the Generate page's dropdown now.")
        return after
