"""This copy of the course works: what `make test` of the learner edition checks.

Every module of the `course` package imports, every learner notebook runs (answers still
blank) on a small shop with no error before its first exercise and no missing import after
it, and no solution or hidden test is here to find.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import nbformat
import pytest

import course
from course.inline import in_child_process, parameter_override, run_notebook

EDITION = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((EDITION / "release").glob("*/*.ipynb"))
SMALL_SHOP = 4_000
MISSING = ("ModuleNotFoundError", "ImportError")


def test_the_course_package_is_this_editions():
    assert Path(course.__file__).resolve().parent == EDITION / "course"


@pytest.mark.parametrize("module", sorted(
    name for _, name, _ in pkgutil.walk_packages(course.__path__, "course.")))
def test_every_module_imports(module):
    importlib.import_module(module)


def _errors(nb: nbformat.NotebookNode) -> dict[int, str]:
    shifted = parameter_override(nb, N_CUSTOMERS=SMALL_SHOP)
    _, errors = run_notebook(shifted, timeout=120)
    return {index: f"{error.name}: {error.message}"[:300] for index, error in errors.items()}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_notebook_runs_up_to_its_exercises(path):
    nb = nbformat.read(path, as_version=4)
    errors = in_child_process(_errors, nb, folder=path.parent, timeout=600)
    first_answer = next(i for i, cell in enumerate(nb.cells)
                        if cell.metadata.get("nbgrader", {}).get("solution"))
    early = {i: e for i, e in errors.items() if i < first_answer}
    assert not early, f"cells before the first exercise fail: {early}"
    missing = {i: e for i, e in errors.items() if e.startswith(MISSING)}
    assert not missing, f"this edition lacks something a notebook imports: {missing}"


def _edition_files() -> list[Path]:
    """The files this edition came with (not .venv, workspace/ or what tools leave behind)."""
    own = ["course", "release", "docs", "config", "tests"]
    files = [p for p in EDITION.iterdir() if p.is_file()]
    files += [p for name in own for p in (EDITION / name).rglob("*") if p.is_file()]
    return [p for p in files if "__pycache__" not in p.parts and ".pytest_cache" not in p.parts]


def test_no_solutions_and_no_hidden_tests_are_here(capsys):
    assert not (EDITION / "source").exists()
    for path in _edition_files():
        if path.suffix in (".py", ".ipynb", ".md", ".json") and path != Path(__file__):
            text = path.read_text(errors="replace")
            for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION"):
                assert marker not in text, f"{marker} in {path}"
    from course.exercises import part0_orientation as ex

    for _ in ex.count_buyers.hints:
        ex.count_buyers.hint()
    ex.count_buyers.solution()
    assert "has no solutions to show" in capsys.readouterr().out
