"""Progress: which exercises of a learner's workspace pass their visible checks.

`python -m course.progress [WORKSPACE]` runs each started notebook in a forked copy of this
process (no kernel to start, a small shop, so it is quick; the notebook files are not
touched) and prints, per part, every exercise as passed, not yet, not
started or written (graded by a person). Hidden tests are not in learner notebooks, so
only the visible checks run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.inline import in_child_process
from course.paths import WORKSPACE, notebooks

STUB = "raise NotImplementedError()"
WRITTEN_STUB = "YOUR ANSWER HERE"
QUICK_SIZE = 4_000
CELL_TIMEOUT = 60  # seconds: an endless loop in an answer shows as "not yet"
NOTEBOOK_TIMEOUT = 300
_CHECK_CALL = re.compile(r"\bex\.(\w+)\.check\(")
_EXERCISE_IMPORT = re.compile(r"^from course\.exercises import (\w+) as ex\b", re.M)
_RUNNING = "COURSE_PROGRESS_RUN"
_SYMBOLS = {"passed": "✔", "not yet": "✘", "not started": "·", "written": "✎"}


@dataclass(frozen=True)
class ExerciseStatus:
    notebook: str
    grade_id: str
    title: str
    status: str  # passed, not yet, not started, written
    detail: str = ""


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def exercise_module_name(nb: nbformat.NotebookNode) -> str | None:
    """The `course.exercises` module a notebook imports as `ex`, or None."""
    for cell in nb.cells:
        match = _EXERCISE_IMPORT.search(cell.source) if cell.cell_type == "code" else None
        if match:
            return f"course.exercises.{match.group(1)}"
    return None


def _title(module_name: str | None, test_source: str, grade_id: str) -> str:
    """The exercise's learning goal, from its `Exercise` in `course.exercises`."""
    match = _CHECK_CALL.search(test_source)
    if not (match and module_name):
        return grade_id
    try:
        return getattr(importlib.import_module(module_name), match.group(1)).goal
    except (ImportError, AttributeError):
        return grade_id


def _checked(nb: nbformat.NotebookNode, n_customers: int | None) -> dict[int, str]:
    """Run `nb` in this process; the error text of each failed cell, by its index in `nb`."""
    from course.inline import parameter_override, run_notebook

    os.environ[_RUNNING] = "1"  # no progress run inside a progress run
    if n_customers is None:
        _, errors = run_notebook(nb, timeout=CELL_TIMEOUT)
        return {i: error.text()[:160] for i, error in errors.items()}
    shifted = parameter_override(nb, N_CUSTOMERS=n_customers)  # one cell inserted
    inserted = next((i for i, (a, b) in enumerate(zip(nb.cells, shifted.cells, strict=False))
                     if a.source != b.source), len(nb.cells))
    _, errors = run_notebook(shifted, timeout=CELL_TIMEOUT)
    return {(i - 1 if i > inserted else i): error.text()[:160] for i, error in errors.items()}


def answers_started(nb: nbformat.NotebookNode) -> bool:
    return any(_nbgrader(c).get("solution") and c.cell_type == "code" and STUB not in c.source
               for c in nb.cells)


def notebook_progress(path: Path, n_customers: int | None = QUICK_SIZE) -> list[ExerciseStatus]:
    """Status of every graded exercise of one learner notebook."""
    nb = nbformat.read(path, as_version=4)
    started = answers_started(nb)
    errors: dict[int, str] = {}
    if started:
        try:
            errors = in_child_process(_checked, nb, n_customers, folder=path.parent,
                                      timeout=NOTEBOOK_TIMEOUT)
        except (TimeoutError, RuntimeError) as error:
            errors = {i: f"the notebook did not finish: {error}" for i in range(len(nb.cells))}
    statuses, pending_stub = [], False
    module_name = exercise_module_name(nb)
    for index, cell in enumerate(nb.cells):
        meta = _nbgrader(cell)
        if meta.get("solution") and not meta.get("grade"):
            pending_stub = pending_stub or STUB in cell.source
            continue
        if not meta.get("grade"):
            continue
        grade_id = meta.get("grade_id", "?")
        if meta.get("solution"):  # a written answer, graded by a person
            state = "not started" if WRITTEN_STUB in cell.source else "written"
            statuses.append(ExerciseStatus(path.name, grade_id, "Written answer", state))
            continue
        title = _title(module_name, cell.source, grade_id)
        error = errors.get(index, "")
        if pending_stub or not started:
            state, error = "not started", ""
        elif error:
            state = "not yet"
        else:
            state = "passed"
        statuses.append(ExerciseStatus(path.name, grade_id, title, state, error))
        pending_stub = False
    return statuses


def _warm_up(n_customers: int | None) -> None:
    """Import the libraries and build the quick shop once, so every forked notebook shares them."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib.pyplot  # noqa: F401
    import sklearn.linear_model  # noqa: F401

    from course.world import make_fashion_site

    if n_customers is not None:
        make_fashion_site(n_customers=n_customers, seed=0)


def workspace_progress(workspace: Path = WORKSPACE, n_customers: int | None = QUICK_SIZE
                       ) -> dict[str, list[ExerciseStatus]]:
    """Per assignment, the status of every exercise in the workspace's notebooks."""
    if not workspace.is_dir():
        raise ValueError(f"workspace: no folder {workspace}; run `make lab` once to create it")
    result: dict[str, list[ExerciseStatus]] = {}
    warmed = False
    for path in notebooks(workspace):
        if ".before-" in path.name:  # backups left by `make refresh`
            continue
        if not warmed and answers_started(nbformat.read(path, as_version=4)):
            _warm_up(n_customers)
            warmed = True
        result.setdefault(path.parent.name, []).extend(notebook_progress(path, n_customers))
    return result


def format_progress(progress: dict[str, list[ExerciseStatus]]) -> str:
    lines = []
    for assignment, statuses in progress.items():
        done = sum(s.status in ("passed", "written") for s in statuses)
        lines.append(f"{assignment}: {done} of {len(statuses)} done")
        for s in statuses:
            detail = f"  ({s.detail})" if s.detail else ""
            lines.append(f"  {_SYMBOLS[s.status]} {s.status:<11} {s.notebook}: {s.title}{detail}")
    return "\n".join(lines) if lines else "no notebooks in the workspace yet"


def show_progress(workspace: Path = WORKSPACE) -> None:
    """Print the progress table from inside a notebook (runs in a separate process)."""
    if os.environ.get(_RUNNING):  # a notebook run by the progress tool itself
        return
    result = subprocess.run([sys.executable, "-m", "course.progress", str(workspace)],
                            capture_output=True, text=True, check=False)
    print(result.stdout or result.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.progress", description=__doc__)
    parser.add_argument("workspace", nargs="?", default=str(WORKSPACE), type=Path)
    parser.add_argument("--full-size", action="store_true",
                        help="run at each notebook's own shop size instead of a small one")
    args = parser.parse_args(argv)
    try:
        progress = workspace_progress(args.workspace, None if args.full_size else QUICK_SIZE)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_progress(progress))
    return 0


if __name__ == "__main__":
    sys.exit(main())
