"""Instructor commands: release the learner notebooks, collect a submission, grade a cohort.

Run from anywhere; nbgrader itself always runs from the course root.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

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


def release(only: str = "", root: Path = COURSE_ROOT) -> list[str]:
    """Regenerate `release/<assignment>/` from `source/` for one or every assignment."""
    names = [only] if only else assignments(root / "source")
    for name in names:
        if not (root / "source" / name).is_dir():
            raise ValueError(f"assignment: no folder source/{name}")
        nbgrader("generate_assignment", name, "--force", root=root)
    return names


def submit(student: str, workspace: Path = WORKSPACE, submitted: Path = SUBMITTED) -> list[Path]:
    """Copy a learner's workspace notebooks into `submitted/<student>/<assignment>/`."""
    if not _STUDENT_ID.match(student or ""):
        raise ValueError(
            "student: give an id of letters, digits, '.', '_' or '-' (e.g. STUDENT=alice)"
        )
    copied = []
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    known = {path.relative_to(SOURCE) for path in notebooks(SOURCE)}
    for notebook in notebooks(workspace):
        relative = notebook.relative_to(workspace)
        if relative not in known:  # backups and the learner's own extra notebooks stay home
            continue
        target = submitted / student / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, target)
        (target.parent / "timestamp.txt").write_text(stamp)
        copied.append(target)
    return copied


def grade(root: Path = COURSE_ROOT) -> int:
    """Autograde every submission, write feedback and export grades.csv; return failures."""
    failures = 0
    for name in assignments(root / "source"):
        if not list((root / "submitted").glob(f"*/{name}")):
            continue
        for step in (("autograde", name, "--force"), ("generate_feedback", name, "--force")):
            if nbgrader(*step, root=root, check=False).returncode != 0:
                failures += 1
                print(f"warning: nbgrader {step[0]} {name} reported a problem", file=sys.stderr)
    nbgrader("export", "--to", str(root / "grades.csv"), root=root, check=False)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.instructor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    release_parser = sub.add_parser("release", help="regenerate release/ from source/")
    release_parser.add_argument("assignment", nargs="?", default="")
    submit_parser = sub.add_parser("submit", help="copy workspace notebooks into submitted/")
    submit_parser.add_argument("--student", required=True)
    sub.add_parser("grade", help="autograde submitted/, write feedback/ and grades.csv")
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            print("released:", ", ".join(release(args.assignment)))
        elif args.command == "submit":
            copied = submit(args.student)
            print(f"submitted {len(copied)} notebook(s) for {args.student} into submitted/")
        else:
            return 1 if grade() else 0
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
