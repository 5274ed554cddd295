"""The instructor's loop on one learner: grade, hand-grade, feedback, re-grade, a late one.

One written answer (part1's `four-whys`) waits for a person after `make grade`: the feedback
says so instead of showing 0. A hand grade then reaches the feedback through `make feedback`,
which runs no notebook, and survives a re-grade of the same submission; a new submission is
flagged for review again; a submission after the due date loses what the plugin says.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook
from support import copy_course, hidden_test_lines

from course.paths import COURSE_ROOT, tool_environment

ASSIGNMENT = "part1_understanding"
NOTEBOOK = "04_winning_and_losing_patterns"
WRITTEN = "four-whys"
EXAMPLE = COURSE_ROOT / "artifacts" / "feedback" / "pending_written_answer.html"


def _instructor(root, *args):
    done = subprocess.run([sys.executable, "-m", "course.instructor", *args, "--root", str(root)],
                          capture_output=True, text=True, env=tool_environment(), timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def _submit(root, stamp):
    folder = root / "submitted" / "ana" / ASSIGNMENT
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy2(root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", folder)
    (folder / "timestamp.txt").write_text(stamp)


def _grade(root):
    return _instructor(root, "grade", "--assignment", ASSIGNMENT, "--jobs", "1", "--quiet")


def _written(root):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(WRITTEN, NOTEBOOK, ASSIGNMENT, "ana")
        return grade.manual_score, grade.needs_manual_grade


def _page(root):
    return (root / "feedback" / "ana" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()


def _hidden_lines(root):
    return hidden_test_lines(root / "source" / ASSIGNMENT, 20)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("loop") / "course")
    _submit(root, "2026-12-01 10:00:00.000000 UTC")
    _grade(root)
    return root


def test_a_written_answer_waits_for_the_instructor(course):
    assert _written(course) == (None, True)
    page = _page(course)
    EXAMPLE.parent.mkdir(parents=True, exist_ok=True)
    EXAMPLE.write_text(page)  # for people to look at
    assert "waiting for your instructor" in page
    assert not re.search(r"Written response</a> \(Score: 0\.0", page), "pending shown as 0"
    assert "Score: nan" not in page
    leaked = [line for line in _hidden_lines(course) if line in page]
    assert not leaked, f"the feedback shows hidden tests: {leaked[:2]}"


def test_a_hand_grade_reaches_the_feedback_without_running_notebooks(course):
    autograded = course / "autograded" / "ana" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    before = autograded.read_bytes()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:  # as the formgrader does
        grade = gradebook.find_grade(WRITTEN, NOTEBOOK, ASSIGNMENT, "ana")
        grade.manual_score, grade.needs_manual_grade = 2, False
        comment = gradebook.find_comment(WRITTEN, NOTEBOOK, ASSIGNMENT, "ana")
        comment.manual_comment = "Two of the four whys are the shop's own."
        gradebook.db.commit()
    out = _instructor(course, "feedback", "--assignment", ASSIGNMENT, "--student", "ana")
    assert "feedback written: feedback/ana/part1_understanding/" in out
    page = _page(course)
    assert "waiting for your instructor" not in page
    assert re.search(r"Written response</a> \(Score: 2\.0 / 3\.0\)", page)
    assert "Two of the four whys" in page
    assert autograded.read_bytes() == before, "make feedback re-ran or rewrote a notebook"
    assert not any(line in page for line in _hidden_lines(course))


def test_a_regrade_keeps_the_hand_grade_and_a_new_submission_is_reviewed(course):
    assert _written(course) == (2, False)
    _grade(course)
    assert _written(course) == (2, False), "re-grading the same submission undid a hand grade"
    _submit(course, "2026-12-02 09:00:00.000000 UTC")
    _grade(course)
    score, review = _written(course)
    assert score == 2 and review, "a new submission's hand-graded answers are not reviewed"


def test_a_late_submission_loses_ten_percent_per_started_day(course):
    _instructor(course, "due", ASSIGNMENT, "2026-12-01 00:00:00 UTC")
    _submit(course, "2026-12-02 12:00:00.000000 UTC")  # 1.5 days late: two started days
    _grade(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, "ana")
        assert notebook.score > 0
        assert math.isclose(notebook.late_submission_penalty, 0.2 * notebook.score)
    assert "Late submission penalty" in _page(course)


def test_due_dates_are_checked(course):
    done = subprocess.run([sys.executable, "-m", "course.instructor", "due", ASSIGNMENT,
                           "next friday", "--root", str(course)], capture_output=True,
                          text=True, env=tool_environment())
    assert done.returncode == 2 and "not a date" in done.stderr
