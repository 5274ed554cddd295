"""nbgrader's collect, checking who submitted what and when (configured in nbgrader_config.py).

In nbgrader's exchange a submission is a folder `inbound/<student>+<assignment>+<time>+<random>`
that the learner's own process writes, in a folder every learner may write to. Stock collect
only warns when a folder's owner is not the student it names, trusts the time in its name and
in its `timestamp.txt`, follows symbolic links, and stops for everyone at one folder whose
name it cannot read. `CheckedCollect` instead, for each submission folder:

- takes it only if the account that owns it, and every file and folder in it, is the student
  it names; one whose name does not parse is skipped, not fatal;
- copies it first, through file descriptors opened without following links (a link, a device
  or a pipe anywhere refuses the submission, and so does a folder replaced by a link while it
  is read), into a private folder of the instructor's, within nbgrader's size limits;
- dates it by its name, but never earlier than the last change the system recorded on what
  was copied (ctime, which an owner cannot set back), and writes `timestamp.txt` itself: the
  learner's own is not trusted.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import stat
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import check_mode

# Submitting writes, then sets permissions: the system's times trail the learner's by seconds.
TOLERANCE = timedelta(seconds=60)
MAX_ENTRIES = 500  # files and folders in one submission
MAX_DEPTH = 8
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class Refused(Exception):
    """A submission folder that is not collected; the message says why."""


@dataclass
class Snapshot:
    """A submission as copied: where the copy is, and the last change made to what it holds."""

    folder: Path
    changed: datetime


def snapshot(inbound_fd: int, name: str, owner_uid: int, target: Path, max_bytes: int,
             max_file_bytes: int) -> Snapshot:
    """Copy `inbound/<name>` into `target` without following a link; `Refused` when anything
    in it is not a plain file or folder owned by `owner_uid`, or it is too large."""
    latest = 0.0
    total = 0
    entries = 0

    def copy_folder(parent_fd: int, entry: str, into: Path, depth: int) -> None:
        nonlocal latest, total, entries
        try:
            fd = os.open(entry, _FOLDER, dir_fd=parent_fd)
        except OSError as error:
            raise Refused(f"{entry} is a link or not a folder ({error.strerror})") from None
        try:
            info = os.fstat(fd)
            if info.st_uid != owner_uid:
                raise Refused(f"{entry} belongs to another account")
            latest = max(latest, info.st_ctime)
            into.mkdir(mode=0o700)
            for item in sorted(os.listdir(fd)):
                entries += 1
                if entries > MAX_ENTRIES:
                    raise Refused(f"more than {MAX_ENTRIES} files and folders")
                kind = os.stat(item, dir_fd=fd, follow_symlinks=False).st_mode
                if stat.S_ISDIR(kind):
                    if depth >= MAX_DEPTH:
                        raise Refused(f"folders nested deeper than {MAX_DEPTH}")
                    copy_folder(fd, item, into / item, depth + 1)
                elif stat.S_ISREG(kind):
                    total += copy_file(fd, item, into / item)
                    if total > max_bytes:
                        raise Refused(f"larger than {max_bytes // 1000} kB")
                else:
                    kind_name = "a symbolic link" if stat.S_ISLNK(kind) else "not a plain file"
                    raise Refused(f"{item} is {kind_name}")
        finally:
            os.close(fd)

    def copy_file(folder_fd: int, item: str, destination: Path) -> int:
        nonlocal latest
        try:
            fd = os.open(item, _FILE, dir_fd=folder_fd)
        except OSError as error:
            raise Refused(f"{item} could not be opened as a plain file ({error.strerror})") \
                from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise Refused(f"{item} is not a plain file")
            if info.st_uid != owner_uid:
                raise Refused(f"{item} belongs to another account")
            if info.st_size > max_file_bytes:
                raise Refused(f"{item} is larger than {max_file_bytes // 1000} kB")
            with os.fdopen(os.dup(fd), "rb") as source, destination.open("xb") as copy:
                shutil.copyfileobj(source, copy)
            latest = max(latest, os.fstat(fd).st_ctime)  # after reading: changes count
            return info.st_size
        finally:
            os.close(fd)

    copy_folder(inbound_fd, name, target, 0)
    return Snapshot(target, datetime.fromtimestamp(latest, UTC).replace(tzinfo=None))


class CheckedCollect(ExchangeCollect):
    """`nbgrader collect` that collects a student's own submissions only, as plain files,
    at a time no earlier than their files' (see the module's docstring)."""

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path,
                               f"{student_id}+{self.coursedir.assignment_id}+*")
        by_student: dict[str, list[dict]] = {}
        for path in sorted(glob.glob(pattern)):
            record = self._record(path)
            if record is not None:
                by_student.setdefault(record["username"], []).append(record)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                due = gradebook.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                due = None
        self.staging = Path(tempfile.mkdtemp(prefix="course-collect-"))
        self.src_records = []
        for records in by_student.values():
            records = self._sort_by_timestamp(records)
            if due is not None and self.before_duedate:
                on_time = [r for r in records if r["timestamp"] <= due]
                records = on_time + [r for r in records if r not in on_time]
            chosen = next((r for r in records if self._copied(r)), None)
            if chosen is not None:
                self.src_records.append(chosen)

    def _record(self, path: str) -> dict | None:
        """nbgrader's record of an inbound folder, if its name parses and its owner is the
        student it names; otherwise None, with the reason logged."""
        name = os.path.basename(path)
        try:
            record = self._path_to_record(path)
        except Exception as error:  # noqa: BLE001 - nbgrader fails on names it cannot read
            self.log.error(f"{name}: not a submission's name ({error}): skipped")
            return None
        info = os.lstat(path)
        try:
            owner = _account(record["username"])
        except KeyError:
            self.log.error(f"{name} names {record['username']}, who has no account here: "
                           "not collected")
            return None
        if info.st_uid != owner:
            self.log.error(f"{name} names {record['username']} but was written by "
                           f"{_name_of(info.st_uid)}: not collected")
            return None
        return record

    def _copied(self, record: dict) -> bool:
        """Copy the submission into the private staging folder; False if it is refused."""
        name = record["filename"]
        target = self.staging / name  # inbound names are unique
        inbound = os.open(self.inbound_path, _FOLDER)
        try:
            copy = snapshot(inbound, name, _account(record["username"]), target,
                            1000 * self.coursedir.max_dir_size,
                            1000 * self.coursedir.max_file_size)
        except Refused as problem:
            self.log.error(f"{name}: {problem}: not collected")
            shutil.rmtree(target, ignore_errors=True)
            return False
        finally:
            os.close(inbound)
        if record["timestamp"] < copy.changed - TOLERANCE:
            self.log.warning(f"{name} claims {record['timestamp']} but its files changed at "
                             f"{copy.changed} UTC: that time counts")
            record["timestamp"] = copy.changed
        # Over the learner's own: in this private copy it is a plain file of the instructor's.
        (copy.folder / "timestamp.txt").write_text(record["timestamp"].strftime(TIME_FORMAT))
        record["copy"] = copy.folder
        return True

    def copy_files(self):
        try:
            if not self.src_records:
                self.log.warning(f"No submissions of '{self.coursedir.assignment_id}' for "
                                 f"course '{self.coursedir.course_id}' to collect")
            for record in self.src_records:
                self._put_in_place(record)
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _put_in_place(self, record: dict) -> None:
        """nbgrader's rules for an existing submission, with the checked copy in place of the
        inbound folder."""
        student, assignment = record["username"], self.coursedir.assignment_id
        dest = Path(self.coursedir.format_path(self.coursedir.submitted_directory, student,
                                               assignment))
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_dir() and not dest.is_symlink():
            existing = self.coursedir.get_existing_timestamp(str(dest))
            newer = existing is None or record["timestamp"] > existing
            if not ((self.update and newer) or
                    (self.before_duedate and existing != record["timestamp"])):
                self.log.info(f"No newer submission to collect: {student} {assignment}"
                              if self.update else f"Submission already exists, use --update "
                              f"to update: {student} {assignment}")
                return
            self.log.info(f"Updating submission: {student} {assignment}")
            shutil.rmtree(dest)
        else:
            if dest.is_symlink() or dest.exists():
                dest.unlink()
            self.log.info(f"Collecting submission: {student} {assignment}")
        shutil.copytree(record["copy"], dest, symlinks=True)


def _account(name: str) -> int:
    return pwd.getpwnam(name).pw_uid


def _name_of(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"
