"""Instructor commands: submission ids are validated; submit copies only course notebooks."""

import shutil

import pytest

from course import instructor
from course.paths import RELEASE, notebooks


@pytest.mark.parametrize("student", ["", "../etc", "a b", "x" * 80])
def test_submit_rejects_bad_student_ids(student, tmp_path):
    with pytest.raises(ValueError, match="student"):
        instructor.submit(student, tmp_path / "workspace", tmp_path / "submitted")


def test_submit_copies_course_notebooks_but_not_backups(tmp_path):
    workspace = tmp_path / "workspace"
    shutil.copytree(RELEASE, workspace)
    first = notebooks(workspace)[0]
    shutil.copy2(first, first.with_name(first.stem + ".before-20260101-000000.ipynb"))
    copied = instructor.submit("alice", workspace, tmp_path / "submitted")
    assert len(copied) == len(notebooks(RELEASE))
    assert all(path.parts[-3] == "alice" for path in copied)
    assert (copied[0].parent / "timestamp.txt").is_file()
    assert not list((tmp_path / "submitted").rglob("*.before-*"))


def test_release_of_an_unknown_assignment_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="assignment"):
        instructor.release("part9_nothing", root=tmp_path)
