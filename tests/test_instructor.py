"""Instructor commands: ids are validated; submit copies only started course notebooks."""

import re
import shutil
import subprocess

import nbformat
import pytest

from course import instructor
from course.paths import COURSE_ROOT, RELEASE, notebooks


@pytest.mark.parametrize("student", ["", "../etc", "a b", "x" * 80])
def test_submit_rejects_bad_student_ids(student, tmp_path):
    with pytest.raises(ValueError, match="student"):
        instructor.submit(student, tmp_path / "workspace", tmp_path / "submitted")


def _start(notebook):
    """Answer the first exercise of `notebook` (any answer: it is then started)."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                and c.cell_type == "code")
    cell.source = cell.source.replace("raise NotImplementedError()", "return 0")
    nbformat.write(nb, notebook)


def test_submit_copies_started_course_notebooks_only(tmp_path):
    workspace = tmp_path / "workspace"
    shutil.copytree(RELEASE, workspace)
    started = [workspace / "part0_orientation" / "00_how_this_course_works.ipynb",
               *sorted((workspace / "part1_understanding").glob("0[12]*.ipynb"))]
    for notebook in started:
        _start(notebook)
    shutil.copy2(started[0], started[0].with_name(started[0].stem + ".before-20260101.ipynb"))
    copied = instructor.submit("alice", workspace, tmp_path / "submitted")
    assert sorted(p.name for p in copied) == sorted(p.name for p in started)
    assert all(path.parts[-3] == "alice" for path in copied)
    for folder in ("part0_orientation", "part1_understanding"):
        stamp = (tmp_path / "submitted" / "alice" / folder / "timestamp.txt").read_text()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC", stamp)
    assert not (tmp_path / "submitted" / "alice" / "part2_applying").exists()
    assert not list((tmp_path / "submitted").rglob("*.before-*"))


def test_submit_one_assignment_replaces_its_earlier_submission(tmp_path):
    workspace = tmp_path / "workspace"
    shutil.copytree(RELEASE, workspace)
    for notebook in notebooks(workspace):
        _start(notebook)
    instructor.submit("ben", workspace, tmp_path / "submitted")
    before = (tmp_path / "submitted" / "ben" / "part0_orientation" / "timestamp.txt").read_text()
    copied = instructor.submit("ben", workspace, tmp_path / "submitted",
                               assignment="part1_understanding")
    assert {path.parent.name for path in copied} == {"part1_understanding"}
    assert len(copied) == len(list((RELEASE / "part1_understanding").glob("*.ipynb")))
    after = (tmp_path / "submitted" / "ben" / "part0_orientation" / "timestamp.txt").read_text()
    assert after == before, "the other assignments' submissions are left as they were"


def test_submit_of_an_unknown_assignment_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="part9"):
        instructor.submit("ana", tmp_path, tmp_path / "submitted", assignment="part9")


@pytest.mark.parametrize(("target", "variables", "expected"), [
    ("grade", ["ASSIGNMENT=part0_orientation", "STUDENT=ana", "ARGS=--quiet"],
     ['--assignment "part0_orientation"', '--student "ana"', "--quiet"]),
    ("submit", ["STUDENT=ana", "ASSIGNMENT=part1_understanding"],
     ['--student "ana"', '--assignment "part1_understanding"']),
    ("feedback", ["ASSIGNMENT=part2_applying", "STUDENT=ben"],
     ["course.instructor feedback", '--assignment "part2_applying"', '--student "ben"']),
    ("due", ["ASSIGNMENT=part3_starting", "DUE=2027-01-15 17:00:00 UTC"],
     ['course.instructor due "part3_starting" "2027-01-15 17:00:00 UTC"']),
    ("formgrader", ["PORT=8123"],
     ["mkdir -p .exchange", "config/instructor", "--port 8123", "--ServerApp.root_dir=."]),
    ("hub", ["HUB_PORT=8100", "HUB_HOME=/srv/h", "HUB_INSTRUCTOR=mika"],
     ['hub/hubctl.py --home "/srv/h" setup --port 8100 --instructor "mika"',
      'hub/hubctl.py --home "/srv/h" start']),
    ("hub-users", ["USERS=ana ben", "HUB_HOME=/srv/h"], ['--home "/srv/h" users ana ben']),
    ("hub-remove-users", ["USERS=ana"], ["remove-users ana"]),
    ("learner-edition", [], ["course.edition dist"]),
])
def test_make_passes_its_variables_on(target, variables, expected):
    dry = subprocess.run(["make", "-n", "-o", ".venv/.installed", target, *variables],
                         cwd=COURSE_ROOT, capture_output=True, text=True, check=True).stdout
    command = " ".join(line.rstrip("\\").strip() for line in dry.splitlines())
    for piece in expected:
        assert piece in command, f"make {target} drops {piece}: {command}"


def test_release_of_an_unknown_assignment_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="assignment"):
        instructor.release("part9_nothing", root=tmp_path)
