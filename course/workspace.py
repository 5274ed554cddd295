"""The learner's workspace: their own copies of the release notebooks, never overwritten.

`python -m course.workspace sync` copies release notebooks that the workspace lacks;
`python -m course.workspace refresh ASSIGNMENT/NOTEBOOK.ipynb` takes the newer release of
one notebook and carries the learner's answers over, keeping the old file as a backup.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import datetime
from pathlib import Path

import nbformat

from course.paths import RELEASE, WORKSPACE, notebooks


def sync(release: Path = RELEASE, workspace: Path = WORKSPACE) -> list[Path]:
    """Copy every release notebook the workspace does not have yet; return the new copies."""
    copied = []
    for notebook in notebooks(release):
        target = workspace / notebook.relative_to(release)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(notebook, target)
            copied.append(target)
    return copied


def _answer_cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def solved_copy(target: Path, release: Path = RELEASE, source: Path | None = None) -> Path:
    """A workspace at `target` whose every answer cell holds the instructor's solution.

    What a learner who solved everything has: the release notebooks, answers in place (for
    the progress tests and benchmark; the solutions come from `source/`, the instructor's).
    """
    from course.paths import SOURCE

    source = SOURCE if source is None else source
    for notebook in notebooks(release):
        relative = notebook.relative_to(release)
        nb = nbformat.read(notebook, as_version=4)
        solved = _answer_cells(nbformat.read(source / relative, as_version=4))
        for grade_id, cell in _answer_cells(nb).items():
            if grade_id in solved:
                cell.source = solved[grade_id].source
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target / relative)
    return target


def refresh(relative: str, release: Path = RELEASE, workspace: Path = WORKSPACE) -> Path:
    """Replace a workspace notebook by its newer release, keeping the learner's answers.

    Answers move by nbgrader cell id; the old notebook is kept beside it as a backup.
    """
    new_path = release / relative
    old_path = workspace / relative
    if not new_path.is_file():
        raise ValueError(f"notebook: {relative!r} is not a release notebook under {release.name}/")
    if not old_path.is_file():
        sync(release, workspace)
        return old_path
    old = nbformat.read(old_path, as_version=4)
    new = nbformat.read(new_path, as_version=4)
    old_answers = _answer_cells(old)
    for grade_id, cell in _answer_cells(new).items():
        if grade_id in old_answers and old_answers[grade_id].cell_type == cell.cell_type:
            cell.source = old_answers[grade_id].source
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = old_path.with_name(f"{old_path.stem}.before-{stamp}.ipynb")
    shutil.copy2(old_path, backup)
    nbformat.write(new, old_path)
    return backup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.workspace", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sync", help="copy release notebooks the workspace lacks")
    refresh_parser = sub.add_parser("refresh", help="take a newer notebook, keep your answers")
    refresh_parser.add_argument("notebook", help="ASSIGNMENT/NOTEBOOK.ipynb under release/")
    args = parser.parse_args(argv)
    if args.command == "sync":
        copied = sync()
        print(f"workspace: {WORKSPACE} ({len(copied)} new notebook(s) copied; yours untouched)")
        return 0
    try:
        backup = refresh(args.notebook)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"refreshed {args.notebook}; your answers were carried over; old copy: {backup.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
