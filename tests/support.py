"""Shared helpers of the notebook and grading tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from course.grading.cohort import run_nbgrader  # noqa: F401  (the tests' nbgrader)
from course.paths import COURSE_ROOT, RELEASE, SOURCE, notebooks

SOURCE_NOTEBOOKS = notebooks(SOURCE)
RELEASE_NOTEBOOKS = notebooks(RELEASE)
ASSIGNMENTS = sorted({path.parent.name for path in SOURCE_NOTEBOOKS})

# The small shop that CI injects through each notebook's `parameters` cell.
CI_PARAMETERS = {"N_CUSTOMERS": 4_000}


def notebook_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def nbgrader_config(root: Path = COURSE_ROOT) -> Config:
    """The course's nbgrader configuration, as nbgrader itself would load it from `root`."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def copy_course(target: Path) -> Path:
    """A throw-away copy of the course (config, source, release) for nbgrader to work in."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(COURSE_ROOT / "nbgrader_config.py", target)
    for folder in ("source", "release"):
        shutil.copytree(COURSE_ROOT / folder, target / folder)
    return target


def nbgrader_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if "nbgrader" in cell.metadata]


def graded_code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Autograded test cells: grade cells that are code and not answers."""
    return [
        cell
        for cell in nbgrader_cells(nb)
        if cell.metadata.nbgrader.get("grade")
        and not cell.metadata.nbgrader.get("solution")
        and cell.cell_type == "code"
    ]


def hidden_test_lines(folder: Path, min_length: int) -> set[str]:
    """The lines (stripped, at least `min_length` long) of every hidden-test region of the
    source notebooks in `folder`: what feedback must never show."""
    from course.grading.feedback import hidden_regions

    lines = set()
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            _, hidden, _ = hidden_regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
            lines.update(line.strip() for line in hidden if len(line.strip()) >= min_length)
    assert lines, f"{folder} has no hidden tests to look for"
    return lines
