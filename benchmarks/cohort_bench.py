"""Grading a synthetic cohort twice: stock serial `nbgrader autograde`, then the course's command.

Both grade the same submissions, each in its own copy of a throw-away course folder: every
student submits every assignment, a third of them the solutions, a third the blank release,
a third the first half of the answers. The shop is built at `customers` customers (the
notebooks' `parameters` cell), so a cohort takes minutes rather than hours.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from course.grading.bad_submissions import TIMESTAMP, answered, set_parameters
from course.grading.cohort import run_nbgrader
from course.paths import COURSE_ROOT, tool_environment

KINDS = ("solution", "blank", "half")


def _nbgrader(root: Path, *args: str) -> float:
    """Seconds of one nbgrader command run from `root`; its failure is an error."""
    started = time.perf_counter()
    result = run_nbgrader(root, *args)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def course_copy(target: Path, customers: int) -> tuple[Path, list[str]]:
    """A course folder whose notebooks build a shop of `customers`, released; its assignments."""
    target.mkdir(parents=True)
    shutil.copy2(COURSE_ROOT / "nbgrader_config.py", target)
    shutil.copytree(COURSE_ROOT / "source", target / "source")
    set_parameters(target / "source", {"N_CUSTOMERS": customers})
    names = sorted(folder.name for folder in (target / "source").iterdir() if folder.is_dir())
    for name in names:
        _nbgrader(target, "generate_assignment", name, "--force")
    return target, names


def half_answered(release, source):
    """The release with the first half of its answer cells solved, the rest left blank."""
    solved = answered(release, source)
    answers = [i for i, cell in enumerate(release.cells)
               if cell.get("metadata", {}).get("nbgrader", {}).get("solution")]
    for i in answers[len(answers) // 2:]:
        solved.cells[i] = copy.deepcopy(release.cells[i])
    return solved


def submit_cohort(root: Path, assignments: list[str], students: int) -> dict[str, str]:
    """Write `students` submissions of every assignment; returns each student's kind."""
    if isinstance(students, bool) or not isinstance(students, int) or students < 1:
        raise ValueError(f"students: a cohort needs at least 1 student, got {students!r}")
    kinds = {f"student{k + 1:02d}": KINDS[k % len(KINDS)] for k in range(students)}
    for assignment in assignments:
        for release_path in sorted((root / "release" / assignment).glob("*.ipynb")):
            release = nbformat.read(release_path, as_version=4)
            source = nbformat.read(root / "source" / assignment / release_path.name, as_version=4)
            made = {"solution": answered(release, source), "blank": release,
                    "half": half_answered(release, source)}
            for student, kind in kinds.items():
                folder = root / "submitted" / student / assignment
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "timestamp.txt").write_text(TIMESTAMP)
                nbformat.write(made[kind], folder / release_path.name)
    return kinds


def grade_stock(root: Path, assignments: list[str]) -> float:
    """Stock nbgrader: `nbgrader autograde` of each assignment, one student after another."""
    return sum(_nbgrader(root, "autograde", name) for name in assignments)


def grade_course(root: Path, jobs: int) -> float:
    """The course's command (`make grade`): sandboxed kernels, `jobs` students at once."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "course.instructor", "grade", "--root", str(root),
         "--jobs", str(jobs), "--quiet"],
        capture_output=True, text=True, env=tool_environment())
    if result.returncode != 0:
        raise RuntimeError(f"course grading failed:\n{result.stdout[-2000:]}"
                           f"\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def scores(root: Path) -> dict[tuple[str, str, str, str], tuple]:
    """Every graded cell's (auto score, max score), by student, assignment, notebook and cell."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        key = (submission.student_id, assignment.name, notebook.name, grade.name)
                        found[key] = (grade.auto_score, grade.max_score)
    return found


def bench_cohort(scratch: Path, students: int, customers: int, jobs: int) -> dict:
    """Both graders on the same cohort: seconds, the ratio, and whether every score agrees."""
    if students < 1 or customers < 100 or jobs < 1:
        raise ValueError(f"need students >= 1, customers >= 100 and jobs >= 1; got "
                         f"{students}, {customers} and {jobs}")
    base, assignments = course_copy(scratch / "course", customers)
    kinds = submit_cohort(base, assignments, students)
    stock_root, course_root = scratch / "stock", scratch / "ours"
    shutil.copytree(base, stock_root)
    shutil.copytree(base, course_root)
    stock_seconds = grade_stock(stock_root, assignments)
    course_seconds = grade_course(course_root, jobs)
    stock, ours = scores(stock_root), scores(course_root)
    differing = sorted(key for key in stock.keys() | ours.keys() if stock.get(key) != ours.get(key))
    auto = {key: value for key, value in ours.items() if value[0] is not None}
    per_student = {
        kind: sum(v[0] for k, v in auto.items() if kinds[k[0]] == kind)
        / max(1, sum(1 for k in kinds.values() if k == kind))
        for kind in KINDS
    }
    return {
        "students": students, "assignments": len(assignments),
        "notebooks": len({(k[0], k[1], k[2]) for k in stock}), "customers": customers,
        "stock_seconds": stock_seconds, "course_seconds": course_seconds, "jobs": jobs,
        "cells_compared": len(stock), "differing": differing[:10],
        "identical": not differing and len(stock) > 0,
        "auto_points_per_student": per_student,
        "auto_points_possible": sum(v[1] for k, v in auto.items() if k[0] == "student01"),
    }
