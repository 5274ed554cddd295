"""nbgrader's collect, checking who submitted and when (configured in nbgrader_config.py).

In nbgrader's exchange a submission is a folder `inbound/<student>+<assignment>+<time>+<random>`
that the learner's own process writes, and the inbound folder is writable by every learner.
Stock collect only warns when the folder's owner is not the student it names, and trusts the
time in its name. So one learner could replace another's submission (a newer folder in their
name), or date a late submission before the due date. `CheckedCollect` collects a folder only
for the account that owns it, and never takes a submission time earlier than the last change
the system recorded in the folder (its files' ctime, which an owner cannot set back). And it
copies plain files only: a symbolic link in a submission (to the instructor's gradebook, to
`source/`, to a file its author keeps editing after the due date) refuses the submission,
and a link made after that check is copied as a link, never followed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect, groupby
from nbgrader.utils import ignore_patterns

# Submitting writes, then sets permissions: the system's times trail the learner's by seconds.
TOLERANCE = timedelta(seconds=60)


def _owner(path: Path) -> str:
    uid = path.lstat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def not_plain(folder: Path) -> str:
    """What in a submission folder is not a plain folder or file ('' if nothing)."""
    if not stat.S_ISDIR(folder.lstat().st_mode):
        return "the submission is a link or a file, not a folder"
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            return f"{path.relative_to(folder)} is a symbolic link"
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            return f"{path.relative_to(folder)} is not a plain file"
    return ""


def last_change(folder: Path) -> datetime:
    """The latest status change (ctime, UTC) of the folder or anything in it."""
    times = [folder.lstat().st_ctime]
    times += [path.lstat().st_ctime for path in folder.rglob("*")]
    return datetime.fromtimestamp(max(times), UTC).replace(tzinfo=None)


class CheckedCollect(ExchangeCollect):
    """`nbgrader collect` that skips submissions made in another learner's name and corrects
    submission times that claim to be earlier than the files are."""

    def _path_to_record(self, path):
        record = super()._path_to_record(path)
        folder = Path(self.inbound_path) / record["filename"]
        record["owner"] = _owner(folder)
        changed = last_change(folder)
        record["corrected"] = record["timestamp"] < changed - TOLERANCE
        if record["corrected"]:
            record["claimed"] = record["timestamp"]
            record["timestamp"] = changed
        return record

    def init_src(self):
        """nbgrader's choice of one submission per student, among their own folders only."""
        super().init_src()  # checks the course and the inbound folder, reads the due date
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path,
                               f"{student_id}+{self.coursedir.assignment_id}+*")
        records = []
        for path in glob.glob(pattern):
            record = self._path_to_record(path)
            problem = not_plain(Path(path))
            if problem:
                self.log.error(f"{record['filename']}: {problem}: not collected")
                continue
            if record["owner"] != record["username"]:
                self.log.error(f"{record['filename']} names {record['username']} but was "
                               f"written by {record['owner']}: not collected")
                continue
            if record["corrected"]:
                self.log.warning(f"{record['filename']} claims {record['claimed']} but its "
                                 f"files changed at {record['timestamp']} UTC: that time counts")
            records.append(record)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                due = gradebook.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                due = None
        chosen = []
        for own in groupby(records, lambda item: item["username"]).values():
            own = self._sort_by_timestamp(own)
            on_time = [r for r in own if due is not None and r["timestamp"] <= due]
            chosen.append(on_time[0] if on_time and self.before_duedate else own[0])
        self.src_records = chosen

    def do_copy(self, src, dest, log=None):
        """nbgrader's copy (its size limit, ignore and include rules), never following a link.

        (nbgrader's `groupshared` permissions are not applied: the course does not use them.)"""
        size = self.get_size(src)
        if size > 1000 * self.coursedir.max_dir_size:
            self.log.error("Directory size is too big")
            raise RuntimeError(f"Directory size is too big. Size is {size}, maximum size is "
                               f"{1000 * self.coursedir.max_dir_size}")
        shutil.copytree(src, dest, symlinks=True, ignore=ignore_patterns(
            exclude=self.coursedir.ignore, include=self.coursedir.include,
            max_file_size=self.coursedir.max_file_size, log=self.log))

    def copy_files(self):
        super().copy_files()
        for record in self.src_records:
            if not record["corrected"]:
                continue
            stamp = Path(self.coursedir.format_path(self.coursedir.submitted_directory,
                                                    record["username"],
                                                    self.coursedir.assignment_id))
            if stamp.is_dir():
                when = record["timestamp"].strftime("%Y-%m-%d %H:%M:%S.%f UTC")
                (stamp / "timestamp.txt").write_text(when)
