"""The progress view: a fresh workspace is all "not started", a solved one all "passed"."""

import shutil

import nbformat

from course.paths import RELEASE, SOURCE
from course.progress import format_progress, workspace_progress


def _statuses(progress):
    return {(s.notebook, s.grade_id): s.status for items in progress.values() for s in items}


def test_fresh_workspace_is_not_started(tmp_path):
    shutil.copytree(RELEASE, tmp_path / "workspace")
    progress = workspace_progress(tmp_path / "workspace")
    statuses = _statuses(progress)
    assert statuses and set(statuses.values()) == {"not started"}
    assert "0 of" in format_progress(progress)


def test_solved_workspace_passes_and_a_wrong_answer_is_not_yet(tmp_path):
    workspace = tmp_path / "workspace"
    shutil.copytree(SOURCE, workspace)
    # one wrong but plausible answer: count order lines instead of customers
    path = workspace / "part0_orientation" / "00_how_this_course_works.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "count-buyers-answer":
            cell.source = "def count_buyers(orders):\n    return len(orders)"
    nbformat.write(nb, path)

    progress = workspace_progress(workspace)
    statuses = _statuses(progress)
    wrong = statuses.pop((path.name, "count-buyers-check"))
    assert wrong == "not yet"
    written = {key for key, status in statuses.items() if status == "written"}
    assert set(statuses.values()) <= {"passed", "written"}, statuses
    assert len(written) < len(statuses)
    text = format_progress(progress)
    assert "order lines" in text, "the learner sees why the answer is not right yet"


def test_missing_workspace_is_a_clear_error(tmp_path):
    try:
        workspace_progress(tmp_path / "nowhere")
    except ValueError as error:
        assert "make lab" in str(error)
    else:
        raise AssertionError("expected a ValueError")
