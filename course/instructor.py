"""Instructor commands: release the notebooks, collect a submission, grade a cohort, feedback.

Run from anywhere; nbgrader itself always runs from the course root.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from course.paths import (
    COURSE_ROOT,
    SOURCE,
    SUBMITTED,
    WORKSPACE,
    assignments,
    notebooks,
    tool_environment,
)

_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def nbgrader(
    *args: str, root: Path = COURSE_ROOT, check: bool = True
) -> subprocess.CompletedProcess:
    """Run one nbgrader command from the course root (where nbgrader_config.py is)."""
    command = [sys.executable, "-m", "nbgrader", *args]
    return subprocess.run(command, cwd=root, check=check, env=tool_environment())


def _require_assignment(name: str, source: Path) -> None:
    """A clear error unless `name` is an assignment (a folder) of `source`."""
    if not (source / name).is_dir():
        raise ValueError(f"assignment: no assignment {name!r}; the assignments are "
                         f"{', '.join(assignments(source))}")


def release(only: str = "", root: Path = COURSE_ROOT) -> list[str]:
    """Regenerate `release/<assignment>/` from `source/` for one or every assignment."""
    names = [only] if only else assignments(root / "source")
    for name in names:
        if not (root / "source" / name).is_dir():
            raise ValueError(f"assignment: no folder source/{name}")
        nbgrader("generate_assignment", name, "--force", root=root)
    return names


def submit(student: str, workspace: Path = WORKSPACE, submitted: Path = SUBMITTED,
           assignment: str = "") -> list[Path]:
    """Copy the notebooks a learner started into `submitted/<student>/<assignment>/`.

    Each submitted assignment gets nbgrader's `timestamp.txt` (the time of this submission,
    which due dates and late penalties read) and replaces that assignment's earlier submission.
    Notebooks whose answers are all still blank stay home: they would only be graded 0.
    """
    from course.progress import answers_started

    if not _STUDENT_ID.match(student or ""):
        raise ValueError(
            "student: give an id of letters, digits, '.', '_' or '-' (e.g. STUDENT=alice)"
        )
    if assignment:
        _require_assignment(assignment, SOURCE)
    known = {path.relative_to(SOURCE) for path in notebooks(SOURCE)}
    chosen: dict[str, list[Path]] = {}
    for notebook in notebooks(workspace):
        relative = notebook.relative_to(workspace)
        if relative not in known:  # backups and the learner's own extra notebooks stay home
            continue
        if assignment and relative.parts[0] != assignment:
            continue
        if answers_started(nbformat.read(notebook, as_version=4)):
            chosen.setdefault(relative.parts[0], []).append(notebook)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    copied = []
    for name, started in chosen.items():
        folder = submitted / student / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for notebook in started:
            shutil.copy2(notebook, folder / notebook.name)
            copied.append(folder / notebook.name)
        (folder / "timestamp.txt").write_text(stamp)
    return copied


def grade(root: Path = COURSE_ROOT, args: argparse.Namespace | None = None) -> int:
    """Grade every submission in submitted/ (see docs/grading.md); return the failures.

    Each notebook runs in a sandbox with limits, students in parallel; then feedback without
    the hidden tests, grades.csv and a summary of what needs manual grading or looked wrong.
    """
    from course.grading.cohort import Options, grade_cohort
    from course.grading.limits import Limits, parse_size

    args = args if args is not None else _grade_parser().parse_args([])
    limits = Limits(
        cell_timeout=args.cell_timeout,
        memory=parse_size(args.memory),
        cpu=args.cpu,
        wall=args.wall,
    )
    options = Options(
        root=Path(args.root) if args.root else root,
        jobs=args.jobs,
        limits=limits,
        sandbox=not args.no_sandbox,
        referee=not args.no_referee,
        assignments=tuple(args.assignment or ()),
        students=tuple(args.student or ()),
        feedback=not args.no_feedback,
        learner_outputs=args.feedback_outputs == "all",
        keep_work=args.keep_work,
        progress=not args.quiet,
    )
    summary = grade_cohort(options)
    print(summary.text())
    return summary.failures


def set_due_date(assignment: str, due: str, root: Path = COURSE_ROOT) -> str:
    """Record `assignment`'s due date in the gradebook ('' removes it); returns it in UTC."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    from course.grading.cohort import ensure_assignments, load_course_config

    _require_assignment(assignment, root / "source")
    try:
        when = parse_utc(due) if due else None
    except (ValueError, OverflowError) as error:
        raise ValueError(f"due: not a date and time ({error}); e.g. DUE=\"2027-01-15 "
                         "17:00:00 UTC\"") from None
    db_url = load_course_config(root).CourseDirectory.db_url
    with tempfile.TemporaryDirectory() as scratch:  # the gradebook must know its notebooks
        errors = ensure_assignments(root, db_url, [assignment], Path(scratch))
    if errors:
        raise ValueError(f"assignment: {errors[0]}")
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_assignment(assignment, duedate=when)
    return "no due date" if when is None else f"{when:%Y-%m-%d %H:%M:%S} UTC"


def feedback(root: Path = COURSE_ROOT, assignment: str = "", student: str = "",
             learner_outputs: bool = True) -> tuple[list[str], list[str]]:
    """Write feedback/ again from the gradebook and autograded/, running no learner code.

    For after manual grading in the formgrader: the pages get the hand-given scores and
    comments, still without hidden tests. Returns (pages' submissions written, failures).
    """
    import logging
    import warnings

    from course.grading.cohort import load_course_config
    from course.grading.feedback import write_feedback

    if assignment:
        _require_assignment(assignment, root / "source")
    known = set(assignments(root / "source"))
    config = load_course_config(root)
    log = logging.getLogger("course.feedback")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    log.propagate = False
    autograded = root / "autograded"
    done, failed = [], []
    folders = sorted(autograded.glob("*/*")) if autograded.is_dir() else []
    for folder in folders:
        who, what = folder.parent.name, folder.name
        if not folder.is_dir() or what not in known or who.startswith("."):
            continue
        if (assignment and what != assignment) or (student and who != student):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                write_feedback(config, what, who, learner_outputs, log)
            done.append(f"{who}/{what}")
        except Exception as error:  # noqa: BLE001 - one submission must not stop the rest
            failed.append(f"{who}/{what}: {type(error).__name__}: {error}")
    if student and not done and not failed:
        failed.append(f"{student}: nothing autograded to give feedback on (run make grade)")
    return done, failed


def _add_grade_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    import os

    parser.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1),
                        help="students graded at the same time (default: the CPU count)")
    parser.add_argument("--assignment", action="append",
                        help="grade only this assignment (repeatable)")
    parser.add_argument("--student", action="append", help="grade only this student (repeatable)")
    parser.add_argument("--cell-timeout", type=int, default=None, metavar="SECONDS",
                        help="time limit of one cell (default: Execute.timeout of the config)")
    parser.add_argument("--memory", default="4G",
                        help="memory limit of each kernel process, e.g. 4G (default: 4G)")
    parser.add_argument("--cpu", type=int, default=1800, metavar="SECONDS",
                        help="CPU time limit of one notebook's kernel (default: 1800)")
    parser.add_argument("--wall", type=int, default=1800, metavar="SECONDS",
                        help="lifetime limit of one notebook's kernel (default: 1800)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run learners' code without bubblewrap (resource limits only)")
    parser.add_argument("--no-referee", action="store_true",
                        help="run test cells in the learner's kernel, as stock nbgrader does "
                        "(the learner's code can then fake its grade; for comparisons only)")
    parser.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    parser.add_argument("--feedback-outputs", choices=("all", "tests"), default="all",
                        help="'tests': feedback shows outputs of test cells only")
    parser.add_argument("--keep-work", action="store_true",
                        help="keep the run's scratch folder (per-student copies, logs)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--root", default="", help="another course folder (default: this one)")
    return parser


def _grade_parser() -> argparse.ArgumentParser:
    return _add_grade_options(argparse.ArgumentParser(prog="grade"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.instructor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    release_parser = sub.add_parser("release", help="regenerate release/ from source/")
    release_parser.add_argument("assignment", nargs="?", default="")
    submit_parser = sub.add_parser("submit", help="copy workspace notebooks into submitted/")
    submit_parser.add_argument("--student", required=True)
    submit_parser.add_argument("--assignment", default="",
                               help="submit only this assignment (default: every one started)")
    _add_grade_options(sub.add_parser(
        "grade", help="autograde submitted/ in a sandbox, write feedback/ and grades.csv"))
    feedback_parser = sub.add_parser(
        "feedback", help="write feedback/ again from the gradebook (after manual grading); "
        "runs no notebook")
    feedback_parser.add_argument("--assignment", default="")
    feedback_parser.add_argument("--student", default="")
    feedback_parser.add_argument("--root", default="", help="another course folder")
    feedback_parser.add_argument("--feedback-outputs", choices=("all", "tests"), default="all",
                                 help="'tests': feedback shows outputs of test cells only")
    due_parser = sub.add_parser("due", help="set an assignment's due date (late penalties)")
    due_parser.add_argument("assignment")
    due_parser.add_argument("due", help='e.g. "2027-01-15 17:00:00 UTC"; "" removes it')
    due_parser.add_argument("--root", default="", help="another course folder")
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            print("released:", ", ".join(release(args.assignment)))
        elif args.command == "submit":
            copied = submit(args.student, assignment=args.assignment)
            if not copied:
                print("nothing submitted: no notebook has an answer yet")
            for path in copied:
                print(f"submitted {path.relative_to(path.parents[2])}")
        elif args.command == "due":
            when = set_due_date(args.assignment, args.due, Path(args.root or COURSE_ROOT))
            print(f"{args.assignment}: {when}")
        elif args.command == "feedback":
            done, failed = feedback(Path(args.root or COURSE_ROOT), args.assignment,
                                    args.student, args.feedback_outputs == "all")
            for name in done:
                print(f"feedback written: feedback/{name}/")
            for problem in failed:
                print(f"error: {problem}", file=sys.stderr)
            if not done and not failed:
                print("nothing to do: no autograded submission (run make grade first)")
            return 1 if failed else 0
        else:
            return 1 if grade(args=args) else 0
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
