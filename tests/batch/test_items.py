"""A batch's inputs: many files or ZIPs, opened defensively (interviewkit.batch.items)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from interviewkit.batch import items
from interviewkit.batch.items import Upload, expand, from_paths, unzip
from interviewkit.config import Limits
from interviewkit.errors import BatchError
from tests.batch.conftest import text_cv


def make_zip(members: dict[str, bytes], *, infos: list[zipfile.ZipInfo] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name.endswith("/"):
                zf.mkdir(name.rstrip("/"))
            else:
                zf.writestr(name, data)
        for info in infos or []:
            zf.writestr(info, b"%PDF-1.4 not really")
    return buffer.getvalue()


def problems(uploads: list[Upload]) -> dict[str, str | None]:
    return {u.name: u.problem for u in uploads}


def test_many_files_and_a_zip_become_one_list_in_order() -> None:
    archive = make_zip({"cvs/": b"", "cvs/b.txt": text_cv(2), "c.md": text_cv(3),
                        "__MACOSX/cvs/._b.txt": b"\x00\x05", "cvs/._b.txt": b"\x00",
                        ".DS_Store": b"\x00", "Thumbs.db": b"x"})
    uploads = expand([("a.txt", text_cv(1)), ("batch.zip", archive), ("d.pdf", b"%PDF-1.4")])
    assert [u.name for u in uploads] == ["a.txt", "cvs/b.txt", "c.md", "d.pdf"]
    assert all(u.problem is None for u in uploads)
    assert uploads[1].filename == "b.txt" and uploads[1].data == text_cv(2)
    assert len({u.digest for u in uploads}) == 4, "the content hash tells CVs apart"


@pytest.mark.parametrize("name", ["../evil.pdf", "cvs/../../evil.txt", "/etc/cv.pdf",
                                  "C:/Users/cv.pdf", "..\\..\\evil.md"])
def test_a_path_that_leaves_the_archive_is_refused_with_a_row(name: str) -> None:
    uploads = unzip("batch.zip", make_zip({name: text_cv(1), "ok.txt": text_cv(2)}))
    assert problems(uploads)[name] == ("refused: its path in the archive leaves the archive "
                                       "(.., / or a drive).")
    assert problems(uploads)["ok.txt"] is None, "the other members are still read"
    assert next(u for u in uploads if u.name == name).data == b"", "never unpacked"


def test_nested_archives_and_files_that_are_not_cvs_get_a_failed_row() -> None:
    inner = make_zip({"x.pdf": b"%PDF-1.4"})
    uploads = unzip("batch.zip", make_zip({"inner.zip": inner, "photo.jpg": b"\xff\xd8",
                                           "cv.docx": b"PK\x03\x04", "README": b"hi",
                                           "good.txt": text_cv(1)}))
    found = problems(uploads)
    assert found["inner.zip"] == ("refused: archives inside an archive are not opened; unzip "
                                  "it first.")
    assert found["photo.jpg"] is not None and "not a CV file (.jpg)" in found["photo.jpg"]
    assert found["cv.docx"] is not None and "not a CV file (.docx)" in found["cv.docx"]
    assert found["README"] is not None and "no extension" in found["README"]
    assert found["good.txt"] is None


def _encrypted(archive: bytes) -> bytes:
    """Set the "encrypted" flag of every member (zipfile cannot write encrypted ZIPs)."""
    data = bytearray(archive)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)
    return bytes(data)


def test_symbolic_links_and_encrypted_members_are_refused() -> None:
    link = zipfile.ZipInfo("link.pdf")
    link.external_attr = (0o120777 << 16)
    found = problems(unzip("batch.zip", make_zip({}, infos=[link])))
    found |= problems(unzip("locked.zip", _encrypted(make_zip({"locked.pdf": b"%PDF-1.4"}))))
    assert found == {"link.pdf": "refused: a symbolic link, not a file.",
                     "locked.pdf": "refused: this member is password-protected; unzip it "
                                   "first."}


def test_too_many_members_refuses_the_archive() -> None:
    archive = make_zip({f"cv{n}.txt": b"x" for n in range(items.MAX_MEMBERS + 1)})
    uploads = unzip("big.zip", archive)
    assert len(uploads) == 1 and uploads[0].name == "big.zip"
    assert uploads[0].problem == (f"'big.zip' has {items.MAX_MEMBERS + 1} entries; the limit "
                                  f"is {items.MAX_MEMBERS}. Split it into smaller archives.")


def test_the_declared_total_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(items, "MAX_TOTAL_BYTES", 2**20)
    archive = make_zip({"a.txt": b"a" * 600_000, "b.txt": b"b" * 600_000})
    [refused] = unzip("bomb.zip", archive)
    assert refused.problem == "'bomb.zip' unpacks to 1.1 MB; the limit is 1 MB."


def test_a_member_past_the_cv_limit_is_not_unpacked_past_it() -> None:
    """A zip bomb member: 20 MB of zeros in a few KB; the read stops at the limit + 1."""
    archive = make_zip({"bomb.pdf": b"\x00" * (20 * 2**20), "ok.txt": text_cv(1)})
    assert len(archive) < 100_000
    uploads = unzip("batch.zip", archive, Limits(max_bytes=2**20))
    assert problems(uploads)["bomb.pdf"] == ("'bomb.pdf' unpacks to more than 1 MB; the "
                                             "upload limit is 1 MB.")
    assert problems(uploads)["ok.txt"] is None


def test_unreadable_and_empty_archives_are_one_failed_row() -> None:
    [broken] = unzip("broken.zip", b"PK\x03\x04 this is not really a zip")
    assert broken.problem is not None and broken.problem.startswith(
        "'broken.zip' is not a readable ZIP archive")
    [empty] = unzip("empty.zip", make_zip({"cvs/": b"", "__MACOSX/._x": b""}))
    assert empty.problem == "'empty.zip' contains no files."


def test_nothing_to_read_is_a_batch_error() -> None:
    with pytest.raises(BatchError, match="at least one CV") as caught:
        expand([])
    assert caught.value.code == "no_files"


def test_paths_files_folders_and_missing_ones(tmp_path: Path) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    (folder / "b.txt").write_bytes(text_cv(2))
    (folder / "a.md").write_bytes(text_cv(1))
    (folder / ".hidden.txt").write_bytes(b"x")
    (folder / "sub").mkdir()
    (tmp_path / "big.pdf").write_bytes(b"%PDF-1.4" + b"0" * 3 * 2**20)
    (tmp_path / "more.zip").write_bytes(make_zip({"c.txt": text_cv(3)}))
    uploads = from_paths([folder, tmp_path / "big.pdf", tmp_path / "more.zip"],
                         Limits(max_bytes=2**20))
    assert [u.name for u in uploads] == ["a.md", "b.txt", "big.pdf", "c.txt"]
    assert problems(uploads)["big.pdf"] == "'big.pdf' is 3 MB; the limit is 1 MB."
    with pytest.raises(BatchError, match="no such file or folder") as caught:
        from_paths([tmp_path / "nope.pdf"])
    assert caught.value.code == "no_such_path"
