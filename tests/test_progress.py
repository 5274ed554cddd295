"""The progress view: a fresh workspace is all "not started", a solved one all "passed"."""

import shutil

import nbformat
import pytest

import course.progress
from course.paths import RELEASE, SOURCE
from course.progress import format_progress, workspace_progress
from course.workspace import solved_copy


def _statuses(progress):
    return {(s.notebook, s.grade_id): s.status for items in progress.values() for s in items}


def _set_answer(path, grade_id, source):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
    nbformat.write(nb, path)


def test_fresh_workspace_is_not_started(tmp_path):
    shutil.copytree(RELEASE, tmp_path / "workspace")
    progress = workspace_progress(tmp_path / "workspace")
    statuses = _statuses(progress)
    assert statuses and set(statuses.values()) == {"not started"}
    assert "0 of" in format_progress(progress)


def test_solved_workspace_passes_and_a_wrong_answer_is_not_yet(tmp_path):
    workspace = solved_copy(tmp_path / "workspace")
    # one wrong but plausible answer: count order lines instead of customers
    path = workspace / "part0_orientation" / "00_how_this_course_works.ipynb"
    _set_answer(path, "count-buyers-answer", "def count_buyers(orders):\n    return len(orders)")
    before = {p: p.read_bytes() for p in workspace.rglob("*.ipynb")}

    progress = workspace_progress(workspace)
    statuses = _statuses(progress)
    wrong = statuses.pop((path.name, "count-buyers-check"))
    assert wrong == "not yet"
    written = {key for key, status in statuses.items() if status == "written"}
    assert set(statuses.values()) <= {"passed", "written"}, statuses
    assert len(written) < len(statuses)
    text = format_progress(progress)
    assert "order lines" in text, "the learner sees why the answer is not right yet"
    assert before == {p: p.read_bytes() for p in workspace.rglob("*.ipynb")}, \
        "progress must not touch the learner's notebooks"


def test_an_endless_loop_is_not_yet_and_the_rest_still_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(course.progress, "CELL_TIMEOUT", 2)
    workspace = tmp_path / "workspace"
    (workspace / "part0_orientation").mkdir(parents=True)
    path = workspace / "part0_orientation" / "00_how_this_course_works.ipynb"
    shutil.copy(SOURCE / "part0_orientation" / path.name, path)
    _set_answer(path, "count-buyers-answer",
                "def count_buyers(orders):\n    while True:\n        pass")
    statuses = {s.grade_id: s for s in workspace_progress(workspace)["part0_orientation"]}
    assert statuses["count-buyers-check"].status == "not yet"
    assert "endless loop" in statuses["count-buyers-check"].detail
    assert statuses["access-rate-check"].status == "passed"


def test_a_notebook_that_exits_does_not_stop_progress(tmp_path):
    workspace = tmp_path / "workspace"
    (workspace / "part0_orientation").mkdir(parents=True)
    path = workspace / "part0_orientation" / "00_how_this_course_works.ipynb"
    shutil.copy(SOURCE / "part0_orientation" / path.name, path)
    _set_answer(path, "count-buyers-answer", "import os\nos._exit(3)")
    statuses = {s.grade_id: s.status for s in workspace_progress(workspace)["part0_orientation"]}
    assert set(statuses.values()) == {"not yet"}


def test_missing_workspace_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="make lab"):
        workspace_progress(tmp_path / "nowhere")
