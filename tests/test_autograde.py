"""Autograding proves the grading: the solution gets full marks, the blank release zero."""

import shutil

import pytest
from nbgrader.api import Gradebook
from support import ASSIGNMENTS, copy_course, run_nbgrader


def _submit(root, student, assignment, notebook_folder):
    target = root / "submitted" / student / assignment
    shutil.copytree(notebook_folder / assignment, target)
    (target / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_full_marks_and_blank_zero(assignment, tmp_path):
    root = copy_course(tmp_path / "course")
    result = run_nbgrader(root, "generate_assignment", assignment, "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    _submit(root, "solution", assignment, root / "source")
    _submit(root, "blank", assignment, root / "release")
    result = run_nbgrader(root, "autograde", assignment, "--force")
    assert result.returncode == 0, result.stderr[-3000:]

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        solution = gradebook.find_submission(assignment, "solution")
        blank = gradebook.find_submission(assignment, "blank")
        auto = [g for nb in solution.notebooks for g in nb.grades if g.auto_score is not None]
        manual = [g for nb in solution.notebooks for g in nb.grades if g.auto_score is None]
        assert auto, "no autograded cells"
        short = [(g.name, g.auto_score, g.max_score) for g in auto if g.auto_score != g.max_score]
        assert not short, f"the solution lost points on {short}"
        assert all(g.needs_manual_grade for g in manual), "written answers wait for a person"
        assert blank.max_score == solution.max_score > 0
        assert blank.score == 0, f"the blank release scored {blank.score}"
