"""Collecting from nbgrader's exchange: nobody's submission in another's name, no backdating.

On a shared exchange every learner may write into `inbound/`. The course's collect
(`course.grading.exchange.CheckedCollect`, set in nbgrader_config.py) must take a learner's
submission only from folders that learner's account wrote, and a submission time no earlier
than the files' own. Stock nbgrader's collect, run on the same exchange, is the control.
"""

from __future__ import annotations

import os
import pwd
import shutil
from datetime import UTC, datetime

import pytest
from support import copy_course, run_nbgrader

ASSIGNMENT = "part0_orientation"
NOTEBOOK = "00_how_this_course_works.ipynb"
HONEST, OTHER = "nobody", "daemon"  # two accounts every Debian machine has

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to own files as others")


def _submission(inbound, student: str, when: str, owner: str, marker: str) -> None:
    """A submission folder as nbgrader's submit writes it, owned by `owner`."""
    folder = inbound / f"{student}+{ASSIGNMENT}+{when}+{marker}"
    folder.mkdir()
    (folder / NOTEBOOK).write_text(f'{{"cells": [], "marker": "{marker}"}}')
    (folder / "timestamp.txt").write_text(when)
    account = pwd.getpwnam(owner)
    for path in (folder, *folder.iterdir()):
        os.chown(path, account.pw_uid, account.pw_gid)


def _exchange(tmp_path):
    root = copy_course(tmp_path / "course")
    inbound = root / ".exchange" / "ml-for-cx" / "inbound"
    inbound.mkdir(parents=True)
    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    later = now.replace(year=now.year + 1).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    _submission(inbound, HONEST, stamp, HONEST, "honest")
    _submission(inbound, HONEST, later, OTHER, "forged")  # newer, in the honest one's name
    _submission(inbound, OTHER, "2020-01-01 09:00:00.000000 UTC", OTHER, "backdated")
    return root


def _linked_submission(inbound, secret) -> None:
    """The other account's newest folder: a notebook and a link to a file it may not read."""
    when = datetime.now(UTC).replace(year=datetime.now(UTC).year + 2)
    folder = inbound / f"{OTHER}+{ASSIGNMENT}+{when:%Y-%m-%d %H:%M:%S.%f} UTC+linked"
    folder.mkdir()
    (folder / NOTEBOOK).write_text('{"cells": [], "marker": "linked"}')
    (folder / "gradebook.txt").symlink_to(secret)
    account = pwd.getpwnam(OTHER)
    for path in (folder, *folder.iterdir()):
        os.lchown(path, account.pw_uid, account.pw_gid)


def _collected(root, student: str) -> tuple[str, str]:
    folder = root / "submitted" / student / ASSIGNMENT
    return (folder / NOTEBOOK).read_text(), (folder / "timestamp.txt").read_text()


def test_a_submission_in_anothers_name_is_not_collected_and_times_are_not_backdated(tmp_path):
    root = _exchange(tmp_path)
    done = run_nbgrader(root, "collect", ASSIGNMENT)
    assert done.returncode == 0, done.stderr[-2000:]
    notebook, _ = _collected(root, HONEST)
    assert '"honest"' in notebook, "the newer folder written by another account was collected"
    assert f"names {HONEST} but was written by {OTHER}: not collected" in done.stderr
    _, stamp = _collected(root, OTHER)
    assert not stamp.startswith("2020"), f"a backdated submission kept its time {stamp}"
    assert stamp.startswith(str(datetime.now(UTC).year)), stamp
    assert "that time counts" in done.stderr


def test_a_submission_with_a_link_is_not_collected(tmp_path):
    root = _exchange(tmp_path)
    secret = root / "gradebook-secret.txt"
    secret.write_text("the instructor's gradebook")
    secret.chmod(0o600)
    _linked_submission(root / ".exchange" / "ml-for-cx" / "inbound", secret)
    done = run_nbgrader(root, "collect", ASSIGNMENT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "gradebook.txt is a symbolic link: not collected" in done.stderr
    notebook, _ = _collected(root, OTHER)
    assert '"linked"' not in notebook, "the submission with a link was collected"
    copied = [p for p in (root / "submitted").rglob("*") if p.is_file()
              and "the instructor's gradebook" in p.read_text(errors="replace")]
    assert not copied, f"collect copied what a link pointed to: {copied}"


def test_stock_collect_takes_the_forged_submission_and_follows_links(tmp_path):
    root = _exchange(tmp_path)
    secret = root / "gradebook-secret.txt"
    secret.write_text("the instructor's gradebook")
    _linked_submission(root / ".exchange" / "ml-for-cx" / "inbound", secret)
    done = run_nbgrader(root, "collect", ASSIGNMENT,
                        "--ExchangeFactory.collect=nbgrader.exchange.default.collect."
                        "ExchangeCollect")
    assert done.returncode == 0, done.stderr[-2000:]
    notebook, _ = _collected(root, HONEST)
    assert '"forged"' in notebook, "the control no longer shows the risk"
    copied = root / "submitted" / OTHER / ASSIGNMENT / "gradebook.txt"
    assert not copied.is_symlink() and "gradebook" in copied.read_text()
    shutil.rmtree(root / "submitted")


def test_the_learners_own_timestamp_a_bad_name_and_others_files_count_for_nothing(tmp_path):
    root = _exchange(tmp_path)
    inbound = root / ".exchange" / "ml-for-cx" / "inbound"
    now = datetime.now(UTC)
    when = now.replace(year=now.year + 3).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    # The newest honest-looking folder: its timestamp.txt claims 2020, one file is another's.
    _submission(inbound, HONEST, when, HONEST, "own-timestamp")
    claimed = inbound / f"{HONEST}+{ASSIGNMENT}+{when}+own-timestamp" / "timestamp.txt"
    claimed.write_text("2020-01-01 00:00:00.000000 UTC")
    newest = now.replace(year=now.year + 4).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    _submission(inbound, HONEST, newest, HONEST, "mixed")
    os.chown(inbound / f"{HONEST}+{ASSIGNMENT}+{newest}+mixed" / NOTEBOOK, 0, 0)
    # A folder whose name nbgrader cannot read, and one that is a link to a folder.
    (inbound / f"{OTHER}+{ASSIGNMENT}+notadate+x").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked = inbound / f"{OTHER}+{ASSIGNMENT}+{newest}+link"
    linked.symlink_to(elsewhere)
    account = pwd.getpwnam(OTHER)
    for path in (inbound / f"{OTHER}+{ASSIGNMENT}+notadate+x", elsewhere, linked):
        os.lchown(path, account.pw_uid, account.pw_gid)
    done = run_nbgrader(root, "collect", ASSIGNMENT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{NOTEBOOK} belongs to another account: not collected" in done.stderr
    assert "not a submission's name" in done.stderr
    assert "is a link or not a folder" in done.stderr
    notebook, stamp = _collected(root, HONEST)
    assert '"own-timestamp"' in notebook, "not the newest of the learner's own submissions"
    assert stamp.startswith(str(now.year + 3)), f"the learner's timestamp.txt counted: {stamp}"
    notebook, _ = _collected(root, OTHER)
    assert '"backdated"' in notebook, "the other student's plain submission was lost"
