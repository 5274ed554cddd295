"""Every source notebook follows the course's conventions (DESIGN.md), found by discovery."""

import importlib
import re
from pathlib import Path

import nbformat
import pytest
from support import SOURCE_NOTEBOOKS, graded_code_cells, nbgrader_cells, notebook_id

from course.feedback import Exercise
from course.paths import COURSE_ROOT, RELEASE, SOURCE
from course.progress import exercise_module_name


def test_there_are_notebooks_and_every_source_has_a_release():
    assert SOURCE_NOTEBOOKS, "no source notebooks found under source/"
    for path in SOURCE_NOTEBOOKS:
        assert (RELEASE / path.relative_to(SOURCE)).is_file(), f"release/ lacks {path.name}"


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=notebook_id)
def test_first_code_cell_is_locked_parameters(path):
    nb = nbformat.read(path, as_version=4)
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", []), "first code cell must be tagged"
    assert first.metadata.get("nbgrader", {}).get("locked"), "parameters cell must be locked"
    for name in ("SEED", "N_CUSTOMERS"):
        assert re.search(rf"^{name}\s*=", first.source, re.M), f"parameters cell lacks {name}"


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=notebook_id)
def test_every_test_cell_has_visible_check_and_hidden_tests(path):
    nb = nbformat.read(path, as_version=4)
    tests = graded_code_cells(nb)
    assert tests, "a notebook needs at least one autograded exercise"
    for cell in tests:
        grade_id = cell.metadata.nbgrader["grade_id"]
        assert cell.metadata.nbgrader.get("locked"), f"{grade_id}: test cells must be locked"
        assert cell.metadata.nbgrader.get("points", 0) > 0, f"{grade_id}: no points"
        assert ".check(" in cell.source, f"{grade_id}: no visible check through course.feedback"
        assert "### BEGIN HIDDEN TESTS" in cell.source, f"{grade_id}: no hidden tests"
    ids = [cell.metadata.nbgrader["grade_id"] for cell in nbgrader_cells(nb)]
    assert len(ids) == len(set(ids)), "grade ids must be unique within a notebook"


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=notebook_id)
def test_manual_answers_carry_a_rubric(path):
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    for index, cell in enumerate(cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("solution"):
            before = "".join(c.source for c in cells[max(0, index - 2) : index])
            assert "rubric" in (before + cell.source).lower(), (
                f"{meta['grade_id']}: a manually graded answer needs a rubric beside it"
            )


def test_no_absolute_paths_of_this_machine_in_the_repository():
    # this checkout's own location and the home folder of whoever runs the tests
    pattern = re.compile("|".join(re.escape(str(p)) for p in (COURSE_ROOT, Path.home())))
    suffixes = {".py", ".ipynb", ".md", ".txt", ".toml", ".cfg"}
    offenders = []
    for path in COURSE_ROOT.rglob("*"):
        parts = set(path.relative_to(COURSE_ROOT).parts)
        if parts & {".venv", ".git", "workspace", "autograded", "submitted", "artifacts"}:
            continue
        if path.is_file() and path.suffix in suffixes and path.name != Path(__file__).name:
            if pattern.search(path.read_text(errors="ignore")):
                offenders.append(str(path.relative_to(COURSE_ROOT)))
    assert not offenders, f"absolute paths found in {offenders}"


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=notebook_id)
def test_every_check_is_a_course_exercise_with_hints_in_the_notebook(path):
    nb = nbformat.read(path, as_version=4)
    module_name = exercise_module_name(nb)
    assert module_name, "the set-up cell must import `from course.exercises import ... as ex`"
    module = importlib.import_module(module_name)
    sources = "\n".join(cell.source for cell in nb.cells)
    for cell in graded_code_cells(nb):
        names = re.findall(r"\bex\.(\w+)\.check\(", cell.source)
        assert len(names) == 1, f"{cell.metadata.nbgrader['grade_id']}: one visible check per test"
        exercise = getattr(module, names[0], None)
        assert isinstance(exercise, Exercise), f"ex.{names[0]} is not an Exercise"
        assert 1 <= len(exercise.hints) <= 3
        assert f"ex.{names[0]}.hint()" in sources, f"no hint cell for ex.{names[0]}"
