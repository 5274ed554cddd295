"""Progress: which exercises of a learner's workspace pass their visible checks.

`python -m course.progress [WORKSPACE]` runs each started notebook in a scratch copy (with
a small shop, so it is quick) and prints, per part, every exercise as passed, not yet, not
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

from course.paths import WORKSPACE, notebooks

STUB = "raise NotImplementedError()"
WRITTEN_STUB = "YOUR ANSWER HERE"
QUICK_SIZE = 4_000
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
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


def _run(nb: nbformat.NotebookNode, folder: Path, n_customers: int | None) -> None:
    from nbclient import NotebookClient  # imported late: `--help` stays fast

    if n_customers is not None:
        for index, cell in enumerate(nb.cells):
            if "parameters" in cell.metadata.get("tags", []):
                quick = nbformat.v4.new_code_cell(f"N_CUSTOMERS = {n_customers}")
                nb.cells.insert(index + 1, quick)
                break
    os.environ[_RUNNING] = "1"  # inherited by the kernel: no progress run inside a progress run
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()


def _error_text(cell) -> str:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            first = output.traceback[0] if output.traceback else output.evalue
            return _ANSI.sub("", first if output.ename == "NotYet" else
                             f"{output.ename}: {output.evalue}")[:160]
    return ""


def notebook_progress(path: Path, n_customers: int | None = QUICK_SIZE) -> list[ExerciseStatus]:
    """Status of every graded exercise of one learner notebook."""
    nb = nbformat.read(path, as_version=4)
    answers_started = any(
        _nbgrader(c).get("solution") and c.cell_type == "code" and STUB not in c.source
        for c in nb.cells
    )
    if answers_started:
        _run(nb, path.parent, n_customers)
    statuses, pending_stub = [], False
    module_name = exercise_module_name(nb)
    for cell in nb.cells:
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
        error = _error_text(cell)
        if pending_stub or not answers_started:
            state, error = "not started", ""
        elif error:
            state = "not yet"
        else:
            state = "passed"
        statuses.append(ExerciseStatus(path.name, grade_id, title, state, error))
        pending_stub = False
    return statuses


def workspace_progress(workspace: Path = WORKSPACE, n_customers: int | None = QUICK_SIZE
                       ) -> dict[str, list[ExerciseStatus]]:
    """Per assignment, the status of every exercise in the workspace's notebooks."""
    if not workspace.is_dir():
        raise ValueError(f"workspace: no folder {workspace}; run `make lab` once to create it")
    result: dict[str, list[ExerciseStatus]] = {}
    for path in notebooks(workspace):
        if ".before-" in path.name:  # backups left by `make refresh`
            continue
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
