"""What a batch reads: uploaded files, or the members of a ZIP, one :class:`Upload` each.

An archive comes from a stranger, so it is opened defensively and never written
to disk: at most :data:`MAX_MEMBERS` entries and :data:`MAX_TOTAL_BYTES`
unpacked (declared sizes are checked first, then every read is bounded, so a
member lying about its size cannot inflate past the CV limit); names with
``..``, an absolute path or a drive are refused; directories, ``__MACOSX`` and
Finder/Explorer litter are skipped; a nested archive, a symbolic link, an
encrypted member or a file that is not a CV gets a failed row of its own.
Nothing here raises for one bad file: it becomes an :class:`Upload` with a
``problem``, so the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from interviewkit.config import Limits
from interviewkit.errors import BatchError
from interviewkit.ingest.cv import TEXT_SUFFIXES

MAX_MEMBERS = 200  # entries in one archive, directories included
MAX_TOTAL_BYTES = 200 * 2**20  # what one archive may unpack to
CV_SUFFIXES = frozenset({".pdf", *TEXT_SUFFIXES})
ARCHIVE_SUFFIXES = frozenset({".zip"})
_LITTER = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_DRIVE = re.compile(r"^[A-Za-z]:")
_SYMLINK = 0o120000
_DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Upload:
    """One CV file of a batch; ``problem`` says why it cannot even be read."""

    name: str  # as the recruiter knows it: the file name, or the path inside the archive
    data: bytes = b""
    problem: str | None = None
    digest: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "digest", hashlib.sha256(self.data).hexdigest())

    @property
    def filename(self) -> str:
        """The base name, which the CV reader quotes in its messages."""
        return PurePosixPath(self.name.replace("\\", "/")).name or self.name


def _refused(name: str, problem: str) -> Upload:
    return Upload(name=name, problem=problem)


def is_archive(name: str) -> bool:
    return PurePosixPath(name.lower()).suffix in ARCHIVE_SUFFIXES


def expand(files: Iterable[tuple[str, bytes]], limits: Limits = _DEFAULT_LIMITS) -> list[Upload]:
    """Every CV of ``files`` (name, bytes): plain files as they are, ZIPs unpacked."""
    uploads: list[Upload] = []
    for name, data in files:
        uploads += unzip(name, data, limits) if is_archive(name) else [Upload(name, data)]
    if not uploads:
        raise BatchError("Choose at least one CV file (PDF, .txt, .md) or one ZIP of them.",
                         code="no_files")
    return uploads


def from_paths(paths: Sequence[Path], limits: Limits = _DEFAULT_LIMITS) -> list[Upload]:
    """The CLI's inputs: files, ZIPs and folders (their files, not sub-folders), sorted.

    A path that does not exist raises :class:`BatchError` (a bad argument); a file too
    large to be a CV is refused without being read into memory."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file()
                            and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            raise BatchError(f"{path}: no such file or folder", code="no_such_path")
    uploads: list[Upload] = []
    for path in files:
        cap = MAX_TOTAL_BYTES if is_archive(path.name) else limits.max_bytes
        if (size := path.stat().st_size) > cap:
            uploads.append(_refused(path.name, f"'{path.name}' is {_mb(size)}; the limit "
                                    f"is {_mb(cap)}."))
        else:
            uploads += expand([(path.name, path.read_bytes())], limits)
    return uploads or expand([], limits)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"


def unzip(archive: str, data: bytes, limits: Limits = _DEFAULT_LIMITS) -> list[Upload]:
    """The CVs inside one ZIP, and a failed row for everything that cannot be one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = zf.infolist()
            if len(entries) > MAX_MEMBERS:
                return [_refused(archive, f"'{archive}' has {len(entries)} entries; the limit "
                                 f"is {MAX_MEMBERS}. Split it into smaller archives.")]
            files = [info for info in entries if not _skipped(info)]
            declared = sum(info.file_size for info in files)
            if declared > MAX_TOTAL_BYTES:
                return [_refused(archive, f"'{archive}' unpacks to {_mb(declared)}; the limit "
                                 f"is {_mb(MAX_TOTAL_BYTES)}.")]
            uploads = _members(zf, archive, files, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        return [_refused(archive, f"'{archive}' is not a readable ZIP archive ({exc}).")]
    return uploads or [_refused(archive, f"'{archive}' contains no files.")]


def _skipped(info: zipfile.ZipInfo) -> bool:
    """Directories and the litter archivers add (``__MACOSX/``, ``._x``, ``.DS_Store``)."""
    parts = PurePosixPath(info.filename.replace("\\", "/")).parts
    base = parts[-1] if parts else ""
    return (info.is_dir() or not base or "__MACOSX" in parts or base.startswith("._")
            or base.lower() in _LITTER)


def _members(zf: zipfile.ZipFile, archive: str, files: list[zipfile.ZipInfo],
             limits: Limits) -> list[Upload]:
    uploads: list[Upload] = []
    unpacked = 0
    for info in files:
        name = info.filename
        problem = _member_problem(info)
        if problem is None and unpacked > MAX_TOTAL_BYTES:
            problem = (f"not read: '{archive}' already unpacked to more than "
                       f"{_mb(MAX_TOTAL_BYTES)}.")
        if problem is not None:
            uploads.append(_refused(name, problem))
            continue
        with zf.open(info) as member:  # bounded: a lying header cannot inflate past the cap
            data = member.read(limits.max_bytes + 1)
        unpacked += len(data)
        if len(data) > limits.max_bytes:
            uploads.append(_refused(name, f"'{name}' unpacks to more than "
                                    f"{_mb(limits.max_bytes)}; the upload limit is "
                                    f"{_mb(limits.max_bytes)}."))
            continue
        uploads.append(Upload(name, data))
    return uploads


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member is refused, or None for a CV-looking file."""
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name) \
            or ".." in path.parts:
        return "refused: its path in the archive leaves the archive (.., / or a drive)."
    if (info.external_attr >> 16) & 0o170000 == _SYMLINK:
        return "refused: a symbolic link, not a file."
    if info.flag_bits & 0x1:
        return "refused: this member is password-protected; unzip it first."
    suffix = path.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        return "refused: archives inside an archive are not opened; unzip it first."
    if suffix not in CV_SUFFIXES:
        return (f"not a CV file ({suffix or 'no extension'}): a batch reads PDF, .txt and "
                ".md files.")
    return None


__all__ = ["CV_SUFFIXES", "MAX_MEMBERS", "MAX_TOTAL_BYTES", "Upload", "expand", "from_paths",
           "is_archive", "unzip"]
